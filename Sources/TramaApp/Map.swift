import Foundation
import TramaAnalysis
import TramaInsight
import TramaModel
import TramaRender
import TramaStore

/// What part of a graph a map draws.
public enum MapView: Sendable, Hashable {
    case whole
    /// A territory and the territories inside it.
    case territory(String)
    /// An actor's neighbourhood, `radius` steps out (1 by default).
    case ego(String, radius: Int)
    /// Any list of actors (a coalition).
    case actors([String])
    /// The N-th largest Leiden community (from 1).
    case community(Int)

    public static let grammar = "whole, territory:NAME, ego:ID[:RADIUS], actors:ID,ID,… or community:N"

    /// Reads `whole`, `territory:NAME`, `ego:ID[:RADIUS]`, `actors:ID,ID,…`, `community:N`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        func bad(_ problem: String) -> TramaError { TramaError.invalidField("view", problem) }
        switch parts.first ?? "" {
        case "whole": self = .whole
        case "territory":
            guard parts.count == 2, !parts[1].trimmingSpaces().isEmpty else { throw bad("territory:NAME needs a territory") }
            self = .territory(parts[1])
        case "actors":
            let ids = parts.count == 2 ? parts[1].split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty } : []
            guard !ids.isEmpty else { throw bad("actors:ID,ID,… needs ids") }
            self = .actors(ids)
        case "ego":
            guard parts.count == 2 else { throw bad("ego:ID[:RADIUS] needs an actor id") }
            var rest = parts[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            var radius = 1
            if rest.count > 1, let r = Int(rest.last!) {
                guard (0...10).contains(r) else { throw bad("ego's radius must be 0 to 10, not \(r)") }
                radius = r
                rest.removeLast()
            }
            let center = rest.joined(separator: ":")
            guard !center.isEmpty else { throw bad("ego:ID[:RADIUS] needs an actor id") }
            self = .ego(center, radius: radius)
        case "community":
            guard parts.count == 2, let n = Int(parts[1]), n >= 1 else { throw bad("community:N needs a number from 1") }
            self = .community(n)
        default:
            throw bad("`\(text.prefix(60))` is not a view: use \(Self.grammar)")
        }
    }

    public var text: String {
        switch self {
        case .whole: return "whole"
        case .territory(let name): return "territory:\(name)"
        case .ego(let id, let radius): return "ego:\(id):\(radius)"
        case .actors(let ids): return "actors:" + ids.joined(separator: ",")
        case .community(let n): return "community:\(n)"
        }
    }
}

