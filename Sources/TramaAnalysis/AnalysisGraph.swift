import TramaModel

/// One direction of a graph's adjacency in compressed sparse row form: the
/// neighbours of node `v` are `targets[offsets[v] ..< offsets[v + 1]]`, sorted,
/// with their weights beside them (no weights are kept for an unweighted graph:
/// 4 bytes per arc instead of 12).
public struct Adjacency: Sendable {
    public let offsets: [Int32]
    public let targets: [Int32]
    /// Empty for an unweighted graph; read through ``weight(_:)``.
    public let weights: [Double]

    /// The weight of the arc in `slot` (1 in an unweighted graph).
    /// - Complexity: O(1).
    @inline(__always) public func weight(_ slot: Int) -> Double { weights.isEmpty ? 1 : weights[slot] }

    /// - Complexity: O(1).
    @inline(__always) public func range(_ v: Int) -> Range<Int> { Int(offsets[v])..<Int(offsets[v + 1]) }

    /// - Complexity: O(1).
    @inline(__always) public func degree(_ v: Int) -> Int { Int(offsets[v + 1] - offsets[v]) }

    /// Builds rows from arcs: parallel arcs merge (weights add), self-loops are dropped.
    ///
    /// Two counting passes, no comparison sort: arcs are first bucketed by target,
    /// then, in that order, by source, so each row comes out sorted by target.
    /// - Complexity: O(n + m).
    init(nodeCount n: Int, arcs: [(Int32, Int32, Double)], keepWeights: Bool) {
        var byTarget = [Int32](repeating: 0, count: n + 1)
        var bySource = [Int32](repeating: 0, count: n + 1)
        var kept = 0
        for (u, v, _) in arcs where u != v {
            byTarget[Int(v) + 1] += 1
            bySource[Int(u) + 1] += 1
            kept += 1
        }
        for i in 0..<n {
            byTarget[i + 1] += byTarget[i]
            bySource[i + 1] += bySource[i]
        }
        // Arcs in target order (indices into `arcs`).
        var order = [Int32](repeating: 0, count: kept)
        var fill = byTarget
        for (index, (u, v, _)) in arcs.enumerated() where u != v {
            order[Int(fill[Int(v)])] = Int32(index)
            fill[Int(v)] += 1
        }
        // Then stably into source rows: each row's targets ascend.
        var rawTargets = [Int32](repeating: 0, count: kept)
        var rawWeights = [Double](repeating: 0, count: keepWeights ? kept : 0)
        fill = bySource
        arcs.withUnsafeBufferPointer { arcs in
            for index in order {
                let (u, v, w) = arcs[Int(index)]
                let slot = Int(fill[Int(u)])
                rawTargets[slot] = v
                if keepWeights { rawWeights[slot] = w }
                fill[Int(u)] += 1
            }
        }
        // Merge parallel arcs (neighbours in a row now).
        var offsets = [Int32](repeating: 0, count: n + 1)
        var targets = [Int32]()
        var weights = [Double]()
        targets.reserveCapacity(kept)
        if keepWeights { weights.reserveCapacity(kept) }
        for u in 0..<n {
            let rowStart = targets.count
            for slot in Int(bySource[u])..<Int(bySource[u + 1]) {
                let v = rawTargets[slot]
                if targets.count > rowStart, targets[targets.count - 1] == v {
                    if keepWeights { weights[weights.count - 1] += rawWeights[slot] }
                } else {
                    targets.append(v)
                    if keepWeights { weights.append(rawWeights[slot]) }
                }
            }
            offsets[u + 1] = Int32(targets.count)
        }
        self.offsets = offsets
        self.targets = targets
        self.weights = weights
    }
}

/// The graph the analyses run on: actors mapped once to dense indices, ties in
/// compressed sparse row form (`Int32` offsets and neighbours, `Double` weights
/// beside them), out- and in-adjacency for directed graphs.
///
/// Several relations between the same two actors count once, their strengths
/// added; a relation from an actor to itself is ignored.
public struct AnalysisGraph: Sendable {
    public let ids: [String]
    public let directed: Bool
    /// Successors (for an undirected graph: neighbours, each edge in both rows).
    public let out: Adjacency
    /// Predecessors; the same rows as `out` for an undirected graph.
    public let inc: Adjacency
    /// Whether weights came from strengths (otherwise every tie weighs 1).
    public let weighted: Bool

    public var nodeCount: Int { ids.count }

    /// Ties: arcs for a directed graph, unordered pairs for an undirected one.
    public var edgeCount: Int { directed ? out.targets.count : out.targets.count / 2 }

