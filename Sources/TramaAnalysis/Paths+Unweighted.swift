import Dispatch

/// Breadth-first searches for unweighted graphs on raw buffers: `Int32`
/// distances, the queue doubling as the visiting order, no bounds checks in
/// the inner loops. The shortest-path measures use these when the graph is unweighted.
struct UnweightedSearch {
    /// Per node, together in memory: the three values Brandes reads for a neighbour.
    struct State {
        var sigma: Double = 0
        var delta: Double = 0
        /// (1 + δ) / σ, once δ is final: what each predecessor needs.
        var share: Double = 0
        var dist: Int32 = -1
    }

    var state: [State]
    var queue: [Int32]
    /// How many nodes the last search reached (the first `count` of `queue`).
    var count = 0
    /// The arcs of the last search's shortest-path DAG, in the order found.
    var dagFrom: [Int32]
    var dagTo: [Int32]
    var dagCount = 0

    init(_ n: Int, arcs: Int = 0) {
        state = [State](repeating: State(), count: n)
        queue = [Int32](repeating: 0, count: max(n, 1))
        dagFrom = [Int32](repeating: 0, count: arcs)
        dagTo = [Int32](repeating: 0, count: arcs)
    }

    /// Distances and shortest-path counts from `s`, and the shortest-path DAG's arcs.
    /// - Complexity: O(n + m) for the part of the graph reached.
    mutating func run(from s: Int, _ adjacency: Adjacency) {
        let reached = count
        var found = 0
        var arcs = 0
        queue.withUnsafeMutableBufferPointer { queue in
            state.withUnsafeMutableBufferPointer { state in
                dagFrom.withUnsafeMutableBufferPointer { dagFrom in
                    dagTo.withUnsafeMutableBufferPointer { dagTo in
                        adjacency.offsets.withUnsafeBufferPointer { offsets in
                            adjacency.targets.withUnsafeBufferPointer { targets in
                                for i in 0..<reached { state[Int(queue[i])] = State() }
                                state[s].dist = 0
                                state[s].sigma = 1
                                queue[0] = Int32(s)
                                var head = 0, tail = 1
                                while head < tail {
                                    let v = Int(queue[head])
                                    head += 1
                                    let next = state[v].dist + 1
                                    let sv = state[v].sigma
                                    for slot in Int(offsets[v])..<Int(offsets[v + 1]) {
                                        let w = Int(targets[slot])
                                        let dw = state[w].dist
                                        if dw < 0 {
                                            state[w].dist = next
                                            state[w].sigma = sv
                                            queue[tail] = Int32(w)
                                            tail += 1
                                            dagFrom[arcs] = Int32(v)
                                            dagTo[arcs] = Int32(w)
                                            arcs += 1
                                        } else if dw == next {
                                            state[w].sigma += sv
                                            dagFrom[arcs] = Int32(v)
                                            dagTo[arcs] = Int32(w)
                                            arcs += 1
                                        }
                                    }
                                }
                                found = tail
                            }
                        }
                    }
                }
            }
        }
        count = found
        dagCount = arcs
    }

    /// Adds the dependencies of the last search's source (Brandes's
    /// back-propagation) to `total`. The DAG's arcs are grouped by tail in BFS
    /// order; walked backwards, every successor is final before its
    /// predecessors, so δ_v = σ_v Σ_w (1 + δ_w)/σ_w is summed once per tail.
    mutating func accumulate(into total: inout [Double]) {
        let (reached, arcs) = (count, dagCount)
        queue.withUnsafeBufferPointer { queue in
            state.withUnsafeMutableBufferPointer { state in
                total.withUnsafeMutableBufferPointer { total in
                    dagFrom.withUnsafeBufferPointer { dagFrom in
                        dagTo.withUnsafeBufferPointer { dagTo in
                            // A node with no successor in the DAG (δ = 0) passes on 1/σ.
                            for i in 0..<reached {
                                let w = Int(queue[i])
                                state[w].share = 1 / state[w].sigma
                            }
                            var e = arcs - 1
                            while e >= 0 {
                                let v = Int(dagFrom[e])
                                var sum = 0.0
                                while e >= 0 && Int(dagFrom[e]) == v {
                                    sum += state[Int(dagTo[e])].share
                                    e -= 1
                                }
                                let delta = state[v].sigma * sum
                                state[v].delta = delta
                                state[v].share = (1 + delta) / state[v].sigma
                            }
                            for i in 1..<max(reached, 1) { total[Int(queue[i])] += state[Int(queue[i])].delta }
                        }
                    }
                }
            }
        }
    }
}

