import Dispatch
import Foundation

/// Per-actor measures that need no shortest paths. Values follow networkx's
/// definitions and normalisation, so they can be checked against it.
public enum Centrality {
    /// Degree centrality: neighbours over n − 1 (in + out for a directed graph), as `networkx.degree_centrality`.
    /// - Complexity: O(n).
    public static func degree(_ g: AnalysisGraph) -> [Double] {
        if g.nodeCount == 1 { return [1] }  // networkx's convention for a lone actor
        let scale = g.nodeCount > 1 ? 1 / Double(g.nodeCount - 1) : 1
        return (0..<g.nodeCount).map { v in Double(g.out.degree(v) + (g.directed ? g.inc.degree(v) : 0)) * scale }
    }

    /// In-degree centrality, as `networkx.in_degree_centrality` (the degree for an undirected graph).
    /// - Complexity: O(n).
    public static func inDegree(_ g: AnalysisGraph) -> [Double] {
        if g.nodeCount == 1 { return [1] }
        let scale = g.nodeCount > 1 ? 1 / Double(g.nodeCount - 1) : 1
        return (0..<g.nodeCount).map { Double(g.inc.degree($0)) * scale }
    }

    /// Out-degree centrality, as `networkx.out_degree_centrality`.
    /// - Complexity: O(n).
    public static func outDegree(_ g: AnalysisGraph) -> [Double] {
        if g.nodeCount == 1 { return [1] }
        let scale = g.nodeCount > 1 ? 1 / Double(g.nodeCount - 1) : 1
        return (0..<g.nodeCount).map { Double(g.out.degree($0)) * scale }
    }

    /// Strength: the sum of the weights of an actor's ties (in + out), as
    /// `G.degree(weight="weight")`; the number of relations when unweighted.
    /// - Complexity: O(m).
    public static func strength(_ g: AnalysisGraph) -> [Double] {
        (0..<g.nodeCount).map { v in
            var total = g.out.range(v).reduce(0) { $0 + g.out.weight($1) }
            if g.directed { total += g.inc.range(v).reduce(0) { $0 + g.inc.weight($1) } }
            return total
        }
    }

    /// Two-step reach, as Kumu defines it: the share of the other actors within
    /// two steps, following ties in either direction.
    /// - Complexity: O(Σ over actors of their two-step neighbourhood).
    public static func reach(_ g: AnalysisGraph) -> [Double] {
        let n = g.nodeCount
        guard n > 1 else { return [Double](repeating: 0, count: n) }
        let u = g.undirected()
        var mark = [Int32](repeating: -1, count: n)
        return (0..<n).map { v in
            mark[v] = Int32(v)
            var count = 0
            for a in u.out.range(v) {
                let w = Int(u.out.targets[a])
                if mark[w] != Int32(v) {
                    mark[w] = Int32(v)
                    count += 1
                }
                for b in u.out.range(w) {
                    let x = Int(u.out.targets[b])
                    if mark[x] != Int32(v) {
                        mark[x] = Int32(v)
                        count += 1
                    }
                }
            }
            return Double(count) / Double(n - 1)
        }
    }

    /// PageRank as `networkx.pagerank` computes it: damping `alpha`, uniform
    /// teleport, dangling actors' rank spread uniformly, ties weighted when the
    /// graph is; stops when the L1 change is below n × `tolerance`.
    /// - Complexity: O(m) per iteration.
    public static func pageRank(_ g: AnalysisGraph, alpha: Double = 0.85, tolerance: Double = 1e-6, maxIterations: Int = 1000) -> [Double] {
        let n = g.nodeCount
        guard n > 0 else { return [] }
        // Each predecessor's share of its rank, by in-arc.
        var outWeight = [Double](repeating: 0, count: n)
        for u in 0..<n {
            outWeight[u] = g.weighted ? g.out.range(u).reduce(0) { $0 + g.out.weight($1) } : Double(g.out.degree(u))
        }
        var x = [Double](repeating: 1 / Double(n), count: n)
        var next = x
        var share = [Double](repeating: 0, count: n)
        let inc = g.inc
        for _ in 0..<maxIterations {
            var dangling = 0.0
            for u in 0..<n {
                if outWeight[u] == 0 {
                    dangling += x[u]
                    share[u] = 0
                } else {
                    share[u] = x[u] / outWeight[u]
                }
            }
            let base = (alpha * dangling + (1 - alpha)) / Double(n)
            // The sweep over actors, in two halves on two cores for large graphs.
            let parts = n >= 50_000 ? 2 : 1
            var changes = [Double](repeating: 0, count: parts)
            inc.offsets.withUnsafeBufferPointer { offsets in
                inc.targets.withUnsafeBufferPointer { targets in
                    inc.weights.withUnsafeBufferPointer { weights in
                        share.withUnsafeBufferPointer { share in
                            x.withUnsafeBufferPointer { x in
                                next.withUnsafeMutableBufferPointer { next in
                                    changes.withUnsafeMutableBufferPointer { changes in
                                        nonisolated(unsafe) let (offsets, targets, weights, share, x, next, changes) =
                                            (offsets, targets, weights, share, x, next, changes)
                                        let weighted = g.weighted
                                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                                            var change = 0.0
                                            for v in (n * part / parts)..<(n * (part + 1) / parts) {
                                                var sum = 0.0
                                                if weighted {
                                                    for slot in Int(offsets[v])..<Int(offsets[v + 1]) {
                                                        sum += share[Int(targets[slot])] * weights[slot]
                                                    }
                                                } else {
                                                    for slot in Int(offsets[v])..<Int(offsets[v + 1]) { sum += share[Int(targets[slot])] }
                                                }
                                                let value = alpha * sum + base
                                                change += abs(value - x[v])
                                                next[v] = value
                                            }
                                            changes[part] = change
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            let change = changes.reduce(0, +)
            swap(&x, &next)
            if change < Double(n) * tolerance { break }
        }
        return x
    }

    /// Eigenvector centrality by networkx's iteration (x ← x + Aᵀx, unit
    /// Euclidean norm, start uniform), so that it converges to the same vector
    /// networkx returns; scores flow along ties (to successors in a directed graph).
    /// - Complexity: O(m) per iteration.
    public static func eigenvector(_ g: AnalysisGraph, tolerance: Double = 1e-6, maxIterations: Int = 1000) -> [Double] {
        let n = g.nodeCount
        guard n > 0 else { return [] }
        var x = [Double](repeating: 1 / Double(n), count: n)
        for _ in 0..<maxIterations {
            var next = x
            for v in 0..<n {
                for slot in g.inc.range(v) {
                    next[v] += x[Int(g.inc.targets[slot])] * g.inc.weight(slot)
                }
            }
            var norm = sqrt(next.reduce(0) { $0 + $1 * $1 })
            if norm == 0 { norm = 1 }
            var change = 0.0
            for v in 0..<n {
                next[v] /= norm
                change += abs(next[v] - x[v])
            }
            x = next
            if change < Double(n) * tolerance { break }
        }
        return x
    }
}
