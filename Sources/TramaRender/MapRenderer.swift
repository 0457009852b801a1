import Foundation
import TramaExchange
import TramaModel

/// Turns a ``MapRequest`` into DOT that Trama writes itself, and renders it.
///
/// Every user text goes through ``DOT/quote(_:)`` (quotes and backslashes
/// escaped, control characters dropped); no HTML-like label and no file
/// attribute (`image`, `shapefile`, `fontpath`) is ever written.
public enum MapRenderer {
    /// Okabe and Ito's colour-blind-safe palette.
    static let palette = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
    static let kindColors = [
        "cooperative": "#E69F00", "consortium": "#56B4E9", "association": "#009E73", "public_administration": "#0072B2",
        "mentor": "#CC79A7", "partner": "#F0E442", "network": "#D55E00", "project": "#DDDDDD",
    ]
    static let kindShapes = [
        "cooperative": "ellipse", "consortium": "hexagon", "association": "egg", "public_administration": "box",
        "mentor": "diamond", "partner": "house", "network": "octagon", "project": "note",
    ]
    /// (colour, style, pen width) per relation type.
    static let typeStyles: [String: (String, String, Double)] = [
        "member_of": ("#555555", "solid", 1), "partners_with": ("#009E73", "solid", 2.2), "co_designs_with": ("#0072B2", "solid", 2.6),
        "co_programs_with": ("#56B4E9", "solid", 2.6), "contracts_with": ("#D55E00", "dashed", 1.6), "mentors": ("#CC79A7", "dotted", 1.6),
        "funds": ("#E69F00", "solid", 1.6), "participates_in": ("#999999", "solid", 0.8), "promotes": ("#333333", "solid", 1.2),
        "affiliated_with": ("#999999", "dotted", 1),
    ]

    /// Colours of a map that compares two states: Okabe–Ito bluish green and orange, and a grey.
    static let stateColors = (added: "#009E73", changed: "#E69F00", removed: "#999999")

    static let q = DOT.quote

    /// A tooltip: Graphviz unescapes tooltips twice (a label once), so each backslash
    /// is doubled before quoting, else `\N` in a name would become the node's id.
    static func tooltip(_ text: String) -> String { q(text.replacingOccurrences(of: "\\", with: "\\\\")) }

