import Foundation

/// An actor kind: `cooperative`, `mentor`, … with its labels in the users' languages.
public struct KindDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var label: String
    public var labelIT: String
    /// True for natural persons, whose data can be exported and erased on request.
    public var isPerson: Bool
    /// True for the third sector (cooperatives, consortia, associations, networks, and the
    /// kinds a graph declares so with `"third_sector": true`): what gaps count as such.
    public var isThirdSector: Bool

    public init(name: String, label: String, labelIT: String, isPerson: Bool = false, isThirdSector: Bool = false) {
        self.name = name
        self.label = label
        self.labelIT = labelIT
        self.isPerson = isPerson
        self.isThirdSector = isThirdSector
    }

    enum CodingKeys: String, CodingKey {
        case name, label
        case labelIT = "label_it"
        case isPerson = "person"
        case isThirdSector = "third_sector"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        label = try c.decode(String.self, forKey: .label)
        labelIT = try c.decode(String.self, forKey: .labelIT)
        isPerson = try c.decode(Bool.self, forKey: .isPerson)
        isThirdSector = try c.decodeIfPresent(Bool.self, forKey: .isThirdSector) ?? false
    }

    /// `third_sector` only when true, so the vocabularies stored before it read and write the same.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(label, forKey: .label)
        try c.encode(labelIT, forKey: .labelIT)
        try c.encode(isPerson, forKey: .isPerson)
        if isThirdSector { try c.encode(true, forKey: .isThirdSector) }
    }
}

/// A relation type: whether it is directed and which kinds may stand at each end
/// (`nil` means any kind).
public struct RelationTypeDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var directed: Bool
    public var sourceKinds: [String]?
    public var targetKinds: [String]?
    public var label: String
    public var labelIT: String

    public init(name: String, directed: Bool, sourceKinds: [String]?, targetKinds: [String]?, label: String, labelIT: String) {
        self.name = name
        self.directed = directed
        self.sourceKinds = sourceKinds
        self.targetKinds = targetKinds
        self.label = label
        self.labelIT = labelIT
    }

    enum CodingKeys: String, CodingKey {
        case name, directed, label
        case sourceKinds = "source_kinds"
        case targetKinds = "target_kinds"
        case labelIT = "label_it"
    }
}

/// The kinds and relation types a graph accepts: the built-in vocabulary of
/// DESIGN.md plus the graph's own extensions.
public struct Vocabulary: Sendable, Hashable {
    public private(set) var kinds: [String: KindDefinition]
    public private(set) var relationTypes: [String: RelationTypeDefinition]
    /// What the graph added to the built-in vocabulary; this is what the store keeps.
    public private(set) var extensions: VocabularyExtensions

    public init(extensions: VocabularyExtensions = .init()) {
        var kinds = Dictionary(uniqueKeysWithValues: Self.builtInKinds.map { ($0.name, $0) })
        var types = Dictionary(uniqueKeysWithValues: Self.builtInRelationTypes.map { ($0.name, $0) })
        for kind in extensions.kinds { kinds[kind.name] = kind }
        for type in extensions.relationTypes { types[type.name] = type }
        self.kinds = kinds
        self.relationTypes = types
        self.extensions = extensions
    }

    public static let builtIn = Vocabulary()

    /// Adds a kind to this graph's vocabulary.
    public mutating func add(kind: KindDefinition) throws {
        guard Slug.isValidName(kind.name) else {
            throw TramaError(.invalidValue, "`\(kind.name)` is not a valid kind name: use lower-case letters, digits and `_`")
        }
        extensions.kinds.removeAll { $0.name == kind.name }
        extensions.kinds.append(kind)
        self = Vocabulary(extensions: extensions)
    }

    /// Adds a relation type to this graph's vocabulary; its end kinds must be known.
    public mutating func add(relationType: RelationTypeDefinition) throws {
        guard Slug.isValidName(relationType.name) else {
            throw TramaError(
                .invalidValue, "`\(relationType.name)` is not a valid relation type name: use lower-case letters, digits and `_`")
        }
        for kind in (relationType.sourceKinds ?? []) + (relationType.targetKinds ?? []) where kinds[kind] == nil {
            throw TramaError(.unknownKind, "relation type `\(relationType.name)` names the kind `\(kind)`, which this graph does not know")
        }
        extensions.relationTypes.removeAll { $0.name == relationType.name }
        extensions.relationTypes.append(relationType)
        self = Vocabulary(extensions: extensions)
    }

