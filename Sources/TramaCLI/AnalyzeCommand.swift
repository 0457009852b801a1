import ArgumentParser
import Foundation
import TramaAnalysis
import TramaModel
import TramaStore

/// Which part of the graph an analysis looks at, and how.
struct AnalysisOptions: ParsableArguments {
    @Option(help: "Only relations of this type (repeat for several).") var type: [String] = []
    @Option(help: "Only relations with this status: active, planned, potential, ended (repeat).") var status: [String] = []
    @Option(help: "Only actors in this territory and the territories inside it.") var territory: String?
    @Option(help: "Only actors of this kind (repeat).") var kind: [String] = []
    @Flag(help: "Treat every relation as undirected.") var undirected = false
    @Flag(help: "Weigh ties by their Strength (path measures read a tie's length as 1/strength).") var weighted = false

    func filter(_ vocabulary: Vocabulary) throws -> AnalysisFilter {
        let types = try type.map { text in
            try vocabulary.resolveRelationType(text).orThrow(TramaError(.unknownRelationType,
                "unknown relation type `\(text)`: use one of \(vocabulary.relationTypeNames.joined(separator: ", "))"))
        }
        let kinds = try kind.map { try vocabulary.resolveKind($0).orThrow(Validator(vocabulary: vocabulary).unknownKind($0, at: nil)) }
        let statuses = try status.map {
            try RelationStatus(text: $0).orThrow(TramaError(.invalidValue, "`--status` must be active, planned, potential or ended, not `\($0)`"))
        }
        var territoryFilter: Territory?
        if let territory {
            territoryFilter = try Territory(territory).orThrow(TramaError(.invalidValue, "`--territory` is empty"))
        }
        return AnalysisFilter(relationTypes: types, statuses: statuses, territory: territoryFilter, kinds: kinds,
                              undirected: undirected, weighted: weighted)
    }
}

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse the network: centrality, structure, communities, brokerage.",
        discussion: """
            Per-actor values follow networkx's definitions and normalisation (betweenness normalised,
            closeness as networkx computes it on disconnected graphs, PageRank α 0.85, eigenvector with
            unit Euclidean norm, constraint and effective size as networkx.constraint/effective_size),
            so anyone can check them. Measures defined for undirected graphs (core, clustering,
            constraint, effective size, bridges) use the undirected view of a directed graph.
            """)

    enum Metric: String, ExpressibleByArgument, CaseIterable {
        case degree, inDegree = "in-degree", outDegree = "out-degree", strength, reach, betweenness, closeness, harmonic, eigenvector
        case pagerank, core, clustering, constraint, effectiveSize = "effective-size", efficiency
        case summary, components, bridges, articulationPoints = "articulation-points", eiIndex = "ei-index", assortativity
        case communities, projection, brokerage
    }

    enum Algorithm: String, ExpressibleByArgument, CaseIterable { case louvain, leiden }
    enum GroupBy: String, ExpressibleByArgument, CaseIterable { case territory, kind }

    @OptionGroup var store: StoreOptions
    @Argument(help: "The analysis: \(Metric.allCases.map(\.rawValue).joined(separator: ", ")).") var metric: Metric
    @OptionGroup var options: AnalysisOptions
    @Option(help: "Show only the first N actors or groups.") var top: Int?
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "PageRank damping factor.") var alpha: Double = 0.85
    @Option(help: "PageRank and eigenvector convergence tolerance (per actor).") var tolerance: Double = 1e-6
    @Option(help: "Sampled betweenness: the largest error allowed (with --delta), e.g. 0.05.") var epsilon: Double?
    @Option(help: "Sampled betweenness: the probability of exceeding --epsilon.") var delta: Double = 0.1
    @Option(help: "Community algorithm.") var algorithm: Algorithm = .louvain
    @Option(help: "Community resolution (higher: smaller communities).") var resolution: Double = 1
    @Option(help: "Seed for community detection: same seed, same answer.") var seed: UInt64 = 1
    @Option(name: .customLong("group-by"), help: "Grouping for ei-index, assortativity and brokerage: territory or kind.") var groupBy: GroupBy = .territory
    @Option(help: "Territory level for --group-by territory (1 region, 2 province, 3 municipality).") var level: Int = 2

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be 1 or more") }
        if !(0..<1).contains(alpha) { throw ValidationError("--alpha must be at least 0 and below 1") }
        if tolerance <= 0 { throw ValidationError("--tolerance must be above 0") }
        if resolution <= 0 { throw ValidationError("--resolution must be above 0") }
        if level < 1 { throw ValidationError("--level must be 1 or more") }
        if let epsilon, !(epsilon > 0 && epsilon < 1) { throw ValidationError("--epsilon must be between 0 and 1") }
        if !(delta > 0 && delta < 1) { throw ValidationError("--delta must be between 0 and 1") }
        if epsilon != nil && metric != .betweenness { throw ValidationError("--epsilon applies to betweenness only") }
    }

    func run() throws {
        let opened = try store.open(create: false)
        let table = try opened.relationTable(store.graphName)
        var filter = try options.filter(table.vocabulary)
        // Strength is the sum of the Strength column, weighted by definition.
        if metric == .strength { filter.weighted = true }
        let graph = AnalysisGraph(table, filter: filter)
        let actors = Dictionary(uniqueKeysWithValues: table.actorIDs.indices.map { i in
            (table.actorIDs[i], Actor(id: table.actorIDs[i], name: table.actorNames[i], kind: table.actorKinds[i], territory: table.actorTerritories[i]))
        })
        let report = Report(graph: graph, actors: actors, top: top, json: json)
        if graph.nodeCount == 0 && !json {
            Console.note("no actors in view: the graph `\(store.graphName)` is empty or the filters (--territory, --kind, --type, --status) leave none")
        }
        let started = Date()
        if graph.nodeCount > 5_000 { Progress.note("\(metric.rawValue) of \(graph.nodeCount) actors and \(graph.edgeCount) ties…") }
        defer { if graph.nodeCount > 5_000 { Progress.note(String(format: "done in %.2f s", Date().timeIntervalSince(started))) } }

        switch metric {
        case .degree: try report.perActor("degree", Centrality.degree(graph))
        case .inDegree: try report.perActor("in-degree", Centrality.inDegree(graph))
        case .outDegree: try report.perActor("out-degree", Centrality.outDegree(graph))
        case .strength: try report.perActor("strength", Centrality.strength(graph))
        case .reach: try report.perActor("reach", Centrality.reach(graph))
        case .betweenness:
            if let epsilon {
                let sampled = Paths.sampledBetweenness(graph, epsilon: epsilon, delta: delta, seed: seed)
                try report.perActor("betweenness", sampled.values, estimate: Report.Estimate(
                    samples: sampled.samples, epsilon: epsilon, delta: delta, bound: sampled.bound))
            } else {
                try report.perActor("betweenness", Paths.betweenness(graph))
            }
        case .closeness: try report.perActor("closeness", Paths.closeness(graph))
        case .harmonic: try report.perActor("harmonic", Paths.harmonic(graph))
        case .eigenvector: try report.perActor("eigenvector", Centrality.eigenvector(graph, tolerance: tolerance))
        case .pagerank: try report.perActor("pagerank", Centrality.pageRank(graph, alpha: alpha, tolerance: tolerance))
        case .core: try report.perActor("core", Structure.coreNumbers(graph).map(Double.init))
        case .clustering: try report.perActor("clustering", Structure.clustering(graph))
        case .constraint: try report.perActor("constraint", Structure.constraint(graph))
        case .effectiveSize: try report.perActor("effective-size", Structure.effectiveSize(graph))
        case .efficiency: try report.perActor("efficiency", Structure.efficiency(graph))
        case .summary: try report.summary(Summary(graph))
        case .components: try report.components(Structure.components(graph).groups)
        case .bridges: try report.bridges(Structure.cutPoints(graph).bridges)
        case .articulationPoints: try report.articulationPoints(Structure.cutPoints(graph).articulationPoints)
        case .eiIndex, .assortativity:
            let (labels, group) = grouping(graph, actors)
            let value = metric == .eiIndex ? Groups.eiIndex(graph, group) : Groups.assortativity(graph, group)
            try report.groupFigure(metric.rawValue, groupBy: groupBy.rawValue, value: value, groups: labels.count)
        case .communities:
            let partition = algorithm == .leiden ? Communities.leiden(graph, resolution: resolution, seed: seed)
                : Communities.louvain(graph, resolution: resolution, seed: seed)
            try report.communities(algorithm.rawValue, partition, modularity: Communities.modularity(graph, partition, resolution: resolution))
        case .projection:
            let side = graph.ids.map { actors[$0]?.kind != "project" }
            try report.projection(Groups.projection(graph, side: side))
        case .brokerage:
            let (labels, group) = grouping(graph, actors)
            try report.brokerage(Brokerage(graph, group: group), groupBy: groupBy.rawValue, labels: labels, group: group)
        }
    }

    /// Each actor's group index for --group-by, and the groups' names.
    func grouping(_ graph: AnalysisGraph, _ actors: [String: Actor]) -> ([String], [Int]) {
        var names: [String] = []
        var index: [String: Int] = [:]
        let group = graph.ids.map { id -> Int in
            let actor = actors[id]
            let label = groupBy == .kind ? (actor?.kind ?? "?") : (actor?.territory?.rolledUp(to: level).path ?? "(no territory)")
            if let known = index[label] { return known }
            index[label] = names.count
            names.append(label)
            return names.count - 1
        }
        return (names, group)
    }
}

