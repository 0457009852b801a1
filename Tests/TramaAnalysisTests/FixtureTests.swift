import Foundation
import Testing
import TramaAnalysis

/// A reference graph and networkx's answers for it (scripts/analysis_fixtures.py).
struct Fixture {
    let name: String
    let directed: Bool
    let nodes: [String]
    let edges: [(Int, Int, Double)]
    let results: [String: Any]
    let side: [String]?

    static let names = ["florentine", "karate", "lesmis", "ecosystem_directed", "disconnected", "single", "empty", "loops_and_parallel"]

    init(_ name: String) throws {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        self.name = name
        directed = json["directed"] as? Bool ?? false
        nodes = (json["nodes"] as? [Any] ?? []).map { "\($0)" }
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
        edges = (json["edges"] as? [[Any]] ?? []).map { e in (index["\(e[0])"]!, index["\(e[1])"]!, (e[2] as? NSNumber)?.doubleValue ?? 1) }
        results = json["results"] as? [String: Any] ?? [:]
        side = (json["side"] as? [Any])?.map { "\($0)" }
    }

    func graph(weighted: Bool = false) -> AnalysisGraph {
        AnalysisGraph(ids: nodes, edges: edges, directed: directed, weighted: weighted)
    }

    /// networkx's per-actor values for `metric`, in node order (NaN where it gave none).
    func expected(_ metric: String) -> [Double]? {
        guard let values = results[metric] as? [String: Any] else { return nil }
        return nodes.map { (values[$0] as? NSNumber)?.doubleValue ?? .nan }
    }
}

func expectClose(_ actual: [Double], _ expected: [Double]?, _ what: String, tolerance: Double = 1e-9) {
    guard let expected else {
        Issue.record("no reference values for \(what)")
        return
    }
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)")
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let same = (a.isNaN && e.isNaN) || abs(a - e) <= tolerance * max(1, abs(e))
        #expect(same, "\(what)[\(i)]: \(a), networkx \(e)")
    }
}

struct FixtureTests {
    @Test(arguments: Fixture.names)
    func perActorMeasuresMatchNetworkx(name: String) throws {
        let f = try Fixture(name)
        let g = f.graph(), w = f.graph(weighted: true)
        expectClose(Centrality.degree(g), f.expected("degree"), "\(name) degree")
        if f.directed {
            expectClose(Centrality.inDegree(g), f.expected("in_degree"), "\(name) in-degree")
            expectClose(Centrality.outDegree(g), f.expected("out_degree"), "\(name) out-degree")
        }
        expectClose(Centrality.strength(w), f.expected("strength"), "\(name) strength")
        expectClose(Centrality.reach(g), f.expected("reach"), "\(name) reach")
        expectClose(Paths.betweenness(g), f.expected("betweenness"), "\(name) betweenness")
        expectClose(Paths.betweenness(w), f.expected("betweenness_weighted"), "\(name) weighted betweenness")
        expectClose(Paths.closeness(g), f.expected("closeness"), "\(name) closeness")
        expectClose(Paths.closeness(w), f.expected("closeness_weighted"), "\(name) weighted closeness")
        expectClose(Paths.harmonic(g), f.expected("harmonic"), "\(name) harmonic")
        expectClose(Paths.harmonic(w), f.expected("harmonic_weighted"), "\(name) weighted harmonic")
        if f.nodes.count > 0 {
            expectClose(Centrality.pageRank(g, tolerance: 1e-15), f.expected("pagerank"), "\(name) pagerank")
            expectClose(Centrality.pageRank(w, tolerance: 1e-15), f.expected("pagerank_weighted"), "\(name) weighted pagerank")
        }
        if f.results["eigenvector"] != nil {
            expectClose(
                Centrality.eigenvector(g, tolerance: 1e-15, maxIterations: 100_000), f.expected("eigenvector"), "\(name) eigenvector",
                tolerance: 1e-8)
        }
        expectClose(Structure.coreNumbers(g).map(Double.init), f.expected("core"), "\(name) core")
        expectClose(Structure.clustering(g), f.expected("clustering"), "\(name) clustering")
        if f.nodes.count > 0 {
            expectClose(Structure.constraint(g), f.expected("constraint"), "\(name) constraint")
            expectClose(Structure.effectiveSize(g), f.expected("effective_size"), "\(name) effective size")
        }
    }

