import Foundation
import TramaAnalysis
import TramaModel

/// The analyses `trama analyze` and `/analyses/{metric}` run.
public enum Metric: String, Codable, Sendable, CaseIterable {
    case degree
    case inDegree = "in-degree"
    case outDegree = "out-degree"
    case strength, reach, betweenness, closeness, harmonic, eigenvector
    case pagerank, core, clustering, constraint
    case effectiveSize = "effective-size"
    case efficiency
    case summary, components, bridges
    case articulationPoints = "articulation-points"
    case eiIndex = "ei-index"
    case assortativity
    case communities, projection, brokerage

    /// True for the analyses that give each actor a number (a map can size actors by them).
    public var isPerActor: Bool {
        switch self {
        case .degree, .inDegree, .outDegree, .strength, .reach, .betweenness, .closeness, .harmonic, .eigenvector, .pagerank, .core,
            .clustering, .constraint, .effectiveSize, .efficiency:
            return true
        default: return false
        }
    }

    public static var perActor: [Metric] { allCases.filter(\.isPerActor) }

    /// True for the analyses defined on the undirected view alone: on an unweighted
    /// graph they give the same answer whether it is built directed or undirected,
    /// and building it undirected skips two adjacency builds.
    public var readsUndirectedView: Bool {
        switch self {
        case .core, .clustering, .constraint, .effectiveSize, .efficiency, .components, .bridges, .articulationPoints, .communities:
            return true
        default: return false
        }
    }
}

public enum CommunityAlgorithm: String, Codable, Sendable, CaseIterable { case louvain, leiden }
public enum GroupBy: String, Codable, Sendable, CaseIterable { case territory, kind }

/// One analysis of one graph version.
public struct AnalysisRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var metric: Metric
    public var filter: ViewFilter
    /// Only the first N actors or groups.
    public var top: Int?
    /// PageRank damping factor (default 0.85).
    public var alpha: Double?
    /// PageRank and eigenvector convergence tolerance per actor (default 1e-6).
    public var tolerance: Double?
    /// Sampled betweenness: the largest error allowed (with `delta`).
    public var epsilon: Double?
    /// Sampled betweenness: the probability of exceeding `epsilon` (default 0.1).
    public var delta: Double?
    public var algorithm: CommunityAlgorithm?
    /// Community resolution (default 1; higher: smaller communities).
    public var resolution: Double?
    /// Seed for community detection and sampling (default 1): same seed, same answer.
    public var seed: UInt64?
    /// Grouping for ei-index, assortativity and brokerage (default territory).
    public var groupBy: GroupBy?
    /// Territory level for grouping by territory (1 region, 2 province, 3 municipality; default 2).
    public var level: Int?
    /// Only what a public reader may see.
    public var `public`: Bool?

    public init(
        graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, metric: Metric, filter: ViewFilter = ViewFilter(), top: Int? = nil,
        alpha: Double? = nil, tolerance: Double? = nil, epsilon: Double? = nil, delta: Double? = nil,
        algorithm: CommunityAlgorithm? = nil, resolution: Double? = nil, seed: UInt64? = nil, groupBy: GroupBy? = nil,
        level: Int? = nil, public: Bool? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.metric = metric
        self.filter = filter
        self.top = top
        self.alpha = alpha
        self.tolerance = tolerance
        self.epsilon = epsilon
        self.delta = delta
        self.algorithm = algorithm
        self.resolution = resolution
        self.seed = seed
        self.groupBy = groupBy
        self.level = level
        self.public = `public`
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case metric, filter, top, alpha, tolerance, epsilon, delta, algorithm, resolution, seed
        case groupBy = "group_by"
        case level, `public`
    }

    /// The most shortest paths a sampled betweenness may draw (about a minute of work).
    public static let maxSamples = 20_000_000.0

    public func validate() throws {
        try Check.positive(top, "top")
        try Check.finite(alpha, "alpha", above: 0, below: 1, inclusiveLower: true)
        try Check.finite(tolerance, "tolerance", above: 0)
        try Check.finite(resolution, "resolution", above: 0)
        try Check.positive(level, "level")
        try Check.finite(epsilon, "epsilon", above: 0, below: 1)
        try Check.finite(delta, "delta", above: 0, below: 1)
        if epsilon != nil && metric != .betweenness { throw TramaError.invalidField("epsilon", "applies to betweenness only") }
    }
}

