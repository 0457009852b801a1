import Foundation
import TramaExchange
import TramaModel

/// One actor on a map.
/// How an actor or relation of a map that compares two states (or reads a date) stands.
public enum MapState: String, Sendable, Hashable, Codable {
    /// Present only in the later state.
    case added
    /// Present only in the earlier state.
    case removed
    /// In both, with a different status, strength or name.
    case changed
    /// An actor with no relation in force on the date the map reads.
    case dormant
}

public struct MapNode: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var kind: String
    /// What decides the fill colour (the kind, a territory, a community).
    public var colorKey: String
    /// 0…1: how large to draw it (from a metric); 0 for the default size.
    public var size: Double
    /// Marked by an overlay (a single point of failure, an isolate).
    public var highlighted: Bool
    public var state: MapState?
    /// The actor a neighbourhood map is drawn around: marked with a thick black double border.
    public var centre: Bool?

    public init(
        id: String, name: String, kind: String, colorKey: String? = nil, size: Double = 0, highlighted: Bool = false,
        state: MapState? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.colorKey = colorKey ?? kind
        self.size = size
        self.highlighted = highlighted
        self.state = state
    }
}

/// One relation on a map; several between the same actors stay separate edges.
public struct MapEdge: Sendable, Hashable, Codable {
    public var source: String
    public var target: String
    public var type: String
    public var directed: Bool
    public var status: RelationStatus
    /// A tie an overlay suggests (a recommendation), drawn dashed and highlighted.
    public var suggested: Bool
    /// The relation's stable id (nil for a suggested tie).
    public var id: Int64?
    public var state: MapState?

    public init(
        source: String, target: String, type: String, directed: Bool, status: RelationStatus = .active, suggested: Bool = false,
        id: Int64? = nil, state: MapState? = nil
    ) {
        self.state = state
        self.source = source
        self.target = target
        self.type = type
        self.directed = directed
        self.status = status
        self.suggested = suggested
        self.id = id
    }
}

/// Everything a map needs, self-contained: the graph slice and its style in,
/// bytes out (so a server can hand it to a worker process with a deadline).
public struct MapRequest: Sendable, Hashable, Codable {
    public var title: String
    /// The line under the title (the date, the view).
    public var subtitle: String
    public var nodes: [MapNode]
    public var edges: [MapEdge]
    public var layout: Graphviz.Layout
    public var format: Graphviz.Format
    /// Labels of kinds and relation types for the legend, in the map's language.
    public var kindLabels: [String: String]
    public var typeLabels: [String: String]
    /// Territory clusters (`colorKey` groups drawn as boxes) for layouts that support them.
    public var clusters: [String: [String]]
    public var legend: Bool
    /// What the colours mean when they are not the kinds (territories, communities): the legend then lists them.
    public var colorMeaning: String?
    /// For a projector: larger labels, thicker lines, stronger contrast.
    public var lab: Bool = false
    /// The map compares two states: its SVG carries the style that shows either alone
    /// (the root's class `before` or `after`) on the one layout.
    public var compares: Bool = false
    /// Positions (points) kept from an earlier map of this view, by actor id: a map
    /// whose actors all have one is not laid out again; new actors are placed among them.
    public var known: [String: [Double]]? = nil
    /// Where the positions of this map are kept: its graph and its view's key.
    public var keptAs: [String]? = nil
    /// What the map shows in words (the SVG's `<desc>`, read by screen readers).
    public var description: String?
    /// Words for the legend's extra lines (overlay, line styles), in the map's language.
    public var legendNotes: [String] = []

    public init(
        title: String, subtitle: String, nodes: [MapNode], edges: [MapEdge], layout: Graphviz.Layout, format: Graphviz.Format,
        kindLabels: [String: String] = [:], typeLabels: [String: String] = [:], clusters: [String: [String]] = [:], legend: Bool = true
    ) {
        self.title = title
        self.subtitle = subtitle
        self.nodes = nodes
        self.edges = edges
        self.layout = layout
        self.format = format
        self.kindLabels = kindLabels
        self.typeLabels = typeLabels
        self.clusters = clusters
        self.legend = legend
        colorMeaning = nil
    }

    /// The largest map a render accepts; above it, a clear error before Graphviz is called.
    public static let maxActors = 3000
    public static let maxRelations = 15000

    /// The layout that suits a map of `count` actors: neato for small maps, sfdp for large ones.
    public static func defaultLayout(actors count: Int) -> Graphviz.Layout { count <= 150 ? .neato : .sfdp }
}
