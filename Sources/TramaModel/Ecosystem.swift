/// A whole graph in memory: what an import brings in and an export writes out.
public struct Ecosystem: Sendable, Hashable {
    public var name: String
    public var vocabulary: Vocabulary
    public var actors: [Actor]
    public var relations: [Relation]

    public init(name: String, vocabulary: Vocabulary = .builtIn, actors: [Actor] = [], relations: [Relation] = []) {
        self.name = name
        self.vocabulary = vocabulary
        self.actors = actors
        self.relations = relations
    }

    /// Actors by id and relations by ends and type: the order every export uses,
    /// so the same graph always gives the same bytes.
    public mutating func sort() {
        actors.sort { $0.id < $1.id }
        relations.sort { ($0.source, $0.target, $0.type) < ($1.source, $1.target, $1.type) }
    }

    /// Every validation error of the graph as a whole (kinds, types, ends, duplicates).
    /// - Complexity: O(actors + relations).
    public func validate() -> [TramaError] {
        let validator = Validator(vocabulary: vocabulary)
        var kinds: [String: String] = [:]
        var errors: [TramaError] = []
        for actor in actors {
            errors += validator.check(actor)
            if kinds.updateValue(actor.kind, forKey: actor.id) != nil {
                errors.append(TramaError(.duplicateID, "the id `\(actor.id)` is used by two actors"))
            }
        }
        var keys = Set<RelationKey>()
        for relation in relations {
            errors += validator.check(relation) { kinds[$0] }
            let directed = vocabulary.relationTypes[relation.type]?.directed ?? true
            if !keys.insert(relation.key(directed: directed)).inserted {
                errors.append(TramaError(.duplicateID, "the relation \(relation.key(directed: directed)) appears twice"))
            }
        }
        return errors
    }
}
