import Foundation
import TramaModel
import TramaStore

/// Relations of one graph version, by type, actor kind, territory or actor.
public struct RelationQuery: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var types: [String]?
    /// Only relations between actors of these kinds.
    public var kinds: [String]?
    /// Only relations inside this territory (both ends in it).
    public var territory: String?
    /// Only relations of this actor.
    public var actor: String?
    public var `public`: Bool?

    public init(
        graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, types: [String]? = nil, kinds: [String]? = nil,
        territory: String? = nil,
        actor: String? = nil, public: Bool? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.types = types
        self.kinds = kinds
        self.territory = territory
        self.actor = actor
        self.public = `public`
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case types = "type"
        case kinds = "kind"
        case territory, actor, `public`
    }
}

public struct RelationList: Codable, Sendable {
    public var relations: [RelationRecord]
}

/// One relation by its stable id.
public struct RelationLookup: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var id: Int64
    public var `public`: Bool?

    public init(graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, id: Int64, public: Bool? = nil) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.id = id
        self.public = `public`
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case id, `public`
    }
}

/// A relation by its stable id, or by its ends and type.
public struct RelationReference: Codable, Sendable, Hashable {
    public var id: Int64?
    public var from: String?
    public var to: String?
    public var type: String?

    public init(id: Int64) { self.id = id }

    public init(from: String, to: String, type: String) {
        self.from = from
        self.to = to
        self.type = type
    }

    func check() throws {
        if id == nil && (from == nil || to == nil || type == nil) {
            throw TramaError.invalidField("id", "is missing: name a relation by its id, or by `from`, `to` and `type`")
        }
    }
}

/// The fields of a relation a write sets; in a patch, a field not given stays as it
/// is and an empty text clears it.
public struct RelationFields: Codable, Sendable, Hashable {
    public var strength: Double?
    public var since: String?
    public var until: String?
    public var status: String?
    public var description: String?
    public var evidence: String?
    public var tags: [String]?
    public var attributes: [String: String?]?
    public var `private`: Bool?
    public var assertedBy: String?
    public var assertedIn: String?
    public var assertedAt: String?

    public init(
        strength: Double? = nil, since: String? = nil, until: String? = nil, status: String? = nil, description: String? = nil,
        evidence: String? = nil, tags: [String]? = nil, attributes: [String: String?]? = nil, private: Bool? = nil,
        assertedBy: String? = nil, assertedIn: String? = nil, assertedAt: String? = nil
    ) {
        self.strength = strength
        self.since = since
        self.until = until
        self.status = status
        self.description = description
        self.evidence = evidence
        self.tags = tags
        self.attributes = attributes
        self.private = `private`
        self.assertedBy = assertedBy
        self.assertedIn = assertedIn
        self.assertedAt = assertedAt
    }

    enum CodingKeys: String, CodingKey {
        case strength, since, until, status, description, evidence, tags, attributes, `private`
        case assertedBy = "asserted_by"
        case assertedIn = "asserted_in"
        case assertedAt = "asserted_at"
    }

    func apply(to r: inout Relation) throws {
        if let strength {
            guard strength.isFinite, strength >= 0 else {
                throw TramaError.invalidField("strength", "must be a number of 0 or more, not \(strength)")
            }
            r.strength = strength
        }
        func text(_ value: String?) -> String?? { value.map { $0.isEmpty ? nil : $0 } }
        if let since = text(since) { r.since = since }
        if let until = text(until) { r.until = until }
        if let status { r.status = try Resolver.status(status) }
        if let description = text(description) { r.description = description }
        if let evidence = text(evidence) { r.evidence = evidence }
        if let tags { r.tags = tags.map { $0.trimmingSpaces() }.filter { !$0.isEmpty } }
        for (key, value) in attributes ?? [:] {
            if let value, !value.isEmpty { r.attributes[key] = value } else { r.attributes[key] = nil }
        }
        if let assertedBy = text(assertedBy) { r.assertedBy = assertedBy }
        if let assertedIn = text(assertedIn) { r.assertedIn = assertedIn }
        if let assertedAt = text(assertedAt) { r.assertedAt = assertedAt }
        if let isPrivate = `private` { r.isPrivate = isPrivate }
    }
}

