import Foundation

/// Connectivity, cohesion and Burt's structural holes. Measures defined only for
/// undirected graphs (bridges, cores, clustering, constraint) run on the
/// undirected view of a directed graph, as networkx does on `G.to_undirected()`.
public enum Structure {
    /// Component of every actor (weak components for a directed graph), numbered
    /// from 0 by first actor; and the components, largest first.
    /// - Complexity: O(n + m).
    public static func components(_ g: AnalysisGraph) -> (label: [Int], groups: [[Int]]) {
        let u = g.undirected()
        let n = g.nodeCount
        var label = [Int](repeating: -1, count: n)
        var sizes: [Int] = []
        var stack: [Int32] = []
        u.out.offsets.withUnsafeBufferPointer { offsets in
            u.out.targets.withUnsafeBufferPointer { targets in
                label.withUnsafeMutableBufferPointer { label in
                    for s in 0..<n where label[s] < 0 {
                        let c = sizes.count
                        var size = 1
                        label[s] = c
                        stack.append(Int32(s))
                        while let v32 = stack.popLast() {
                            let v = Int(v32)
                            for slot in Int(offsets[v])..<Int(offsets[v + 1]) {
                                let w = Int(targets[slot])
                                if label[w] < 0 {
                                    label[w] = c
                                    size += 1
                                    stack.append(Int32(w))
                                }
                            }
                        }
                        sizes.append(size)
                    }
                }
            }
        }
        // Largest first (ties: the one whose first actor comes first); members in index order.
        let order = sizes.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        var renumber = [Int](repeating: 0, count: sizes.count)
        for (new, old) in order.enumerated() { renumber[old] = new }
        var groups = order.map { [Int](unsafeUninitializedCapacity: sizes[$0]) { _, count in count = 0 } }
        for v in 0..<n {
            label[v] = renumber[label[v]]
            groups[label[v]].append(v)
        }
        return (label, groups)
    }

    /// Bridges (ties whose loss disconnects their ends) and articulation points
    /// (actors whose loss splits their component), by Tarjan's low-link
    /// method, iteratively (no recursion limit on long chains).
    /// - Complexity: O(n + m).
    public static func cutPoints(_ g: AnalysisGraph) -> (bridges: [(Int, Int)], articulationPoints: [Int]) {
        let (points, bridges) = cutOffs(g)
        return (bridges.map { ($0.a, $0.b) }, points.map(\.node))
    }

