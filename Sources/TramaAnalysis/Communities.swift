import Foundation

/// Community detection on the undirected, weighted view.
public enum Communities {
    /// Modularity of a partition (`community[v]` = its community), as
    /// `networkx.community.modularity` with `resolution` γ:
    /// Σ_c [ L_c / m − γ (d_c / 2m)² ].
    /// - Complexity: O(n + m).
    public static func modularity(_ g: AnalysisGraph, _ community: [Int], resolution: Double = 1) -> Double {
        let u = g.undirected()
        var total = 0.0
        var inside = [Double](repeating: 0, count: (community.max() ?? -1) + 1)
        var degree = inside
        for v in 0..<u.nodeCount {
            for slot in u.out.range(v) {
                let w = u.weighted ? u.out.weights[slot] : 1
                total += w
                degree[community[v]] += w
                if community[Int(u.out.targets[slot])] == community[v] { inside[community[v]] += w }
            }
        }
        guard total > 0 else { return 0 }
        // `total` is 2m and `inside` counts each internal edge twice.
        return zip(inside, degree).reduce(0) { $0 + $1.0 / total - resolution * ($1.1 / total) * ($1.1 / total) }
    }

    /// Louvain (Blondel et al. 2008): local moves in a seeded random order, then
    /// aggregation, until modularity gains less than `threshold`; then one more
    /// round of local moves on the actors themselves, starting from that
    /// partition (it can only raise modularity). Same seed, same partition.
    /// Returns each actor's community, communities numbered by size.
    /// - Complexity: about O(m) per pass; a few passes per level, O(log n) levels in practice.
    public static func louvain(_ g: AnalysisGraph, resolution: Double = 1, seed: UInt64 = 1, threshold: Double = 1e-7) -> [Int] {
        let u = g.undirected()
        let n = u.nodeCount
        guard n > 0 else { return [] }
        var rng = SplitMix64(seed: seed)
        // The current level: nodes with weighted adjacency (self-loops carry inner weight).
        let actorLevel: [[(Int, Double)]] = (0..<n).map { v in u.out.range(v).map { (Int(u.out.targets[$0]), u.weighted ? u.out.weights[$0] : 1) } }
        var adjacency = actorLevel
        var membership = Array(0..<n)  // original actor → node of the current level
        var best = membership
        var bestQ = modularity(g, membership, resolution: resolution)
        let m2 = adjacency.reduce(0) { $0 + $1.reduce(0) { $0 + $1.1 } }
        guard m2 > 0 else { return Array(0..<n) }
        while true {
            let count = adjacency.count
            var community = Array(0..<count)
            guard moveNodes(adjacency, &community, resolution: resolution, m2: m2, rng: &rng) else { break }
            // Renumber and aggregate.
            var renumber = [Int](repeating: -1, count: count)
            var next = 0
            for v in 0..<count where renumber[community[v]] < 0 { renumber[community[v]] = next; next += 1 }
            membership = membership.map { renumber[community[$0]] }
            var merged = [[Int: Double]](repeating: [:], count: next)
            for v in 0..<count {
                let cv = renumber[community[v]]
                for (w, weight) in adjacency[v] { merged[cv][renumber[community[w]], default: 0] += weight }
            }
            adjacency = merged.map { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
            let q = modularity(g, membership, resolution: resolution)
            if q - bestQ <= threshold { if q > bestQ { best = membership; bestQ = q }; break }
            best = membership
            bestQ = q
            if next == count { break }
        }
        var refined = best
        if moveNodes(actorLevel, &refined, resolution: resolution, m2: m2, rng: &rng),
           modularity(g, refined, resolution: resolution) > bestQ {
            best = refined
        }
        return numberedBySize(best)
    }

    /// Louvain's local moving phase: each node, in a seeded random order, goes to
    /// the neighbouring community with the largest modularity gain, until no node
    /// moves. `community` may start from any partition. Returns whether any node moved.
    static func moveNodes(_ adjacency: [[(Int, Double)]], _ community: inout [Int], resolution: Double, m2: Double,
                          rng: inout SplitMix64) -> Bool {
        let count = adjacency.count
        let strength = adjacency.map { $0.reduce(0) { $0 + $1.1 } }
        var tot = [Double](repeating: 0, count: count)
        for v in 0..<count { tot[community[v]] += strength[v] }
        var order = Array(0..<count)
        order.shuffle(using: &rng)
        var weightTo = [Double](repeating: 0, count: count)
        var touched: [Int] = []
        var moved = true
        var anyMove = false
        while moved {
            moved = false
            for v in order {
                let own = community[v]
                touched.removeAll(keepingCapacity: true)
                for (w, weight) in adjacency[v] where w != v {
                    let c = community[w]
                    if weightTo[c] == 0 { touched.append(c) }
                    weightTo[c] += weight
                }
                tot[own] -= strength[v]
                var bestCommunity = own
                var bestGain = weightTo[own] - resolution * tot[own] * strength[v] / m2
                for c in touched where c != own {
                    let gain = weightTo[c] - resolution * tot[c] * strength[v] / m2
                    if gain > bestGain + 1e-12 { bestGain = gain; bestCommunity = c }
                }
                tot[bestCommunity] += strength[v]
                if bestCommunity != own { community[v] = bestCommunity; moved = true; anyMove = true }
                for c in touched { weightTo[c] = 0 }
                weightTo[own] = 0
            }
        }
        return anyMove
    }

    /// Communities renumbered 0, 1, … from the largest (ties: the one with the smaller first actor).
    static func numberedBySize(_ community: [Int]) -> [Int] {
        var members: [Int: [Int]] = [:]
        for (v, c) in community.enumerated() { members[c, default: []].append(v) }
        let order = members.values.sorted { ($0.count, -$0[0]) > ($1.count, -$1[0]) }
        var label = [Int](repeating: 0, count: community.count)
        for (i, group) in order.enumerated() { for v in group { label[v] = i } }
        return label
    }
}

/// Measures of a grouping of the actors (by kind, by territory, by community).
public enum Groups {
    /// Krackhardt and Stern's E-I index: (external − internal) / (external + internal)
    /// ties, on the undirected view; −1 all ties inside groups, +1 all across.
    /// - Complexity: O(n + m).
    public static func eiIndex(_ g: AnalysisGraph, _ group: [Int]) -> Double? {
        let u = g.undirected()
        var external = 0, inside = 0
        for v in 0..<u.nodeCount {
            for slot in u.out.range(v) where Int(u.out.targets[slot]) > v {
                if group[Int(u.out.targets[slot])] == group[v] { inside += 1 } else { external += 1 }
            }
        }
        return external + inside == 0 ? nil : Double(external - inside) / Double(external + inside)
    }

