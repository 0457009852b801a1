import Dispatch
import Foundation

/// Shortest-path measures. Unweighted graphs use breadth-first search; weighted
/// ones use Dijkstra with a tie's length = 1 / strength (a stronger tie is a
/// shorter path). Sources are split over the machine's cores.
public enum Paths {
    /// Reusable buffers for one single-source search.
    struct Search {
        var dist: [Double]
        var sigma: [Double]
        var delta: [Double]
        var settled: [Bool]
        var order: [Int32] = []
        var queue: [Int32] = []
        /// Nodes given a distance by Dijkstra that were never settled (an early stop).
        var touched: [Int] = []
        var heap = Heap()

        init(_ n: Int) {
            dist = [Double](repeating: .infinity, count: n)
            sigma = [Double](repeating: 0, count: n)
            delta = [Double](repeating: 0, count: n)
            settled = [Bool](repeating: false, count: n)
            order.reserveCapacity(n)
            queue.reserveCapacity(n)
        }

        /// Distances from `s` along `adjacency`; `order` lists reached nodes by
        /// non-decreasing distance; `sigma` counts shortest paths. With `until`,
        /// stops once that node's distance is final (its paths all counted).
        mutating func run(from s: Int, _ adjacency: Adjacency, weighted: Bool, until stop: Int? = nil) {
            for v in order {
                dist[Int(v)] = .infinity
                sigma[Int(v)] = 0
                settled[Int(v)] = false
            }
            for v in queue {
                dist[Int(v)] = .infinity
                sigma[Int(v)] = 0
            }
            for v in touched {
                dist[v] = .infinity
                sigma[v] = 0
                settled[v] = false
            }
            touched.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            dist[s] = 0
            sigma[s] = 1
            if !weighted {
                queue.removeAll(keepingCapacity: true)
                queue.append(Int32(s))
                var head = 0
                while head < queue.count {
                    let v = Int(queue[head])
                    head += 1
                    // Every path to `stop` is counted once the search moves past its level.
                    if let stop, dist[stop] < dist[v] { break }
                    order.append(Int32(v))
                    let next = dist[v] + 1
                    for slot in adjacency.range(v) {
                        let w = Int(adjacency.targets[slot])
                        if dist[w] == .infinity {
                            dist[w] = next
                            queue.append(Int32(w))
                        }
                        if dist[w] == next { sigma[w] += sigma[v] }
                    }
                }
            } else {
                heap.removeAll()
                heap.push(0, Int32(s))
                while let (d, v32) = heap.pop() {
                    let v = Int(v32)
                    if settled[v] || d > dist[v] { continue }
                    if let stop, settled[stop] { break }
                    settled[v] = true
                    order.append(v32)
                    for slot in adjacency.range(v) {
                        let w = Int(adjacency.targets[slot])
                        if settled[w] { continue }
                        let alt = d + 1 / adjacency.weight(slot)
                        if alt < dist[w] {
                            if dist[w] == .infinity { touched.append(w) }
                            dist[w] = alt
                            sigma[w] = sigma[v]
                            heap.push(alt, Int32(w))
                        } else if alt == dist[w] {
                            sigma[w] += sigma[v]
                        }
                    }
                }
            }
        }
    }