    /// The kind a spreadsheet cell means: `Cooperativa`, `Public Administration`,
    /// `PA` all resolve; `nil` when the graph knows no such kind.
    public func resolveKind(_ text: String) -> String? {
        let key = Self.normalise(text)
        if kinds[key] != nil { return key }
        if let alias = Self.kindAliases[key], kinds[alias] != nil { return alias }
        if let kind = kinds.values.first(where: { Self.normalise($0.label) == key || Self.normalise($0.labelIT) == key }) {
            return kind.name
        }
        // `Cooperativa sociale di tipo A/B`, `Consorzio di cooperative sociali`, `Associazione culturale`.
        for (prefix, kind) in [("cooperativa_", "cooperative"), ("consorzio_", "consortium"), ("associazione_", "association")]
        where key.hasPrefix(prefix) && kinds[kind] != nil {
            return kind
        }
        return nil
    }

    /// The relation type a cell means (`partners with`, `co-progettazione`, …).
    public func resolveRelationType(_ text: String) -> String? {
        let key = Self.normalise(text)
        if relationTypes[key] != nil { return key }
        if let alias = Self.relationAliases[key], relationTypes[alias] != nil { return alias }
        return relationTypes.values.first { Self.normalise($0.label) == key || Self.normalise($0.labelIT) == key }?.name
    }

    static func normalise(_ text: String) -> String {
        let folded = text.trimmingCharacters(in: .whitespaces)
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return String(folded.map { $0 == " " || $0 == "-" || $0 == "." ? "_" : $0 })
    }

    /// Sorted names, for error messages and help.
    public var kindNames: [String] { kinds.keys.sorted() }
    public var relationTypeNames: [String] { relationTypes.keys.sorted() }
}

/// What one graph adds to the built-in vocabulary.
public struct VocabularyExtensions: Sendable, Hashable, Codable {
    public var kinds: [KindDefinition]
    public var relationTypes: [RelationTypeDefinition]

    public init(kinds: [KindDefinition] = [], relationTypes: [RelationTypeDefinition] = []) {
        self.kinds = kinds
        self.relationTypes = relationTypes
    }

    public var isEmpty: Bool { kinds.isEmpty && relationTypes.isEmpty }

    enum CodingKeys: String, CodingKey {
        case kinds
        case relationTypes = "relation_types"
    }
}

extension Vocabulary {
    /// Organisations: every kind that is neither a person nor a project.
    public static let organisationKinds = ["cooperative", "consortium", "association", "public_administration", "partner", "network"]

    public static let builtInKinds: [KindDefinition] = [
        .init(name: "cooperative", label: "Cooperative", labelIT: "Cooperativa", isThirdSector: true),
        .init(name: "consortium", label: "Consortium", labelIT: "Consorzio", isThirdSector: true),
        .init(name: "association", label: "Association", labelIT: "Associazione", isThirdSector: true),
        .init(name: "public_administration", label: "Public administration", labelIT: "Pubblica amministrazione"),
        .init(name: "mentor", label: "Mentor", labelIT: "Mentor", isPerson: true),
        .init(name: "partner", label: "Partner", labelIT: "Partner"),
        .init(name: "network", label: "Network", labelIT: "Rete", isThirdSector: true),
        .init(name: "project", label: "Project", labelIT: "Progetto"),
    ]