    /// Core number of every actor (the largest k such that it belongs to a
    /// k-core), by Batagelj and Zaversnik's bucket algorithm, as `networkx.core_number`.
    /// - Complexity: O(n + m).
    public static func coreNumbers(_ g: AnalysisGraph) -> [Int] {
        let u = g.undirected()
        let n = u.nodeCount
        guard n > 0 else { return [] }
        var degree = (0..<n).map { u.out.degree($0) }
        let maxDegree = degree.max() ?? 0
        var bins = [Int](repeating: 0, count: maxDegree + 1)
        for d in degree { bins[d] += 1 }
        var start = 0
        for d in 0...maxDegree {
            let count = bins[d]
            bins[d] = start
            start += count
        }
        var position = [Int](repeating: 0, count: n)
        var vertices = [Int](repeating: 0, count: n)
        for v in 0..<n {
            position[v] = bins[degree[v]]
            vertices[position[v]] = v
            bins[degree[v]] += 1
        }
        for d in stride(from: maxDegree, to: 0, by: -1) { bins[d] = bins[d - 1] }
        bins[0] = 0
        degree.withUnsafeMutableBufferPointer { degree in
            bins.withUnsafeMutableBufferPointer { bins in
                position.withUnsafeMutableBufferPointer { position in
                    vertices.withUnsafeMutableBufferPointer { vertices in
                        u.out.offsets.withUnsafeBufferPointer { offsets in
                            u.out.targets.withUnsafeBufferPointer { targets in
                                for i in 0..<n {
                                    let v = vertices[i]
                                    let dv = degree[v]
                                    for slot in Int(offsets[v])..<Int(offsets[v + 1]) {
                                        let w = Int(targets[slot])
                                        let dw = degree[w]
                                        if dw > dv {
                                            let pw = position[w]
                                            let first = bins[dw]
                                            let x = vertices[first]
                                            if x != w {
                                                position[w] = first
                                                vertices[pw] = x
                                                position[x] = pw
                                                vertices[first] = w
                                            }
                                            bins[dw] += 1
                                            degree[w] = dw - 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return degree
    }

    /// Local clustering coefficient (triangles over possible triangles), as
    /// `networkx.clustering` on the undirected, unweighted view. Triangles are
    /// counted once each from their lowest-ranked corner, actors ranked by
    /// degree (the "forward" algorithm), then credited to all three corners.
    /// - Complexity: O(m^1.5).
    public static func clustering(_ g: AnalysisGraph) -> [Double] {
        let u = g.undirected()
        let n = u.nodeCount
        guard n > 0 else { return [] }
        // Rank by (degree, index); keep for each actor only its higher-ranked neighbours.
        let degree = (0..<n).map { u.out.degree($0) }
        @inline(__always) func above(_ a: Int, _ b: Int) -> Bool { degree[a] != degree[b] ? degree[a] > degree[b] : a > b }
        var offsets = [Int32](repeating: 0, count: n + 1)
        var higher: [Int32] = []
        higher.reserveCapacity(u.out.targets.count / 2)
        for v in 0..<n {
            for slot in u.out.range(v) where above(Int(u.out.targets[slot]), v) { higher.append(u.out.targets[slot]) }
            offsets[v + 1] = Int32(higher.count)
        }
        var triangles = [Double](repeating: 0, count: n)
        var mark = [Int32](repeating: -1, count: n)
        higher.withUnsafeBufferPointer { higher in
            offsets.withUnsafeBufferPointer { offsets in
                mark.withUnsafeMutableBufferPointer { mark in
                    triangles.withUnsafeMutableBufferPointer { triangles in
                        for v in 0..<n {
                            let range = Int(offsets[v])..<Int(offsets[v + 1])
                            for i in range { mark[Int(higher[i])] = Int32(v) }
                            for i in range {
                                let w = Int(higher[i])
                                for j in Int(offsets[w])..<Int(offsets[w + 1]) where mark[Int(higher[j])] == Int32(v) {
                                    triangles[v] += 1
                                    triangles[w] += 1
                                    triangles[Int(higher[j])] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return (0..<n).map { v in degree[v] > 1 ? 2 * triangles[v] / (Double(degree[v]) * Double(degree[v] - 1)) : 0 }
    }

    /// Burt's constraint, as `networkx.constraint`: Σ over neighbours j of
    /// (p_ij + Σ_q p_iq p_qj)², p the share of i's tie weight going to j.
    /// NaN for an isolated actor, as in networkx.
    /// - Complexity: O(Σ d²).
    public static func constraint(_ g: AnalysisGraph) -> [Double] {
        let u = g.undirected()
        let n = u.nodeCount
        let total = (0..<n).map { v in u.out.range(v).reduce(0.0) { $0 + (u.out.weight($1)) } }
        var share = [Double](repeating: 0, count: n)  // p_v· for the current v, by neighbour
        return (0..<n).map { v in
            guard u.out.degree(v) > 0 else { return .nan }
            for slot in u.out.range(v) { share[Int(u.out.targets[slot])] = u.out.weight(slot) / total[v] }
            var c = 0.0
            for slot in u.out.range(v) {
                let j = Int(u.out.targets[slot])
                var indirect = 0.0
                // Σ_q p_vq p_qj over q adjacent to both v and j.
                for inner in u.out.range(j) {
                    let q = Int(u.out.targets[inner])
                    if q != v, share[q] > 0 { indirect += share[q] * u.out.weight(inner) / total[q] }
                }
                let direct = share[j]
                c += (direct + indirect) * (direct + indirect)
            }
            for slot in u.out.range(v) { share[Int(u.out.targets[slot])] = 0 }
            return c
        }
    }

    /// Burt's effective size by Borgatti's formula for unweighted undirected
    /// graphs (n − 2t/n, t the ties among the n neighbours), as
    /// `networkx.effective_size`; NaN for an isolated actor.
    /// - Complexity: O(Σ d²).
    public static func effectiveSize(_ g: AnalysisGraph) -> [Double] {
        let u = g.undirected()
        let n = u.nodeCount
        var mark = [Int32](repeating: -1, count: n)
        return (0..<n).map { v in
            let d = u.out.degree(v)
            guard d > 0 else { return .nan }
            for slot in u.out.range(v) { mark[Int(u.out.targets[slot])] = Int32(v) }
            var links = 0
            for slot in u.out.range(v) {
                let w = Int(u.out.targets[slot])
                for inner in u.out.range(w) where mark[Int(u.out.targets[inner])] == Int32(v) { links += 1 }
            }
            // `links` counts each tie among neighbours twice, which is 2t.
            return Double(d) - Double(links) / Double(d)
        }
    }

    /// Burt's efficiency: effective size over the number of neighbours.
    /// - Complexity: O(Σ d²).
    public static func efficiency(_ g: AnalysisGraph) -> [Double] {
        let u = g.undirected()
        return zip(effectiveSize(g), 0..<g.nodeCount).map { size, v in u.out.degree(v) == 0 ? .nan : size / Double(u.out.degree(v)) }
    }
}

extension Structure {
    /// Articulation points and bridges, each with how many actors its loss cuts
    /// off: those outside the largest part left of its component. One
    /// iterative DFS, the parts read from subtree sizes (Tarjan's low links).
    /// - Complexity: O(n + m).
    public static func cutOffs(_ g: AnalysisGraph) -> (points: [(node: Int, cutOff: Int)], bridges: [(a: Int, b: Int, cutOff: Int)]) {
        let u = g.undirected()
        let n = u.nodeCount
        var discovery = [Int](repeating: -1, count: n), low = [Int](repeating: 0, count: n)
        var parent = [Int](repeating: -1, count: n), cursor = [Int](repeating: 0, count: n), size = [Int](repeating: 1, count: n)
        // Per node: the sizes of the children's subtrees that its loss separates.
        var separated = [[Int]](repeating: [], count: n)
        var bridges: [(Int, Int, Int)] = []
        var points: [(Int, Int)] = []
        var time = 0
        for root in 0..<n where discovery[root] < 0 {
            var order: [Int] = []
            discovery[root] = time
            low[root] = time
            time += 1
            cursor[root] = Int(u.out.offsets[root])
            var stack = [root]
            var pendingBridges: [(Int, Int, Int)] = []
            while let v = stack.last {
                if cursor[v] < Int(u.out.offsets[v + 1]) {
                    let w = Int(u.out.targets[cursor[v]])
                    cursor[v] += 1
                    if discovery[w] < 0 {
                        parent[w] = v
                        discovery[w] = time
                        low[w] = time
                        time += 1
                        cursor[w] = Int(u.out.offsets[w])
                        stack.append(w)
                    } else if w != parent[v] {
                        low[v] = min(low[v], discovery[w])
                    }
                } else {
                    stack.removeLast()
                    order.append(v)
                    if let p = stack.last {
                        low[p] = min(low[p], low[v])
                        size[p] += size[v]
                        if low[v] >= discovery[p] { separated[p].append(size[v]) }
                        if low[v] > discovery[p] { pendingBridges.append((min(p, v), max(p, v), size[v])) }
                    }
                }
            }
            let component = size[root]
            for (a, b, below) in pendingBridges { bridges.append((a, b, min(below, component - below))) }
            for v in order {
                let parts = separated[v]
                let isPoint = v == root ? parts.count > 1 : !parts.isEmpty
                guard isPoint else { continue }
                let rest = component - 1 - parts.reduce(0, +)
                let largest = max(parts.max() ?? 0, rest)
                points.append((v, component - 1 - largest))
            }
        }
        return (
            points.sorted { $0.0 < $1.0 }.map { (node: $0.0, cutOff: $0.1) },
            bridges.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { (a: $0.0, b: $0.1, cutOff: $0.2) }
        )
    }
}
