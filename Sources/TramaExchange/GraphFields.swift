import TramaModel

/// The fields GraphML and GEXF carry for actors and relations, one list for both
/// formats: name in the file, XML type, and how to read and write it.
enum GraphFields {
    enum ValueType: String, Sendable { case string, double, boolean }

    struct Field<Item>: Sendable {
        let name: String
        let type: ValueType
        let get: @Sendable (Item) -> String?
    }

    static let actor: [Field<Actor>] = [
        Field(name: "label", type: .string) { $0.name },
        Field(name: "kind", type: .string) { $0.kind },
        Field(name: "territory", type: .string) { $0.territory?.path },
        Field(name: "themes", type: .string) { $0.themes.isEmpty ? nil : $0.themes.joined(separator: "|") },
        Field(name: "tags", type: .string) { $0.tags.isEmpty ? nil : $0.tags.joined(separator: "|") },
        Field(name: "url", type: .string) { $0.url },
        Field(name: "description", type: .string) { $0.description },
        Field(name: "private", type: .boolean) { $0.isPrivate ? "true" : "false" },
    ]

    static let relation: [Field<Relation>] = [
        Field(name: "type", type: .string) { $0.type },
        Field(name: "strength", type: .double) { $0.strength.map(formatNumber) },
        Field(name: "since", type: .string) { $0.since },
        Field(name: "until", type: .string) { $0.until },
        Field(name: "status", type: .string) { $0.status.rawValue },
        Field(name: "description", type: .string) { $0.description },
        Field(name: "evidence", type: .string) { $0.evidence },
        Field(name: "tags", type: .string) { $0.tags.isEmpty ? nil : $0.tags.joined(separator: "|") },
        Field(name: "private", type: .boolean) { $0.isPrivate ? "true" : "false" },
        Field(name: "asserted_by", type: .string) { $0.assertedBy },
        Field(name: "asserted_in", type: .string) { $0.assertedIn },
        Field(name: "asserted_at", type: .string) { $0.assertedAt },
    ]

    /// Free attributes whose name clashes with a field are written as `attr.NAME`.
    static func attributeName(_ name: String, reserved: [String]) -> String {
        reserved.contains(Sheets.normalise(name)) || name.hasPrefix("attr.") ? "attr.\(name)" : name
    }

    /// Builds an actor from the named values of a node; unknown names become attributes.
    static func actor(id: String, values: [String: String], vocabulary: Vocabulary, at location: SourceLocation) throws -> Actor {
        var fields: [String: String] = [:]
        var attributes: [String: String] = [:]
        let known = ["label", "name", "kind", "type", "territory", "themes", "tags", "url", "description", "private"]
        for (name, value) in values {
            let key = Sheets.normalise(name)
            if known.contains(key) {
                fields[key] = value
            } else {
                attributes[name.hasPrefix("attr.") ? String(name.dropFirst(5)) : name] = value
            }
        }
        guard let kindText = fields["kind"] ?? fields["type"], !kindText.isEmpty else {
            throw TramaError(
                .missingColumn, "node `\(id)` has no `kind`: add a `kind` attribute (\(vocabulary.kindNames.joined(separator: ", ")))",
                at: location)
        }
        return Actor(
            id: id, name: (fields["label"] ?? fields["name"]).flatMap { $0.isEmpty ? nil : $0 } ?? id,
            kind: vocabulary.resolveKind(kindText) ?? kindText,
            territory: fields["territory"].flatMap(Territory.init), themes: Sheets.split(fields["themes"] ?? ""),
            tags: Sheets.split(fields["tags"] ?? ""), url: fields["url"]?.nilIfEmpty, description: fields["description"]?.nilIfEmpty,
            attributes: attributes, isPrivate: try Sheets.flag(fields["private"] ?? "", at: location))
    }