/// One actor's value in a per-actor analysis.
public struct ActorValue: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: String
    public var territory: String?
    /// nil where the measure is undefined (an isolated actor's constraint).
    public var value: Double?
}

/// How far a sampled value may be from the exact one.
public struct Estimate: Codable, Sendable, Hashable {
    public var samples: Int
    public var epsilon: Double
    public var delta: Double
    /// Every value is within this of the exact one with probability ≥ 1 − delta.
    public var bound: Double
}

public struct PerActorResult: Codable, Sendable, Hashable {
    public var metric: String
    public var values: [ActorValue]
    public var estimate: Estimate?
}

public struct SummaryResult: Codable, Sendable {
    public var metric = "summary"
    public var summary: Summary

    public func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(metric, forKey: .metric)
    }

    public init(summary: Summary) { self.summary = summary }

    public init(from decoder: Decoder) throws { summary = try Summary(from: decoder) }

    enum Key: String, CodingKey { case metric }
}

/// Groups of actor ids (components), with the names of the actors they list.
public struct ComponentsResult: Codable, Sendable, Hashable {
    public var metric = "components"
    public var components: [[String]]
    public var names: [String: String]
}

public struct CommunitiesResult: Codable, Sendable, Hashable {
    public var metric = "communities"
    public var algorithm: String
    public var modularity: Double
    /// How many communities there are in all (`communities` holds the first `top`).
    public var count: Int
    public var communities: [[String]]
    public var names: [String: String]
}

public struct BridgesResult: Codable, Sendable, Hashable {
    public var metric = "bridges"
    public var bridges: [[String]]
    public var names: [String: String]
}

public struct ArticulationPointsResult: Codable, Sendable, Hashable {
    public var metric = "articulation-points"
    public var ids: [String]
    public var actors: [ActorValue]
}

public struct GroupFigureResult: Codable, Sendable, Hashable {
    public var metric: String
    public var groupBy: String
    public var value: Double?
    public var groups: Int

    enum CodingKeys: String, CodingKey {
        case metric
        case groupBy = "group_by"
        case value, groups
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(metric, forKey: .metric)
        try c.encode(groupBy, forKey: .groupBy)
        try c.encode(value, forKey: .value)
        try c.encode(groups, forKey: .groups)
    }
}

public struct ProjectionTie: Codable, Sendable, Hashable {
    public var a: String
    public var b: String
    public var projects: Int
}

public struct ProjectionResult: Codable, Sendable, Hashable {
    public var metric = "projection"
    public var ties: [ProjectionTie]
    public var names: [String: String]
}

public struct BrokerageEntry: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var group: String
    /// The role it plays most often (nil when it brokers nothing); ties go to the role listed first.
    public var role: String?
    public var roles: [String: Double?]
    public var expected: [String: Double?]
    public var z: [String: Double?]
}

public struct BrokerageNetwork: Codable, Sendable, Hashable {
    public var roles: [String: Double?]
    public var expected: [String: Double?]
    public var z: [String: Double?]
}

public struct BrokerageResult: Codable, Sendable, Hashable {
    public var metric = "brokerage"
    public var groupBy: String
    public var values: [BrokerageEntry]
    public var network: BrokerageNetwork

    enum CodingKeys: String, CodingKey {
        case metric
        case groupBy = "group_by"
        case values, network
    }
}

/// What an analysis answers: one of the shapes below, each the JSON the API serves.
public enum AnalysisResult: Sendable {
    case perActor(PerActorResult)
    case summary(SummaryResult)
    case components(ComponentsResult)
    case communities(CommunitiesResult)
    case bridges(BridgesResult)
    case articulationPoints(ArticulationPointsResult)
    case groupFigure(GroupFigureResult)
    case projection(ProjectionResult)
    case brokerage(BrokerageResult)
}

extension AnalysisResult: Codable {
    public func encode(to encoder: Encoder) throws {
        switch self {
        case .perActor(let r): try r.encode(to: encoder)
        case .summary(let r): try r.encode(to: encoder)
        case .components(let r): try r.encode(to: encoder)
        case .communities(let r): try r.encode(to: encoder)
        case .bridges(let r): try r.encode(to: encoder)
        case .articulationPoints(let r): try r.encode(to: encoder)
        case .groupFigure(let r): try r.encode(to: encoder)
        case .projection(let r): try r.encode(to: encoder)
        case .brokerage(let r): try r.encode(to: encoder)
        }
    }

    enum Key: String, CodingKey { case metric }