/// Multi-source breadth-first search (Then et al., "The More the Merrier", 2014):
/// 64 searches advance together, one bit each, so a tie is looked at once per
/// level for all of them. Used for closeness and harmonic closeness, which need
/// only distances.
enum MultiSourceBFS {
    /// For each of `sources` (at most 64), the number of nodes it reaches (itself
    /// excluded), Σ d and Σ 1/d over them, searching along `adjacency`.
    /// - Complexity: O(levels · (n + m)) word operations for the batch, plus one step per (source, reached node).
    static func sums(_ adjacency: Adjacency, nodeCount n: Int, sources: ArraySlice<Int>) -> [(
        reached: Int, distance: Double, harmonic: Double
    )] {
        var result = [(reached: Int, distance: Double, harmonic: Double)](repeating: (0, 0, 0), count: sources.count)
        var seen = [UInt64](repeating: 0, count: n)
        var frontier = [UInt64](repeating: 0, count: n)
        var next = [UInt64](repeating: 0, count: n)
        for (bit, s) in sources.enumerated() {
            seen[s] |= 1 << UInt64(bit)
            frontier[s] |= 1 << UInt64(bit)
        }
        var level = 0
        var active = true
        seen.withUnsafeMutableBufferPointer { seen in
            frontier.withUnsafeMutableBufferPointer { frontier in
                next.withUnsafeMutableBufferPointer { next in
                    adjacency.offsets.withUnsafeBufferPointer { offsets in
                        adjacency.targets.withUnsafeBufferPointer { targets in
                            while active {
                                level += 1
                                for v in 0..<n {
                                    let bits = frontier[v]
                                    if bits == 0 { continue }
                                    for slot in Int(offsets[v])..<Int(offsets[v + 1]) { next[Int(targets[slot])] |= bits }
                                }
                                active = false
                                let d = Double(level)
                                for w in 0..<n {
                                    let fresh = next[w] & ~seen[w]
                                    next[w] = 0
                                    frontier[w] = fresh
                                    if fresh == 0 { continue }
                                    active = true
                                    seen[w] |= fresh
                                    var remaining = fresh
                                    while remaining != 0 {
                                        let bit = remaining.trailingZeroBitCount
                                        remaining &= remaining - 1
                                        result[bit].reached += 1
                                        result[bit].distance += d
                                        result[bit].harmonic += 1 / d
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// Runs ``sums(_:nodeCount:sources:)`` for every node in batches of 64, the
    /// batches split over two threads.
    static func allSums(_ adjacency: Adjacency, nodeCount n: Int) -> [(reached: Int, distance: Double, harmonic: Double)] {
        var all = [(reached: Int, distance: Double, harmonic: Double)](repeating: (0, 0, 0), count: n)
        let batches = (n + 63) / 64
        all.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: min(2, max(batches, 1))) { t in
                var batch = t
                while batch < batches {
                    let range = (batch * 64)..<min(n, batch * 64 + 64)
                    let part = sums(adjacency, nodeCount: n, sources: Array(range)[...])
                    for (offset, value) in part.enumerated() { slots[range.lowerBound + offset] = value }
                    batch += 2
                }
            }
        }
        return all
    }
}
