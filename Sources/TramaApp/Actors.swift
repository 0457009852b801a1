import Foundation
import TramaModel
import TramaStore

/// Actors of one graph version, by kind and territory.
public struct ActorQuery: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var kinds: [String]?
    public var territory: String?
    public var `public`: Bool?

    public init(
        graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, kinds: [String]? = nil, territory: String? = nil,
        public: Bool? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.kinds = kinds
        self.territory = territory
        self.public = `public`
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case kinds = "kind"
        case territory, `public`
    }
}

public struct ActorList: Codable, Sendable {
    public var actors: [Actor]
}

/// One actor by id.
public struct ActorLookup: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var id: String
    public var `public`: Bool?

    public init(graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, id: String, public: Bool? = nil) {
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

/// An actor and its relations.
public struct ActorDetail: Codable, Sendable {
    public var actor: Actor
    public var relations: [RelationRecord]
    /// The names of the actors at the other end of its relations, by id.
    public var names: [String: String]
}

/// The fields of an actor that a write sets. In a new actor, a field not given is
/// empty; in a patch, a field not given stays as it is, and an empty text (or an
/// empty list) clears it. An attribute given as an empty text or null is removed.
public struct ActorFields: Codable, Sendable, Hashable {
    public var name: String?
    public var kind: String?
    public var territory: String?
    public var themes: [String]?
    public var tags: [String]?
    public var url: String?
    public var description: String?
    public var attributes: [String: String?]?
    public var `private`: Bool?

    public init(
        name: String? = nil, kind: String? = nil, territory: String? = nil, themes: [String]? = nil, tags: [String]? = nil,
        url: String? = nil, description: String? = nil, attributes: [String: String?]? = nil, private: Bool? = nil
    ) {
        self.name = name
        self.kind = kind
        self.territory = territory
        self.themes = themes
        self.tags = tags
        self.url = url
        self.description = description
        self.attributes = attributes
        self.private = `private`
    }

    /// Applies the fields to `actor`, kinds resolved through `vocabulary`.
    func apply(to actor: inout Actor, vocabulary: Vocabulary) throws {
        if let name { actor.name = name }
        if let kind { actor.kind = vocabulary.resolveKind(kind) ?? kind }
        if let territory {
            if territory.trimmingCharacters(in: .whitespaces).isEmpty {
                actor.territory = nil
            } else {
                actor.territory = try Territory(territory).orThrow(TramaError.invalidField("territory", "is empty"))
            }
        }
        if let themes { actor.themes = themes.map { $0.trimmingSpaces() }.filter { !$0.isEmpty } }
        if let tags { actor.tags = tags.map { $0.trimmingSpaces() }.filter { !$0.isEmpty } }
        if let url { actor.url = url.isEmpty ? nil : url }
        if let description { actor.description = description.isEmpty ? nil : description }
        for (key, value) in attributes ?? [:] {
            guard !key.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw TramaError.invalidField("attributes", "has an attribute without a name")
            }
            if let value, !value.isEmpty { actor.attributes[key] = value } else { actor.attributes[key] = nil }
        }
        if let isPrivate = `private` { actor.isPrivate = isPrivate }
    }
}

/// A new actor. Without an id, one is made from the name (`Coop. La Venenta` → `coop-la-venenta`).
public struct ActorDraft: Codable, Sendable, Hashable {
    public var graph: String?
    public var id: String?
    public var fields: ActorFields

    public init(graph: String? = nil, id: String? = nil, fields: ActorFields) {
        self.graph = graph
        self.id = id
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey { case graph, id }

    /// `{"id": …, "name": …, "kind": …}`: the fields beside the id.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        graph = try c.decodeIfPresent(String.self, forKey: .graph)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        fields = try ActorFields(from: decoder)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(graph, forKey: .graph)
        try c.encodeIfPresent(id, forKey: .id)
        try fields.encode(to: encoder)
    }
}

