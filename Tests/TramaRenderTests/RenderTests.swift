import Foundation
import Testing
import TramaModel
import TramaRender

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What an SVG holds, read by the contract a page binds to: actors are groups of
/// class `actor` with the id `a-<actor id>`, relations groups of class `relation` with
/// the id `r-<relation id>`; legend items are of class `legend`.
final class SVGReader: NSObject, XMLParserDelegate {
    struct Node {
        var id = ""
        var classes: [String] = []
        var lines: [String] = []
        var tooltip = ""
    }
    var nodes: [Node] = []
    var edges: [(id: String, classes: [String])] = []
    var legendItems = 0
    var title: String?
    var desc: String?
    private var depth = 0
    private var text = ""
    private var current: Node?
    private var currentDepth = 0

    static func read(_ data: Data) throws -> SVGReader {
        let reader = SVGReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse(), parser.parserError == nil else {
            throw TramaError(.malformed, "not XML: \(String(describing: parser.parserError))")
        }
        return reader
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        depth += 1
        text = ""
        let classes = (attributes["class"] ?? "").split(separator: " ").map(String.init)
        if name == "g", classes.contains("legend") { legendItems += 1 }
        if name == "g", classes.contains("actor") {
            current = Node(id: attributes["id"] ?? "", classes: classes)
            currentDepth = depth
        }
        if name == "g", classes.contains("relation") { edges.append((attributes["id"] ?? "", classes)) }
        if name == "a", current != nil, let title = attributes["xlink:title"] { current!.tooltip = title }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "title", depth == 2, title == nil { title = text }
        if name == "desc", depth == 2 { desc = text }
        if name == "text", current != nil { current!.lines.append(text) }
        if name == "g", let node = current, depth == currentDepth {
            nodes.append(node)
            current = nil
        }
        depth -= 1
        text = ""
    }
}

@Suite(.serialized) struct RenderTests {
    static let hostile = [
        "quote \" inside", "back\\slash", "]; a -> b [label=\"x\"]", "<script>alert(1)</script>", "\\N and \\G",
        "emoji 🌱🤝", String(repeating: "lungo ", count: 1667),
    ]

    static func request(_ names: [String], layout: Graphviz.Layout = .neato, format: Graphviz.Format = .svg, legend: Bool = true)
        -> MapRequest
    {
        let nodes = names.enumerated().map {
            MapNode(id: "n\($0.offset)", name: $0.element, kind: $0.offset.isMultiple(of: 2) ? "cooperative" : "project")
        }
        var edges = (1..<nodes.count).map { MapEdge(source: "n0", target: "n\($0)", type: "promotes", directed: true) }
        // Two typed relations between the same pair stay two edges.
        edges.append(MapEdge(source: "n0", target: "n2", type: "partners_with", directed: false))
        return MapRequest(title: "Test", subtitle: "2026-11-26", nodes: nodes, edges: edges, layout: layout, format: format, legend: legend)
    }

