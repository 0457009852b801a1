/// Breadth-first searches for unweighted graphs on raw buffers: `Int32`
/// distances, the queue doubling as the visiting order, no bounds checks in
/// the inner loops. The shortest-path measures use these when the graph is unweighted.
struct UnweightedSearch {
    var dist: [Int32]
    var sigma: [Double]
    var delta: [Double]
    var queue: [Int32]
    /// How many nodes the last search reached (the first `count` of `queue`).
    var count = 0

    init(_ n: Int) {
        dist = [Int32](repeating: -1, count: n)
        sigma = [Double](repeating: 0, count: n)
        delta = [Double](repeating: 0, count: n)
        queue = [Int32](repeating: 0, count: max(n, 1))
    }

    /// Distances from `s` (and shortest-path counts when `counting`).
    /// - Complexity: O(n + m) for the part of the graph reached.
    mutating func run(from s: Int, _ adjacency: Adjacency, counting: Bool) {
        let reached = count
        var found = 0
        queue.withUnsafeMutableBufferPointer { queue in
            dist.withUnsafeMutableBufferPointer { dist in
                sigma.withUnsafeMutableBufferPointer { sigma in
                    adjacency.offsets.withUnsafeBufferPointer { offsets in
                        adjacency.targets.withUnsafeBufferPointer { targets in
                            for i in 0..<reached { let v = Int(queue[i]); dist[v] = -1; sigma[v] = 0 }
                            dist[s] = 0
                            sigma[s] = 1
                            queue[0] = Int32(s)
                            var head = 0, tail = 1
                            while head < tail {
                                let v = Int(queue[head]); head += 1
                                let next = dist[v] + 1
                                let sv = sigma[v]
                                for slot in Int(offsets[v])..<Int(offsets[v + 1]) {
                                    let w = Int(targets[slot])
                                    if dist[w] < 0 { dist[w] = next; queue[tail] = Int32(w); tail += 1 }
                                    if counting && dist[w] == next { sigma[w] += sv }
                                }
                            }
                            found = tail
                        }
                    }
                }
            }
        }
        count = found
    }

    /// Adds the dependencies of source `s` (Brandes's back-propagation) to `total`,
    /// after ``run(from:_:counting:)`` with counting.
    mutating func accumulate(source s: Int, predecessors: Adjacency, into total: inout [Double]) {
        let reached = count
        queue.withUnsafeBufferPointer { queue in
            dist.withUnsafeBufferPointer { dist in
                sigma.withUnsafeBufferPointer { sigma in
                    delta.withUnsafeMutableBufferPointer { delta in
                        total.withUnsafeMutableBufferPointer { total in
                            predecessors.offsets.withUnsafeBufferPointer { offsets in
                                predecessors.targets.withUnsafeBufferPointer { targets in
                                    for i in 0..<reached { delta[Int(queue[i])] = 0 }
                                    var i = reached - 1
                                    while i > 0 {
                                        let w = Int(queue[i])
                                        let coefficient = (1 + delta[w]) / sigma[w]
                                        let previous = dist[w] - 1
                                        for slot in Int(offsets[w])..<Int(offsets[w + 1]) {
                                            let v = Int(targets[slot])
                                            if dist[v] == previous { delta[v] += sigma[v] * coefficient }
                                        }
                                        total[w] += delta[w]
                                        i -= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Σ d and Σ 1/d over the nodes reached by the last search.
    func sums() -> (distance: Double, harmonic: Double) {
        var total = 0.0, harmonic = 0.0
        for i in 1..<max(count, 1) {
            let d = Double(dist[Int(queue[i])])
            total += d
            harmonic += 1 / d
        }
        return (total, harmonic)
    }
}