/// Messages about long work, on a terminal only.
enum Progress {
    static func note(_ text: String) {
        if isatty(FileHandle.standardError.fileDescriptor) != 0 { Console.note(text) }
    }
}

/// Prints analysis results as the JSON shapes the HTTP API will serve, or as tables.
struct Report {
    let graph: AnalysisGraph
    let actors: [String: Actor]
    let top: Int?
    let json: Bool

    struct Value: Encodable {
        var id: String
        var name: String
        /// nil where the measure is undefined (an isolated actor's constraint).
        var value: Double?
    }

    /// How far a sampled value may be from the exact one.
    struct Estimate: Encodable {
        var samples: Int
        var epsilon: Double
        var delta: Double
        /// Every value is within this of the exact one with probability ≥ 1 − delta.
        var bound: Double
    }

    struct PerActor: Encodable {
        var metric: String
        var values: [Value]
        var estimate: Estimate?
    }

    func name(_ index: Int) -> String { actors[graph.ids[index]]?.name ?? graph.ids[index] }

    func perActor(_ metric: String, _ values: [Double], estimate: Estimate? = nil) throws {
        let order = values.indices.sorted { a, b in
            let (x, y) = (values[a], values[b])
            if x.isNaN != y.isNaN { return y.isNaN }
            if x != y { return x > y }
            return graph.ids[a] < graph.ids[b]
        }
        let shown = order.prefix(top ?? order.count)
        if json {
            try Console.json(PerActor(metric: metric, values: shown.map {
                Value(id: graph.ids[$0], name: name($0), value: values[$0].isNaN ? nil : values[$0])
            }, estimate: estimate))
            return
        }
        if let estimate {
            Console.print(String(format: "estimated from %d sampled shortest paths: each value within ±%.4f with probability %.2f\n",
                                 estimate.samples, estimate.bound, 1 - estimate.delta))
        }
        var table = Table(["rank", "actor", "kind", "territory", metric])
        for (rank, i) in shown.enumerated() {
            let actor = actors[graph.ids[i]]
            let value = values[i].isNaN ? "-" : (values[i] == values[i].rounded() && abs(values[i]) < 1e9 ? String(Int(values[i])) : String(format: "%.4f", values[i]))
            table.add(["\(rank + 1)", name(i), actor?.kind ?? "", actor?.territory?.path ?? "", value])
        }
        Console.print(table.text)
    }