    public init(from decoder: Decoder) throws {
        let metric = try decoder.container(keyedBy: Key.self).decode(String.self, forKey: .metric)
        switch Metric(rawValue: metric) {
        case .summary: self = .summary(try SummaryResult(from: decoder))
        case .components: self = .components(try ComponentsResult(from: decoder))
        case .communities: self = .communities(try CommunitiesResult(from: decoder))
        case .bridges: self = .bridges(try BridgesResult(from: decoder))
        case .articulationPoints: self = .articulationPoints(try ArticulationPointsResult(from: decoder))
        case .eiIndex, .assortativity: self = .groupFigure(try GroupFigureResult(from: decoder))
        case .projection: self = .projection(try ProjectionResult(from: decoder))
        case .brokerage: self = .brokerage(try BrokerageResult(from: decoder))
        default: self = .perActor(try PerActorResult(from: decoder))
        }
    }
}

/// The actors of an analysis graph, in the graph's order: what results name.
public struct ActorColumns: Sendable {
    public var names: [String]
    public var kinds: [String]
    public var territories: [Territory?]

    public init(names: [String], kinds: [String], territories: [Territory?]) {
        self.names = names
        self.kinds = kinds
        self.territories = territories
    }

    /// Columns for a graph whose actors are only ids (a benchmark's edge list).
    public init(ids: [String]) {
        names = ids
        kinds = [String](repeating: "", count: ids.count)
        territories = [Territory?](repeating: nil, count: ids.count)
    }

    /// The columns of `graph`'s actors, taken from `table` (whose order the graph keeps).
    /// - Complexity: O(table actors).
    init(_ graph: AnalysisGraph, table: RelationTable) {
        names = []
        kinds = []
        territories = []
        names.reserveCapacity(graph.nodeCount)
        var t = 0
        for id in graph.ids {
            while t < table.actorIDs.count, table.actorIDs[t] != id { t += 1 }
            guard t < table.actorIDs.count else { break }
            names.append(table.actorNames[t])
            kinds.append(table.actorKinds[t])
            territories.append(table.actorTerritories[t])
        }
    }
}

/// The one dispatch from an analysis request to the analyses: the command line,
/// the HTTP service, the map's sizes and the benchmark all call it.
public enum Analyses {
    /// The graph an analysis of `request` runs on (strength is weighted by definition).
    public static func filter(for metric: Metric, _ filter: AnalysisFilter) -> AnalysisFilter {
        var filter = filter
        if metric == .strength { filter.weighted = true }
        if metric.readsUndirectedView && !filter.weighted { filter.undirected = true }
        return filter
    }

    /// Each actor's value for a per-actor metric, in the graph's order.
    public static func values(_ metric: Metric, _ g: AnalysisGraph, _ request: AnalysisRequest) -> (values: [Double], estimate: Estimate?) {
        switch metric {
        case .degree: return (Centrality.degree(g), nil)
        case .inDegree: return (Centrality.inDegree(g), nil)
        case .outDegree: return (Centrality.outDegree(g), nil)
        case .strength: return (Centrality.strength(g), nil)
        case .reach: return (Centrality.reach(g), nil)
        case .betweenness:
            if let epsilon = request.epsilon {
                let delta = request.delta ?? 0.1
                let sampled = Paths.sampledBetweenness(g, epsilon: epsilon, delta: delta, seed: request.seed ?? 1)
                return (sampled.values, Estimate(samples: sampled.samples, epsilon: epsilon, delta: delta, bound: sampled.bound))
            }
            return (Paths.betweenness(g), nil)
        case .closeness: return (Paths.closeness(g), nil)
        case .harmonic: return (Paths.harmonic(g), nil)
        case .eigenvector: return (Centrality.eigenvector(g, tolerance: request.tolerance ?? 1e-6), nil)
        case .pagerank: return (Centrality.pageRank(g, alpha: request.alpha ?? 0.85, tolerance: request.tolerance ?? 1e-6), nil)
        case .core: return (Structure.coreNumbers(g).map(Double.init), nil)
        case .clustering: return (Structure.clustering(g), nil)
        case .constraint: return (Structure.constraint(g), nil)
        case .effectiveSize: return (Structure.effectiveSize(g), nil)
        case .efficiency: return (Structure.efficiency(g), nil)
        default: return ([Double](repeating: .nan, count: g.nodeCount), nil)
        }
    }

    /// What a structural analysis finds, as indices into the graph: the part of
    /// the dispatch a benchmark times, before the answer is given names.
    public enum Structural: Sendable {
        case groups([[Int]])
        case pairs([(Int, Int)])
        case points([Int])
        case partition([Int], modularity: Double)
    }