    /// Builds the graph from ids and ties (indices into `ids`, with weights).
    /// - Complexity: O(n + m log d).
    public init(ids: [String], edges: [(Int, Int, Double)], directed: Bool, weighted: Bool = false) {
        self.ids = ids
        self.directed = directed
        self.weighted = weighted
        let n = ids.count
        if directed {
            out = Adjacency(nodeCount: n, arcs: edges.map { (Int32($0.0), Int32($0.1), $0.2) }, keepWeights: weighted)
            inc = Adjacency(nodeCount: n, arcs: edges.map { (Int32($0.1), Int32($0.0), $0.2) }, keepWeights: weighted)
        } else {
            var arcs: [(Int32, Int32, Double)] = []
            arcs.reserveCapacity(edges.count * 2)
            for (u, v, w) in edges {
                arcs.append((Int32(u), Int32(v), w))
                arcs.append((Int32(v), Int32(u), w))
            }
            out = Adjacency(nodeCount: n, arcs: arcs, keepWeights: weighted)
            inc = out
        }
    }

    /// The same actors with every tie made undirected (a directed pair in both
    /// directions becomes one edge whose weight is the sum).
    /// - Complexity: O(1) for an undirected graph, O(n + m log d) for a directed one.
    public func undirected() -> AnalysisGraph {
        guard directed else { return self }
        var edges: [(Int, Int, Double)] = []
        edges.reserveCapacity(out.targets.count)
        for u in 0..<nodeCount {
            for slot in out.range(u) { edges.append((u, Int(out.targets[slot]), out.weight(slot))) }
        }
        return AnalysisGraph(ids: ids, edges: edges, directed: false, weighted: weighted)
    }

    /// Bytes held by the adjacency arrays, per tie.
    public var bytesPerTie: Double {
        let arrays = (out.offsets.count + out.targets.count) * 4 + out.weights.count * 8
        let both = directed ? 2 * arrays : arrays
        return edgeCount == 0 ? 0 : Double(both) / Double(edgeCount)
    }
}

/// Which part of an ecosystem an analysis looks at.
public struct AnalysisFilter: Sendable, Hashable {
    public var relationTypes: [String] = []
    public var statuses: [RelationStatus] = []
    /// The territory and everything inside it.
    public var territory: Territory?
    public var kinds: [String] = []
    /// Treat every relation as undirected.
    public var undirected = false
    /// Weigh ties by their `Strength` (1 when empty).
    public var weighted = false

    public init(
        relationTypes: [String] = [], statuses: [RelationStatus] = [], territory: Territory? = nil, kinds: [String] = [],
        undirected: Bool = false, weighted: Bool = false
    ) {
        self.relationTypes = relationTypes
        self.statuses = statuses
        self.territory = territory
        self.kinds = kinds
        self.undirected = undirected
        self.weighted = weighted
    }
}

extension AnalysisGraph {
    /// The graph of `ecosystem` seen through `filter` (see ``init(_:filter:)-table``).
    /// - Complexity: O(actors + relations log d).
    public init(_ ecosystem: Ecosystem, filter: AnalysisFilter = AnalysisFilter()) {
        self.init(RelationTable(ecosystem), filter: filter)
    }

    /// The graph of `table` seen through `filter`. It is directed when any
    /// relation type in view is directed (an undirected relation then counts in
    /// both directions), unless the filter forces undirected. Actors keep the
    /// table's order.
    /// - Complexity: O(actors + relations log d).
    public init(_ table: RelationTable, filter: AnalysisFilter = AnalysisFilter()) {
        // Actors in view, renumbered densely.
        var keep = [Int32](repeating: -1, count: table.actorIDs.count)
        var ids: [String] = []
        let kinds = Set(filter.kinds)
        for i in table.actorIDs.indices {
            if !kinds.isEmpty && !kinds.contains(table.actorKinds[i]) { continue }
            if let territory = filter.territory, !(table.actorTerritories[i].map(territory.contains) ?? false) { continue }
            keep[i] = Int32(ids.count)
            ids.append(table.actorIDs[i])
        }
        // Relation types and statuses in view, by code.
        let types = Set(filter.relationTypes)
        let typeInView = table.typeNames.map { types.isEmpty || types.contains($0) }
        let typeDirected = table.typeNames.map { table.vocabulary.relationTypes[$0]?.directed ?? true }
        let statuses = Set(filter.statuses)
        var edges: [(Int, Int, Double)] = []
        var undirectedEdges: [Int] = []
        edges.reserveCapacity(table.relationCount)
        var anyDirected = false
        for r in 0..<table.relationCount {
            let (u, v) = (keep[Int(table.source[r])], keep[Int(table.target[r])])
            let t = Int(table.type[r])
            guard u >= 0, v >= 0, typeInView[t] else { continue }
            if !statuses.isEmpty && !statuses.contains(table.status[r]) { continue }
            let w = filter.weighted && !table.strength[r].isNaN ? table.strength[r] : 1
            if typeDirected[t] { anyDirected = true } else { undirectedEdges.append(edges.count) }
            edges.append((Int(u), Int(v), w))
        }
        let directed = !filter.undirected && anyDirected
        if directed {
            // An undirected relation in a directed graph counts in both directions.
            for i in undirectedEdges {
                let (u, v, w) = edges[i]
                edges.append((v, u, w))
            }
        }
        self.init(ids: ids, edges: edges, directed: directed, weighted: filter.weighted)
    }
}
