import Dispatch

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
    /// True when the closures only read memory and may be called from several
    /// threads at once; a lookup that queries a database connection is not.
    public var isThreadSafe: Bool

    public init(kind: @escaping (String) -> String?, idNamed: @escaping (String) -> String?, isThreadSafe: Bool = false) {
        self.kind = kind
        self.idNamed = idNamed
        self.isThreadSafe = isThreadSafe
    }

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
    /// What the import takes as written but may be a slip (a column that looks like a
    /// known one, a territory one letter away from another): said, never refused.
    public var warnings: [String] = []
    /// After ``resolve(vocabulary:lookup:)``: each relation's ``RelationKey/encoded`` key, in order.
    public private(set) var relationKeys: [String] = []
    /// After ``resolve(vocabulary:lookup:)``: the relations' indices sorted by key
    /// (writing in this order keeps the store's key index growing at its end).
    public private(set) var relationOrder: [Int] = []

    public init() {}

    public mutating func append(_ other: ImportBatch) {
        // Adopting the other batch's arrays when these are empty avoids copying
        // (and retaining every string of) half a million relations.
        if actors.isEmpty { actors = other.actors } else { actors += other.actors }
        if relations.isEmpty { relations = other.relations } else { relations += other.relations }
        vocabulary.kinds += other.vocabulary.kinds
        vocabulary.relationTypes += other.vocabulary.relationTypes
        warnings += other.warnings
    }

    /// Resolves relation ends and checks everything against `vocabulary` and the
    /// actors already stored. Throws every problem found.
    /// - Complexity: O(actors + relations) with hashing, plus the lookups.
    public func resolved(vocabulary: Vocabulary, existing: [String: Actor]) throws -> (actors: [Actor], relations: [Relation]) {
        var byName: [String: String] = [:]
        for actor in existing.values where byName[actor.name.lowercased()] == nil { byName[actor.name.lowercased()] = actor.id }
        return try resolved(
            vocabulary: vocabulary,
            lookup: ActorLookup(
                kind: { existing[$0]?.kind }, idNamed: { byName[$0.lowercased()] },
                isThreadSafe: true))
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
    ///
    /// `alongside` runs on the calling thread, with the checked actors, while the
    /// relations are checked on other cores (the store writes the actors then);
    /// it is skipped when an actor is wrong. Whatever it did is undone by the
    /// caller when this throws.
    /// - Complexity: O(actors + relations log relations), the relation checks split over two cores for large batches.
    public mutating func resolve(
        vocabulary: Vocabulary, lookup: ActorLookup,
        alongside: ([Located<Actor>]) throws -> Void = { _ in }
    ) throws {
        let validator = Validator(vocabulary: vocabulary)
        var errors: [TramaError] = []
        var batchKinds: [String: String] = [:]
        batchKinds.reserveCapacity(actors.count)
        var firstSeen: [String: SourceLocation?] = [:]
        firstSeen.reserveCapacity(actors.count)
        for located in actors {
            let actor = located.value
            errors += validator.check(actor, at: located.location)
            if let earlier = firstSeen[actor.id] {
                let whereEarlier = earlier.map { $0.line.map { "line \($0)" } ?? $0.description } ?? "earlier"
                errors.append(
                    TramaError(
                        .duplicateID,
                        "the id `\(actor.id)` is already used at \(whereEarlier): give each actor its own id", at: located.location))
            } else {
                firstSeen[actor.id] = located.location
            }
            batchKinds[actor.id] = actor.kind
        }

        // Check the relations in parts; each part writes only its own results.
        let checker = RelationChecker(vocabulary: vocabulary, validator: validator, batchKinds: batchKinds, actors: actors, lookup: lookup)
        let partCount = relations.count >= 20_000 && lookup.isThreadSafe ? 2 : 1
        let bounds = (0...partCount).map { relations.count * $0 / partCount }
        var parts = [RelationChecker.Part](repeating: .init(), count: partCount)
        var alongsideError: Error?
        let actorsOK = errors.isEmpty
        if partCount == 1 {
            // Small batches and database-backed lookups: everything on this thread.
            if actorsOK {
                do { try alongside(actors) } catch { alongsideError = error }
            }
            parts[0] = relations.withUnsafeBufferPointer { checker.check($0, 0..<relations.count) }
        } else {
            relations.withUnsafeBufferPointer { all in
                nonisolated(unsafe) let all = all
                nonisolated(unsafe) let checker = checker
                parts.withUnsafeMutableBufferPointer { results in
                    nonisolated(unsafe) let results = results
                    let group = DispatchGroup()
                    for part in 0..<partCount {
                        DispatchQueue.global().async(group: group) {
                            results[part] = checker.check(all, bounds[part]..<bounds[part + 1])
                        }
                    }
                    if actorsOK {
                        do { try alongside(actors) } catch { alongsideError = error }
                    }
                    group.wait()
                }
            }
        }
        if let alongsideError { throw alongsideError }

        var keys: [String] = []
        keys.reserveCapacity(relations.count)
        var valid: [Bool] = []
        valid.reserveCapacity(relations.count)
        for part in parts {
            errors += part.errors
            keys += part.keys
            valid += part.valid
            for (index, relation) in part.rewritten { relations[index].value = relation }
        }
        // Sorted by key, the same relation given twice shows as two neighbours
        // (the sort is stable: the earlier line comes first).
        var sorted = zip(keys, relations.indices).map { (key: $0, index: $1) }
        sorted.sort { $0.key < $1.key }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.key == b.key && valid[a.index] && valid[b.index] {
            let location = relations[a.index].location
            let whereEarlier = location.map { $0.line.map { "line \($0)" } ?? $0.description } ?? "earlier"
            let relation = relations[b.index].value
            errors.append(
                TramaError(
                    .duplicateID,
                    "the relation \(relation.key(directed: vocabulary.relationTypes[relation.type]?.directed ?? true)) is already given at \(whereEarlier): keep one row per relation",
                    at: relations[b.index].location))
        }
        if !errors.isEmpty { throw TramaErrors(errors) }
        relationKeys = keys
        relationOrder = sorted.map(\.index)
    }
}

