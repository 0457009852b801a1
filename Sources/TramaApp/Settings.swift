import Foundation
import TramaInsight
import TramaModel
import TramaStore

/// A graph's kinds and relation types, with their rules.
public struct VocabularyResult: Codable, Sendable {
    public var kinds: [KindDefinition]
    public var relationTypes: [RelationTypeDefinition]

    enum CodingKeys: String, CodingKey {
        case kinds
        case relationTypes = "relation_types"
    }
}

/// A kind to add to a graph's vocabulary.
public struct KindDraft: Codable, Sendable, Hashable {
    public var graph: String?
    public var name: String
    public var label: String?
    public var labelIT: String?
    /// The kind is a natural person (personal data).
    public var person: Bool?

    public init(graph: String? = nil, name: String, label: String? = nil, labelIT: String? = nil, person: Bool? = nil) {
        self.graph = graph
        self.name = name
        self.label = label
        self.labelIT = labelIT
        self.person = person
    }

    enum CodingKeys: String, CodingKey {
        case graph, name, label
        case labelIT = "label_it"
        case person
    }
}

/// A relation type to add to a graph's vocabulary.
public struct RelationTypeDraft: Codable, Sendable, Hashable {
    public var graph: String?
    public var name: String
    public var undirected: Bool?
    /// Kinds allowed at the start; none: any.
    public var from: [String]?
    /// Kinds allowed at the end; none: any.
    public var to: [String]?
    public var label: String?
    public var labelIT: String?

    public init(
        graph: String? = nil, name: String, undirected: Bool? = nil, from: [String]? = nil, to: [String]? = nil,
        label: String? = nil, labelIT: String? = nil
    ) {
        self.graph = graph
        self.name = name
        self.undirected = undirected
        self.from = from
        self.to = to
        self.label = label
        self.labelIT = labelIT
    }

    enum CodingKeys: String, CodingKey {
        case graph, name, undirected, from, to, label
        case labelIT = "label_it"
    }
}

/// New alliance rules for a graph: requirements `KIND[|KIND…][:COUNT]`, or the standard ones.
public struct RulesUpdate: Codable, Sendable, Hashable {
    public var graph: String?
    public var require: [String]?
    public var standard: Bool?

    public init(graph: String? = nil, require: [String]? = nil, standard: Bool? = nil) {
        self.graph = graph
        self.require = require
        self.standard = standard
    }
}

extension Trama {
    /// The vocabulary of a graph version (the built-in one for a graph that does not exist yet).
    public func vocabulary(_ request: GraphRead) throws -> VocabularyResult {
        let store = try store(writing: false)
        let vocabulary = try store.read { snapshot -> Vocabulary in
            guard let graph = try snapshot.graphIfExists(graphName(request.graph)) else { return .builtIn }
            return try snapshot.vocabulary(of: graph, at: try snapshot.version(request.asOf, of: graph))
        }
        return VocabularyResult(
            kinds: vocabulary.kindNames.map { vocabulary.kinds[$0]! },
            relationTypes: vocabulary.relationTypeNames.map { vocabulary.relationTypes[$0]! })
    }

    public func addKind(_ draft: KindDraft, by context: WriteContext) throws -> ChangeSummary {
        try store(writing: true, create: true).extendVocabulary(of: graphName(draft.graph), context: context) {
            try $0.add(
                kind: KindDefinition(
                    name: draft.name, label: draft.label ?? draft.name, labelIT: draft.labelIT ?? draft.label ?? draft.name,
                    isPerson: draft.person ?? false))
        }
    }

    public func addRelationType(_ draft: RelationTypeDraft, by context: WriteContext) throws -> ChangeSummary {
        try store(writing: true, create: true).extendVocabulary(of: graphName(draft.graph), context: context) { vocabulary in
            let resolver = Resolver(vocabulary: vocabulary, actorTerritories: [])
            try vocabulary.add(
                relationType: RelationTypeDefinition(
                    name: draft.name, directed: !(draft.undirected ?? false),
                    sourceKinds: (draft.from ?? []).isEmpty ? nil : try draft.from!.map { try resolver.kind($0, field: "from") },
                    targetKinds: (draft.to ?? []).isEmpty ? nil : try draft.to!.map { try resolver.kind($0, field: "to") },
                    label: draft.label ?? draft.name.replacingOccurrences(of: "_", with: " "),
                    labelIT: draft.labelIT ?? draft.label ?? draft.name))
        }
    }

    /// The alliance rules of a graph version.
    public func rules(_ request: GraphRead) throws -> AllianceRules {
        try read(request.graph, asOf: request.asOf, on: request.on) { snapshot, graph, version in try rules(snapshot, graph, version) }
    }

