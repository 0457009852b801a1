/// A graph in columns, as analyses read it: actors with what filters and tables
/// show, relations as integer ends and codes. Building it from a store skips the
/// full `Relation` value (~200 bytes) per row.
public struct RelationTable: Sendable {
    public var actorIDs: [String] = []
    public var actorNames: [String] = []
    public var actorKinds: [String] = []
    public var actorTerritories: [Territory?] = []
    /// Relation type names; `type` holds indices into it.
    public var typeNames: [String] = []
    public var source: [Int32] = []
    public var target: [Int32] = []
    public var type: [UInt16] = []
    /// NaN where the relation has no strength.
    public var strength: [Double] = []
    public var status: [RelationStatus] = []
    public var vocabulary: Vocabulary

    public init(vocabulary: Vocabulary) { self.vocabulary = vocabulary }

    public var relationCount: Int { source.count }

    /// The index of a type name, added when new.
    /// - Complexity: O(types): relation types are few.
    public mutating func typeIndex(_ name: String) -> UInt16 {
        if let i = typeNames.firstIndex(of: name) { return UInt16(i) }
        typeNames.append(name)
        return UInt16(typeNames.count - 1)
    }

    /// The ecosystem's actors and the relations between them, in columns.
    /// - Complexity: O(actors + relations).
    public init(_ ecosystem: Ecosystem) {
        vocabulary = ecosystem.vocabulary
        var index: [String: Int32] = [:]
        index.reserveCapacity(ecosystem.actors.count)
        for actor in ecosystem.actors {
            index[actor.id] = Int32(actorIDs.count)
            actorIDs.append(actor.id)
            actorNames.append(actor.name)
            actorKinds.append(actor.kind)
            actorTerritories.append(actor.territory)
        }
        for r in ecosystem.relations {
            guard let u = index[r.source], let v = index[r.target] else { continue }
            source.append(u)
            target.append(v)
            type.append(typeIndex(r.type))
            strength.append(r.strength ?? .nan)
            status.append(r.status)
        }
    }
}