    /// Builds a relation from the named values of an edge; unknown names become attributes.
    static func relation(
        source: String, target: String, values: [String: String], vocabulary: Vocabulary,
        at location: SourceLocation
    ) throws -> Relation {
        var fields: [String: String] = [:]
        var attributes: [String: String] = [:]
        let known = [
            "type", "label", "relation", "strength", "weight", "since", "until", "status", "description", "evidence", "tags",
            "private", "asserted_by", "asserted_in", "asserted_at",
        ]
        for (name, value) in values {
            let key = Sheets.normalise(name)
            if known.contains(key) {
                fields[key] = value
            } else {
                attributes[name.hasPrefix("attr.") ? String(name.dropFirst(5)) : name] = value
            }
        }
        guard let typeText = fields["type"] ?? fields["relation"] ?? fields["label"], !typeText.isEmpty else {
            throw TramaError(
                .missingColumn,
                "the edge \(source) → \(target) has no `type`: add a `type` attribute (\(vocabulary.relationTypeNames.joined(separator: ", ")))",
                at: location)
        }
        var strength: Double?
        if let text = fields["strength"] ?? fields["weight"], !text.isEmpty {
            guard let value = Double(text) else {
                throw TramaError(.invalidValue, "`strength` must be a number, not `\(text.prefix(40))`", at: location)
            }
            strength = value
        }
        var status = RelationStatus.active
        if let text = fields["status"], !text.isEmpty {
            guard let parsed = RelationStatus(text: text) else {
                throw TramaError(
                    .invalidValue, "`status` must be active, planned, potential or ended, not `\(text.prefix(40))`", at: location)
            }
            status = parsed
        }
        return Relation(
            source: source, target: target, type: vocabulary.resolveRelationType(typeText) ?? typeText, strength: strength,
            since: fields["since"]?.nilIfEmpty, until: fields["until"]?.nilIfEmpty, status: status,
            description: fields["description"]?.nilIfEmpty, evidence: fields["evidence"]?.nilIfEmpty,
            tags: Sheets.split(fields["tags"] ?? ""), attributes: attributes,
            isPrivate: try Sheets.flag(fields["private"] ?? "", at: location),
            assertedBy: fields["asserted_by"]?.nilIfEmpty, assertedIn: fields["asserted_in"]?.nilIfEmpty,
            assertedAt: fields["asserted_at"]?.nilIfEmpty)
    }

    /// Builds a batch from the `<node>` and `<edge>` elements of a GraphML or
    /// GEXF document, given how each format names an element's values; every
    /// bad element is reported with its line.
    static func batch(
        file: String, nodes: [XMLElementNode], edges: [XMLElementNode], vocabulary: Vocabulary,
        nodeValues: (XMLElementNode) -> [String: String], edgeValues: (XMLElementNode) -> [String: String]
    ) throws -> ImportBatch {
        var batch = ImportBatch()
        var errors: [TramaError] = []
        for node in nodes {
            let location = SourceLocation(file: file, line: node.line, element: "node \(node.attributes["id"] ?? "?")")
            guard let id = node.attributes["id"] else {
                errors.append(TramaError(.malformed, "a <node> has no `id`", at: location))
                continue
            }
            do {
                batch.actors.append(
                    Located(try actor(id: id, values: nodeValues(node), vocabulary: vocabulary, at: location), at: location))
            } catch let error as TramaError { errors.append(error) }
        }
        for edge in edges {
            let location = SourceLocation(file: file, line: edge.line, element: "edge \(edge.attributes["id"] ?? "")")
            guard let source = edge.attributes["source"], let target = edge.attributes["target"] else {
                errors.append(TramaError(.malformed, "an <edge> needs `source` and `target`", at: location))
                continue
            }
            do {
                batch.relations.append(
                    Located(
                        try relation(
                            source: source, target: target, values: edgeValues(edge), vocabulary: vocabulary,
                            at: location), at: location))
            } catch let error as TramaError { errors.append(error) }
        }
        if !errors.isEmpty { throw TramaErrors(errors) }
        return batch
    }
}
