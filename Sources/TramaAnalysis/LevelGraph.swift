/// One level of Louvain or Leiden: nodes (actors, or communities of the level
/// below) with weighted ties in compressed sparse row form; a community's
/// inner weight is a tie to itself.
struct LevelGraph {
    let offsets: [Int]
    let targets: [Int32]
    let weights: [Double]

    var count: Int { offsets.count - 1 }

    /// The (neighbour, weight) pairs of node `v`.
    struct Neighbors: Sequence, IteratorProtocol {
        let graph: LevelGraph
        var slot: Int
        let end: Int
        @inline(__always) mutating func next() -> (Int, Double)? {
            guard slot < end else { return nil }
            defer { slot += 1 }
            return (Int(graph.targets[slot]), graph.weights[slot])
        }
    }

    @inline(__always) subscript(_ v: Int) -> Neighbors { Neighbors(graph: self, slot: offsets[v], end: offsets[v + 1]) }

    /// The undirected view of `g`, unweighted ties weighing 1.
    init(_ u: AnalysisGraph) {
        offsets = u.out.offsets.map(Int.init)
        targets = u.out.targets
        weights = u.weighted ? u.out.weights : [Double](repeating: 1, count: u.out.targets.count)
    }

    init(offsets: [Int], targets: [Int32], weights: [Double]) {
        self.offsets = offsets
        self.targets = targets
        self.weights = weights
    }

    /// Each node's total tie weight (its inner weight included).
    func strengths() -> [Double] {
        (0..<count).map { v in (offsets[v]..<offsets[v + 1]).reduce(0) { $0 + weights[$1] } }
    }

    var totalWeight: Double { weights.reduce(0, +) }

    /// The graph of the groups `label[v]` (numbered 0..<groups): one node per
    /// group, ties summed, a group's inner ties a tie to itself.
    /// - Complexity: O(n + m) with a dense accumulator.
    func aggregated(by label: [Int], groups: Int) -> LevelGraph {
        var memberOffsets = [Int](repeating: 0, count: groups + 1)
        for v in 0..<count { memberOffsets[label[v] + 1] += 1 }
        for c in 0..<groups { memberOffsets[c + 1] += memberOffsets[c] }
        var fill = memberOffsets
        var members = [Int](repeating: 0, count: count)
        for v in 0..<count {
            members[fill[label[v]]] = v
            fill[label[v]] += 1
        }
        var newOffsets = [Int](repeating: 0, count: groups + 1)
        var newTargets: [Int32] = []
        var newWeights: [Double] = []
        newTargets.reserveCapacity(targets.count / 2)
        newWeights.reserveCapacity(targets.count / 2)
        var accumulated = [Double](repeating: 0, count: groups)
        var mark = [Int](repeating: -1, count: groups)
        var touched: [Int] = []
        for c in 0..<groups {
            touched.removeAll(keepingCapacity: true)
            for i in memberOffsets[c]..<memberOffsets[c + 1] {
                let v = members[i]
                for slot in offsets[v]..<offsets[v + 1] {
                    let d = label[Int(targets[slot])]
                    if mark[d] != c {
                        mark[d] = c
                        accumulated[d] = 0
                        touched.append(d)
                    }
                    accumulated[d] += weights[slot]
                }
            }
            touched.sort()
            for d in touched {
                newTargets.append(Int32(d))
                newWeights.append(accumulated[d])
            }
            newOffsets[c + 1] = newTargets.count
        }
        return LevelGraph(offsets: newOffsets, targets: newTargets, weights: newWeights)
    }
}