    /// Components, bridges, articulation points and communities, unnamed.
    public static func structure(_ metric: Metric, _ g: AnalysisGraph, _ request: AnalysisRequest) -> Structural? {
        switch metric {
        case .components: return .groups(Structure.components(g).groups)
        case .bridges: return .pairs(Structure.cutPoints(g).bridges)
        case .articulationPoints: return .points(Structure.cutPoints(g).articulationPoints)
        case .communities:
            let resolution = request.resolution ?? 1
            let partition =
                (request.algorithm ?? .louvain) == .leiden
                ? Communities.leiden(g, resolution: resolution, seed: request.seed ?? 1)
                : Communities.louvain(g, resolution: resolution, seed: request.seed ?? 1)
            return .partition(partition, modularity: Communities.modularity(g, partition, resolution: resolution))
        default: return nil
        }
    }

    /// Refuses a sampled betweenness that would take more than ``AnalysisRequest/maxSamples`` paths.
    public static func checkSampling(_ request: AnalysisRequest, _ g: AnalysisGraph) throws {
        guard request.metric == .betweenness, let epsilon = request.epsilon else { return }
        let samples = Paths.sampleSize(g, epsilon: epsilon, delta: request.delta ?? 0.1)
        if samples > AnalysisRequest.maxSamples {
            throw TramaError.invalidField(
                "epsilon",
                String(
                    format:
                        "of %g asks for %.3g sampled shortest paths on this graph, more than the %.0f Trama draws: use an epsilon of %.2g or more, or the exact betweenness",
                    epsilon, samples, AnalysisRequest.maxSamples,
                    epsilon * (samples / AnalysisRequest.maxSamples).squareRoot()))
        }
    }

    /// Runs `request` on `g`, whose actors are described by `actors`.
    public static func compute(_ request: AnalysisRequest, _ g: AnalysisGraph, actors: ActorColumns) throws -> AnalysisResult {
        try request.validate()
        try checkSampling(request, g)
        let top = request.top
        func name(_ v: Int) -> String { v < actors.names.count ? actors.names[v] : g.ids[v] }
        func names(_ indices: some Sequence<Int>) -> [String: String] {
            var out: [String: String] = [:]
            for v in indices { out[g.ids[v]] = name(v) }
            return out
        }
        func actor(_ v: Int, _ value: Double?) -> ActorValue {
            ActorValue(
                id: g.ids[v], name: name(v), kind: v < actors.kinds.count ? actors.kinds[v] : "",
                territory: v < actors.territories.count ? actors.territories[v]?.path : nil, value: value)
        }
        let metric = request.metric
        if metric.isPerActor {
            let (values, estimate) = Self.values(metric, g, request)
            let order = ranked(values, g, top: top)
            return .perActor(
                PerActorResult(
                    metric: metric.rawValue,
                    values: order.prefix(top ?? order.count).map {
                        actor($0, values[$0].isNaN ? nil : values[$0])
                    }, estimate: estimate))
        }
        switch metric {
        case .summary:
            return .summary(SummaryResult(summary: Summary(g)))
        case .components:
            guard case .groups(let all) = structure(metric, g, request) else { break }
            let groups = Array(all.prefix(top ?? .max))
            return .components(ComponentsResult(components: groups.map { $0.map { g.ids[$0] } }, names: names(groups.joined())))
        case .bridges:
            guard case .pairs(let all) = structure(metric, g, request) else { break }
            let bridges = Array(all.prefix(top ?? .max))
            return .bridges(
                BridgesResult(bridges: bridges.map { [g.ids[$0.0], g.ids[$0.1]] }, names: names(bridges.flatMap { [$0.0, $0.1] })))
        case .articulationPoints:
            guard case .points(let all) = structure(metric, g, request) else { break }
            let points = Array(all.prefix(top ?? .max))
            return .articulationPoints(ArticulationPointsResult(ids: points.map { g.ids[$0] }, actors: points.map { actor($0, nil) }))
        case .eiIndex, .assortativity:
            let (labels, group) = grouping(request, g, actors)
            let value = metric == .eiIndex ? Groups.eiIndex(g, group) : Groups.assortativity(g, group)
            return .groupFigure(
                GroupFigureResult(
                    metric: metric.rawValue, groupBy: (request.groupBy ?? .territory).rawValue, value: value,
                    groups: labels.count))
        case .communities:
            guard case .partition(let partition, let modularity) = structure(metric, g, request) else { break }
            var groups = [[Int]](repeating: [], count: (partition.max() ?? -1) + 1)
            for (v, c) in partition.enumerated() { groups[c].append(v) }
            let shown = Array(groups.prefix(top ?? .max))
            return .communities(
                CommunitiesResult(
                    algorithm: (request.algorithm ?? .louvain).rawValue, modularity: modularity,
                    count: groups.count, communities: shown.map { $0.map { g.ids[$0] } },
                    names: names(shown.joined())))
        case .projection:
            let side = g.ids.indices.map { v in (v < actors.kinds.count ? actors.kinds[v] : "") != "project" }
            let ties = Groups.projection(g, side: side).sorted { ($0.2, g.ids[$1.0]) > ($1.2, g.ids[$0.0]) }
            let shown = Array(ties.prefix(top ?? .max))
            return .projection(
                ProjectionResult(
                    ties: shown.map { ProjectionTie(a: g.ids[$0.0], b: g.ids[$0.1], projects: $0.2) },
                    names: names(shown.flatMap { [$0.0, $0.1] })))
        case .brokerage:
            let (labels, group) = grouping(request, g, actors)
            let b = Brokerage(g, group: group)
            let roles = Brokerage.Role.allCases
            func named(_ row: [Double]) -> [String: Double?] {
                Dictionary(uniqueKeysWithValues: roles.map { ($0.name, row[$0.rawValue].isFinite ? row[$0.rawValue] : nil) })
            }
            let order = g.ids.indices.sorted { (b.raw[$0][5], g.ids[$1]) > (b.raw[$1][5], g.ids[$0]) }
            return .brokerage(
                BrokerageResult(
                    groupBy: (request.groupBy ?? .territory).rawValue,
                    values: order.prefix(top ?? .max).map {
                        BrokerageEntry(
                            id: g.ids[$0], name: name($0), group: labels[group[$0]],
                            role: Self.mainRole(b.raw[$0]), roles: named(b.raw[$0]),
                            expected: named(b.expected[$0]),
                            z: named(b.z[$0]))
                    }, network: BrokerageNetwork(roles: named(b.globalRaw), expected: named(b.globalExpected), z: named(b.globalZ))))
        default: break
        }
        throw TramaError.invalidField("metric", "`\(metric.rawValue)` is not an analysis")
    }