    public static let builtInRelationTypes: [RelationTypeDefinition] = {
        let organisations = organisationKinds
        let thirdSectorAndPartners = ["cooperative", "consortium", "association", "partner", "network"]
        return [
            .init(
                name: "member_of", directed: true, sourceKinds: organisations, targetKinds: ["consortium", "network"],
                label: "member of", labelIT: "socio di"),
            .init(
                name: "partners_with", directed: false, sourceKinds: organisations, targetKinds: organisations,
                label: "partners with", labelIT: "partner di"),
            .init(
                name: "co_designs_with", directed: false, sourceKinds: organisations, targetKinds: organisations,
                label: "co-designs with", labelIT: "co-progetta con"),
            .init(
                name: "co_programs_with", directed: false, sourceKinds: organisations, targetKinds: organisations,
                label: "co-programs with", labelIT: "co-programma con"),
            .init(
                name: "contracts_with", directed: true, sourceKinds: ["public_administration"], targetKinds: thirdSectorAndPartners,
                label: "contracts with", labelIT: "affida a"),
            .init(
                name: "mentors", directed: true, sourceKinds: ["mentor"], targetKinds: organisations + ["project"],
                label: "mentors", labelIT: "fa da mentor a"),
            .init(
                name: "funds", directed: true, sourceKinds: organisations, targetKinds: organisations + ["project"],
                label: "funds", labelIT: "finanzia"),
            .init(
                name: "participates_in", directed: true, sourceKinds: organisations + ["mentor"], targetKinds: ["project"],
                label: "participates in", labelIT: "partecipa a"),
            .init(
                name: "promotes", directed: true, sourceKinds: organisations, targetKinds: ["project"],
                label: "promotes", labelIT: "promuove"),
            .init(
                name: "affiliated_with", directed: true, sourceKinds: ["mentor"], targetKinds: organisations,
                label: "affiliated with", labelIT: "affiliato a"),
        ]
    }()

    static let kindAliases: [String: String] = [
        "coop": "cooperative", "cooperativa": "cooperative", "cooperativa_sociale": "cooperative", "social_cooperative": "cooperative",
        "consorzio": "consortium", "associazione": "association",
        "pa": "public_administration", "p_a_": "public_administration", "pubblica_amministrazione": "public_administration",
        "ente_pubblico": "public_administration", "administration": "public_administration", "amministrazione": "public_administration",
        "public_body": "public_administration",
        "mentore": "mentor", "progetto": "project", "rete": "network", "federazione": "network", "federation": "network",
        // Public administrations as Italians name them.
        "comune": "public_administration", "provincia": "public_administration", "regione": "public_administration",
        "asl": "public_administration", "ausl": "public_administration", "azienda_sanitaria": "public_administration",
        "citta_metropolitana": "public_administration", "unione_dei_comuni": "public_administration",
        "unione_comuni": "public_administration", "ministero": "public_administration", "ente_locale": "public_administration",
        "camera_di_commercio": "public_administration",
        // Third-sector forms.
        "aps": "association", "odv": "association", "associazione_di_promozione_sociale": "association",
        "organizzazione_di_volontariato": "association", "ets": "association",
        // Partners: the kind of partner is kept as its `Category`.
        "fondazione": "partner", "banca": "partner", "universita": "partner", "impresa": "partner", "azienda": "partner",
        "societa": "partner", "srl": "partner", "spa": "partner", "ente_di_ricerca": "partner", "foundation": "partner",
        "bank": "partner", "university": "partner", "company": "partner", "business": "partner",
    ]

    /// The `Category` a kind written as a kind of partner implies (`Fondazione` → partner, category Fondazione).
    static let partnerCategories: [String: String] = [
        "fondazione": "Fondazione", "banca": "Banca", "universita": "Università", "impresa": "Impresa", "azienda": "Impresa",
        "societa": "Impresa", "srl": "Impresa", "spa": "Impresa", "ente_di_ricerca": "Ente di ricerca", "foundation": "Foundation",
        "bank": "Bank", "university": "University", "company": "Company", "business": "Company",
    ]

    /// The `Category` that a kind cell implies, when it names a kind of partner (`Banca`).
    public static func impliedCategory(_ kindText: String) -> String? { partnerCategories[normalise(kindText)] }

    static let relationAliases: [String: String] = [
        "member": "member_of", "socio_di": "member_of", "membro_di": "member_of",
        "partner": "partners_with", "partnership": "partners_with", "partner_di": "partners_with",
        "co_design": "co_designs_with", "co_progettazione": "co_designs_with", "coprogettazione": "co_designs_with",
        "co_programming": "co_programs_with", "co_programmazione": "co_programs_with", "coprogrammazione": "co_programs_with",
        "contract": "contracts_with", "contracts": "contracts_with", "affida": "contracts_with", "appalto": "contracts_with",
        "mentor": "mentors", "mentoring": "mentors", "fund": "funds", "finanzia": "funds",
        "participates": "participates_in", "partecipa": "participates_in", "partecipa_a": "participates_in",
        "promote": "promotes", "promuove": "promotes", "affiliated": "affiliated_with", "affiliato_a": "affiliated_with",
    ]
}
