import ArgumentParser
import Foundation
import TramaAnalysis
import TramaInsight
import TramaModel
import TramaRender
import TramaStore

extension Graphviz.Layout: ExpressibleByArgument {}
extension Graphviz.Format: ExpressibleByArgument {}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw a map of the ecosystem with Graphviz: SVG, PNG, PDF or DOT.",
        discussion: """
            Views: whole, territory:NAME (with the territories inside it), ego:ID or ego:ID:RADIUS (an actor's
            neighbourhood, radius 1 by default), actors:ID,ID,… (any list, e.g. a coalition), community:N (the N-th
            largest Leiden community). The filters of `trama analyze` apply. Each render runs in its own process
            (this command), which keeps sfdp and fdp reproducible: in one process they carry state from one layout
            to the next.
            """)
    enum ColorBy: String, ExpressibleByArgument, CaseIterable { case kind, territory, community }
    enum Overlay: String, ExpressibleByArgument, CaseIterable { case gaps }

    @OptionGroup var store: StoreOptions
    @Option(help: "What to draw: whole, territory:NAME, ego:ID[:RADIUS], actors:ID,ID,…, community:N.") var view: String = "whole"
    @OptionGroup var options: AnalysisOptions
    @Option(help: "Layout: sfdp, fdp, neato, dot, circo, twopi (default: neato up to 150 actors, sfdp above).") var layout: Graphviz.Layout?
    @Option(help: "svg, png, pdf or dot.") var format: Graphviz.Format = .svg
    @Option(name: .shortAndLong, help: "Output file (standard output for svg and dot when omitted).") var output: String?
    @Option(name: .customLong("size-by"), help: "Size actors by a per-actor metric (degree, betweenness, pagerank, …).") var sizeBy: AnalyzeCommand.Metric?
    @Option(name: .customLong("color-by"), help: "Colour by kind, territory or community.") var colorBy: ColorBy = .kind
    @Flag(help: "Draw territories (provinces) as clusters (dot and fdp layouts).") var clusters = false
    @Option(help: "Overlay: gaps (weak points highlighted, suggested ties dashed).") var overlay: Overlay?
    @Option(help: "Language of the legend: en or it.") var lang: Language = .en
    @Option(help: "Title (default: the graph's name).") var title: String?
    @Option(help: "The date line (default: today).") var date: String?
    @Flag(name: .customLong("no-legend"), help: "Leave the legend out.") var noLegend = false
    @Flag(help: "Print the DOT text Trama hands to Graphviz (before layout) instead of rendering.") var source = false

    func validate() throws {
        if (format == .png || format == .pdf) && output == nil && !source { throw ValidationError("--format \(format.rawValue) needs -o PATH") }
        if let sizeBy, [.summary, .components, .bridges, .articulationPoints, .eiIndex, .assortativity, .communities, .projection, .brokerage].contains(sizeBy) {
            throw ValidationError("--size-by takes a per-actor metric (degree, strength, betweenness, closeness, pagerank, …), not \(sizeBy.rawValue)")
        }
    }

    func run() throws {
        let opened = try store.open(create: false)
        let ecosystem = try opened.insightEcosystem(store.graphName)
        let filter = try options.filter(ecosystem.vocabulary)
        let byID = Dictionary(uniqueKeysWithValues: ecosystem.actors.map { ($0.id, $0) })
        // The filtered graph, then the view inside it.
        let whole = AnalysisGraph(ecosystem, filter: filter)
        let inView = try viewIDs(whole, byID)
        let viewEco = Ecosystem(name: ecosystem.name, vocabulary: ecosystem.vocabulary,
                                actors: ecosystem.actors.filter { inView.contains($0.id) },
                                relations: ecosystem.relations.filter { inView.contains($0.source) && inView.contains($0.target) })
        let graph = AnalysisGraph(viewEco, filter: filter)
        if graph.nodeCount > MapRequest.maxActors || graph.edgeCount > MapRequest.maxRelations {
            throw TramaError(.tooLarge,
                "the view has \(graph.nodeCount) actors and \(graph.edgeCount) relations; a map holds at most \(MapRequest.maxActors) actors and \(MapRequest.maxRelations) relations: narrow it with --view territory:…, ego:… or the filters")
        }
        let index = Dictionary(uniqueKeysWithValues: graph.ids.enumerated().map { ($1, $0) })
        var sizes = [Double](repeating: 0, count: graph.nodeCount)
        if let sizeBy { sizes = try metric(sizeBy, graph) }
        let maximum = sizes.filter { !$0.isNaN }.max() ?? 0
        let community = colorBy == .community ? Communities.leiden(graph, seed: 1) : []
        var highlighted = Set<String>()
        var suggested: [MapEdge] = []
        if overlay == .gaps {
            let findings = GapDetector(viewEco, rules: try allianceRules(opened, store.graphName), options: GapOptions(today: today())).run()
            for f in findings where ["single-point-of-failure", "isolate"].contains(f.code) { highlighted.formUnion(f.subject.actors.prefix(1)) }
            let recommender = Recommender(viewEco, rules: try allianceRules(opened, store.graphName))
            for f in findings where f.code == "isolate" {
                if let best = try recommender.recommend(for: f.subject.actors[0], top: 1).first {
                    suggested.append(MapEdge(source: f.subject.actors[0], target: best.id, type: "suggested", directed: false, suggested: true))
                }
            }
        }
        let nodes = graph.ids.map { id -> MapNode in
            let actor = byID[id]!
            let key: String
            switch colorBy {
            case .kind: key = actor.kind
            case .territory: key = actor.territory.map { $0.rolledUp(to: 2).path } ?? "–"
            case .community: key = "community \(community[index[id]!] + 1)"
            }
            let size = maximum > 0 && !sizes[index[id]!].isNaN ? sizes[index[id]!] / maximum : 0
            return MapNode(id: id, name: actor.name, kind: actor.kind, colorKey: key, size: size, highlighted: highlighted.contains(id))
        }
        let types = Set(filter.relationTypes)
        let statuses = Set(filter.statuses)
        let edges = viewEco.relations.filter { (types.isEmpty || types.contains($0.type)) && (statuses.isEmpty || statuses.contains($0.status)) }
            .sorted { ($0.source, $0.target, $0.type) < ($1.source, $1.target, $1.type) }
            .map { MapEdge(source: $0.source, target: $0.target, type: $0.type,
                           directed: !options.undirected && (ecosystem.vocabulary.relationTypes[$0.type]?.directed ?? true), status: $0.status) }
        var territoryClusters: [String: [String]] = [:]
        if clusters { for node in nodes { if let t = byID[node.id]?.territory, t.depth >= 2 { territoryClusters[t.rolledUp(to: 2).path, default: []].append(node.id) } } }
        let vocabulary = ecosystem.vocabulary
        let request = MapRequest(
            title: title ?? "Trama · \(store.graphName)", subtitle: "\(view) · \(date ?? today())" + (sizeBy.map { lang == .it ? " · dimensione: \($0.rawValue)" : " · size: \($0.rawValue)" } ?? ""),
            nodes: nodes, edges: edges + suggested, layout: layout ?? MapRequest.defaultLayout(actors: nodes.count), format: format,
            kindLabels: vocabulary.kinds.mapValues { lang == .it ? $0.labelIT : $0.label },
            typeLabels: vocabulary.relationTypes.mapValues { lang == .it ? $0.labelIT : $0.label },
            clusters: territoryClusters, legend: !noLegend)
        var styled = request
        if colorBy != .kind { styled.colorMeaning = colorBy.rawValue }
        if source {
            Console.print(MapRenderer.dot(for: styled))
            return
        }
        let bytes = try MapRenderer.render(styled)
        if let output {
            do { try bytes.write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw TramaError(.unreadableFile, "cannot write `\(output)`: check that its folder exists and is writable")
            }
            Console.note("wrote \(output) (\(nodes.count) actors, \(edges.count) relations, \(styled.layout.rawValue))")
        } else {
            FileHandle.standardOutput.write(bytes)
        }
    }

    /// The actors of the view, inside the filtered graph.
    func viewIDs(_ g: AnalysisGraph, _ byID: [String: Actor]) throws -> Set<String> {
        let parts = view.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts[0] {
        case "whole": return Set(g.ids)
        case "territory":
            guard parts.count == 2, let t = Territory(parts[1]) else { throw ValidationError("--view territory:NAME needs a territory") }
            return Set(g.ids.filter { byID[$0]?.territory.map(t.contains) ?? false })
        case "actors":
            guard parts.count == 2 else { throw ValidationError("--view actors:ID,ID,… needs ids") }
            let ids = Set(parts[1].split(separator: ",").map { String($0).trimmingSpaces() })
            if let missing = ids.first(where: { byID[$0] == nil }) { throw TramaError(.notFound, "there is no actor `\(missing)` in the graph") }
            return ids
        case "ego":
            guard parts.count == 2 else { throw ValidationError("--view ego:ID[:RADIUS] needs an actor id") }
            var rest = parts[1].split(separator: ":").map(String.init)
            var radius = 1
            if rest.count > 1, let r = Int(rest.last!), r >= 0 { radius = r; rest.removeLast() }
            let center = rest.joined(separator: ":")
            guard let start = g.ids.firstIndex(of: center) else { throw TramaError(.notFound, "there is no actor `\(center)` in the view's graph") }
            let u = g.undirected()
            var distance = [start: 0]
            var queue = [start]
            while !queue.isEmpty {
                let v = queue.removeFirst()
                guard distance[v]! < radius else { continue }
                for slot in u.out.range(v) where distance[Int(u.out.targets[slot])] == nil {
                    distance[Int(u.out.targets[slot])] = distance[v]! + 1
                    queue.append(Int(u.out.targets[slot]))
                }
            }
            return Set(distance.keys.map { g.ids[$0] })
        case "community":
            guard parts.count == 2, let n = Int(parts[1]), n >= 1 else { throw ValidationError("--view community:N needs a number from 1") }
            let partition = Communities.leiden(g, seed: 1)
            guard n <= (partition.max() ?? -1) + 1 else { throw TramaError(.notFound, "there are only \((partition.max() ?? -1) + 1) communities") }
            return Set(g.ids.indices.filter { partition[$0] == n - 1 }.map { g.ids[$0] })
        default:
            throw ValidationError("unknown view `\(view)`: use whole, territory:NAME, ego:ID[:RADIUS], actors:ID,ID,… or community:N")
        }
    }

    func metric(_ m: AnalyzeCommand.Metric, _ g: AnalysisGraph) throws -> [Double] {
        switch m {
        case .degree: return Centrality.degree(g)
        case .inDegree: return Centrality.inDegree(g)
        case .outDegree: return Centrality.outDegree(g)
        case .strength: return Centrality.strength(g)
        case .reach: return Centrality.reach(g)
        case .betweenness: return Paths.betweenness(g)
        case .closeness: return Paths.closeness(g)
        case .harmonic: return Paths.harmonic(g)
        case .eigenvector: return Centrality.eigenvector(g)
        case .pagerank: return Centrality.pageRank(g)
        case .core: return Structure.coreNumbers(g).map(Double.init)
        case .clustering: return Structure.clustering(g)
        case .constraint: return Structure.constraint(g)
        case .effectiveSize: return Structure.effectiveSize(g)
        case .efficiency: return Structure.efficiency(g)
        default: throw ValidationError("--size-by takes a per-actor metric")
        }
    }
}
