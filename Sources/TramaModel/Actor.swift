/// An organisation, person or project in an ecosystem.
public struct Actor: Sendable, Hashable {
    /// Stable id (slug); relations and re-imports refer to it.
    public var id: String
    public var name: String
    /// One of the graph's kinds (`cooperative`, `mentor`, …).
    public var kind: String
    public var territory: Territory?
    public var themes: [String]
    public var tags: [String]
    public var url: String?
    public var description: String?
    /// Free columns of the actors sheet, by column name; values are kept as written
    /// (a `|` inside still separates several values).
    public var attributes: [String: String]
    /// Private actors are never shown to readers without the right token.
    public var isPrivate: Bool

    public init(
        id: String, name: String, kind: String, territory: Territory? = nil, themes: [String] = [], tags: [String] = [],
        url: String? = nil, description: String? = nil, attributes: [String: String] = [:], isPrivate: Bool = false
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.territory = territory
        self.themes = themes
        self.tags = tags
        self.url = url
        self.description = description
        self.attributes = attributes
        self.isPrivate = isPrivate
    }
}

extension Actor: Codable {
    enum CodingKeys: String, CodingKey {
        case id, name, kind, territory, themes, tags, url, description, attributes
        case isPrivate = "private"
    }

    /// Every field is written, `null` included, so JSON readers see the whole shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try c.encode(territory, forKey: .territory)
        try c.encode(themes, forKey: .themes)
        try c.encode(tags, forKey: .tags)
        try c.encode(url, forKey: .url)
        try c.encode(description, forKey: .description)
        try c.encode(attributes, forKey: .attributes)
        try c.encode(isPrivate, forKey: .isPrivate)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? id
        kind = try c.decode(String.self, forKey: .kind)
        territory = try c.decodeIfPresent(Territory.self, forKey: .territory)
        themes = try c.decodeIfPresent([String].self, forKey: .themes) ?? []
        tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        url = try c.decodeIfPresent(String.self, forKey: .url)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        attributes = try c.decodeIfPresent([String: String].self, forKey: .attributes) ?? [:]
        isPrivate = try c.decodeIfPresent(Bool.self, forKey: .isPrivate) ?? false
    }
}