    /// Attribute assortativity, as `networkx.attribute_assortativity_coefficient`:
    /// (Σ e_ii − Σ a_i b_i) / (1 − Σ a_i b_i) over the normalised mixing matrix
    /// of tie ends (arcs of a directed graph, both directions of an undirected tie).
    /// - Complexity: O(n + m + groups²).
    public static func assortativity(_ g: AnalysisGraph, _ group: [Int]) -> Double? {
        let k = (group.max() ?? -1) + 1
        guard k > 0 else { return nil }
        var mixing = [Double](repeating: 0, count: k * k)
        var total = 0.0
        for v in 0..<g.nodeCount {
            for slot in g.out.range(v) {
                mixing[group[v] * k + group[Int(g.out.targets[slot])]] += 1
                total += 1
            }
        }
        guard total > 0 else { return nil }
        var trace = 0.0, ab = 0.0
        for i in 0..<k {
            trace += mixing[i * k + i] / total
            let a = (0..<k).reduce(0.0) { $0 + mixing[i * k + $1] } / total
            let b = (0..<k).reduce(0.0) { $0 + mixing[$1 * k + i] } / total
            ab += a * b
        }
        return ab == 1 ? nil : (trace - ab) / (1 - ab)
    }

    /// The one-mode projection of a two-mode network onto `side`: two actors are
    /// tied when they share a neighbour of the other side, weighted by how many
    /// (as `networkx.bipartite.weighted_projected_graph`).
    /// - Complexity: O(Σ over the other side of d²).
    public static func projection(_ g: AnalysisGraph, side: [Bool]) -> [(Int, Int, Int)] {
        let u = g.undirected()
        var shared: [Int: Int] = [:]
        let n = u.nodeCount
        for hub in 0..<n where !side[hub] {
            let members = u.out.range(hub).map { Int(u.out.targets[$0]) }.filter { side[$0] }
            for i in members.indices {
                for j in members.indices where j > i {
                    let (a, b) = (min(members[i], members[j]), max(members[i], members[j]))
                    shared[a * n + b, default: 0] += 1
                }
            }
        }
        return shared.map { ($0.key / n, $0.key % n, $0.value) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
