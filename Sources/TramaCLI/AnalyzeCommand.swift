import ArgumentParser
import Foundation
import TramaApp
import TramaModel

/// Which part of the graph an analysis looks at, and how.
struct FilterOptions: ParsableArguments {
    @Option(help: "Only relations of this type (repeat for several).") var type: [String] = []
    @Option(help: "Only relations with this status: active, planned, potential, ended (repeat).") var status: [String] = []
    @Option(help: "Only actors in this territory and the territories inside it (a path, or a unique last part such as Ivrea).")
    var territory: String?
    @Option(help: "Only actors of this kind (repeat).") var kind: [String] = []
    @Flag(help: "Treat every relation as undirected.") var undirected = false
    @Flag(help: "Weigh ties by their Strength (path measures read a tie's length as 1/strength).") var weighted = false

    var filter: ViewFilter {
        ViewFilter(types: type, statuses: status, territory: territory, kinds: kind, undirected: undirected, weighted: weighted)
    }
}

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse the network: centrality, structure, communities, brokerage.",
        discussion: """
            Per-actor values follow networkx's definitions and normalisation (betweenness normalised, \
            closeness as networkx computes it on disconnected graphs, PageRank α 0.85, eigenvector with \
            unit Euclidean norm, constraint and effective size as networkx.constraint/effective_size), \
            so anyone can check them. Measures defined for undirected graphs (core, clustering, \
            constraint, effective size, bridges) use the undirected view of a directed graph.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var language: LanguageOption
    @Argument(help: "The analysis: \(Metric.allCases.map(\.rawValue).joined(separator: ", ")).") var metric: Metric
    @OptionGroup var options: FilterOptions
    @Option(help: "Show only the first N actors or groups.") var top: Int?
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "PageRank damping factor.") var alpha: Double = 0.85
    @Option(help: "PageRank and eigenvector convergence tolerance (per actor).") var tolerance: Double = 1e-6
    @Option(help: "Sampled betweenness: the largest error allowed (with --delta), e.g. 0.05.") var epsilon: Double?
    @Option(help: "Sampled betweenness: the probability of exceeding --epsilon.") var delta: Double = 0.1
    @Option(help: "Community algorithm.") var algorithm: CommunityAlgorithm = .louvain
    @Option(help: "Community resolution (higher: smaller communities).") var resolution: Double = 1
    @Option(help: "Seed for community detection: same seed, same answer.") var seed: UInt64 = 1
    @Option(name: .customLong("group-by"), help: "Grouping for ei-index, assortativity and brokerage: territory or kind.") var groupBy:
        GroupBy = .territory
    @Option(help: "Territory level for --group-by territory (1 region, 2 province, 3 municipality).") var level: Int = 2

    var request: AnalysisRequest {
        get throws {
            AnalysisRequest(
                graph: store.graph, asOf: try read.moment(), on: try read.date(), metric: metric, filter: options.filter, top: top,
                alpha: alpha,
                tolerance: tolerance, epsilon: epsilon, delta: delta, algorithm: algorithm, resolution: resolution, seed: seed,
                groupBy: groupBy, level: level, public: read.public)
        }
    }

    func run() throws {
        let started = Date()
        let result = try store.app.analyze(try request)
        if json {
            try Console.json(result)
            return
        }
        if Date().timeIntervalSince(started) > 2 { Progress.note(String(format: "done in %.1f s", Date().timeIntervalSince(started))) }
        Console.print(Self.text(result))
    }

    /// The result as a person reads it.
    static func text(_ result: AnalysisResult) -> String {
        func number(_ value: Double?) -> String {
            guard let value else { return "-" }
            return value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.4f", value)
        }
        switch result {
        case .perActor(let r):
            if r.values.isEmpty {
                return say(
                    "no actors in view: the graph is empty or the filters (--territory, --kind, --type, --status) leave none",
                    "nessun attore in vista: il grafo è vuoto o i filtri (--territory, --kind, --type, --status) non ne lasciano")
            }
            var out = ""
            if let estimate = r.estimate {
                out = String(
                    format: say(
                        "estimated from %d sampled shortest paths: each value within ±%.4f with probability %.2f\n\n",
                        "stima da %d cammini minimi campionati: ogni valore entro ±%.4f con probabilità %.2f\n\n"),
                    estimate.samples, estimate.bound, 1 - estimate.delta)
            }
            var table = Table(["rank", "actor", "kind", "territory", r.metric])
            for (rank, v) in r.values.enumerated() { table.add(["\(rank + 1)", v.name, v.kind, v.territory ?? "", number(v.value)]) }
            return out + table.text
        case .summary(let r):
            let s = r.summary
            var lines = [
                say("actors                ", "attori                ") + "\(s.actors)",
                say("relations             ", "relazioni             ") + "\(s.relations) ("
                    + (s.directed ? say("directed", "orientate") : say("undirected", "non orientate")) + ")",
                say("density               ", "densità               ") + String(format: "%.4f", s.density),
                say("components            ", "componenti            ") + "\(s.components) ("
                    + say("largest: \(s.largestComponent) actors", "la maggiore: \(s.largestComponent) attori") + ")",
                say("diameter              ", "diametro              ")
                    + (s.diameter == s.diameter.rounded() ? String(Int(s.diameter)) : String(format: "%.3f", s.diameter)),
                say("average path length   ", "cammino medio         ") + String(format: "%.3f", s.averagePathLength)
                    + (s.pathLengthsSampled ? say(" (sampled)", " (campionato)") : ""),
                say("average clustering    ", "clustering medio      ") + String(format: "%.4f", s.averageClustering),
            ]
            if let reciprocity = s.reciprocity {
                lines.append(say("reciprocity           ", "reciprocità           ") + String(format: "%.4f", reciprocity))
            }
            return lines.joined(separator: "\n")
        case .components(let r):
            var table = Table(["#", "actors", "members"])
            for (i, group) in r.components.enumerated() {
                table.add(["\(i + 1)", "\(group.count)", group.map { r.names[$0] ?? $0 }.joined(separator: ", ")])
            }
            return table.text
        case .communities(let r):
            var table = Table(["#", "actors", "members"])
            for (i, group) in r.communities.enumerated() {
                table.add(["\(i + 1)", "\(group.count)", group.map { r.names[$0] ?? $0 }.joined(separator: ", ")])
            }
            return String(
                format: say("%@: %d communities, modularity %.4f\n\n", "%@: %d comunità, modularità %.4f\n\n"), r.algorithm, r.count,
                r.modularity)
                + table.text
        case .bridges(let r):
            if r.bridges.isEmpty { return say("no bridges: every tie lies on a cycle", "nessun ponte: ogni legame sta su un ciclo") }
            var table = Table(["actor", "actor"])
            for pair in r.bridges { table.add(pair.map { r.names[$0] ?? $0 }) }
            return table.text
        case .articulationPoints(let r):
            if r.actors.isEmpty { return say("no articulation points", "nessun punto di articolazione") }
            var table = Table(["actor", "kind", "territory"])
            for a in r.actors { table.add([a.name, a.kind, a.territory ?? ""]) }
            return table.text
        case .groupFigure(let r):
            return
                "\(r.metric) by \(r.groupBy) (\(r.groups) groups): \(r.value.map { String(format: "%.4f", $0) } ?? "undefined (no ties)")"
        case .projection(let r):
            if r.ties.isEmpty { return say("no two actors share a project", "nessuna coppia di attori condivide un progetto") }
            var table = Table(["actor", "actor", "shared projects"])
            for t in r.ties { table.add([r.names[t.a] ?? t.a, r.names[t.b] ?? t.b, "\(t.projects)"]) }
            return table.text
        case .brokerage(let r):
            let roles = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
            var table = Table(["rank", "actor", r.groupBy] + roles + ["z (total)"])
            for (rank, v) in r.values.enumerated() {
                let z = (v.z["total"] ?? nil).map { String(format: "%.2f", $0) } ?? "-"
                table.add(["\(rank + 1)", v.name, v.group] + roles.map { number((v.roles[$0] ?? nil) ?? 0) } + [z])
            }
            return
                "Gould–Fernandez brokerage by \(r.groupBy); z against a random graph of the same density and group sizes (as sna::brokerage)\n\n"
                + table.text
        }
    }
}

/// Messages about long work, on a terminal only.
enum Progress {
    static func note(_ text: String) {
        if isatty(FileHandle.standardError.fileDescriptor) != 0 { Console.note(text) }
    }
}