    /// The brokerage role with the largest count above zero (the first listed among equals).
    static func mainRole(_ row: [Double]) -> String? {
        var best: Brokerage.Role?
        for role in Brokerage.Role.allCases where role != .total && row[role.rawValue] > 0 {
            if best == nil || row[role.rawValue] > row[best!.rawValue] { best = role }
        }
        return best?.name
    }

    /// Actors by value, highest first, undefined values last, ties by id; the first
    /// `top` only when given. Graphs read from a store keep actors in id order, so
    /// ties compare indices, not strings.
    /// - Complexity: O(n log n) number comparisons; O(n · top) for a short top (≤ 64).
    static func ranked(_ values: [Double], _ g: AnalysisGraph, top: Int? = nil) -> [Int] {
        var idOrder = Array(0..<g.nodeCount)
        let sorted = zip(g.ids, g.ids.dropFirst()).allSatisfy { $0 < $1 }
        if !sorted {
            idOrder.sort { g.ids[$0] < g.ids[$1] }
            var rank = [Int](repeating: 0, count: g.nodeCount)
            for (r, v) in idOrder.enumerated() { rank[v] = r }
            idOrder = rank
        }
        return values.withUnsafeBufferPointer { values in
            idOrder.withUnsafeBufferPointer { rank in
                func before(_ a: Int, _ b: Int) -> Bool {
                    let (x, y) = (values[a], values[b])
                    if x.isNaN != y.isNaN { return y.isNaN }
                    if x != y { return x > y }
                    return rank[a] < rank[b]
                }
                guard let top, top <= 64, top < values.count else {
                    return (0..<values.count).sorted(by: before).prefix(top ?? .max).map { $0 }
                }
                // The best `top` so far, in order: most actors are turned away by one comparison.
                var best: [Int] = []
                best.reserveCapacity(top + 1)
                for v in 0..<values.count {
                    if best.count == top, !before(v, best[top - 1]) { continue }
                    var i = best.count
                    while i > 0, before(v, best[i - 1]) { i -= 1 }
                    best.insert(v, at: i)
                    if best.count > top { best.removeLast() }
                }
                return best
            }
        }
    }

