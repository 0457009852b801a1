import CGraphviz
import Dispatch
import Foundation
import TramaModel

/// Lays out and renders DOT text with the Graphviz C library, in this process.
///
/// Graphviz is not thread-safe (four threads rendering at once crash it, even
/// with a context each), so every call goes through one process-wide serial
/// queue. Each render owns a fresh context and graph and frees both on every path.
public enum Graphviz {
    static let queue = DispatchQueue(label: "trama.graphviz")

    /// How many times Graphviz was called (tests check that refusals happen before).
    nonisolated(unsafe) public private(set) static var calls = 0

    public typealias Format = MapFormat
    public typealias Layout = MapLayout

    /// Lays out `dot` and reads back each node's position and the bounding box, in points.
    public static func positions(dot: String, layout: Layout) throws -> (
        nodes: [String: (Double, Double)], box: (Double, Double, Double, Double)
    ) {
        let placed = try placement(dot: dot, layout: layout)
        return (placed.nodes, placed.box)
    }

    /// Where a layout put each node, the drawing's bounding box, and each cluster's box
    /// and label position (`bb`, `lp`, as Graphviz writes them), for a final pass that
    /// draws them where they were.
    public static func placement(dot: String, layout: Layout) throws -> (
        nodes: [String: (Double, Double)], box: (Double, Double, Double, Double), clusters: [String: (bb: String, lp: String?)]
    ) {
        try withLayout(dot: dot, layout: layout) { context, graph in
            // Rendering to "dot" attaches the computed pos and bb as attributes.
            var bytes: UnsafeMutablePointer<CChar>?
            var length: UInt32 = 0
            guard gvRenderData(context, graph, "dot", &bytes, &length) == 0, let bytes else {
                throw TramaError(.storage, "Graphviz could not place the map")
            }
            gvFreeRenderData(bytes)
            func attribute(_ object: UnsafeMutableRawPointer, _ name: String) -> String? {
                name.withCString { key in agget(object, UnsafeMutablePointer(mutating: key)).map { String(cString: $0) } }
            }
            var nodes: [String: (Double, Double)] = [:]
            var node = agfstnode(graph)
            while let n = node {
                if let pos = attribute(UnsafeMutableRawPointer(n), "pos"), let name = agnameof(UnsafeMutableRawPointer(n)) {
                    let xy = pos.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: CharacterSet(charactersIn: "!"))) }
                    if xy.count >= 2 { nodes[String(cString: name)] = (xy[0], xy[1]) }
                }
                node = agnxtnode(graph, n)
            }
            let box = (attribute(UnsafeMutableRawPointer(graph), "bb") ?? "0,0,0,0").split(separator: ",").compactMap { Double($0) }
            var clusters: [String: (bb: String, lp: String?)] = [:]
            var subgraph = agfstsubg(graph)
            while let g = subgraph {
                if let name = agnameof(UnsafeMutableRawPointer(g)).map({ String(cString: $0) }), name.hasPrefix("cluster"),
                    let bb = attribute(UnsafeMutableRawPointer(g), "bb"), !bb.isEmpty
                {
                    clusters[name] = (bb, attribute(UnsafeMutableRawPointer(g), "lp").flatMap { $0.isEmpty ? nil : $0 })
                }
                subgraph = agnxtsubg(g)
            }
            return (nodes, box.count == 4 ? (box[0], box[1], box[2], box[3]) : (0, 0, 0, 0), clusters)
        }
    }

    /// Runs `body` on the serial queue with `dot` read and laid out in a fresh context;
    /// the layout, graph and context are freed on every path.
    private static func withLayout<T>(
        dot: String, layout: Layout,
        _ body: (OpaquePointer, UnsafeMutablePointer<Agraph_t>) throws -> T
    ) throws -> T {
        try withLayout(dot: dot, engine: layout.rawValue, body)
    }

    private static func withLayout<T>(
        dot: String, engine: String,
        _ body: (OpaquePointer, UnsafeMutablePointer<Agraph_t>) throws -> T
    ) throws -> T {
        try queue.sync {
            calls += 1
            guard let context = gvContext() else { throw TramaError(.storage, "Graphviz could not start: is libgraphviz installed?") }
            defer { gvFreeContext(context) }
            guard let graph = dot.withCString({ agmemread($0) }) else {
                throw TramaError(.malformed, "Graphviz could not read the map (internal DOT error)")
            }
            defer { agclose(graph) }
            resetRandomState()
            guard gvLayout(context, graph, engine) == 0 else {
                throw TramaError(.storage, "Graphviz could not lay out the map with \(engine): is the layout plugin installed?")
            }
            defer { gvFreeLayout(context, graph) }
            return try body(context, graph)
        }
    }

    /// sfdp draws from the C library's `rand()` while it coarsens the graph, before it
    /// seeds that generator from `start` for the coarsest level; so each render began
    /// where the previous one left the generator, and only the first render in a process
    /// matched the command line. Putting the generator back where a fresh process has it
    /// (glibc starts as if `srand(1)`) makes every render the same as the first.
    static func resetRandomState() {
        srand(1)
    }

    /// `dot` laid out by `layout` and rendered as `format`.
    public static func render(dot: String, layout: Layout, format: Format) throws -> Data {
        try render(dot: dot, engine: layout.rawValue, format: format)
    }

    /// As above with Graphviz's engine by name: `nop2` keeps every node where its
    /// `pos` (points) puts it and only draws the edges.
    static func render(dot: String, engine: String, format: Format) throws -> Data {
        try withLayout(dot: dot, engine: engine) { context, graph in
            // Into a memory stream rather than gvRenderData, whose buffer grows a page at a
            // time in Graphviz 2.43: a 5 MB SVG was copied over and over (0.8 s at 2,000 actors).
            var buffer: UnsafeMutablePointer<CChar>?
            var size = 0
            guard let stream = open_memstream(&buffer, &size) else { throw TramaError(.storage, "no memory for the map") }
            let status = gvRender(context, graph, format.rawValue, stream)
            fclose(stream)
            defer { free(buffer) }
            guard status == 0, let buffer else {
                throw TramaError(.storage, "Graphviz could not render \(format.rawValue): is the cairo plugin installed (Debian graphviz)?")
            }
            return Data(bytes: buffer, count: size)
        }
    }
}
