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
                let w = u.out.weight(slot)
                total += w
                degree[community[v]] += w
                if community[Int(u.out.targets[slot])] == community[v] { inside[community[v]] += w }
            }
        }
        guard total > 0 else { return 0 }
        // `total` is 2m and `inside` counts each internal edge twice.
        return zip(inside, degree).reduce(0) { $0 + $1.0 / total - resolution * ($1.1 / total) * ($1.1 / total) }
    }

    /// Louvain (Blondel et al. 2008), with Leiden's fast local moving (a queue of
    /// nodes to revisit): local moves in a seeded random order, then
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
        let actorLevel = LevelGraph(u)
        var adjacency = actorLevel
        var membership = Array(0..<n)  // original actor → node of the current level
        var best = membership
        var bestQ = modularity(g, membership, resolution: resolution)
        let m2 = adjacency.totalWeight
        guard m2 > 0 else { return Array(0..<n) }
        while true {
            let count = adjacency.count
            var community = Array(0..<count)
            // Leiden's queue-based local moving: only nodes whose neighbourhood changed are revisited.
            moveNodesFast(adjacency, adjacency.strengths(), &community, resolution: resolution, m2: m2, rng: &rng)
            guard community != Array(0..<count) else { break }
            // Renumber and aggregate.
            var renumber = [Int](repeating: -1, count: count)
            var next = 0
            for v in 0..<count where renumber[community[v]] < 0 {
                renumber[community[v]] = next
                next += 1
            }
            membership = membership.map { renumber[community[$0]] }
            adjacency = adjacency.aggregated(by: community.map { renumber[$0] }, groups: next)
            let q = modularity(g, membership, resolution: resolution)
            if q - bestQ <= threshold {
                if q > bestQ {
                    best = membership
                    bestQ = q
                }
                break
            }
            best = membership
            bestQ = q
            if next == count { break }
        }
        var refined = best
        moveNodesFast(actorLevel, actorLevel.strengths(), &refined, resolution: resolution, m2: m2, rng: &rng)
        if refined != best, modularity(g, refined, resolution: resolution) > bestQ { best = refined }
        return numberedBySize(best)
    }

    /// Leiden (Traag, Waltman and van Eck 2019): fast local moving, then a
    /// refinement inside each community in which an actor joins only a
    /// well-connected subcommunity it has ties to, then aggregation of the
    /// refined partition; repeated until nothing moves. Every community it
    /// returns is connected. Same seed, same partition.
    /// - Complexity: about O(m) per iteration; a few iterations in practice.
    public static func leiden(_ g: AnalysisGraph, resolution: Double = 1, seed: UInt64 = 1) -> [Int] {
        let u = g.undirected()
        let n = u.nodeCount
        guard n > 0 else { return [] }
        var rng = SplitMix64(seed: seed)
        var adjacency = LevelGraph(u)
        let m2 = adjacency.totalWeight
        guard m2 > 0 else { return Array(0..<n) }
        var membership = Array(0..<n)  // actor → node of the current level
        var community = Array(0..<n)  // node of the current level → community
        while true {
            let count = adjacency.count
            let strength = adjacency.strengths()
            moveNodesFast(adjacency, strength, &community, resolution: resolution, m2: m2, rng: &rng)
            let communityCount = Set(community).count
            if communityCount == count { break }
            // Refinement: inside each community, singletons merge into well-connected subcommunities.
            let refined = refine(adjacency, strength, community, resolution: resolution, m2: m2, rng: &rng)
            var renumber = [Int](repeating: -1, count: count)
            var next = 0
            for v in 0..<count where renumber[refined[v]] < 0 {
                renumber[refined[v]] = next
                next += 1
            }
            var aggregateCommunity = [Int](repeating: 0, count: next)
            for v in 0..<count { aggregateCommunity[renumber[refined[v]]] = community[v] }
            membership = membership.map { renumber[refined[$0]] }
            adjacency = adjacency.aggregated(by: refined.map { renumber[$0] }, groups: next)
            // Aggregate nodes start in their (unrefined) community.
            var relabel: [Int: Int] = [:]
            community = aggregateCommunity.map { c in
                if let known = relabel[c] { return known }
                relabel[c] = relabel.count
                return relabel.count - 1
            }
            if next == count { break }
        }
        return numberedBySize(connectedParts(u, membership.map { community[$0] }))
    }

    /// Splits every community into its connected parts (splitting a
    /// disconnected community never lowers modularity).
    /// - Complexity: O(n + m).
    static func connectedParts(_ u: AnalysisGraph, _ community: [Int]) -> [Int] {
        var label = [Int](repeating: -1, count: u.nodeCount)
        var next = 0
        var stack: [Int] = []
        for s in 0..<u.nodeCount where label[s] < 0 {
            label[s] = next
            stack.append(s)
            while let v = stack.popLast() {
                for slot in u.out.range(v) {
                    let w = Int(u.out.targets[slot])
                    if label[w] < 0 && community[w] == community[s] {
                        label[w] = next
                        stack.append(w)
                    }
                }
            }
            next += 1
        }
        return label
    }

    /// Leiden's fast local moving: a queue of nodes in seeded random order; a node
    /// that moves puts its neighbours outside its new community back in the queue.
    static func moveNodesFast(
        _ adjacency: LevelGraph, _ strength: [Double], _ community: inout [Int], resolution: Double, m2: Double,
        rng: inout SplitMix64
    ) {
        let count = adjacency.count
        var tot = [Double](repeating: 0, count: count)
        for v in 0..<count { tot[community[v]] += strength[v] }
        var queue = Array(0..<count)
        queue.shuffle(using: &rng)
        var queued = [Bool](repeating: true, count: count)
        var head = 0
        var weightTo = [Double](repeating: 0, count: count)
        var touched: [Int] = []
        // An empty community to move to, when one exists.
        var sizes = [Int](repeating: 0, count: count)
        for v in 0..<count { sizes[community[v]] += 1 }
        var empty = (0..<count).filter { sizes[$0] == 0 }
        while head < queue.count {
            let v = queue[head]
            head += 1
            queued[v] = false
            let own = community[v]
            touched.removeAll(keepingCapacity: true)
            for (w, weight) in adjacency[v] where w != v {
                let c = community[w]
                if weightTo[c] == 0 { touched.append(c) }
                weightTo[c] += weight
            }
            tot[own] -= strength[v]
            var best = own
            var bestGain = weightTo[own] - resolution * tot[own] * strength[v] / m2
            for c in touched where c != own {
                let gain = weightTo[c] - resolution * tot[c] * strength[v] / m2
                if gain > bestGain + 1e-12 {
                    bestGain = gain
                    best = c
                }
            }
            if bestGain < -1e-12, sizes[own] > 1, let free = empty.last {
                best = free  // alone is better than anywhere else
            }
            tot[best] += strength[v]
            if best != own {
                sizes[own] -= 1
                sizes[best] += 1
                if best == empty.last { empty.removeLast() }
                if sizes[own] == 0 { empty.append(own) }
                community[v] = best
                for (w, _) in adjacency[v] where w != v && !queued[w] && community[w] != best {
                    queued[w] = true
                    queue.append(w)
                }
            }
            for c in touched { weightTo[c] = 0 }
            weightTo[own] = 0
        }
    }

    /// Leiden's refinement (greedy variant): within each community, every node
    /// starts alone; a node still alone that is well connected to its community
    /// joins the well-connected subcommunity (one it has ties to) with the
    /// largest non-negative gain. Subcommunities grow only along ties, so each is connected.
    static func refine(
        _ adjacency: LevelGraph, _ strength: [Double], _ community: [Int], resolution: Double, m2: Double,
        rng: inout SplitMix64
    ) -> [Int] {
        let count = adjacency.count
        var refined = Array(0..<count)
        var communityStrength = [Double](repeating: 0, count: count)
        for v in 0..<count { communityStrength[community[v]] += strength[v] }
        var subStrength = strength  // ‖T‖ for each subcommunity T
        var subExternal = [Double](repeating: 0, count: count)  // E(T, C − T)
        for v in 0..<count {
            for (w, weight) in adjacency[v] where w != v && community[w] == community[v] { subExternal[v] += weight }
        }
        var alone = [Bool](repeating: true, count: count)
        var order = Array(0..<count)
        order.shuffle(using: &rng)
        var weightTo = [Double](repeating: 0, count: count)
        var touched: [Int] = []
        for v in order where alone[v] {
            let c = community[v]
            let kv = strength[v]
            // Well connected to its community?
            guard subExternal[v] >= resolution * kv * (communityStrength[c] - kv) / m2 else { continue }
            touched.removeAll(keepingCapacity: true)
            for (w, weight) in adjacency[v] where w != v && community[w] == c {
                let t = refined[w]
                if weightTo[t] == 0 { touched.append(t) }
                weightTo[t] += weight
            }
            var best = refined[v]
            var bestGain = 0.0
            for t in touched where t != refined[v] {
                guard subExternal[t] >= resolution * subStrength[t] * (communityStrength[c] - subStrength[t]) / m2 else { continue }
                let gain = weightTo[t] - resolution * subStrength[t] * kv / m2
                if gain > bestGain + 1e-12 {
                    bestGain = gain
                    best = t
                }
            }
            for t in touched { weightTo[t] = 0 }
            guard best != refined[v] else { continue }
            // v joins subcommunity `best`: update its strength and its ties to the rest of the community.
            let old = refined[v]
            refined[v] = best
            alone[v] = false
            var toBest = 0.0
            for (w, weight) in adjacency[v] where w != v && refined[w] == best { toBest += weight }
            subExternal[best] = subExternal[best] + subExternal[old] - 2 * toBest
            subStrength[best] += kv
            subStrength[old] = 0
            subExternal[old] = 0
            alone[best] = false  // the node that founded `best`
        }
        return refined
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
