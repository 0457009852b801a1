/// A stored relation with its stable id: the id the API's routes take and the
/// one its group carries in an SVG map (`r-<id>`). Editing a relation keeps its
/// id; removing it and adding it again gives a new one.
public struct RelationRecord: Sendable, Hashable {
    public var id: Int64
    public var relation: Relation

    public init(id: Int64, relation: Relation) {
        self.id = id
        self.relation = relation
    }
}

extension RelationRecord: Codable {
    enum CodingKeys: String, CodingKey { case id }

    /// `{"id": 7, "from": …, "to": …, …}`: the relation's fields beside its id.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try relation.encode(to: encoder)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        relation = try Relation(from: decoder)
    }
}
