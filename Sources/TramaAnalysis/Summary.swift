/// Figures of a whole network.
public struct Summary: Sendable, Codable {
    public var actors: Int
    public var relations: Int
    public var directed: Bool
    /// As `networkx.density`: m / (n(n−1)), doubled for an undirected graph.
    public var density: Double
    public var components: Int
    public var largestComponent: Int
    /// The longest shortest path between two actors that reach each other.
    public var diameter: Double
    /// The mean shortest path over ordered pairs that reach each other.
    public var averagePathLength: Double
    /// True when path lengths come from a sample of sources (large graphs).
    public var pathLengthsSampled: Bool
    /// As `networkx.average_clustering` on the undirected view (zeros included).
    public var averageClustering: Double
    /// Share of arcs whose reverse also exists (directed graphs), as `networkx.overall_reciprocity`.
    public var reciprocity: Double?

    enum CodingKeys: String, CodingKey {
        case actors, relations, directed, density, components, diameter, reciprocity
        case largestComponent = "largest_component"
        case averagePathLength = "average_path_length"
        case pathLengthsSampled = "path_lengths_sampled"
        case averageClustering = "average_clustering"
    }

    /// Path lengths are exact up to `exactUpTo` actors, sampled from 1,000 sources above.
    /// - Complexity: O(nm) up to `exactUpTo` actors, O(1000 m) above.
    public init(_ g: AnalysisGraph, exactUpTo: Int = 20_000) {
        let n = g.nodeCount
        actors = n
        relations = g.edgeCount
        directed = g.directed
        let pairs = Double(n) * Double(n - 1)
        density = n > 1 ? Double(g.edgeCount) * (g.directed ? 1 : 2) / pairs : 0
        let groups = Structure.components(g).groups
        components = groups.count
        largestComponent = groups.first?.count ?? 0
        let sampled = n > exactUpTo
        let lengths = Paths.pathLengths(g, sources: sampled ? 1000 : nil)
        diameter = lengths.diameter
        averagePathLength = lengths.average
        pathLengthsSampled = sampled
        let clustering = Structure.clustering(g)
        averageClustering = n == 0 ? 0 : clustering.reduce(0, +) / Double(n)
        if g.directed, g.edgeCount > 0 {
            var mutual = 0
            for u in 0..<n {
                for slot in g.out.range(u) {
                    let v = Int(g.out.targets[slot])
                    if g.out.targets[g.out.range(v)].contains(Int32(u)) { mutual += 1 }
                }
            }
            reciprocity = Double(mutual) / Double(g.edgeCount)
        } else {
            reciprocity = nil
        }
    }
}