    func summary(_ summary: Summary) throws {
        struct Shown: Encodable {
            var metric = "summary"
            var summary: Summary
            func encode(to encoder: Encoder) throws {
                try summary.encode(to: encoder)
                var c = encoder.container(keyedBy: Key.self)
                try c.encode(metric, forKey: .metric)
            }
            enum Key: String, CodingKey { case metric }
        }
        if json { try Console.json(Shown(summary: summary)); return }
        var lines = [
            "actors                \(summary.actors)",
            "relations             \(summary.relations) (\(summary.directed ? "directed" : "undirected"))",
            String(format: "density               %.4f", summary.density),
            "components            \(summary.components) (largest: \(summary.largestComponent) actors)",
            String(format: "diameter              %@", summary.diameter == summary.diameter.rounded() ? String(Int(summary.diameter)) : String(format: "%.3f", summary.diameter)),
            String(format: "average path length   %.3f%@", summary.averagePathLength, summary.pathLengthsSampled ? " (sampled)" : ""),
            String(format: "average clustering    %.4f", summary.averageClustering),
        ]
        if let r = summary.reciprocity { lines.append(String(format: "reciprocity           %.4f", r)) }
        Console.print(lines.joined(separator: "\n"))
    }

    func components(_ groups: [[Int]]) throws {
        let shown = groups.prefix(top ?? groups.count)
        if json {
            try Console.json(["metric": AnyEncodable("components"), "components": AnyEncodable(shown.map { $0.map { graph.ids[$0] } })])
            return
        }
        var table = Table(["#", "actors", "members"])
        table.maxWidth = 90
        for (i, group) in shown.enumerated() { table.add(["\(i + 1)", "\(group.count)", group.map(name).joined(separator: ", ")]) }
        Console.print(table.text)
    }

    func bridges(_ bridges: [(Int, Int)]) throws {
        if json {
            try Console.json(["metric": AnyEncodable("bridges"), "bridges": AnyEncodable(bridges.map { [graph.ids[$0.0], graph.ids[$0.1]] })])
            return
        }
        var table = Table(["actor", "actor"])
        for (a, b) in bridges.prefix(top ?? bridges.count) { table.add([name(a), name(b)]) }
        Console.print(bridges.isEmpty ? "no bridges: every tie lies on a cycle" : table.text)
    }