/// A new relation `from → to` of a type: `{"from", "to", "type", …}` with the sheet's other fields.
public struct RelationDraft: Codable, Sendable, Hashable {
    public var graph: String?
    public var from: String
    public var to: String
    public var type: String
    public var fields: RelationFields

    public init(graph: String? = nil, from: String, to: String, type: String, fields: RelationFields = RelationFields()) {
        self.graph = graph
        self.from = from
        self.to = to
        self.type = type
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey { case graph, from, to, type }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        graph = try c.decodeIfPresent(String.self, forKey: .graph)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode(String.self, forKey: .to)
        type = try c.decode(String.self, forKey: .type)
        fields = try RelationFields(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(graph, forKey: .graph)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(type, forKey: .type)
        try fields.encode(to: encoder)
    }
}

/// Changes to one relation; its ends and type stay.
public struct RelationPatch: Codable, Sendable, Hashable {
    public var graph: String?
    public var relation: RelationReference
    public var fields: RelationFields

    public init(graph: String? = nil, relation: RelationReference, fields: RelationFields) {
        self.graph = graph
        self.relation = relation
        self.fields = fields
    }
}

public struct RelationRemoval: Codable, Sendable, Hashable {
    public var graph: String?
    public var relation: RelationReference

    public init(graph: String? = nil, relation: RelationReference) {
        self.graph = graph
        self.relation = relation
    }
}

extension Trama {
    public func relations(_ query: RelationQuery, access: Access = .full) throws -> RelationList {
        let access = access.narrowed(public: query.public)
        return RelationList(
            relations: try read(query.graph, asOf: query.asOf, on: query.on) { snapshot, graph, version in
                let vocabulary = try snapshot.vocabulary(of: graph, at: version)
                let resolver = Resolver(vocabulary: vocabulary, actorTerritories: [])
                let filter = StoreFilter(
                    kinds: try (query.kinds ?? []).map { try resolver.kind($0) },
                    territory: try self.territory(query.territory, snapshot, graph, version, access, vocabulary: vocabulary),
                    relationTypes: try (query.types ?? []).map { try resolver.relationType($0) }, actor: query.actor)
                return try snapshot.relations(graph, filter: filter, at: version, publicOnly: access.publicOnly)
            })
    }

    public func relation(_ lookup: RelationLookup, access: Access = .full) throws -> RelationRecord {
        let access = access.narrowed(public: lookup.public)
        return try read(lookup.graph, asOf: lookup.asOf, on: lookup.on) { snapshot, graph, version in
            guard let record = try snapshot.relation(id: lookup.id, in: graph, at: version, publicOnly: access.publicOnly) else {
                throw TramaError(
                    .notFound, "there is no relation \(lookup.id) in the graph `\(graph.name)`",
                    fields: ["graph": graph.name, "relation": "\(lookup.id)"])
            }
            return record
        }
    }

    public func addRelation(_ draft: RelationDraft, by context: WriteContext) throws -> ChangeSummary {
        let store = try store(writing: true)
        let graph = graphName(draft.graph)
        var relation = Relation(source: draft.from, target: draft.to, type: draft.type)
        try draft.fields.apply(to: &relation)
        return try store.addRelation(relation, to: graph, context: context)
    }

    public func updateRelation(_ patch: RelationPatch, by context: WriteContext) throws -> ChangeSummary {
        try patch.relation.check()
        let store = try store(writing: true)
        let graph = graphName(patch.graph)
        if let id = patch.relation.id {
            return try store.updateRelation(id: id, in: graph, context: context) { try patch.fields.apply(to: &$0) }
        }
        return try store.updateRelation(
            source: patch.relation.from!, target: patch.relation.to!, type: patch.relation.type!, in: graph,
            context: context
        ) { try patch.fields.apply(to: &$0) }
    }

    public func removeRelation(_ removal: RelationRemoval, by context: WriteContext) throws -> ChangeSummary {
        try removal.relation.check()
        let store = try store(writing: true)
        let graph = graphName(removal.graph)
        if let id = removal.relation.id { return try store.removeRelation(id: id, from: graph, context: context) }
        return try store.removeRelation(
            source: removal.relation.from!, target: removal.relation.to!, type: removal.relation.type!,
            from: graph, context: context)
    }
}