    /// Betweenness centrality, exact (Brandes 2001), normalised as
    /// `networkx.betweenness_centrality`: by 1/((n−1)(n−2)), pairs counted in
    /// both directions for an undirected graph.
    /// - Complexity: O(nm) unweighted, O(nm + n² log n) weighted; split over the cores.
    public static func betweenness(_ g: AnalysisGraph) -> [Double] {
        let n = g.nodeCount
        if !g.weighted {
            let raw = perSourceUnweighted(g, initial: [Double](repeating: 0, count: n)) { search, s, total in
                search.run(from: s, g.out)
                search.accumulate(into: &total)
            } merge: { a, b in
                for i in a.indices { a[i] += b[i] }
            }
            guard n > 2 else { return [Double](repeating: 0, count: n) }
            let scale = 1 / (Double(n - 1) * Double(n - 2))
            return raw.map { $0 * scale }
        }
        let raw = perSource(g, initial: [Double](repeating: 0, count: n)) { search, s, total in
            search.run(from: s, g.out, weighted: g.weighted)
            for v in search.order { search.delta[Int(v)] = 0 }
            for v32 in search.order.reversed() {
                let v = Int(v32)
                let coefficient = (1 + search.delta[v]) / search.sigma[v]
                for slot in g.inc.range(v) {
                    let u = Int(g.inc.targets[slot])
                    let length = g.weighted ? 1 / g.inc.weight(slot) : 1
                    if search.dist[u] + length == search.dist[v] { search.delta[u] += search.sigma[u] * coefficient }
                }
                if v != s { total[v] += search.delta[v] }
            }
        } merge: { a, b in
            for i in a.indices { a[i] += b[i] }
        }
        guard n > 2 else { return [Double](repeating: 0, count: n) }
        let scale = 1 / (Double(n - 1) * Double(n - 2))
        return raw.map { $0 * scale }
    }

    /// Betweenness estimated from sampled shortest paths with Riondato and
    /// Kornaropoulos's guarantee (2016): with probability at least 1 − `delta`,
    /// every actor's estimate is within `epsilon` × n/(n−2) of its exact
    /// (networkx-normalised) betweenness. The sample size is
    /// ⌈(0.5/ε²)(⌊log₂(VD − 2)⌋ + 1 + ln(1/δ))⌉, VD an upper bound on the number
    /// of actors on a shortest path. Same seed, same answer.
    /// - Complexity: O(samples · m) at worst; each sample stops when its target is reached.
    /// How many shortest paths ``sampledBetweenness(_:epsilon:delta:seed:)`` samples for
    /// its guarantee (Riondato–Kornaropoulos): c/ε² (⌊log₂(VD − 2)⌋ + 1 + ln 1/δ), c = 0.5.
    /// - Complexity: O(n + m) (one search for the vertex-diameter bound).
    public static func sampleSize(_ g: AnalysisGraph, epsilon: Double, delta: Double) -> Double {
        guard g.nodeCount > 2 else { return 0 }
        let vd = Double(vertexDiameterBound(g))
        return ((0.5 / (epsilon * epsilon)) * (floor(log2(max(vd - 2, 1))) + 1 + log(1 / delta))).rounded(.up)
    }

