/// A value and the place in the input it came from.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation?

    public init(_ value: Value, at location: SourceLocation?) {
        self.value = value
        self.location = location
    }
}

/// How a batch finds the actors already stored: the kind of an id, and the id of a name.
public struct ActorLookup {
    public var kind: (String) -> String?
    public var idNamed: (String) -> String?

    public init(kind: @escaping (String) -> String?, idNamed: @escaping (String) -> String?) {
        self.kind = kind
        self.idNamed = idNamed
    }

    public static var none: ActorLookup { ActorLookup(kind: { _ in nil }, idNamed: { _ in nil }) }
}

/// What one import brings: actors and relations read from files, not yet
/// checked against the graph they go into.
public struct ImportBatch: Sendable {
    public var actors: [Located<Actor>] = []
    /// Relation ends are as written in the file: an id, or a name for
    /// spreadsheets that refer to actors by `Label` (Kumu does).
    public var relations: [Located<Relation>] = []
    /// Kinds and relation types the file adds to the graph (JSON carries them).
    public var vocabulary = VocabularyExtensions()
    /// After ``resolve(vocabulary:lookup:)``: each relation's ``RelationKey/encoded`` key, in order.
    public private(set) var relationKeys: [String] = []

    public init() {}

    public mutating func append(_ other: ImportBatch) {
        actors += other.actors
        relations += other.relations
        vocabulary.kinds += other.vocabulary.kinds
        vocabulary.relationTypes += other.vocabulary.relationTypes
    }

    /// Resolves relation ends and checks everything against `vocabulary` and the
    /// actors already stored. Throws every problem found.
    /// - Complexity: O(actors + relations) with hashing, plus the lookups.
    public func resolved(vocabulary: Vocabulary, existing: [String: Actor]) throws -> (actors: [Actor], relations: [Relation]) {
        var byName: [String: String] = [:]
        for actor in existing.values where byName[actor.name.lowercased()] == nil { byName[actor.name.lowercased()] = actor.id }
        return try resolved(vocabulary: vocabulary, lookup: ActorLookup(kind: { existing[$0]?.kind }, idNamed: { byName[$0.lowercased()] }))
    }

    /// As above, with the stored actors reached through `lookup` (a query per id
    /// for single edits instead of loading the whole graph).
    public func resolved(vocabulary: Vocabulary, lookup: ActorLookup) throws -> (actors: [Actor], relations: [Relation]) {
        var copy = self
        try copy.resolve(vocabulary: vocabulary, lookup: lookup)
        return (copy.actors.map(\.value), copy.relations.map(\.value))
    }

    /// Resolves relation ends in place (no second copy of a large batch) and
    /// checks everything; throws every problem found.
    public mutating func resolve(vocabulary: Vocabulary, lookup: ActorLookup) throws {
        let validator = Validator(vocabulary: vocabulary)
        var errors: [TramaError] = []
        var batchKinds: [String: String] = [:]
        var firstSeen: [String: SourceLocation?] = [:]
        var bySlug: [String: String] = [:]
        var byName: [String: String] = [:]
        for located in actors {
            let actor = located.value
            errors += validator.check(actor, at: located.location)
            if let earlier = firstSeen[actor.id] {
                let whereEarlier = earlier.map { $0.line.map { "line \($0)" } ?? $0.description } ?? "earlier"
                errors.append(TramaError(.duplicateID,
                    "the id `\(actor.id)` is already used at \(whereEarlier): give each actor its own id", at: located.location))
            } else {
                firstSeen[actor.id] = located.location
            }
            batchKinds[actor.id] = actor.kind
            let slug = Slug.make(actor.id)
            if bySlug[slug] == nil { bySlug[slug] = actor.id }
            let name = actor.name.lowercased()
            if byName[name] == nil { byName[name] = actor.id }
        }
        var resolvedCache: [String: String] = [:]
        func resolve(_ reference: String) -> String {
            if batchKinds[reference] != nil { return reference }
            if let known = resolvedCache[reference] { return known }
            var id = reference
            if lookup.kind(reference) != nil {
                id = reference
            } else if let named = byName[reference.lowercased()] ?? lookup.idNamed(reference) {
                id = named
            } else {
                let slug = Slug.make(reference)
                if let match = bySlug[slug] { id = match } else if lookup.kind(slug) != nil { id = slug }
            }
            resolvedCache[reference] = id
            return id
        }
        var storedKinds: [String: String?] = [:]
        let kindOf: (String) -> String? = { id in
            if let kind = batchKinds[id] { return kind }
            if let cached = storedKinds[id] { return cached }
            let kind = lookup.kind(id)
            storedKinds[id] = kind
            return kind
        }
        var seenKeys: [String: Int] = [:]
        seenKeys.reserveCapacity(relations.count)
        var keys: [String] = []
        keys.reserveCapacity(relations.count)
        for index in relations.indices {
            let located = relations[index]
            var relation = located.value
            relation.source = resolve(relation.source)
            relation.target = resolve(relation.target)
            if relation.source != located.value.source || relation.target != located.value.target {
                relations[index].value = relation
            }
            let problems = validator.check(relation, at: located.location, kindOf: kindOf)
            errors += problems
            let key = relation.key(directed: vocabulary.relationTypes[relation.type]?.directed ?? true)
            let encoded = key.encoded
            keys.append(encoded)
            if problems.isEmpty {
                if let earlier = seenKeys[encoded] {
                    let whereEarlier = relations[earlier].location.map { $0.line.map { "line \($0)" } ?? $0.description } ?? "earlier"
                    errors.append(TramaError(.duplicateID,
                        "the relation \(key) is already given at \(whereEarlier): keep one row per relation", at: located.location))
                } else {
                    seenKeys[encoded] = index
                }
            }
        }
        if !errors.isEmpty { throw TramaErrors(errors) }
        relationKeys = keys
    }
}
