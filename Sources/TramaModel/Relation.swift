/// Where a relation stands.
public enum RelationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active, planned, potential, ended

    /// Reads `active`, `Attiva`, `pianificata`, `concluso`, … (case-insensitive).
    public init?(text: String) {
        let key = Vocabulary.normalise(text)
        if let status = RelationStatus(rawValue: key) {
            self = status
            return
        }
        switch key {
        case "attivo", "attiva", "current": self = .active
        case "pianificato", "pianificata", "previsto", "prevista": self = .planned
        case "potenziale", "possible", "possibile": self = .potential
        case "concluso", "conclusa", "terminato", "terminata", "finished", "closed": self = .ended
        default: return nil
        }
    }
}

/// A typed tie between two actors, with its provenance.
public struct Relation: Sendable, Hashable {
    public var source: String
    public var target: String
    public var type: String
    /// `Strength` in the sheet; `nil` when the sheet left it empty (analyses then use 1).
    public var strength: Double?
    /// Partial ISO dates: `2021`, `2021-03` or `2021-03-05`.
    public var since: String?
    public var until: String?
    public var status: RelationStatus
    public var description: String?
    /// Where the relation was learned (a quote, a lab, an interview).
    public var evidence: String?
    public var tags: [String]
    public var attributes: [String: String]
    public var isPrivate: Bool
    /// Who asserted the relation, in which lab or interview, and when.
    public var assertedBy: String?
    public var assertedIn: String?
    public var assertedAt: String?

    public init(
        source: String, target: String, type: String, strength: Double? = nil, since: String? = nil, until: String? = nil,
        status: RelationStatus = .active, description: String? = nil, evidence: String? = nil, tags: [String] = [],
        attributes: [String: String] = [:], isPrivate: Bool = false,
        assertedBy: String? = nil, assertedIn: String? = nil, assertedAt: String? = nil
    ) {
        self.source = source
        self.target = target
        self.type = type
        self.strength = strength
        self.since = since
        self.until = until
        self.status = status
        self.description = description
        self.evidence = evidence
        self.tags = tags
        self.attributes = attributes
        self.isPrivate = isPrivate
        self.assertedBy = assertedBy
        self.assertedIn = assertedIn
        self.assertedAt = assertedAt
    }

    /// The relation's identity within a graph: its type and its two ends, in
    /// either order for an undirected type. Re-importing a relation with the
    /// same key updates it instead of adding a second one.
    public func key(directed: Bool) -> RelationKey {
        if directed || source <= target { return RelationKey(source: source, target: target, type: type) }
        return RelationKey(source: target, target: source, type: type)
    }
}

/// See ``Relation/key(directed:)``.
public struct RelationKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var source: String
    public var target: String
    public var type: String

    public init(source: String, target: String, type: String) {
        self.source = source
        self.target = target
        self.type = type
    }

    public static func < (a: RelationKey, b: RelationKey) -> Bool {
        (a.source, a.target, a.type) < (b.source, b.target, b.type)
    }

    public var description: String { "\(source) -[\(type)]- \(target)" }

    /// The key ``encoded`` wrote.
    public init?(encoded: String) {
        let parts = encoded.split(separator: "\u{1F}", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        self.init(source: String(parts[1]), target: String(parts[2]), type: String(parts[0]))
    }

    /// A single string for storage indexes; `\u{1F}` cannot occur in ids.
    public var encoded: String {
        var text = ""
        text.reserveCapacity(type.utf8.count + source.utf8.count + target.utf8.count + 2)
        text += type
        text += "\u{1F}"
        text += source
        text += "\u{1F}"
        text += target
        return text
    }
}

extension Relation: Codable {
    enum CodingKeys: String, CodingKey {
        case source = "from"
        case target = "to"
        case type, strength, since, until, status, description, evidence, tags, attributes
        case isPrivate = "private"
        case assertedBy = "asserted_by"
        case assertedIn = "asserted_in"
        case assertedAt = "asserted_at"
    }

    /// Every field is written, `null` included.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(source, forKey: .source)
        try c.encode(target, forKey: .target)
        try c.encode(type, forKey: .type)
        try c.encode(strength, forKey: .strength)
        try c.encode(since, forKey: .since)
        try c.encode(until, forKey: .until)
        try c.encode(status, forKey: .status)
        try c.encode(description, forKey: .description)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(tags, forKey: .tags)
        try c.encode(attributes, forKey: .attributes)
        try c.encode(isPrivate, forKey: .isPrivate)
        try c.encode(assertedBy, forKey: .assertedBy)
        try c.encode(assertedIn, forKey: .assertedIn)
        try c.encode(assertedAt, forKey: .assertedAt)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        source = try c.decode(String.self, forKey: .source)
        target = try c.decode(String.self, forKey: .target)
        type = try c.decode(String.self, forKey: .type)
        strength = try c.decodeIfPresent(Double.self, forKey: .strength)
        since = try c.decodeIfPresent(String.self, forKey: .since)
        until = try c.decodeIfPresent(String.self, forKey: .until)
        status = try c.decodeIfPresent(RelationStatus.self, forKey: .status) ?? .active
        description = try c.decodeIfPresent(String.self, forKey: .description)
        evidence = try c.decodeIfPresent(String.self, forKey: .evidence)
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        attributes = try c.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        isPrivate = try c.decodeIfPresent(Bool.self, forKey: .isPrivate) ?? false
        assertedBy = try c.decodeIfPresent(String.self, forKey: .assertedBy)
        assertedIn = try c.decodeIfPresent(String.self, forKey: .assertedIn)
        assertedAt = try c.decodeIfPresent(String.self, forKey: .assertedAt)
    }
}