/// Resolves and checks a range of a batch's relations. Holds no mutable state:
/// several parts run at once, each with its own caches.
struct RelationChecker {
    let vocabulary: Vocabulary
    let validator: Validator
    let batchKinds: [String: String]
    let actors: [Located<Actor>]
    let lookup: ActorLookup

    struct Part {
        var errors: [TramaError] = []
        var keys: [String] = []
        var valid: [Bool] = []
        /// Relations whose ends were written as names or slugs, with their ids.
        var rewritten: [(Int, Relation)] = []
    }

    func check(_ relations: UnsafeBufferPointer<Located<Relation>>, _ range: Range<Int>) -> Part {
        var part = Part()
        part.keys.reserveCapacity(range.count)
        part.valid.reserveCapacity(range.count)
        // Names and slugs are indexed only when a reference is not an id.
        var bySlug: [String: String] = [:]
        var byName: [String: String] = [:]
        var namesIndexed = false
        var resolvedCache: [String: String] = [:]
        func resolve(_ reference: String) -> String {
            if batchKinds[reference] != nil { return reference }
            if let known = resolvedCache[reference] { return known }
            if !namesIndexed {
                namesIndexed = true
                for located in actors {
                    let slug = Slug.make(located.value.id)
                    if bySlug[slug] == nil { bySlug[slug] = located.value.id }
                    let name = located.value.name.lowercased()
                    if byName[name] == nil { byName[name] = located.value.id }
                }
            }
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
        for index in range {
            let located = relations[index]
            var relation = located.value
            relation.source = resolve(relation.source)
            relation.target = resolve(relation.target)
            if relation.source != located.value.source || relation.target != located.value.target {
                part.rewritten.append((index, relation))
            }
            let problems = validator.check(relation, at: located.location, kindOf: kindOf)
            if !problems.isEmpty { part.errors += problems }
            part.valid.append(problems.isEmpty)
            part.keys.append(relation.key(directed: vocabulary.relationTypes[relation.type]?.directed ?? true).encoded)
        }
        return part
    }
}
