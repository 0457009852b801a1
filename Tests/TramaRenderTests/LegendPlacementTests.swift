import Foundation
import Testing
import TramaModel
import TramaRender

/// The legend stays one compact block beside the map, whatever the layout, and a
/// neighbourhood map marks its centre.
@Suite(.serialized) struct LegendPlacementTests {
    /// The x of every `<text>` in groups whose class holds `actor`, and in those whose class holds `legend`.
    static func textXs(_ svg: String) -> (actors: [Double], legend: [Double], legendYs: [Double]) {
        var actors: [Double] = [], legend: [Double] = [], legendYs: [Double] = []
        let groups = try! NSRegularExpression(
            pattern: "<g id=\"[^\"]*\" class=\"([^\"]*)\">(.*?)</g>", options: [.dotMatchesLineSeparators])
        let xs = try! NSRegularExpression(pattern: "<text[^>]* x=\"([-0-9.]+)\"")
        let ys = try! NSRegularExpression(pattern: "<text[^>]* y=\"([-0-9.]+)\"")
        let ns = svg as NSString
        for match in groups.matches(in: svg, range: NSRange(location: 0, length: ns.length)) {
            let classes = ns.substring(with: match.range(at: 1)).split(separator: " ")
            let body = ns.substring(with: match.range(at: 2))
            let values = xs.matches(in: body, range: NSRange(location: 0, length: (body as NSString).length)).compactMap {
                Double((body as NSString).substring(with: $0.range(at: 1)))
            }
            if classes.contains("actor") { actors += values }
            if classes.contains("legend") {
                legend += values
                legendYs += ys.matches(in: body, range: NSRange(location: 0, length: (body as NSString).length)).compactMap {
                    Double((body as NSString).substring(with: $0.range(at: 1)))
                }
            }
        }
        return (actors, legend, legendYs)
    }

    /// Two territories of three cooperatives each, tied in a chain, plus one tie across.
    static func clustered(_ layout: Graphviz.Layout) -> MapRequest {
        let ids = (0..<6).map { "c\($0)" }
        let nodes = ids.enumerated().map {
            MapNode(id: $0.element, name: "Cooperativa \($0.offset)", kind: $0.offset < 3 ? "cooperative" : "association")
        }
        let edges = [("c0", "c1"), ("c1", "c2"), ("c3", "c4"), ("c4", "c5"), ("c2", "c3")].map {
            MapEdge(source: $0.0, target: $0.1, type: "partners_with", directed: false)
        }
        var request = MapRequest(title: "Cluster", subtitle: "x", nodes: nodes, edges: edges, layout: layout, format: .svg)
        request.clusters = ["ER/Bologna": ["c0", "c1", "c2"], "ER/Modena": ["c3", "c4", "c5"]]
        request.legendNotes = ["dashed: planned or potential", "faded: ended"]
        return request
    }

    @Test(arguments: [Graphviz.Layout.fdp, .dot])
    func withClustersTheLegendIsBesideTheMap(layout: Graphviz.Layout) throws {
        let svg = String(decoding: try MapRenderer.renderKeeping(Self.clustered(layout)).bytes, as: UTF8.self)
        let (actors, legend, legendYs) = Self.textXs(svg)
        #expect(actors.count >= 6 && legend.count >= 4)
        // Every legend text lies right of every actor's: one block beside the map, not spread over it.
        #expect((legend.min() ?? 0) > (actors.max() ?? .infinity), "legend from \(legend.min() ?? 0), actors up to \(actors.max() ?? 0)")
        // …and compact: five rows (two kinds, one relation type, two notes) of 0.42 inch (30 pt) each, by hand, plus margins.
        #expect(
            (legendYs.max() ?? 0) - (legendYs.min() ?? 0) <= 5 * 30 + 40, "legend \((legendYs.max() ?? 0) - (legendYs.min() ?? 0)) pt tall")
        #expect(svg.contains("ER/Bologna") && svg.contains("ER/Modena"), "the territories' boxes keep their labels")
    }

    @Test func aNeighbourhoodMapMarksItsCentre() throws {
        var request = Self.clustered(.neato)
        request.clusters = [:]
        request.nodes[1].centre = true
        let svg = try SVGReader.read(try MapRenderer.render(request))
        #expect(svg.nodes.filter { $0.classes.contains("centre") }.map(\.id) == ["a-c1"])
    }
}