    func articulationPoints(_ points: [Int]) throws {
        if json {
            try Console.json(["metric": AnyEncodable("articulation-points"), "ids": AnyEncodable(points.map { graph.ids[$0] })])
            return
        }
        var table = Table(["actor", "kind", "territory"])
        for v in points.prefix(top ?? points.count) {
            table.add([name(v), actors[graph.ids[v]]?.kind ?? "", actors[graph.ids[v]]?.territory?.path ?? ""])
        }
        Console.print(points.isEmpty ? "no articulation points" : table.text)
    }

    func groupFigure(_ metric: String, groupBy: String, value: Double?, groups: Int) throws {
        if json {
            try Console.json(["metric": AnyEncodable(metric), "group_by": AnyEncodable(groupBy), "value": AnyEncodable(value), "groups": AnyEncodable(groups)])
            return
        }
        Console.print("\(metric) by \(groupBy) (\(groups) groups): \(value.map { String(format: "%.4f", $0) } ?? "undefined (no ties)")")
    }

    func communities(_ algorithm: String, _ partition: [Int], modularity: Double) throws {
        var groups = [[Int]](repeating: [], count: (partition.max() ?? -1) + 1)
        for (v, c) in partition.enumerated() { groups[c].append(v) }
        let shown = groups.prefix(top ?? groups.count)
        if json {
            try Console.json(["metric": AnyEncodable("communities"), "algorithm": AnyEncodable(algorithm), "modularity": AnyEncodable(modularity),
                              "communities": AnyEncodable(shown.map { $0.map { graph.ids[$0] } })])
            return
        }
        var table = Table(["#", "actors", "members"])
        table.maxWidth = 90
        for (i, group) in shown.enumerated() { table.add(["\(i + 1)", "\(group.count)", group.map(name).joined(separator: ", ")]) }
        Console.print(String(format: "%@: %d communities, modularity %.4f\n\n", algorithm, groups.count, modularity) + table.text)
    }

    func projection(_ ties: [(Int, Int, Int)]) throws {
        let sorted = ties.sorted { ($0.2, graph.ids[$1.0]) > ($1.2, graph.ids[$0.0]) }
        let shown = sorted.prefix(top ?? sorted.count)
        if json {
            struct Tie: Encodable { var a: String; var b: String; var projects: Int }
            try Console.json(["metric": AnyEncodable("projection"), "ties": AnyEncodable(shown.map { Tie(a: graph.ids[$0.0], b: graph.ids[$0.1], projects: $0.2) })])
            return
        }
        var table = Table(["actor", "actor", "shared projects"])
        for (a, b, w) in shown { table.add([name(a), name(b), "\(w)"]) }
        Console.print(ties.isEmpty ? "no two actors share a project" : table.text)
    }
}

extension Report {
    func brokerage(_ b: Brokerage, groupBy: String, labels: [String], group: [Int]) throws {
        let roles = Brokerage.Role.allCases
        func named(_ row: [Double]) -> [String: Double?] {
            Dictionary(uniqueKeysWithValues: roles.map { ($0.name, row[$0.rawValue].isFinite ? row[$0.rawValue] : nil) })
        }
        let order = graph.ids.indices.sorted { (b.raw[$0][5], graph.ids[$1]) > (b.raw[$1][5], graph.ids[$0]) }
        let shown = order.prefix(top ?? order.count)
        if json {
            struct Entry: Encodable {
                var id: String, name: String, group: String
                var roles: [String: Double?], expected: [String: Double?], z: [String: Double?]
            }
            struct Network: Encodable { var roles: [String: Double?], expected: [String: Double?], z: [String: Double?] }
            try Console.json(["metric": AnyEncodable("brokerage"), "group_by": AnyEncodable(groupBy),
                              "values": AnyEncodable(shown.map { Entry(id: graph.ids[$0], name: name($0), group: labels[group[$0]],
                                                                       roles: named(b.raw[$0]), expected: named(b.expected[$0]), z: named(b.z[$0])) }),
                              "network": AnyEncodable(Network(roles: named(b.globalRaw), expected: named(b.globalExpected), z: named(b.globalZ)))])
            return
        }
        var table = Table(["rank", "actor", groupBy] + roles.map(\.name) + ["z (total)"])
        table.maxWidth = 40
        for (rank, v) in shown.enumerated() {
            table.add(["\(rank + 1)", name(v), labels[group[v]]] + roles.map { String(Int(b.raw[v][$0.rawValue])) }
                      + [b.z[v][5].isFinite ? String(format: "%.2f", b.z[v][5]) : "-"])
        }
        Console.print("Gould–Fernandez brokerage by \(groupBy); z against a random graph of the same density and group sizes (as sna::brokerage)\n\n" + table.text)
    }
}

/// Wraps any Encodable for heterogeneous JSON objects.
struct AnyEncodable: Encodable {
    let encodeValue: (Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: Encoder) throws { try encodeValue(encoder) }
}
