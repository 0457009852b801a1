import Foundation
import TramaAnalysis
import TramaModel

/// Which part of a graph an analysis or a map looks at, as a person writes it:
/// relation types, statuses, kinds and a territory by name.
public struct ViewFilter: Codable, Sendable, Hashable {
    /// Relation types (names or aliases, `partner`, `co-progettazione`).
    public var types: [String]
    /// `active`, `planned`, `potential`, `ended` (Italian too).
    public var statuses: [String]
    /// A territory's path, or the last part of a path when it is unique (`Ivrea`).
    public var territory: String?
    public var kinds: [String]
    /// Treat every relation as undirected.
    public var undirected: Bool
    /// Weigh ties by their strength (path measures read a tie's length as 1/strength).
    public var weighted: Bool

    public init(
        types: [String] = [], statuses: [String] = [], territory: String? = nil, kinds: [String] = [],
        undirected: Bool = false, weighted: Bool = false
    ) {
        self.types = types
        self.statuses = statuses
        self.territory = territory
        self.kinds = kinds
        self.undirected = undirected
        self.weighted = weighted
    }

    enum CodingKeys: String, CodingKey {
        case types = "type"
        case statuses = "status"
        case territory
        case kinds = "kind"
        case undirected, weighted
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        types = try c.decodeIfPresent([String].self, forKey: .types) ?? []
        statuses = try c.decodeIfPresent([String].self, forKey: .statuses) ?? []
        territory = try c.decodeIfPresent(String.self, forKey: .territory)
        kinds = try c.decodeIfPresent([String].self, forKey: .kinds) ?? []
        undirected = try c.decodeIfPresent(Bool.self, forKey: .undirected) ?? false
        weighted = try c.decodeIfPresent(Bool.self, forKey: .weighted) ?? false
    }
}

/// Names as people write them, turned into the graph's own: kinds, relation
/// types, statuses and territories. Every unknown name is an error that lists
/// what is known.
struct Resolver {
    let vocabulary: Vocabulary
    /// The actors' territories, as read (many repeat).
    let actorTerritories: [Territory?]

    init(vocabulary: Vocabulary, actorTerritories: [Territory?]) {
        self.vocabulary = vocabulary
        self.actorTerritories = actorTerritories
    }

    /// Every territory an actor of the graph is in, and every territory above those.
    /// Worked out only when a territory is asked for.
    var territories: [Territory] {
        var distinct = Set<String>()
        var known = Set<Territory>()
        for territory in actorTerritories {
            guard let territory, distinct.insert(territory.path).inserted else { continue }
            for depth in 1...territory.depth { known.insert(territory.rolledUp(to: depth)) }
        }
        return known.sorted()
    }

    func kind(_ text: String, field: String = "kind") throws -> String {
        guard let kind = vocabulary.resolveKind(text) else {
            var error = Validator(vocabulary: vocabulary).unknownKind(text, at: nil)
            error.fields = ["field": field, "value": text]
            throw error
        }
        return kind
    }

    func relationType(_ text: String, field: String = "type") throws -> String {
        guard let type = vocabulary.resolveRelationType(text) else {
            throw TramaError(
                .unknownRelationType,
                "unknown relation type `\(text)`: use one of \(vocabulary.relationTypeNames.joined(separator: ", "))",
                fields: ["field": field, "value": text])
        }
        return type
    }

    static func status(_ text: String, field: String = "status") throws -> RelationStatus {
        guard let status = RelationStatus(text: text) else {
            throw TramaError.invalidField(field, "must be active, planned, potential or ended, not `\(text)`")
        }
        return status
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// The territory `text` names: a full path (case and accents ignored), or the
    /// last part of exactly one known path. Anything else is an error naming the
    /// nearest known territories.
    func territory(_ text: String, field: String = "territory") throws -> Territory {
        guard let asked = Territory(text) else { throw TramaError.invalidField(field, "is empty: give a territory's path") }
        let key = asked.components.map(Self.fold)
        let territories = territories
        if let exact = territories.first(where: { $0.components.map(Self.fold) == key }) { return exact }
        // A unique tail: `Ivrea`, or `Torino/Ivrea`.
        let tails = territories.filter { t in t.depth > asked.depth && Array(t.components.suffix(asked.depth).map(Self.fold)) == key }
        if tails.count == 1 { return tails[0] }
        if tails.count > 1 {
            throw TramaError(
                .unknownTerritory,
                "`\(text)` names \(tails.count) territories: \(tails.prefix(8).map(\.path).joined(separator: ", ")); write the full path",
                fields: ["field": field, "value": text])
        }
        let nearest = territories.isEmpty ? [] : nearestTerritories(to: text)
        let known =
            territories.isEmpty
            ? "no actor of this graph has a territory"
            : "the nearest known territories are \(nearest.map { "`\($0)`" }.joined(separator: ", "))"
        throw TramaError(
            .unknownTerritory, "there is no territory `\(text)` in this graph: \(known)",
            fields: ["field": field, "value": text])
    }

    /// Known paths closest to `text` by edit distance (on the whole path and on its last part).
    func nearestTerritories(to text: String, limit: Int = 5) -> [String] {
        let territories = territories
        let asked = Array(Self.fold(text))
        let askedTail = Array(Self.fold(Territory(text)?.name ?? text))
        let scored = territories.map { t -> (String, Int) in
            let whole = Self.distance(asked, Array(Self.fold(t.path)))
            let tail = Self.distance(askedTail, Array(Self.fold(t.name)))
            return (t.path, min(whole, tail))
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
    }

    /// Levenshtein distance (one implementation, the model's).
    static func distance(_ a: [Character], _ b: [Character]) -> Int { TerritoryCheck.distance(a, b) }

    /// The filter an analysis applies.
    func analysisFilter(_ filter: ViewFilter) throws -> AnalysisFilter {
        AnalysisFilter(
            relationTypes: try filter.types.map { try relationType($0) },
            statuses: try filter.statuses.map { try Self.status($0) },
            territory: try filter.territory.map { try territory($0) },
            kinds: try filter.kinds.map { try kind($0) },
            undirected: filter.undirected, weighted: filter.weighted)
    }
}