    /// Each actor's group index and the groups' names, for `group_by`.
    static func grouping(_ request: AnalysisRequest, _ g: AnalysisGraph, _ actors: ActorColumns) -> ([String], [Int]) {
        var labels: [String] = []
        var index: [String: Int] = [:]
        let byKind = (request.groupBy ?? .territory) == .kind
        let level = request.level ?? 2
        let group = g.ids.indices.map { v -> Int in
            let label =
                byKind
                ? (v < actors.kinds.count ? actors.kinds[v] : "?")
                : ((v < actors.territories.count ? actors.territories[v] : nil)?.rolledUp(to: level).path ?? "(no territory)")
            if let known = index[label] { return known }
            index[label] = labels.count
            labels.append(label)
            return labels.count - 1
        }
        return (labels, group)
    }
}

extension Trama {
    /// Runs an analysis on one version of a graph. With ``AppConfiguration/cachedGraphs``
    /// above zero, the graph of a version is read once and kept: a long-running front
    /// end (the HTTP service) analyses it again without reading the store.
    public func analyze(_ request: AnalysisRequest, access: Access = .full) throws -> AnalysisResult {
        try request.validate()
        Profile.mark("start")
        let access = access.narrowed(public: request.public)
        let caching = configuration.cachedGraphs > 0
        let (tableKey, table) = try read(request.graph, asOf: request.asOf, on: request.on) {
            snapshot, graph, version -> (GraphKey, RelationTable?) in
            let key = GraphKey(graph: graph.id, change: version.change, on: version.on, publicOnly: access.publicOnly)
            if caching, graphCache.table(key) != nil { return (key, nil) }
            return (key, try snapshot.relationTable(graph, at: version, publicOnly: access.publicOnly))
        }
        let read = try table ?? graphCache.table(tableKey).orThrow(TramaError(.storage, "the graph left the cache"))
        if caching, table != nil { graphCache.keep(tableKey, read) }
        Profile.mark("read the graph")
        let resolver = Resolver(vocabulary: read.vocabulary, actorTerritories: read.actorTerritories)
        let filter = Analyses.filter(for: request.metric, try resolver.analysisFilter(request.filter))
        let built: (AnalysisGraph, ActorColumns)
        if caching, let kept = graphCache.graph(tableKey, filter) {
            built = kept
        } else {
            let graph = AnalysisGraph(read, filter: filter)
            built = (graph, ActorColumns(graph, table: read))
            if caching { graphCache.keep(tableKey, filter, built) }
        }
        Profile.mark("build the graph")
        let result = try Analyses.compute(request, built.0, actors: built.1)
        Profile.mark("analyse")
        return result
    }
}

/// A graph version as an analysis reads it.
struct GraphKey: Hashable {
    var graph: Int64
    var change: Int64?
    var on: WorldDate?
    var publicOnly: Bool
}

/// Graph versions kept in memory for analyses, the least recently used dropped:
/// each version's columns and the graphs built from them per filter.
final class GraphCache: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var tables: [GraphKey: (table: RelationTable, used: UInt64)] = [:]
    private var graphs: [GraphKey: [AnalysisFilter: (AnalysisGraph, ActorColumns)]] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) { self.capacity = capacity }

    func table(_ key: GraphKey) -> RelationTable? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = tables[key] else { return nil }
        clock += 1
        tables[key] = (entry.table, clock)
        return entry.table
    }

    func keep(_ key: GraphKey, _ table: RelationTable) {
        lock.lock()
        defer { lock.unlock() }
        clock += 1
        tables[key] = (table, clock)
        while tables.count > capacity, let oldest = tables.min(by: { $0.value.used < $1.value.used }) {
            tables[oldest.key] = nil
            graphs[oldest.key] = nil
        }
    }

    func graph(_ key: GraphKey, _ filter: AnalysisFilter) -> (AnalysisGraph, ActorColumns)? {
        lock.lock()
        defer { lock.unlock() }
        return graphs[key]?[filter]
    }

    func keep(_ key: GraphKey, _ filter: AnalysisFilter, _ built: (AnalysisGraph, ActorColumns)) {
        lock.lock()
        defer { lock.unlock() }
        guard tables[key] != nil else { return }
        // A few filtered graphs per version: the most recent kept.
        if (graphs[key]?.count ?? 0) >= 8 { graphs[key] = [:] }
        graphs[key, default: [:]][filter] = built
    }
}
