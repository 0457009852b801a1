import Foundation
import TramaInsight
import TramaModel
import TramaStore

/// What territorial alliances lack, in one territory or the whole graph.
public struct GapsRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var territory: String?
    public var theme: String?
    /// Relations not confirmed since this date (YYYY[-MM[-DD]]) are stale.
    public var staleAfter: String?
    public var lang: Language?
    /// Only the N most severe findings.
    public var top: Int?
    public var `public`: Bool?
    /// The statuses whose relations count as ties (`active`, `planned`, `potential`, `ended`,
    /// Italian too); none: active only. The others are reported as opportunities or losses.
    public var status: [String]?
    /// The territory level alliances are read at: 1 region, 2 province (the default), 3 municipality.
    public var level: Int?

    public init(
        graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, territory: String? = nil, theme: String? = nil,
        staleAfter: String? = nil,
        lang: Language? = nil, top: Int? = nil, public: Bool? = nil, status: [String]? = nil, level: Int? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.territory = territory
        self.theme = theme
        self.staleAfter = staleAfter
        self.lang = lang
        self.top = top
        self.public = `public`
        self.status = status
        self.level = level
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case territory, theme
        case staleAfter = "stale_after"
        case lang, top, `public`, status, level
    }

    public func validate() throws {
        try Check.positive(top, "top")
        if let level, !(1...3).contains(level) {
            throw TramaError.invalidField("level", "must be 1 (region), 2 (province) or 3 (municipality), not \(level)")
        }
        if let staleAfter, !PartialDate.isValid(staleAfter) {
            throw TramaError.invalidField(
                "stale_after", "must be a date written 2021, 2021-03 or 2021-03-05, not `\(staleAfter.prefix(40))`")
        }
    }
}

public struct GapsResult: Codable, Sendable {
    public var findings: [Finding]
}

/// Partners an actor is not tied to yet.
public struct RecommendRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var actor: String
    /// How many candidates (default 10).
    public var top: Int?
    /// Only candidates of this kind.
    public var kind: String?
    /// Weights as `name=value,…` (neighbours, broker, kind, themes, territory, constraint).
    public var weights: String?
    public var lang: Language?
    public var `public`: Bool?
    /// The statuses whose relations count as ties; none: active only.
    public var status: [String]?

    public init(
        graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, actor: String, top: Int? = nil, kind: String? = nil,
        weights: String? = nil,
        lang: Language? = nil, public: Bool? = nil, status: [String]? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.actor = actor
        self.top = top
        self.kind = kind
        self.weights = weights
        self.lang = lang
        self.public = `public`
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case actor, top, kind, weights, lang, `public`, status
    }
}

public struct Recommendations: Codable, Sendable {
    public var actor: String
    public var candidates: [Candidate]
}

/// Groups already tied together that meet a composition.
public struct CoalitionsRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var territory: String?
    public var theme: String?
    /// Requirements `KIND[|KIND…][:COUNT]`; none: the graph's alliance rules.
    public var require: [String]?
    public var maxSize: Int?
    /// How many coalitions (default 10).
    public var top: Int?
    public var lang: Language?
    public var `public`: Bool?
    /// The statuses whose relations count as ties; none: active only.
    public var status: [String]?

    public init(
        graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, territory: String? = nil, theme: String? = nil,
        require: [String]? = nil,
        maxSize: Int? = nil, top: Int? = nil, lang: Language? = nil, public: Bool? = nil, status: [String]? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.territory = territory
        self.theme = theme
        self.require = require
        self.maxSize = maxSize
        self.top = top
        self.lang = lang
        self.public = `public`
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case territory, theme, require
        case maxSize = "max_size"
        case top, lang, `public`, status
    }

    public func validate() throws {
        try Check.positive(top, "top")
        if let maxSize, maxSize < 2 {
            throw TramaError.invalidField("max_size", "must be 2 or more: a coalition has at least two members, not \(maxSize)")
        }
    }
}

public struct CoalitionsResult: Codable, Sendable {
    public var coalitions: [Coalition]
    /// Groups tied together that are not offered as coalitions, each with why.
    public var leftOut: [LeftOutGroup]
    /// The names of the actors the coalitions and the groups left out list.
    public var names: [String: String]

    enum CodingKeys: String, CodingKey {
        case coalitions
        case leftOut = "left_out"
        case names
    }
}

extension Trama {
    /// The statuses whose relations count as ties in gaps, recommendations and coalitions: active by default.
    static func tieStatuses(_ texts: [String]?) throws -> Set<RelationStatus> {
        let names = (texts ?? []).flatMap { $0.split(separator: ",").map { String($0).trimmingSpaces() } }.filter { !$0.isEmpty }
        return names.isEmpty ? [.active] : Set(try names.map { try Resolver.status($0) })
    }