    @Test(arguments: Fixture.names)
    func networkMeasuresMatchNetworkx(name: String) throws {
        let f = try Fixture(name)
        let g = f.graph()
        let components = Structure.components(g).groups.map { $0.map { f.nodes[$0] }.sorted() }
        #expect(components == (f.results["components"] as? [[String]] ?? []))
        let cuts = Structure.cutPoints(g)
        let bridges = cuts.bridges.map { [f.nodes[$0.0], f.nodes[$0.1]].sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(bridges == (f.results["bridges"] as? [[String]] ?? []))
        #expect(cuts.articulationPoints.map { f.nodes[$0] }.sorted() == (f.results["articulation_points"] as? [String] ?? []))
        let summary = Summary(g)
        #expect(abs(summary.density - ((f.results["density"] as? NSNumber)?.doubleValue ?? -1)) < 1e-12)
        #expect(abs(summary.averageClustering - ((f.results["average_clustering"] as? NSNumber)?.doubleValue ?? -1)) < 1e-12)
        let lengths = try #require(f.results["path_lengths"] as? [String: Any])
        #expect(summary.diameter == (lengths["diameter"] as? NSNumber)?.doubleValue)
        #expect(abs(summary.averagePathLength - ((lengths["average"] as? NSNumber)?.doubleValue ?? -1)) < 1e-12)
    }

    @Test func groupMeasuresMatchNetworkxOnTheKarateClub() throws {
        let f = try Fixture("karate")
        let groups = try #require(f.results["groups"] as? [String: Int])
        let group = f.nodes.map { groups[$0]! }
        let g = f.graph()
        #expect(abs(try #require(Groups.eiIndex(g, group)) - (f.results["ei_index"] as! NSNumber).doubleValue) < 1e-12)
        #expect(abs(try #require(Groups.assortativity(g, group)) - (f.results["assortativity"] as! NSNumber).doubleValue) < 1e-12)
    }

    @Test(arguments: ["florentine", "karate", "lesmis"])
    func louvainIsWithinAHundredthOfNetworkxsBestOfTwenty(name: String) throws {
        let f = try Fixture(name)
        let g = f.graph()
        let best = try #require((f.results["louvain_best_of_20"] as? NSNumber)?.doubleValue)
        let partition = Communities.louvain(g, seed: 42)
        let q = Communities.modularity(g, partition)
        #expect(q >= best - 0.01, "\(name): modularity \(q), networkx best of 20 \(best)")
        #expect(Communities.louvain(g, seed: 42) == partition, "same seed, same answer")
    }

    @Test(arguments: ["florentine", "karate", "lesmis"])
    func leidenIsWithinAHundredthOfNetworkxsBestAndItsCommunitiesAreConnected(name: String) throws {
        let f = try Fixture(name)
        let g = f.graph()
        let best = try #require((f.results["louvain_best_of_20"] as? NSNumber)?.doubleValue)
        let partition = Communities.leiden(g, seed: 7)
        let q = Communities.modularity(g, partition)
        #expect(q >= best - 0.01, "\(name): modularity \(q), networkx best of 20 \(best)")
        #expect(Communities.leiden(g, seed: 7) == partition, "same seed, same answer")
        // Every community is connected: a search inside it from one member reaches all of its members.
        let u = g.undirected()
        for c in Set(partition) {
            let members = partition.indices.filter { partition[$0] == c }
            var seen: Set<Int> = [members[0]]
            var stack = [members[0]]
            while let v = stack.popLast() {
                for slot in u.out.range(v) {
                    let w = Int(u.out.targets[slot])
                    if partition[w] == c && seen.insert(w).inserted { stack.append(w) }
                }
            }
            #expect(seen.count == members.count, "\(name): community \(c) is not connected")
        }
    }

    @Test func davisSouthernWomenProjection() throws {
        let f = try Fixture("davis")
        let women = Set(try #require(f.side))
        let g = f.graph()
        let projected = Groups.projection(g, side: f.nodes.map(women.contains))
            .map { [f.nodes[$0.0], f.nodes[$0.1]].sorted() + ["\($0.2)"] }
            .sorted { $0.lexicographicallyPrecedes($1) }
        let expected = (f.results["projection"] as? [[Any]] ?? []).map { row in row.map { "\($0)" } }.sorted {
            $0.lexicographicallyPrecedes($1)
        }
        #expect(projected == expected)
    }
}

/// Sampled betweenness must stay within its stated bound of the exact values.
struct SampledBetweennessTests {
    @Test(arguments: ["karate", "lesmis", "ecosystem_directed", "disconnected"])
    func errorStaysInsideTheBound(name: String) throws {
        let f = try Fixture(name)
        let g = f.graph()
        let exact = try #require(f.expected("betweenness"))
        let sampled = Paths.sampledBetweenness(g, epsilon: 0.05, delta: 0.1, seed: 5)
        let worst = zip(sampled.values, exact).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= sampled.bound, "\(name): largest error \(worst), bound \(sampled.bound) from \(sampled.samples) samples")
        #expect(sampled.samples > 0)
        #expect(Paths.sampledBetweenness(g, epsilon: 0.05, delta: 0.1, seed: 5).values == sampled.values, "same seed, same answer")
    }

    @Test func sampleSizeFollowsRiondatoKornaropoulos() throws {
        // Karate club: connected, eccentricity of actor 0 is 3, so VD ≤ 7 and
        // r = ⌈(0.5 / 0.05²)(⌊log₂ 5⌋ + 1 + ln 10)⌉ = ⌈200 × (3 + 2.302585…)⌉ = 1061.
        let g = try Fixture("karate").graph()
        #expect(Paths.sampledBetweenness(g, epsilon: 0.05, delta: 0.1).samples == 1061)
    }
}

struct CutOffTests {
    /// Sizes of the connected pieces of `g` once `node` (or the tie `a`–`b`) is gone.
    func pieces(_ g: AnalysisGraph, without node: Int? = nil, cutting tie: (Int, Int)? = nil) -> [Int] {
        var seen = [Bool](repeating: false, count: g.nodeCount)
        if let node { seen[node] = true }
        var sizes: [Int] = []
        for s in 0..<g.nodeCount where !seen[s] {
            seen[s] = true
            var stack = [s], size = 0
            while let v = stack.popLast() {
                size += 1
                for slot in g.out.range(v) {
                    let w = Int(g.out.targets[slot])
                    if let tie, (v, w) == tie || (w, v) == tie { continue }
                    if !seen[w] {
                        seen[w] = true
                        stack.append(w)
                    }
                }
            }
            sizes.append(size)
        }
        return sizes
    }