/// Changes to one actor; fields not given stay as they are.
public struct ActorPatch: Codable, Sendable, Hashable {
    public var graph: String?
    public var id: String
    public var fields: ActorFields

    public init(graph: String? = nil, id: String, fields: ActorFields) {
        self.graph = graph
        self.id = id
        self.fields = fields
    }
}

public struct ActorRemoval: Codable, Sendable, Hashable {
    public var graph: String?
    public var id: String
    /// Also remove the actor's relations (without it, an actor with relations is refused).
    public var cascade: Bool?

    public init(graph: String? = nil, id: String, cascade: Bool? = nil) {
        self.graph = graph
        self.id = id
        self.cascade = cascade
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}

extension Trama {
    public func actors(_ query: ActorQuery, access: Access = .full) throws -> ActorList {
        let access = access.narrowed(public: query.public)
        return ActorList(
            actors: try read(query.graph, asOf: query.asOf, on: query.on) { snapshot, graph, version in
                let vocabulary = try snapshot.vocabulary(of: graph, at: version)
                let resolver = Resolver(vocabulary: vocabulary, actorTerritories: [])
                let kinds = try (query.kinds ?? []).map { try resolver.kind($0) }
                let territory = try self.territory(query.territory, snapshot, graph, version, access, vocabulary: vocabulary)
                return try snapshot.actors(
                    graph, filter: StoreFilter(kinds: kinds, territory: territory), at: version, publicOnly: access.publicOnly)
            })
    }

    public func actor(_ lookup: ActorLookup, access: Access = .full) throws -> ActorDetail {
        let access = access.narrowed(public: lookup.public)
        return try read(lookup.graph, asOf: lookup.asOf, on: lookup.on) { snapshot, graph, version in
            guard let actor = try snapshot.actor(lookup.id, in: graph, at: version, publicOnly: access.publicOnly) else {
                throw TramaError(
                    .notFound, "there is no actor `\(lookup.id)` in the graph `\(graph.name)`",
                    fields: ["graph": graph.name, "actor": lookup.id])
            }
            let relations = try snapshot.relations(graph, filter: StoreFilter(actor: lookup.id), at: version, publicOnly: access.publicOnly)
            var names: [String: String] = [:]
            for other in Set(relations.flatMap { [$0.relation.source, $0.relation.target] }) where other != actor.id {
                names[other] = try snapshot.actor(other, in: graph, at: version, publicOnly: access.publicOnly)?.name
            }
            return ActorDetail(actor: actor, relations: relations, names: names)
        }
    }

    public func addActor(_ draft: ActorDraft, by context: WriteContext) throws -> ChangeSummary {
        guard draft.fields.kind?.isEmpty == false else { throw TramaError.invalidField("kind", "is missing: every actor has a kind") }
        let name = draft.fields.name?.trimmingSpaces()
        guard draft.id?.isEmpty == false || name?.isEmpty == false else {
            throw TramaError.invalidField("id", "is missing: give an id or a name")
        }
        let id = draft.id ?? Slug.make(name ?? "")
        guard !id.isEmpty else { throw TramaError.invalidField("name", "gives no usable id: give an id") }
        return try store(writing: true, create: true).addActor(to: graphName(draft.graph), context: context) { vocabulary in
            var actor = Actor(id: id, name: name ?? id, kind: "")
            try draft.fields.apply(to: &actor, vocabulary: vocabulary)
            return actor
        }
    }

    public func updateActor(_ patch: ActorPatch, by context: WriteContext) throws -> ChangeSummary {
        try store(writing: true).updateActor(patch.id, in: graphName(patch.graph), context: context) { actor, vocabulary in
            try patch.fields.apply(to: &actor, vocabulary: vocabulary)
        }
    }

    public func removeActor(_ removal: ActorRemoval, by context: WriteContext) throws -> ChangeSummary {
        try store(writing: true).removeActor(
            removal.id, from: graphName(removal.graph), cascade: removal.cascade ?? false, context: context)
    }
}