    public func setRules(_ update: RulesUpdate, by context: WriteContext) throws -> ChangeSummary {
        let store = try store(writing: true)
        let graph = graphName(update.graph)
        if update.standard == true {
            return try store.setRulesJSON(nil, of: graph, context: context)
        }
        guard let require = update.require, !require.isEmpty else {
            throw TramaError.invalidField("require", "is empty: give at least one requirement, or ask for the standard rules")
        }
        let vocabulary = try store.vocabulary(of: graph)
        let rules = AllianceRules(requirements: try require.map { try Requirement(parsing: $0, vocabulary: vocabulary) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try store.setRulesJSON(String(decoding: try encoder.encode(rules), as: UTF8.self), of: graph, context: context)
    }
}

/// Everything a store holds about one person (or any actor), for an access request.
public struct PersonRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var id: String

    public init(graph: String? = nil, id: String) {
        self.graph = graph
        self.id = id
    }
}

public struct ErasureRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var id: String
    /// The erasure cannot be undone: without this, nothing happens and the answer says what would go.
    public var confirm: Bool?

    public init(graph: String? = nil, id: String, confirm: Bool? = nil) {
        self.graph = graph
        self.id = id
        self.confirm = confirm
    }
}

public struct ErasureResult: Codable, Sendable {
    /// The graph asked for.
    public var graph: String
    /// Versions removed, in every graph that held the person.
    public var actorVersions: Int
    public var relationVersions: Int
    /// Stored versions of other records rewritten where they named the person.
    public var mentions: Int
    /// What was erased and rewritten, graph by graph and record by record.
    public var plan: ErasurePlan?
    /// True: an earlier erasure's bytes, kept while another program read the store, are gone now.
    public var finished: Bool

    enum CodingKeys: String, CodingKey {
        case graph
        case actorVersions = "actor_versions"
        case relationVersions = "relation_versions"
        case mentions, plan, finished
    }
}

extension Trama {
    public func personalData(_ request: PersonRequest) throws -> PersonalData {
        try store(writing: false).personalData(of: request.id, in: graphName(request.graph))
    }

    /// What erasing a person would remove and rewrite, before it is done.
    public func erasurePlan(_ request: PersonRequest) throws -> ErasurePlan {
        try store(writing: false).erasurePlan(of: request.id, in: graphName(request.graph))
    }

    /// Erases a person (see ``TramaStore/Store/erase(_:in:context:)``). Without `confirm`
    /// nothing happens: the error says what would go (``erasurePlan(_:)`` lists it).
    /// When another program holds an earlier version of the store, the person is gone
    /// from every answer but their bytes stay in the file until it lets go: that is an
    /// error (`erasure-pending`), and asking again finishes the erasure.
    public func erase(_ request: ErasureRequest, by context: WriteContext) throws -> ErasureResult {
        let store = try store(writing: true)
        let graph = graphName(request.graph)
        guard request.confirm == true else {
            let plan = try store.erasurePlan(of: request.id, in: graph)
            throw TramaError(
                .needsConfirmation,
                "erasing `\(request.id)` removes \(plan.actorVersions) version(s) of it and \(plan.relationVersions) version(s) of its relations for good, in \(plan.graphs.map { "`\($0.graph)`" }.joined(separator: ", ")), and rewrites \(plan.mentionVersions) version(s) of other records that name it",
                fields: ["graph": graph, "actor": request.id])
        }
        let outcome: ErasureOutcome
        do {
            outcome = try store.erase(request.id, in: graph, context: context)
        } catch let error as TramaError where error.code == .notFound {
            // Asked again after a pending erasure: finish it.
            guard let gone = try store.finishErasure(of: request.id) else { throw error }
            guard gone else { throw Self.pending(request.id, graph: graph) }
            return ErasureResult(graph: graph, actorVersions: 0, relationVersions: 0, mentions: 0, plan: nil, finished: true)
        }
        guard outcome.bytesGone else { throw Self.pending(request.id, graph: graph) }
        return ErasureResult(
            graph: graph, actorVersions: outcome.plan.actorVersions, relationVersions: outcome.plan.relationVersions,
            mentions: outcome.plan.mentionVersions, plan: outcome.plan, finished: false)
    }

    static func pending(_ id: String, graph: String) -> TramaError {
        TramaError(
            .erasurePending,
            "`\(id)` is erased from every answer, but another program is still reading an earlier version of the store, so the erased bytes stay in the file until it stops; ask for the erasure again then to wipe them",
            fields: ["graph": graph, "actor": id])
    }
}