    /// The graph's alliance rules at a version.
    func rules(_ snapshot: StoreSnapshot, _ graph: GraphRef, _ version: Version) throws -> AllianceRules {
        guard let json = try snapshot.rulesJSON(of: graph, at: version) else { return .standard }
        return try JSONDecoder().decode(AllianceRules.self, from: Data(json.utf8))
    }

    /// The territory a request names, resolved against the graph's territories at that version.
    func territory(
        _ text: String?, _ snapshot: StoreSnapshot, _ graph: GraphRef, _ version: Version, _ access: Access,
        vocabulary: Vocabulary
    ) throws -> Territory? {
        guard let text else { return nil }
        let known = try snapshot.territories(graph, at: version, publicOnly: access.publicOnly)
        return try Resolver(vocabulary: vocabulary, actorTerritories: known.map(Optional.some)).territory(text)
    }

    /// Gaps in the alliances of one version of a graph. Staleness is judged on the
    /// day of that version (today for the current one).
    public func gaps(_ request: GapsRequest, access: Access = .full) throws -> GapsResult {
        try request.validate()
        let statuses = try Self.tieStatuses(request.status)
        let access = access.narrowed(public: request.public)
        let zone = try storeTimeZone()
        return try read(request.graph, asOf: request.asOf, on: request.on) { snapshot, graph, version in
            let vocabulary = try snapshot.vocabulary(of: graph, at: version)
            let territory = try self.territory(request.territory, snapshot, graph, version, access, vocabulary: vocabulary)
            let ecosystem = try snapshot.insightEcosystem(graph, at: version, publicOnly: access.publicOnly, relationsNear: territory)
            let options = GapOptions(
                territory: territory, theme: request.theme, staleAfter: request.staleAfter,
                today: try day(of: request.asOf, version: version, in: snapshot, graph: graph, zone: zone), language: request.lang ?? .en,
                statuses: statuses, level: request.level)
            let findings = GapDetector(ecosystem, rules: try rules(snapshot, graph, version), options: options).run()
            return GapsResult(findings: Array(findings.prefix(request.top ?? .max)))
        }
    }

    public func recommend(_ request: RecommendRequest, access: Access = .full) throws -> Recommendations {
        try Check.positive(request.top, "top")
        let statuses = try Self.tieStatuses(request.status)
        let access = access.narrowed(public: request.public)
        let weights = try request.weights.map(RecommendationWeights.init(parsing:)) ?? RecommendationWeights()
        return try read(request.graph, asOf: request.asOf, on: request.on) { snapshot, graph, version in
            // Actors only: the recommender asks the store's indexes for the few neighbourhoods it needs, in this snapshot.
            let ecosystem = try snapshot.insightEcosystem(graph, at: version, publicOnly: access.publicOnly, actorsOnly: true)
            let kind = try request.kind.map { try Resolver(vocabulary: ecosystem.vocabulary, actorTerritories: []).kind($0) }
            let recommender = Recommender(
                ecosystem, rules: try rules(snapshot, graph, version), weights: weights, language: request.lang ?? .en, statuses: statuses,
                neighbourSource: {
                    try snapshot.neighbours(of: $0, in: graph, at: version, publicOnly: access.publicOnly, statuses: statuses)
                })
            let candidates = try recommender.recommend(for: request.actor, top: request.top ?? 10, kind: kind)
            return Recommendations(actor: request.actor, candidates: candidates)
        }
    }

    public func coalitions(_ request: CoalitionsRequest, access: Access = .full) throws -> CoalitionsResult {
        try request.validate()
        let statuses = try Self.tieStatuses(request.status)
        let access = access.narrowed(public: request.public)
        return try read(request.graph, asOf: request.asOf, on: request.on) { snapshot, graph, version in
            let vocabulary = try snapshot.vocabulary(of: graph, at: version)
            let territory = try self.territory(request.territory, snapshot, graph, version, access, vocabulary: vocabulary)
            let ecosystem = try snapshot.insightEcosystem(graph, at: version, publicOnly: access.publicOnly, relationsNear: territory)
            let requirements =
                (request.require ?? []).isEmpty
                ? try rules(snapshot, graph, version).requirements
                : try (request.require ?? []).map { try Requirement(parsing: $0, vocabulary: ecosystem.vocabulary) }
            let coalitions = CoalitionFinder(
                ecosystem, requirements: requirements, territory: territory, theme: request.theme,
                language: request.lang ?? .en, statuses: statuses
            ).search(maxSize: request.maxSize, top: request.top ?? 10)
            let names = Dictionary(ecosystem.actors.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            var shown: [String: String] = [:]
            for c in coalitions.coalitions { for id in c.members + c.completeWith { shown[id] = names[id] ?? id } }
            for group in coalitions.leftOut { for id in group.members { shown[id] = names[id] ?? id } }
            return CoalitionsResult(coalitions: coalitions.coalitions, leftOut: coalitions.leftOut, names: shown)
        }
    }
}