    /// A name wrapped at word boundaries into lines of about 18 characters, at most 4 lines.
    static func wrap(_ name: String) -> String {
        var lines: [String] = []
        var line = ""
        for word in name.split(separator: " ") {
            if !line.isEmpty && line.count + word.count > 18 {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        if lines.count > 4 {
            lines = Array(lines.prefix(4))
            lines[3] += "…"
        }
        return lines.map { $0.count > 40 ? String($0.prefix(39)) + "…" : $0 }.joined(separator: "\n")
    }

    /// The fill colour for a colour key: the kind's, or the palette in order of first appearance.
    static func colors(_ request: MapRequest) -> [String: String] {
        var colors: [String: String] = [:]
        var next = 0
        for node in request.nodes where colors[node.colorKey] == nil {
            if node.colorKey == node.kind, let color = kindColors[node.kind] {
                colors[node.colorKey] = color
                continue
            }
            colors[node.colorKey] = palette[next % palette.count]
            next += 1
        }
        return colors
    }

    /// The DOT text of a map.
    /// - Complexity: O(actors + relations).
    public static func dot(
        for request: MapRequest, pinned: [String: (Double, Double)]? = nil, legendAt: (Double, Double)? = nil,
        seeded: [String: (Double, Double)]? = nil, clusterBoxes: [String: (bb: String, lp: String?)] = [:]
    ) -> String {
        let colors = colors(request)
        let force = [Graphviz.Layout.sfdp, .fdp, .neato].contains(request.layout)
        // DOT names are made here (n0, n1, …), never user text: an actor id cannot meet a
        // legend entry or another node; the actor's id travels in the SVG id `a-<id>`.
        var names: [String: String] = [:]
        for (i, node) in request.nodes.enumerated() where names[node.id] == nil { names[node.id] = "n\(i)" }
        func name(_ id: String) -> String { q(names[id] ?? "x-" + id) }
        let lab = request.lab
        // Curved splines keep parallel relations apart but cost minutes on a thousand
        // edges in Graphviz 2.43: above 300, parallel relations share one edge drawn as
        // parallel coloured lines instead.
        let curved = request.edges.count <= 300
        var out = "digraph \(q(request.title)) {\n"
        out +=
            "  graph [label=\(q(request.title + "\n" + request.subtitle)), labelloc=t, fontsize=\(lab ? 30 : 20), fontname=\"DejaVu Sans\", "
        out += "outputorder=edgesfirst, pad=0.3, bgcolor=\"white\""
        let splines = curved ? ", splines=curved" : ""
        if pinned != nil {
            out += ", overlap=true\(splines)"
        } else if seeded != nil {
            // Known actors stay exactly where they were (no overlap removal, no translation).
            out += ", overlap=true, notranslate=true\(splines), start=1"
        } else if force {
            out += ", overlap=prism, overlap_scaling=2\(splines), sep=\"+8\", start=1"
        } else {
            out += ", splines=true, nodesep=0.4, ranksep=0.8"
        }
        if request.layout == .sfdp { out += ", K=1.2, repulsiveforce=1.5" }
        out += "];\n"
        out +=
            "  node [fontname=\"DejaVu Sans\", fontsize=11, style=\"filled\", penwidth=\(lab ? 2 : 1.2), color=\"\(lab ? "#000000" : "#333333")\"];\n"
        out += "  edge [arrowsize=0.6];\n"
        func nodeLine(_ node: MapNode) -> String {
            let fill = colors[node.colorKey] ?? "#DDDDDD"
            let dark = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"].contains(fill)
            let size = 0.5 + 1.5 * max(0, min(1, node.size))
            var attributes = [
                "label=\(q(wrap(node.name)))", "tooltip=\(tooltip(node.name))", "shape=\(kindShapes[node.kind] ?? "ellipse")",
                "fillcolor=\(q(fill))", "fontcolor=\(dark ? "\"white\"" : "\"black\"")",
                "width=\(String(format: "%.2f", size))", "height=\(String(format: "%.2f", size * 0.55))",
                "fontsize=\(String(format: "%.0f", (lab ? 20 : 10) + 8 * node.size))",
                "id=\(q("a-" + node.id))",
                "class=\(q("actor kind-\(node.kind)" + (node.highlighted ? " flagged" : "") + (node.centre == true ? " centre" : "") + (node.state.map { " " + $0.rawValue } ?? "")))",
            ]
            if node.centre == true { attributes += ["penwidth=\(lab ? 5 : 3.5)", "color=\"#000000\"", "peripheries=2"] }
            if node.highlighted { attributes += ["penwidth=4", "color=\"#D55E00\"", "peripheries=2"] }
            switch node.state {
            case .added: attributes += ["penwidth=\(lab ? 6 : 4)", "color=\"\(stateColors.added)\""]
            case .changed: attributes += ["penwidth=\(lab ? 6 : 4)", "color=\"\(stateColors.changed)\""]
            case .removed, .dormant:
                attributes += ["style=\"filled,dashed\"", "fillcolor=\(q(fill + "59"))", "color=\"\(stateColors.removed)\""]
            case nil: break
            }
            // The final pass (Graphviz's nop2: no layout, edges only) takes points; neato takes inches.
            if let (x, y) = pinned?[names[node.id] ?? ""] {
                attributes.append("pos=\"\(x),\(y)!\"")
            } else if let (x, y) = seeded?[node.id] {
                attributes.append("pos=\"\(x / 72),\(y / 72)!\"")
            }
            return "  \(name(node.id)) [\(attributes.joined(separator: ", "))];\n"
        }
        let clustered = Set(request.clusters.values.flatMap { $0 })
        let byID = Dictionary(request.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        if [Graphviz.Layout.dot, .fdp].contains(request.layout) {
            for (i, name) in request.clusters.keys.sorted().enumerated() {
                out +=
                    "  subgraph \"cluster_t\(i)\" {\n    label=\(q(name)); labelloc=b; margin=30; style=\"rounded,dashed\"; color=\"#888888\"; fontsize=\(lab ? 20 : 14); class=\"territory\";\n"
                // The final pass draws each territory's box where the layout put it.
                if let placed = clusterBoxes["cluster_t\(i)"] {
                    out += "    bb=\(q(placed.bb));" + (placed.lp.map { " lp=\(q($0));" } ?? "") + "\n"
                }
                for id in request.clusters[name]! { if let node = byID[id] { out += "  " + nodeLine(node) } }
                out += "  }\n"
            }
            for node in request.nodes where !clustered.contains(node.id) { out += nodeLine(node) }
        } else {
            for node in request.nodes { out += nodeLine(node) }
        }
        var edges = request.edges
        if !curved && force {
            // One edge per pair of actors, a coloured line per relation type.
            var groups: [String: [MapEdge]] = [:]
            var order: [String] = []
            for edge in edges {
                let key = edge.source < edge.target ? edge.source + "\u{1F}" + edge.target : edge.target + "\u{1F}" + edge.source
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(edge)
            }
            edges = []
            for key in order {
                let group = groups[key]!
                guard group.count > 1 else {
                    edges.append(group[0])
                    continue
                }
                let colors = group.map { (typeStyles[$0.type] ?? ("#666666", "solid", 1)).0 }.joined(separator: ":")
                let classes =
                    "relation " + Set(group.map { "type-\($0.type)" }).sorted().joined(separator: " ") + " "
                    + Set(group.map { "status-\($0.status.rawValue)" }).sorted().joined(separator: " ")
                    + Set(group.compactMap { $0.state.map { " " + $0.rawValue } }).sorted().joined()
                let id = group.compactMap(\.id).first.map { ", id=\(q("r-\($0)"))" } ?? ""
                out +=
                    "  \(name(group[0].source)) -> \(name(group[0].target)) [color=\(q(colors)), dir=none, penwidth=1.6, tooltip=\(q(group.map(\.type).joined(separator: ", ")))\(id), class=\(q(classes))];\n"
            }
        }
        for edge in edges {
            var (color, style, width) = typeStyles[edge.type] ?? ("#666666", "solid", 1)
            if edge.status == .ended { color += "66" }
            if edge.suggested || edge.status == .potential || edge.status == .planned { style = "dashed" }
            if edge.suggested { (color, width) = ("#D55E00", 3) }
            switch edge.state {
            case .added: (color, width) = (stateColors.added, max(width, 2.5))
            case .changed: (color, width) = (stateColors.changed, max(width, 2.5))
            case .removed: (color, style) = (stateColors.removed, "dashed")
            case .dormant, nil: break
            }
            var attributes = [
                "color=\(q(color))", "style=\(q(style))", "penwidth=\(width * (lab ? 1.6 : 1))", "tooltip=\(q(edge.type))",
                "class=\(q(edge.suggested ? "suggested" : "relation type-\(edge.type) status-\(edge.status.rawValue)" + (edge.state.map { " " + $0.rawValue } ?? "")))",
            ]
            if let id = edge.id { attributes.append("id=\(q("r-\(id)"))") }
            if !edge.directed { attributes.append("dir=none") }
            out += "  \(name(edge.source)) -> \(name(edge.target)) [\(attributes.joined(separator: ", "))];\n"
        }
        if request.legend, pinned != nil || !force { out += legend(request, colors, at: legendAt) }
        return out + "}\n"
    }

    /// The legend: one small node per kind (or colour) shown, one sample edge per
    /// relation type shown, chained by invisible edges into one block of its own.
    static func legend(_ request: MapRequest, _ colors: [String: String], at origin: (Double, Double)?) -> String {
        var out = "  subgraph \"cluster_legend\" {\n    label=\"\"; style=\"rounded\"; color=\"#BBBBBB\"; class=\"legend\";\n"
        out += "    node [class=\"legend\", fontsize=\(request.lab ? 16 : 10)]; edge [class=\"legend\"];\n"
        var previous: String?
        var i = 0
        // neato and fdp honour pinned positions: a compact column of kinds and one of
        // relation types, which packing then places beside the map as one block.
        let pinned = origin != nil
        var row = 0
        let spread = request.lab ? 1.5 : 1
        // The pinned items' extent (points), for the box drawn around them.
        var extent = (left: Double.infinity, right: -Double.infinity, top: -Double.infinity, bottom: Double.infinity)
        func pin(_ x: Double, _ y: Int, halfWidth: Double = 0.8) -> String {
            guard let (ox, oy) = origin else { return "" }
            let (px, py) = ((ox + x * spread) * 72, (oy - Double(y) * 0.42 * spread) * 72)
            extent.left = min(extent.left, px - halfWidth * 72)
            extent.right = max(extent.right, px + halfWidth * 72)
            extent.top = max(extent.top, py + 0.25 * 72 * spread)
            extent.bottom = min(extent.bottom, py - 0.25 * 72 * spread)
            return ", pos=\"\(px),\(py)!\""
        }
        func chain(_ id: String) {
            if !pinned, let previous { out += "    \(q(previous)) -> \(q(id)) [style=invis];\n" }
            previous = id
        }
        let kinds = Array(Set(request.nodes.map(\.kind))).sorted()
        // The second column (relation types, notes) starts right of the widest kind entry.
        let base = request.lab ? 2.4 : 1.6
        let widest =
            kinds.map { kind -> Double in
                let label = request.kindLabels[kind] ?? kind
                return max(base, Double(label.count) * Double(request.lab ? 16 : 10) * 0.62 / 72 + 0.35)
            }.max() ?? base
        let second = max(0, (0.8 * spread + widest - base / 2 + 0.25) - 2.1 * spread) / spread
        for kind in kinds {
            let id = "legend kind \(i)"
            i += 1
            // When colour means something else, kinds are shown by their shape alone.
            let fill = request.colorMeaning == nil ? (kindColors[kind] ?? "#DDDDDD") : "#FFFFFF"
            let label = request.kindLabels[kind] ?? kind
            // Wide enough for its label ("Pubblica amministrazione"), as the column is.
            let width = max(request.lab ? 2.4 : 1.6, Double(label.count) * Double(request.lab ? 16 : 10) * 0.62 / 72 + 0.35)
            out += "    \(q(id)) [label=\(q(label)), shape=\(kindShapes[kind] ?? "ellipse"), "
            out += "fillcolor=\(q(fill)), width=\(String(format: "%.2f", width)), height=\(request.lab ? 0.45 : 0.3)"
            out += "\(pin(0.8 + (width - (request.lab ? 2.4 : 1.6)) / 2 / spread, row, halfWidth: width / 2))];\n"
            row += 1
            chain(id)
        }
        if request.colorMeaning != nil {
            // In natural order: community 2 before community 10.
            for key in colors.keys.sorted(by: { $0.localizedStandardCompare($1) == .orderedAscending }).prefix(16) {
                let id = "legend color \(i)"
                i += 1
                let dark = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"].contains(colors[key]!)
                out +=
                    "    \(q(id)) [label=\(q(key)), shape=box, fillcolor=\(q(colors[key]!)), fontcolor=\(dark ? "\"white\"" : "\"black\""), "
                out +=
                    "width=\(request.lab ? 2.4 : 1.6), height=\(request.lab ? 0.45 : 0.3)\(pin(0.8, row, halfWidth: request.lab ? 1.2 : 0.8))];\n"
                row += 1
                chain(id)
            }
        }
        let types = Array(Set(request.edges.filter { !$0.suggested }.map(\.type))).sorted()
        for type in types {
            let (color, style, width) = typeStyles[type] ?? ("#666666", "solid", 1)
            let a = "legend type \(i) a", b = "legend type \(i) b"
            i += 1
            let r = row - kinds.count
            out += "    \(q(a)) [label=\"\", shape=point, width=0.05\(pin(2.1 + second, r))];\n"
            out +=
                "    \(q(b)) [label=\(q(request.typeLabels[type] ?? type)), shape=plaintext, style=\"\", width=\(request.lab ? 2.3 : 1.5), fixedsize=true\(pin(3.6 + second, r, halfWidth: request.lab ? 1.15 : 0.75))];\n"
            out += "    \(q(a)) -> \(q(b)) [color=\(q(color)), style=\(q(style)), penwidth=\(width), arrowhead=none, minlen=2];\n"
            row += 1
            chain(a)
        }
        for note in request.legendNotes {
            let id = "legend note \(i)"
            i += 1
            // Left-aligned at the second column: a node as wide as the text (in inches), its label ending in `\l`.
            let width = Double(note.count) * Double(request.lab ? 16 : 10) * 0.62 / 72 + 0.1
            let label = String(q(note).dropLast()) + "\\l\""
            out +=
                "    \(q(id)) [label=\(label), shape=plaintext, style=\"\", width=\(String(format: "%.2f", width)), fixedsize=true\(pin(2.1 + second + width / 2 / spread, row - kinds.count + 1, halfWidth: width / 2))];\n"
            row += 1
            chain(id)
        }
        // Graphviz's nop2 pass draws no cluster box of its own: it is given one.
        if origin != nil, extent.left.isFinite {
            let m = 8.0
            let box = [extent.left - m, extent.bottom - m, extent.right + m, extent.top + m].map { String(format: "%.1f", $0) }
            out = out.replacingOccurrences(of: "class=\"legend\";\n", with: "class=\"legend\"; bb=\"\(box.joined(separator: ","))\";\n")
        }
        return out + "  }\n"
    }

    /// The SVG with a `<title>` and a `<desc>` as the root's first children (screen
    /// readers and the page read them); other formats as they are.
    static func described(_ data: Data, _ request: MapRequest) -> Data {
        guard request.format == .svg, let text = String(data: data, encoding: .utf8), let open = text.range(of: "<svg") else { return data }
        guard let end = text[open.upperBound...].firstIndex(of: ">") else { return data }
        func xml(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
                of: ">", with: "&gt;"
            )
            .unicodeScalars.filter { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" }.map(String.init).joined()
        }
        let description = request.description ?? request.subtitle
        var inserted = "\n<title>\(xml(request.title))</title>\n<desc>\(xml(description))</desc>"
        if request.compares { inserted += "\n<style>\(compareStyle(request))</style>" }
        var out = text
        out.insert(contentsOf: inserted, at: out.index(after: end))
        return Data(out.utf8)
    }

    /// The style of a map comparing two states: by default both states with what
    /// changed marked; with the root's class `before`, the earlier state alone as it
    /// was drawn; with `after`, the later state alone. One layout for all three.
    static func compareStyle(_ request: MapRequest) -> String {
        let shapes = ["polygon", "ellipse", "path", "polyline"]
        func each(_ prefix: String) -> String { shapes.map { "\(prefix) \($0)" }.joined(separator: ", ") }
        var css = "svg.before .added, svg.after .removed { display: none; }\n"
        css += each("svg.before g.actor.removed") + " { fill-opacity: 1; stroke: #333333; stroke-dasharray: none; }\n"
        for state in ["added", "changed"] {
            css += each("svg.before g.actor.\(state)") + ", " + each("svg.after g.actor.\(state)")
            css += " { stroke: #333333; stroke-width: \(request.lab ? 2 : 1.2); }\n"
        }
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789_-")
        for type in Set(request.edges.map(\.type)).sorted() where type.unicodeScalars.allSatisfy(safe.contains) {
            let (color, style, width) = typeStyles[type] ?? ("#666666", "solid", 1)
            let dashes = style == "dashed" ? "5,2" : style == "dotted" ? "1,5" : "none"
            for (mode, state) in [("before", "removed"), ("before", "changed"), ("after", "added"), ("after", "changed")] {
                let group = "svg.\(mode) g.relation.\(state).type-\(type)"
                css +=
                    "\(group) path { stroke: \(color); stroke-dasharray: \(dashes); stroke-width: \(width * (request.lab ? 1.6 : 1)); }\n"
                css += "\(group) polygon { fill: \(color); stroke: \(color); }\n"
            }
        }
        return css
    }

    /// Pushes the actors placed among kept ones (not `fixed`) off any actor they
    /// overlap, each drawn as a disc about its label, a few points apart.
    static func separated(
        _ request: MapRequest, _ positions: [String: (Double, Double)], names: [String: String], fixed: Set<String>
    ) -> [String: (Double, Double)] {
        var positions = positions
        func radius(_ node: MapNode) -> Double {
            let lines = wrap(node.name).split(separator: "\n")
            let font = (request.lab ? 20 : 10) + 8 * max(0, min(1, node.size))
            let width = Double(lines.map(\.count).max() ?? 1) * font * 0.62 + 16
            let height = Double(lines.count) * font * 1.3 + 10
            return (width * width + height * height).squareRoot() / 2
        }
        let nodes = request.nodes.map { (names[$0.id]!, radius($0), fixed.contains($0.id)) }
        let moving = nodes.filter { !$0.2 }
        guard !moving.isEmpty, moving.count * nodes.count <= 4_000_000 else { return positions }
        for _ in 0..<60 {
            var moved = false
            for (name, r, _) in moving {
                guard var p = positions[name] else { continue }
                for (other, s, _) in nodes where other != name {
                    guard let q = positions[other] else { continue }
                    let (dx, dy) = (p.0 - q.0, p.1 - q.1)
                    let distance = (dx * dx + dy * dy).squareRoot()
                    let wanted = (r + s) * 0.75 + 6
                    guard distance < wanted else { continue }
                    // Straight away from the other actor (any direction when they coincide).
                    let (ux, uy) = distance > 0.01 ? (dx / distance, dy / distance) : (1.0, 0.0)
                    p = (p.0 + ux * (wanted - distance), p.1 + uy * (wanted - distance))
                    moved = true
                }
                positions[name] = p
            }
            if !moved { break }
        }
        return positions
    }

    /// The entries of kept positions that hold the layout's bounding box, not an
    /// actor (`\u{1F}` never occurs in an id).
    public static let boxKey = "\u{1F}box"

    /// Renders `request`, refusing maps over the caps before Graphviz is called.
    public static func render(_ request: MapRequest) throws -> Data { try renderKeeping(request).bytes }

    /// Renders `request` and gives the positions (points) its actors were drawn at,
    /// by actor id, for the next map of the same view. With every actor's position
    /// known (``MapRequest/known``) the layout is skipped; with some, those stay
    /// pinned and neato places the others among them.
    public static func renderKeeping(_ request: MapRequest) throws -> (bytes: Data, positions: [String: [Double]]) {
        if request.nodes.count > MapRequest.maxActors || request.edges.count > MapRequest.maxRelations {
            throw TramaError(
                .mapTooLarge,
                "this map has \(request.nodes.count) actors and \(request.edges.count) relations; a map holds at most \(MapRequest.maxActors) actors and \(MapRequest.maxRelations) relations: narrow the view to a territory or an actor's neighbourhood, or filter it"
            )
        }
        let force = [Graphviz.Layout.sfdp, .fdp, .neato, .circo, .twopi].contains(request.layout)
        // Territories drawn as clusters, and dot's layered maps: laid out without the legend,
        // then drawn where they were (territory boxes included) with the legend pinned beside
        // the map; laid out with it, dot and fdp spread the legend over an area larger than the map.
        let clustered = !request.clusters.isEmpty && [Graphviz.Layout.dot, .fdp].contains(request.layout)
        guard force && !clustered else {
            var bare = request
            bare.legend = false
            let placed = try Graphviz.placement(dot: dot(for: bare), layout: request.layout)
            let legendAt = request.legend ? (placed.box.2 / 72 + (request.lab ? 1.2 : 0.8), placed.box.3 / 72 - 0.3) : nil
            let text = dot(for: request, pinned: placed.nodes, legendAt: legendAt, clusterBoxes: placed.clusters)
            return (described(try Graphviz.render(dot: text, engine: "nop2", format: request.format), request), [:])
        }
        // Force layouts: lay out the map alone, then pin it and place the legend beside
        // its bounding box; the second pass (neato on pinned nodes) only routes edges.
        var names: [String: String] = [:]
        for (i, node) in request.nodes.enumerated() where names[node.id] == nil { names[node.id] = "n\(i)" }
        let known = (request.known ?? [:]).compactMapValues { $0.count == 2 && $0.allSatisfy(\.isFinite) ? ($0[0], $0[1]) : nil }
        var positions: [String: (Double, Double)] = [:]
        var box: (Double, Double, Double, Double)
        if known.count > 2, request.nodes.allSatisfy({ known[$0.id] != nil }) {
            // Every actor has its place: no layout at all.
            for node in request.nodes { positions[names[node.id]!] = known[node.id]! }
            if let kept = known[boxKey] {
                // The bounding box the layout had (kept as two corners).
                let corner = request.known?[boxKey + "2"] ?? []
                box = corner.count == 2 ? (kept.0, kept.1, corner[0], corner[1]) : (kept.0, kept.1, kept.0, kept.1)
            } else {
                let xs = positions.values.map(\.0), ys = positions.values.map(\.1)
                let margin = request.lab ? 120.0 : 60.0
                box = (xs.min()! - margin, ys.min()! - margin, xs.max()! + margin, ys.max()! + margin)
            }
        } else if request.nodes.contains(where: { known[$0.id] != nil }) {
            // Some have theirs: they stay, neato places the newcomers among them.
            var seeded = request
            seeded.layout = .neato
            (positions, box) = try Graphviz.positions(dot: dot(for: seeded, seeded: known), layout: .neato)
            // neato shifts the whole drawing (pinned actors included) by one vector: shift it back.
            var shift = (0.0, 0.0)
            if let anchor = request.nodes.first(where: { known[$0.id] != nil }), let drawn = positions[names[anchor.id]!] {
                shift = (known[anchor.id]!.0 - drawn.0, known[anchor.id]!.1 - drawn.1)
            }
            positions = positions.mapValues { ($0.0 + shift.0, $0.1 + shift.1) }
            box = (box.0 + shift.0, box.1 + shift.1, box.2 + shift.0, box.3 + shift.1)
            positions = separated(request, positions, names: names, fixed: Set(known.keys))
        } else {
            (positions, box) = try Graphviz.positions(dot: dot(for: request), layout: request.layout)
        }
        var kept: [String: [Double]] = [:]
        for node in request.nodes { if let p = positions[names[node.id]!] { kept[node.id] = [p.0, p.1] } }
        kept[boxKey] = [box.0, box.1]
        kept[boxKey + "2"] = [box.2, box.3]
        let legendAt = request.legend ? (box.2 / 72 + (request.lab ? 1.2 : 0.8), box.3 / 72 - 0.3) : nil
        Profile.mark("map: positions")
        let text = dot(for: request, pinned: positions, legendAt: legendAt)
        Profile.mark("map: DOT text (\(text.utf8.count) bytes)")
        let bytes = try Graphviz.render(dot: text, engine: "nop2", format: request.format)
        Profile.mark("map: Graphviz nop2 (\(bytes.count) bytes)")
        let out = described(bytes, request)
        Profile.mark("map: title and description")
        return (out, kept)
    }
}
