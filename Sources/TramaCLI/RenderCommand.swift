import ArgumentParser
import Foundation
import TramaApp
import TramaModel

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw a map of the ecosystem with Graphviz: SVG, PNG, PDF or DOT.",
        discussion: """
            Views: whole, territory:NAME (with the territories inside it), ego:ID or ego:ID:RADIUS (an actor's \
            neighbourhood, radius 1 by default), actors:ID,ID,… (any list, e.g. a coalition), community:N (the N-th \
            largest Leiden community). The filters of `trama analyze` apply. Each render runs in its own process \
            (this command), which keeps sfdp and fdp reproducible: in one process they carry state from one layout \
            to the next. The format follows -o's extension unless --format is given.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @Option(help: "What to draw: whole, territory:NAME, ego:ID[:RADIUS], actors:ID,ID,…, community:N.") var view: String = "whole"
    @OptionGroup var options: FilterOptions
    @Option(help: "Layout: sfdp, fdp, neato, dot, circo, twopi (default: neato up to 150 actors, sfdp above).") var layout: MapLayout?
    @Option(help: "svg, png, pdf or dot (default: from -o's extension, else svg).") var format: MapFormat?
    @Option(name: .shortAndLong, help: "Output file (standard output for svg and dot when omitted).") var output: String?
    @Option(name: .customLong("size-by"), help: "Size actors by a per-actor metric (degree, strength, betweenness, pagerank, …).")
    var sizeBy: Metric?
    @Option(name: .customLong("color-by"), help: "Colour by kind, territory or community.") var colorBy: ColorBy = .kind
    @Flag(help: "Draw territories (provinces) as clusters (dot and fdp layouts).") var clusters = false
    @Option(help: "Overlay: gaps (weak points highlighted, suggested ties dashed).") var overlay: MapOverlay?
    @Option(help: "Language of the legend: en or it.") var lang: Language = .preferred
    @Option(help: "Title (default: the graph's name).") var title: String?
    @Option(help: "The date line (default: the day of the version drawn).") var date: String?
    @Flag(name: .customLong("no-legend"), help: "Leave the legend out.") var noLegend = false
    @Flag(help: "Print the DOT text Trama hands to Graphviz (before layout) instead of rendering.") var source = false
    @Option(
        name: .customLong("diff"), parsing: .upToNextOption,
        help: "FROM [TO]: draw what changed between two moments (snapshots, dates, change:ID; TO default now) on one layout.")
    var diff: [String] = []
    @Flag(help: "Lay the view out anew, not on the positions its last map kept (the new ones are kept).") var relayout = false
    @Option(help: "Stop the layout after this many seconds, with an error and nothing written.") var timeout: Double = 300

    /// The format asked for, else the one -o's extension names, else SVG.
    var effectiveFormat: MapFormat { format ?? output.flatMap(MapFormat.init(fileName:)) ?? .svg }

    func validate() throws {
        if (effectiveFormat == .png || effectiveFormat == .pdf) && output == nil && !source {
            throw ValidationError("--format \(effectiveFormat.rawValue) needs -o PATH")
        }
        if diff.count > 2 { throw ValidationError("--diff takes FROM and at most one TO") }
        if !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds above 0 and at most 86400, not \(timeout)")
        }
        if let sizeBy, !sizeBy.isPerActor {
            throw ValidationError(
                "--size-by takes a per-actor metric (degree, strength, betweenness, closeness, pagerank, …), not \(sizeBy.rawValue)")
        }
    }

    func run() throws {
        let app = store.app
        var query = MapQuery(
            graph: store.graph, asOf: try read.moment(), on: try read.date(), view: try MapView(parsing: view), filter: options.filter,
            layout: layout, format: effectiveFormat, sizeBy: sizeBy, colorBy: colorBy, clusters: clusters, overlay: overlay, lang: lang,
            title: title, date: date, legend: !noLegend, public: read.public)
        if relayout { query.relayout = true }
        if let from = diff.first {
            query.compareFrom = try Moment(parsing: from, field: "diff")
            query.compareTo = try diff.dropFirst().first.map { try Moment(parsing: $0, field: "diff") }
        }
        let request = try app.mapRequest(query)
        if source {
            Console.print(app.mapSource(request))
            return
        }
        // A layout past its deadline stops the process: nothing has been written yet,
        // and the output file is replaced only whole.
        let seconds = timeout
        let watchdog = DispatchWorkItem {
            Console.error(
                "the map took longer than \(seconds.formatted()) seconds to lay out and was stopped: narrow the view, pick a faster layout (sfdp), or give more --timeout"
            )
            _exit(1)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let bytes = try app.renderMap(request)
        watchdog.cancel()
        if let output {
            try Output.write(bytes, to: output)
            Console.note(
                "wrote \(output) (\(request.nodes.count) actors, \(request.edges.filter { !$0.suggested }.count) relations, \(request.layout.rawValue))"
            )
        } else {
            Console.write(bytes)
        }
    }
}