    @Test(arguments: Fixture.names)
    func cutOffsAgreeWithCutPointsAndWithBruteForce(name: String) throws {
        let g = try Fixture(name).graph().undirected()
        let (points, bridges) = Structure.cutOffs(g)
        let plain = Structure.cutPoints(g)
        #expect(points.map(\.node) == plain.articulationPoints)
        #expect(bridges.map { [$0.a, $0.b] } == plain.bridges.map { [$0.0, $0.1] })
        let whole = pieces(g)
        for (v, cutOff) in points {
            // The actors of v's component outside the largest piece left without v.
            let before = whole.count
            let after = pieces(g, without: v)
            #expect(after.count > before - 1, "\(name): \(v) is not a cut point")
            let component = Structure.components(g).groups.first { $0.contains(v) }!
            let inComponent = Set(component).subtracting([v])
            var seen = Set<Int>(), largest = 0
            for s in inComponent where !seen.contains(s) {
                var stack = [s], size = 0
                seen.insert(s)
                while let x = stack.popLast() {
                    size += 1
                    for slot in g.out.range(x) where Int(g.out.targets[slot]) != v && seen.insert(Int(g.out.targets[slot])).inserted {
                        stack.append(Int(g.out.targets[slot]))
                    }
                }
                largest = max(largest, size)
            }
            #expect(cutOff == inComponent.count - largest, "\(name): cut-off of \(f(g, v))")
        }
        for (a, b, cutOff) in bridges {
            #expect(pieces(g, cutting: (a, b)).count == whole.count + 1, "\(name): \(a)–\(b) is not a bridge")
            // Without the tie, the side of `a` and the rest of its component.
            let component = Structure.components(g).groups.first { $0.contains(a) }!
            var seen: Set<Int> = [a], stack = [a]
            while let x = stack.popLast() {
                for slot in g.out.range(x) {
                    let w = Int(g.out.targets[slot])
                    if (x, w) == (a, b) || (x, w) == (b, a) { continue }
                    if seen.insert(w).inserted { stack.append(w) }
                }
            }
            #expect(cutOff == min(seen.count, component.count - seen.count), "\(name): bridge \(f(g, a))–\(f(g, b))")
        }
    }

    func f(_ g: AnalysisGraph, _ v: Int) -> String { g.ids[v] }
}