extension MapView: Codable {
    public init(from decoder: Decoder) throws { try self.init(parsing: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

public enum ColorBy: String, Codable, Sendable, CaseIterable { case kind, territory, community }
public enum MapOverlay: String, Codable, Sendable, CaseIterable { case gaps }

/// A map of one graph version, as `trama render` and `/map.{svg,png,pdf}` take it.
public struct MapQuery: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var view: MapView?
    public var filter: ViewFilter
    /// Default: neato up to 150 actors, sfdp above.
    public var layout: MapLayout?
    public var format: MapFormat?
    /// Size actors by a per-actor analysis.
    public var sizeBy: Metric?
    public var colorBy: ColorBy?
    /// Territories (provinces) drawn as clusters (dot and fdp layouts).
    public var clusters: Bool?
    public var overlay: MapOverlay?
    public var lang: Language?
    /// Default: `Trama · GRAPH`.
    public var title: String?
    /// The date line (default: the day of the version drawn).
    public var date: String?
    public var legend: Bool?
    /// For a projector: larger labels, thicker lines.
    public var lab: Bool?
    public var `public`: Bool?
    /// Draw what changed since this moment (a snapshot, a date, change:ID): both
    /// states on one layout, added, removed and changed items marked.
    public var compareFrom: Moment?
    /// The later state of such a map (default: `as_of`, else now).
    public var compareTo: Moment?
    /// Lay the view out anew instead of on its kept positions (and keep the new ones).
    public var relayout: Bool?

    public init(
        graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, view: MapView? = nil, filter: ViewFilter = ViewFilter(),
        layout: MapLayout? = nil,
        format: MapFormat? = nil, sizeBy: Metric? = nil, colorBy: ColorBy? = nil, clusters: Bool? = nil, overlay: MapOverlay? = nil,
        lang: Language? = nil, title: String? = nil, date: String? = nil, legend: Bool? = nil, lab: Bool? = nil, public: Bool? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.view = view
        self.filter = filter
        self.layout = layout
        self.format = format
        self.sizeBy = sizeBy
        self.colorBy = colorBy
        self.clusters = clusters
        self.overlay = overlay
        self.lang = lang
        self.title = title
        self.date = date
        self.legend = legend
        self.lab = lab
        self.public = `public`
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case view, filter, layout, format
        case sizeBy = "size_by"
        case colorBy = "color_by"
        case clusters, overlay, lang, title, date
        case legend, lab, `public`
        case compareFrom = "diff_from"
        case compareTo = "diff_to"
        case relayout
    }

    public func validate() throws {
        if let sizeBy, !sizeBy.isPerActor {
            throw TramaError.invalidField(
                "size_by", "takes a per-actor analysis (\(Metric.perActor.map(\.rawValue).joined(separator: ", "))), not \(sizeBy.rawValue)"
            )
        }
        if let title, title.count > 200 { throw TramaError.invalidField("title", "must be at most 200 characters") }
        if let date, date.count > 40 { throw TramaError.invalidField("date", "must be at most 40 characters") }
    }
}

/// A rendered map: the self-contained request it was drawn from, and its bytes.
public struct RenderedMap: Codable, Sendable {
    public var request: MapRequest
    public var bytes: Data
}

extension Trama {
    /// The self-contained request for a map: the actors and relations in view with
    /// their style, sizes and overlay, read from one graph version. Refuses a map
    /// above the size Graphviz can draw, before anything is laid out.
    public func mapRequest(_ query: MapQuery, access: Access = .full) throws -> MapRequest {
        try query.validate()
        if let from = query.compareFrom { return try comparingMap(query, from: from, access: access) }
        let access = access.narrowed(public: query.public)
        let lang = query.lang ?? .en
        let zone = try storeTimeZone()
        return try read(query.graph, asOf: query.asOf, on: query.on) { snapshot, graph, version in
            let (ecosystem, relationIDs) = try snapshot.insightGraph(graph, at: version, publicOnly: access.publicOnly)
            let resolver = Resolver(vocabulary: ecosystem.vocabulary, actorTerritories: ecosystem.actors.map(\.territory))
            let filter = try resolver.analysisFilter(query.filter)
            let byID = Dictionary(ecosystem.actors.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            // The filtered graph, then the view inside it.
            let whole = AnalysisGraph(ecosystem, filter: filter)
            let view = query.view ?? .whole
            let inView = try viewIDs(view, whole, byID, resolver: resolver, graphName: graph.name)
            let types = Set(filter.relationTypes)
            let statuses = Set(filter.statuses)
            var viewRelations: [Relation] = []
            var viewRelationIDs: [Int64] = []
            for (i, r) in ecosystem.relations.enumerated() where inView.contains(r.source) && inView.contains(r.target) {
                viewRelations.append(r)
                viewRelationIDs.append(relationIDs[i])
            }
            let viewEco = Ecosystem(
                name: ecosystem.name, vocabulary: ecosystem.vocabulary,
                actors: ecosystem.actors.filter { inView.contains($0.id) }, relations: viewRelations)
            let graphInView = AnalysisGraph(viewEco, filter: filter)
            // Relations as the map draws them: each one in view once, whatever the direction of the analysis.
            let drawn = viewRelations.indices.filter { i in
                (types.isEmpty || types.contains(viewRelations[i].type)) && (statuses.isEmpty || statuses.contains(viewRelations[i].status))
            }
            if graphInView.nodeCount > MapRequest.maxActors || drawn.count > MapRequest.maxRelations {
                throw TramaError(
                    .mapTooLarge,
                    "the view has \(graphInView.nodeCount) actors and \(drawn.count) relations; a map holds at most \(MapRequest.maxActors) actors and \(MapRequest.maxRelations) relations: narrow the view to a territory or an actor's neighbourhood, or filter it",
                    fields: ["actors": "\(graphInView.nodeCount)", "relations": "\(drawn.count)"])
            }
            let index = Dictionary(uniqueKeysWithValues: graphInView.ids.enumerated().map { ($1, $0) })
            var sizes = [Double](repeating: 0, count: graphInView.nodeCount)
            if let sizeBy = query.sizeBy {
                // The same analysis, on the same graph, as `analyze` runs (strength weighted by definition).
                let sizing = AnalysisGraph(viewEco, filter: Analyses.filter(for: sizeBy, filter))
                sizes = Analyses.values(sizeBy, sizing, AnalysisRequest(metric: sizeBy)).values
            }
            let maximum = sizes.filter { !$0.isNaN }.max() ?? 0
            let colorBy = query.colorBy ?? .kind
            let community = colorBy == .community ? Communities.leiden(graphInView, seed: 1) : []
            var highlighted = Set<String>()
            var suggested: [MapEdge] = []
            if query.overlay == .gaps {
                let rules = try rules(snapshot, graph, version)
                let today = try self.day(of: query.asOf, version: version, in: snapshot, graph: graph, zone: zone)
                let findings = GapDetector(viewEco, rules: rules, options: GapOptions(today: today)).run()
                for f in findings where ["single-point-of-failure", "isolate"].contains(f.code) {
                    highlighted.formUnion(f.subject.actors.prefix(1))
                }
                let recommender = Recommender(viewEco, rules: rules)
                for f in findings where f.code == "isolate" {
                    if let best = try recommender.recommend(for: f.subject.actors[0], top: 1).first {
                        suggested.append(
                            MapEdge(source: f.subject.actors[0], target: best.id, type: "suggested", directed: false, suggested: true))
                    }
                }
            }
            var nodes = graphInView.ids.map { id -> MapNode in
                let actor = byID[id]!
                let key: String
                switch colorBy {
                case .kind: key = actor.kind
                case .territory: key = actor.territory.map { $0.rolledUp(to: 2).path } ?? "–"
                case .community: key = (lang == .it ? "comunità " : "community ") + "\(community[index[id]!] + 1)"
                }
                let size = maximum > 0 && !sizes[index[id]!].isNaN ? sizes[index[id]!] / maximum : 0
                var node = MapNode(
                    id: id, name: actor.name, kind: actor.kind, colorKey: key, size: size, highlighted: highlighted.contains(id))
                if case .ego(let centre, _) = view, centre == id { node.centre = true }
                return node
            }
            // On a date in the world, an actor with no tie in force then is drawn faded.
            if version.on != nil {
                var tied = Set<String>()
                for i in drawn {
                    tied.insert(viewRelations[i].source)
                    tied.insert(viewRelations[i].target)
                }
                for i in nodes.indices where !tied.contains(nodes[i].id) { nodes[i].state = .dormant }
            }
            let edges = drawn.sorted { a, b in
                let (x, y) = (viewRelations[a], viewRelations[b])
                return (x.source, x.target, x.type) < (y.source, y.target, y.type)
            }.map { i -> MapEdge in
                let r = viewRelations[i]
                return MapEdge(
                    source: r.source, target: r.target, type: r.type,
                    directed: !filter.undirected && (ecosystem.vocabulary.relationTypes[r.type]?.directed ?? true), status: r.status,
                    id: viewRelationIDs[i])
            }
            var territoryClusters: [String: [String]] = [:]
            if query.clusters == true {
                for node in nodes {
                    if let t = byID[node.id]?.territory, t.depth >= 2 {
                        territoryClusters[t.rolledUp(to: 2).path, default: []].append(node.id)
                    }
                }
            }
            let vocabulary = ecosystem.vocabulary
            let versionDay = try self.day(of: query.asOf, version: version, in: snapshot, graph: graph, zone: zone)
            let dateLine = query.date ?? Self.displayDay(versionDay, lang)
            var subtitle = Self.describe(view, byID: byID, lang: lang) + " · " + dateLine
            if let on = version.on { subtitle += (lang == .it ? " · rete al " : " · network on ") + on.text }
            if let sizeBy = query.sizeBy { subtitle += (lang == .it ? " · dimensione: " : " · size: ") + sizeBy.rawValue }
            var request = MapRequest(
                title: query.title ?? "Trama · \(graph.name)", subtitle: subtitle,
                nodes: nodes, edges: edges + suggested, layout: query.layout ?? MapRequest.defaultLayout(actors: nodes.count),
                format: query.format ?? .svg,
                kindLabels: vocabulary.kinds.mapValues { lang == .it ? $0.labelIT : $0.label },
                typeLabels: vocabulary.relationTypes.mapValues { lang == .it ? $0.labelIT : $0.label },
                clusters: territoryClusters, legend: query.legend ?? true)
            if colorBy != .kind { request.colorMeaning = colorBy.rawValue }
            request.lab = query.lab ?? false
            let it = lang == .it
            var notes: [String] = []
            let drawnStatuses = Set(edges.map(\.status))
            if drawnStatuses.contains(.planned) || drawnStatuses.contains(.potential) {
                notes.append(it ? "tratteggio: prevista o potenziale" : "dashed: planned or potential")
            }
            if drawnStatuses.contains(.ended) { notes.append(it ? "sbiadita: conclusa" : "faded: ended") }
            if case .ego(let centre, _) = view, let actor = byID[centre] {
                notes.append(it ? "bordo nero doppio: \(actor.name), il centro" : "double black border: \(actor.name), the centre")
            }
            if query.overlay == .gaps {
                notes.append(it ? "bordo arancio doppio: punto critico o isolato" : "double orange border: weak point or isolate")
                if !suggested.isEmpty { notes.append(it ? "arancio tratteggiato: legame suggerito" : "orange dashes: suggested tie") }
            }
            if let sizeBy = query.sizeBy { notes.append((it ? "dimensione: " : "size: ") + sizeBy.rawValue) }
            if let on = version.on, nodes.contains(where: { $0.state == .dormant }) {
                notes.append(it ? "sbiadito: nessun legame in vigore nel \(on.text)" : "faded: no tie in force on \(on.text)")
            }
            request.legendNotes = notes
            request.description =
                it
                ? "Mappa di \(graph.name): \(nodes.count) attori e \(edges.count) relazioni; \(subtitle)"
                : "Map of \(graph.name): \(nodes.count) actors and \(edges.count) relations; \(subtitle)"
            try Self.refuseSlowLayout(request)
            // The shape of this view's last map, kept over time (in lab mode at twice the scale: larger labels).
            let key = Self.layoutKey(query, layout: request.layout, publicOnly: access.publicOnly)
            request.keptAs = [graph.name, key]
            if query.relayout != true, let kept = try snapshot.layout(graph, view: key) {
                let scale = request.lab ? Self.labScale : 1
                request.known = kept.mapValues { $0.map { $0 * scale } }
            }
            return request
        }
    }

    /// A map of what changed between two moments: the union of both states, laid
    /// out once, with added items green, removed ones grey and dashed, changed ones
    /// orange (and the style to show either state alone on the same layout).
    func comparingMap(_ query: MapQuery, from: Moment, access: Access) throws -> MapRequest {
        if query.overlay != nil {
            throw TramaError.invalidField("overlay", "does not go with a comparison (diff_from): draw one or the other")
        }
        var later = query
        later.compareFrom = nil
        later.compareTo = nil
        later.asOf = query.compareTo ?? query.asOf
        var earlier = later
        earlier.asOf = from
        earlier.sizeBy = nil
        let after = try mapRequest(later, access: access)
        let before = try mapRequest(earlier, access: access)
        var request = after
        let old = Dictionary(before.nodes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let new = Set(after.nodes.map(\.id))
        request.nodes = after.nodes.map { node in
            var node = node
            if let was = old[node.id] {
                if was.name != node.name || was.kind != node.kind { node.state = .changed }
            } else {
                node.state = .added
            }
            return node
        }
        for node in before.nodes where !new.contains(node.id) {
            var node = node
            node.state = .removed
            node.size = 0
            node.highlighted = false
            request.nodes.append(node)
        }
        func key(_ e: MapEdge) -> String {
            let (a, b) = e.directed || e.source <= e.target ? (e.source, e.target) : (e.target, e.source)
            return [e.type, a, b].joined(separator: "\u{1F}")
        }
        let oldEdges = Dictionary(before.edges.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let newKeys = Set(after.edges.map(key))
        request.edges = after.edges.map { edge in
            var edge = edge
            if let was = oldEdges[key(edge)] {
                if was.status != edge.status { edge.state = .changed }
            } else {
                edge.state = .added
            }
            return edge
        }
        for edge in before.edges where !newKeys.contains(key(edge)) {
            var edge = edge
            edge.state = .removed
            request.edges.append(edge)
        }
        if request.nodes.count > MapRequest.maxActors || request.edges.count > MapRequest.maxRelations {
            throw TramaError(
                .mapTooLarge,
                "the two states together have \(request.nodes.count) actors and \(request.edges.count) relations; a map holds at most \(MapRequest.maxActors) actors and \(MapRequest.maxRelations) relations: narrow the view",
                fields: ["actors": "\(request.nodes.count)", "relations": "\(request.edges.count)"])
        }
        request.layout = query.layout ?? MapRequest.defaultLayout(actors: request.nodes.count)
        try Self.refuseSlowLayout(request)
        request.compares = true
        let it = query.lang == .it
        let fromText = from.text
        let toText = (query.compareTo ?? query.asOf)?.text ?? (it ? "oggi" : "now")
        let parts = after.subtitle.split(separator: " · ", maxSplits: 1).map(String.init)
        request.subtitle = (parts.first ?? "") + " · " + fromText + " → " + toText
        let counts = (
            request.nodes.filter { $0.state == .added }.count, request.nodes.filter { $0.state == .removed }.count,
            request.edges.filter { $0.state == .added }.count, request.edges.filter { $0.state == .removed }.count,
            request.edges.filter { $0.state == .changed }.count
        )
        request.legendNotes =
            (it
                ? ["verde: aggiunto dopo \(fromText)", "grigio tratteggiato: tolto", "arancio: cambiato (stato, nome)"]
                : ["green: added since \(fromText)", "grey dashed: removed", "orange: changed (status, name)"])
            + after.legendNotes.filter { !$0.hasPrefix("size") && !$0.hasPrefix("dimensione") }
        request.description =
            it
            ? "Cosa è cambiato in \(request.title) da \(fromText) a \(toText): \(counts.0) attori aggiunti, \(counts.1) tolti; \(counts.2) relazioni aggiunte, \(counts.3) tolte, \(counts.4) cambiate"
            : "What changed in \(request.title) from \(fromText) to \(toText): \(counts.0) actors added, \(counts.1) removed; \(counts.2) relations added, \(counts.3) removed, \(counts.4) changed"
        return request
    }

    /// Positions are kept at the scale of ordinary maps; lab maps draw larger labels.
    static let labScale = 2.0

    /// circo lays out a hub with many spokes in cubic time (measured through the
    /// Graphviz library: a star of 60 actors 6.5 s, of 120 actors 53 s; the seed's 43
    /// actors under a second): it is refused, before Graphviz, where it would take
    /// minutes, naming the layouts that draw the same view in seconds.
    static let circoLimits = (actors: 100, ties: 60)
    /// dot's crossing minimisation grows steeply with relations (measured with the Graphviz
    /// command line on synthetic ecosystems: 500 relations 1.4 s, 700 4.5 s, 1,000 35–44 s).
    static let dotRelations = 800

    static func refuseSlowLayout(_ request: MapRequest) throws {
        if request.layout == .dot {
            let drawn = request.edges.filter { !$0.suggested }.count
            guard drawn > dotRelations else { return }
            throw TramaError(
                .mapTooLarge,
                "the view has \(drawn) relations and the layout dot takes minutes above \(dotRelations): draw it with the layout sfdp or neato, or narrow the view",
                fields: ["field": "layout", "relations": "\(drawn)"])
        }
        guard request.layout == .circo else { return }
        var degree: [String: Int] = [:]
        for edge in request.edges where !edge.suggested {
            degree[edge.source, default: 0] += 1
            degree[edge.target, default: 0] += 1
        }
        let busiest = degree.values.max() ?? 0
        guard request.nodes.count > circoLimits.actors || busiest > circoLimits.ties else { return }
        let why =
            request.nodes.count > circoLimits.actors
            ? "\(request.nodes.count) actors (circo takes minutes above \(circoLimits.actors))"
            : "an actor with \(busiest) ties (circo takes minutes above \(circoLimits.ties) ties on one actor)"
        throw TramaError(
            .mapTooLarge,
            "the view has \(why): draw it with the layout neato, sfdp or twopi, or narrow the view",
            fields: ["field": "layout", "actors": "\(request.nodes.count)", "ties": "\(busiest)"])
    }

    /// What identifies a view for its kept layout: the view, its filters and the
    /// layout; not the moment or the date, so the same map keeps its shape over time.
    static func layoutKey(_ query: MapQuery, layout: MapLayout, publicOnly: Bool) -> String {
        let f = query.filter
        var parts = ["view=\((query.view ?? .whole).text)", "layout=\(layout.rawValue)"]
        if !f.types.isEmpty { parts.append("type=" + f.types.sorted().joined(separator: ",")) }
        if !f.statuses.isEmpty { parts.append("status=" + f.statuses.sorted().joined(separator: ",")) }
        if let territory = f.territory { parts.append("territory=" + territory) }
        if !f.kinds.isEmpty { parts.append("kind=" + f.kinds.sorted().joined(separator: ",")) }
        if f.undirected { parts.append("undirected") }
        if query.clusters == true { parts.append("clusters") }
        if publicOnly { parts.append("public") }
        return parts.joined(separator: "&")
    }

    /// Keeps the positions a map was drawn at for the next map of its view, when the
    /// store can take them (a read-only or older store is left alone). Best effort:
    /// a map is never refused because its layout could not be kept.
    public func keepLayout(of request: MapRequest, _ positions: [String: [Double]]) {
        guard let kept = request.keptAs, kept.count == 2, !positions.isEmpty else { return }
        let scale = request.lab ? Self.labScale : 1
        let known = request.known ?? [:]
        let fresh = positions.filter { id, p in known[id].map { zip($0, p).contains { abs($0 - $1) > 0.01 } } ?? true }
        guard !fresh.isEmpty else { return }
        do {
            let reader = try store(writing: false)
            guard reader.keepsLayouts else { return }
            try store(writing: true).keepLayout(fresh.mapValues { $0.map { $0 / scale } }, of: kept[0], view: kept[1])
        } catch {
            Profile.mark("layout not kept: \(error)")
        }
    }

    /// `30/11/2026` in Italian, `2026-11-30` otherwise.
    static func displayDay(_ day: String, _ lang: Language) -> String {
        guard lang == .it else { return day }
        let parts = day.split(separator: "-")
        return parts.count == 3 ? "\(parts[2])/\(parts[1])/\(parts[0])" : day
    }

    /// The view in words, for a map's subtitle.
    static func describe(_ view: MapView, byID: [String: Actor], lang: Language) -> String {
        let it = lang == .it
        switch view {
        case .whole: return it ? "intera rete" : "whole network"
        case .territory(let name): return (it ? "Territorio: " : "Territory: ") + name
        case .ego(let id, let radius):
            let name = byID[id]?.name ?? id
            return it ? "Vicinato di \(name) (raggio \(radius))" : "Neighbourhood of \(name) (radius \(radius))"
        case .actors(let ids): return it ? "\(ids.count) attori scelti" : "\(ids.count) chosen actors"
        case .community(let n): return (it ? "Comunità " : "Community ") + "\(n)"
        }
    }

    /// The actors of a view, inside the filtered graph.
    func viewIDs(_ view: MapView, _ g: AnalysisGraph, _ byID: [String: Actor], resolver: Resolver, graphName: String) throws -> Set<String>
    {
        func missing(_ id: String) -> TramaError {
            TramaError(
                .notFound, "there is no actor `\(id)` in the graph `\(graphName)`",
                fields: ["graph": graphName, "actor": id, "field": "view"])
        }
        switch view {
        case .whole: return Set(g.ids)
        case .territory(let name):
            let t = try resolver.territory(name, field: "view")
            return Set(g.ids.filter { byID[$0]?.territory.map(t.contains) ?? false })
        case .actors(let ids):
            if let unknown = ids.first(where: { byID[$0] == nil }) { throw missing(unknown) }
            return Set(ids).intersection(g.ids)
        case .ego(let center, let radius):
            guard let start = g.ids.firstIndex(of: center) else { throw missing(center) }
            let u = g.undirected()
            var distance = [start: 0]
            var queue = [start]
            var head = 0
            while head < queue.count {
                let v = queue[head]
                head += 1
                guard distance[v]! < radius else { continue }
                for slot in u.out.range(v) where distance[Int(u.out.targets[slot])] == nil {
                    distance[Int(u.out.targets[slot])] = distance[v]! + 1
                    queue.append(Int(u.out.targets[slot]))
                }
            }
            return Set(distance.keys.map { g.ids[$0] })
        case .community(let n):
            let partition = Communities.leiden(g, seed: 1)
            let count = (partition.max() ?? -1) + 1
            guard n <= count else {
                throw TramaError(
                    .notFound, "there are only \(count) communities in this view", fields: ["field": "view", "count": "\(count)"])
            }
            // Communities numbered by size, largest first (ties by their first actor).
            var groups = [[Int]](repeating: [], count: count)
            for (v, c) in partition.enumerated() { groups[c].append(v) }
            let ordered = groups.sorted { ($0.count, g.ids[$1.first!]) > ($1.count, g.ids[$0.first!]) }
            return Set(ordered[n - 1].map { g.ids[$0] })
        }
    }

    /// Lays out and renders a map request, giving the positions it drew its actors
    /// at and keeping nothing (a worker process that has no store).
    public func layOut(_ request: MapRequest) throws -> (bytes: Data, positions: [String: [Double]]) {
        try MapRenderer.renderKeeping(request)
    }

    /// Lays out and renders a map request (in this process), keeping its layout.
    public func renderMap(_ request: MapRequest) throws -> Data {
        let (bytes, positions) = try MapRenderer.renderKeeping(request)
        keepLayout(of: request, positions)
        return bytes
    }

    /// The DOT text Trama hands to Graphviz for a request, before layout.
    public func mapSource(_ request: MapRequest) -> String { MapRenderer.dot(for: request) }

    /// A map of one graph version: its request and its bytes.
    public func map(_ query: MapQuery, access: Access = .full) throws -> RenderedMap {
        let request = try mapRequest(query, access: access)
        return RenderedMap(request: request, bytes: try renderMap(request))
    }
}