    public static func sampledBetweenness(_ g: AnalysisGraph, epsilon: Double, delta: Double, seed: UInt64 = 1)
        -> (values: [Double], samples: Int, bound: Double)
    {
        let n = g.nodeCount
        guard n > 2 else { return ([Double](repeating: 0, count: n), 0, 0) }
        let r = Int(sampleSize(g, epsilon: epsilon, delta: delta))
        // Two fixed halves with their own seeded streams: the same answer on any number of cores.
        let halves = [r / 2, r - r / 2]
        var counts = [[Double]](repeating: [Double](repeating: 0, count: n), count: 2)
        counts.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: 2) { half in
                var rng = SplitMix64(seed: seed &+ UInt64(half) &* 0x9E37_79B9)
                var search = Search(n)
                var hits = [Double](repeating: 0, count: n)
                for _ in 0..<halves[half] {
                    let s = Int.random(in: 0..<n, using: &rng)
                    var t = Int.random(in: 0..<(n - 1), using: &rng)
                    if t >= s { t += 1 }
                    search.run(from: s, g.out, weighted: g.weighted, until: t)
                    guard search.dist[t] < .infinity else { continue }
                    // Walk back one shortest path, chosen with probability σ_su / σ_sw at each step.
                    var w = t
                    while w != s {
                        var pick = Double.random(in: 0..<search.sigma[w], using: &rng)
                        var chosen = -1
                        for slot in g.inc.range(w) {
                            let u = Int(g.inc.targets[slot])
                            let length = g.weighted ? 1 / g.inc.weight(slot) : 1
                            guard search.dist[u] + length == search.dist[w] else { continue }
                            chosen = u
                            pick -= search.sigma[u]
                            if pick < 0 { break }
                        }
                        w = chosen
                        if w != s { hits[w] += 1 }
                    }
                }
                slots[half] = hits
            }
        }
        let scale = Double(n) / Double(n - 2) / Double(r)
        return ((0..<n).map { (counts[0][$0] + counts[1][$0]) * scale }, r, epsilon * Double(n) / Double(n - 2))
    }

    /// An upper bound on the number of actors on any shortest path: for an
    /// unweighted undirected graph, 2·ecc + 1 from one actor of each component;
    /// otherwise the size of the largest (weak) component.
    static func vertexDiameterBound(_ g: AnalysisGraph) -> Int {
        let components = Structure.components(g).groups
        if g.directed || g.weighted { return components.first?.count ?? 0 }
        var search = Search(g.nodeCount)
        var bound = 0
        for members in components {
            search.run(from: members[0], g.out, weighted: false)
            let eccentricity = Int(search.order.last.map { search.dist[Int($0)] } ?? 0)
            bound = max(bound, min(2 * eccentricity + 1, members.count))
        }
        return bound
    }

    /// Closeness centrality as `networkx.closeness_centrality` computes it
    /// (Wasserman–Faust improved form for disconnected graphs; incoming
    /// distances for a directed graph): (r/(n−1)) · (r / Σd), r the actors that reach it.
    /// - Complexity: O(nm) unweighted; split over the cores.
    public static func closeness(_ g: AnalysisGraph) -> [Double] {
        let n = g.nodeCount
        if !g.weighted {
            return MultiSourceBFS.allSums(g.inc, nodeCount: n).map { sums in
                let reached = Double(sums.reached)
                return sums.distance > 0 && n > 1 ? (reached / sums.distance) * (reached / Double(n - 1)) : 0
            }
        }
        return perSource(g, initial: [Double](repeating: 0, count: n)) { search, v, values in
            search.run(from: v, g.inc, weighted: g.weighted)
            let reached = Double(search.order.count - 1)
            let total = search.order.reduce(0) { $0 + search.dist[Int($1)] }
            if total > 0 && n > 1 { values[v] = (reached / total) * (reached / Double(n - 1)) }
        } merge: { a, b in
            for i in a.indices where b[i] != 0 { a[i] = b[i] }
        }
    }

    /// Harmonic centrality as `networkx.harmonic_centrality`: the sum of 1/d over
    /// the actors that reach it (not normalised).
    /// - Complexity: O(nm) unweighted; split over the cores.
    public static func harmonic(_ g: AnalysisGraph) -> [Double] {
        let n = g.nodeCount
        if !g.weighted {
            return MultiSourceBFS.allSums(g.inc, nodeCount: n).map(\.harmonic)
        }
        return perSource(g, initial: [Double](repeating: 0, count: n)) { search, v, values in
            search.run(from: v, g.inc, weighted: g.weighted)
            values[v] = search.order.dropFirst().reduce(0) { $0 + 1 / search.dist[Int($1)] }
        } merge: { a, b in
            for i in a.indices where b[i] != 0 { a[i] = b[i] }
        }
    }

    /// Diameter (the longest shortest path between two actors that reach each
    /// other) and average path length (over all such ordered pairs), from
    /// every actor when `sources` is nil, else from that many seeded sources.
    /// - Complexity: O(nm), or O(sources · m).
    public static func pathLengths(_ g: AnalysisGraph, sources: Int? = nil, seed: UInt64 = 1) -> (
        diameter: Double, average: Double, pairs: Int
    ) {
        var chosen = Array(0..<g.nodeCount)
        if let sources, sources < g.nodeCount {
            var rng = SplitMix64(seed: seed)
            chosen.shuffle(using: &rng)
            chosen = Array(chosen.prefix(sources))
        }
        let result = perSource(g, sources: chosen, initial: (0.0, 0.0, 0)) { search, s, acc in
            search.run(from: s, g.out, weighted: g.weighted)
            for v in search.order.dropFirst() {
                let d = search.dist[Int(v)]
                acc.0 = max(acc.0, d)
                acc.1 += d
                acc.2 += 1
            }
        } merge: { a, b in
            a = (max(a.0, b.0), a.1 + b.1, a.2 + b.2)
        }
        return (result.0, result.2 == 0 ? 0 : result.1 / Double(result.2), result.2)
    }

    /// ``perSource(_:sources:initial:_:merge:)`` with the unweighted search.
    static func perSourceUnweighted<Accumulator>(
        _ g: AnalysisGraph, initial: Accumulator,
        _ body: (inout UnweightedSearch, Int, inout Accumulator) -> Void,
        merge: (inout Accumulator, Accumulator) -> Void
    ) -> Accumulator {
        split(
            Array(0..<g.nodeCount), initial: initial, makeSearch: { UnweightedSearch(g.nodeCount, arcs: g.out.targets.count) },
            body, merge: merge)
    }

    /// Runs `body` for every source on two threads, each with its own search
    /// buffers and accumulator, then merges the accumulators.
    static func perSource<Accumulator>(
        _ g: AnalysisGraph, sources: [Int]? = nil, initial: Accumulator,
        _ body: (inout Search, Int, inout Accumulator) -> Void,
        merge: (inout Accumulator, Accumulator) -> Void
    ) -> Accumulator {
        split(sources ?? Array(0..<g.nodeCount), initial: initial, makeSearch: { Search(g.nodeCount) }, body, merge: merge)
    }

    /// The sources dealt round-robin to two threads (one for fewer than 64).
    static func split<State, Accumulator>(
        _ all: [Int], initial: Accumulator, makeSearch: () -> State,
        _ body: (inout State, Int, inout Accumulator) -> Void,
        merge: (inout Accumulator, Accumulator) -> Void
    ) -> Accumulator {
        let threads = all.count >= 64 ? min(2, ProcessInfo.processInfo.activeProcessorCount) : 1
        var partials = [Accumulator](repeating: initial, count: threads)
        nonisolated(unsafe) let initial = initial
        partials.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            withoutActuallyEscaping(body) { body in
                withoutActuallyEscaping(makeSearch) { makeSearch in
                    nonisolated(unsafe) let (body, makeSearch) = (body, makeSearch)
                    DispatchQueue.concurrentPerform(iterations: threads) { t in
                        var search = makeSearch()
                        var acc = initial
                        var i = t
                        while i < all.count {
                            body(&search, all[i], &acc)
                            i += threads
                        }
                        slots[t] = acc
                    }
                }
            }
        }
        var total = partials[0]
        for partial in partials.dropFirst() { merge(&total, partial) }
        return total
    }
}

/// A binary min-heap of (distance, node) for Dijkstra.
struct Heap {
    private var keys: [Double] = []
    private var values: [Int32] = []

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    mutating func push(_ key: Double, _ value: Int32) {
        keys.append(key)
        values.append(value)
        var i = keys.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if keys[parent] <= keys[i] { break }
            keys.swapAt(parent, i)
            values.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> (Double, Int32)? {
        guard let top = keys.first else { return nil }
        let value = values[0]
        keys.swapAt(0, keys.count - 1)
        values.swapAt(0, values.count - 1)
        keys.removeLast()
        values.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < keys.count && keys[l] < keys[smallest] { smallest = l }
            if r < keys.count && keys[r] < keys[smallest] { smallest = r }
            if smallest == i { break }
            keys.swapAt(smallest, i)
            values.swapAt(smallest, i)
            i = smallest
        }
        return (top, value)
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same answer
/// on every machine, which Swift's system generator does not promise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