    @Test func svgHoldsEveryActorAndRelationWithEscapedLabels() throws {
        let request = Self.request(Self.hostile)
        let data = try MapRenderer.render(request)
        let svg = try SVGReader.read(data)
        let actors = svg.nodes
        let relations = svg.edges
        #expect(actors.count == request.nodes.count)
        #expect(relations.count == request.edges.count, "parallel typed relations are separate edges")
        for (node, name) in zip(request.nodes, Self.hostile) {
            let drawn = try #require(actors.first { $0.id == "a-" + node.id }, "\(node.id) missing")
            #expect(drawn.tooltip == name, "the full name is the tooltip")
            // Names are wrapped at spaces into lines; short ones come back exactly.
            if name.count <= 40 { #expect(drawn.lines.joined(separator: " ") == name, "\(drawn.lines)") }
        }
        let raw = String(decoding: data, as: UTF8.self)
        #expect(!raw.contains("<script>"), "user text must not become markup")
        #expect(raw.contains("&lt;script&gt;"))
        #expect(!raw.contains("label=\"x\"]"))
    }

    /// The contract a page binds to: ids from the data (escaped like every user text),
    /// classes by kind, type and status, the legend apart, a title and a description.
    @Test func svgCarriesThePagesContract() throws {
        let ids = ["coop-a", "quote\"id", "back\\slash \\N", "legend kind 0", "spazio e àccento"]
        let nodes = ids.enumerated().map {
            MapNode(id: $0.element, name: "Actor \($0.offset)", kind: $0.offset == 0 ? "cooperative" : "partner")
        }
        let edges =
            ids.dropFirst().enumerated().map {
                MapEdge(
                    source: ids[0], target: $0.element, type: "partners_with", directed: false, status: $0.offset == 0 ? .planned : .active,
                    id: Int64(100 + $0.offset))
            } + [MapEdge(source: ids[1], target: ids[2], type: "suggested", directed: false, suggested: true)]
        var request = MapRequest(
            title: "Mappa <di> prova", subtitle: "Territorio: Ivrea · 30/11/2026", nodes: nodes, edges: edges,
            layout: .neato, format: .svg, kindLabels: ["cooperative": "Cooperativa", "partner": "Partner"])
        request.description = "Mappa di prova: 5 attori"
        let svg = try SVGReader.read(try MapRenderer.render(request))
        #expect(Set(svg.nodes.map(\.id)) == Set(ids.map { "a-" + $0 }), "an actor id `legend kind 0` is an actor, not the legend")
        #expect(svg.nodes.first { $0.id == "a-coop-a" }?.classes.contains("kind-cooperative") == true)
        #expect(Set(svg.edges.map(\.id)) == ["r-100", "r-101", "r-102", "r-103"], "suggested ties are not relations")
        let planned = try #require(svg.edges.first { $0.id == "r-100" })
        #expect(planned.classes.contains("type-partners_with") && planned.classes.contains("status-planned"))
        #expect(svg.legendItems > 0)
        #expect(svg.title == "Mappa <di> prova" && svg.desc == "Mappa di prova: 5 attori")
    }

    @Test func pngAndPdfAreRealFiles() throws {
        let png = try MapRenderer.render(Self.request(["a", "b", "c"], format: .png))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width > 200 && height > 100, "\(width)×\(height)")
        let pdf = try MapRenderer.render(Self.request(["a", "b", "c"], format: .pdf))
        #expect(pdf.starts(with: Data("%PDF-".utf8)))
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(
            text.components(separatedBy: "/Type /Page\n").count - 1 + text.components(separatedBy: "/Type /Page ").count - 1 == 1,
            "one page")
    }

    // fdp still moves between renders in one process (state not found in Graphviz 2.43);
    // the command line renders each map in a fresh process, where fdp is tested byte-identical
    // too (RenderCommandTests), and the HTTP service is to render in a child process.
    @Test(arguments: [Graphviz.Layout.sfdp, .neato, .dot, .circo, .twopi])
    func theSameRequestGivesTheSameBytes(layout: Graphviz.Layout) throws {
        let request = Self.request((0..<30).map { "actor \($0)" }, layout: layout)
        let first = try MapRenderer.render(request)
        // A different map in between must not move the next render (sfdp kept rand() state).
        _ = try MapRenderer.render(Self.request((0..<12).map { "other \($0)" }, layout: layout))
        #expect(first == (try MapRenderer.render(request)))
        #expect(first == (try MapRenderer.render(request)))
    }

    @Test func mapsOverTheCapAreRefusedBeforeGraphviz() throws {
        let before = Graphviz.calls
        let big = Self.request((0...MapRequest.maxActors).map { "a\($0)" }, legend: false)
        #expect { try MapRenderer.render(big) } throws: { ($0 as? TramaError)?.code == .mapTooLarge }
        #expect(Graphviz.calls == before)
    }

    @Test func theDOTCarriesNoUserMarkupOrFileAttributes() {
        let text = MapRenderer.dot(for: Self.request(Self.hostile + ["image=\"/etc/passwd\"", "<b>bold</b>"]))
        for forbidden in ["image=", "shapefile=", "fontpath=", "label=<"] {
            #expect(!text.contains(" \(forbidden)") && !text.contains(", \(forbidden)") && !text.contains("[\(forbidden)"), "\(forbidden)")
        }
    }
}
