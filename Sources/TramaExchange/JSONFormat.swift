import Foundation
import TramaModel

/// `{"graph": NAME, "vocabulary": {...}, "actors": [...], "relations": [...]}`:
/// every field of every actor and relation, so JSON → import → JSON is lossless.
public struct EcosystemDocument: Codable, Sendable {
    public var graph: String
    public var vocabulary: VocabularyExtensions
    public var actors: [Actor]
    public var relations: [Relation]

    public init(_ ecosystem: Ecosystem) {
        var sorted = ecosystem
        sorted.sort()
        graph = ecosystem.name
        vocabulary = ecosystem.vocabulary.extensions
        actors = sorted.actors
        relations = sorted.relations
    }

    enum CodingKeys: String, CodingKey { case graph, vocabulary, actors, relations }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        graph = try c.decodeIfPresent(String.self, forKey: .graph) ?? "default"
        vocabulary = try c.decodeIfPresent(VocabularyExtensions.self, forKey: .vocabulary) ?? .init()
        actors = try c.decodeIfPresent([Actor].self, forKey: .actors) ?? []
        relations = try c.decodeIfPresent([Relation].self, forKey: .relations) ?? []
    }
}

public enum JSONFormat {
    public static func write(_ ecosystem: Ecosystem) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(EcosystemDocument(ecosystem))
        data.append(0x0A)
        return data
    }

    /// Reads a document; errors name the JSON path (`actors[3].kind`) or the line of a syntax error.
    public static func read(_ data: Data, file: String, vocabulary: Vocabulary) throws -> (graph: String, batch: ImportBatch) {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw TramaError(
                .emptyFile, "the file is empty: expected {\"graph\": …, \"actors\": […], \"relations\": […]}",
                at: SourceLocation(file: file))
        }
        let document: EcosystemDocument
        do {
            document = try JSONDecoder().decode(EcosystemDocument.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, data: data, file: file)
        }
        if mayHoldControlCharacters(data) { try refuseControlCharacters(document, file: file) }
        var batch = ImportBatch()
        batch.vocabulary = document.vocabulary
        var extended = vocabulary
        for kind in document.vocabulary.kinds { try extended.add(kind: kind) }
        for type in document.vocabulary.relationTypes { try extended.add(relationType: type) }
        for (index, actor) in document.actors.enumerated() {
            var actor = actor
            actor.kind = extended.resolveKind(actor.kind) ?? actor.kind
            batch.actors.append(Located(actor, at: SourceLocation(file: file, element: "actors[\(index)]")))
        }
        for (index, relation) in document.relations.enumerated() {
            var relation = relation
            relation.type = extended.resolveRelationType(relation.type) ?? relation.type
            batch.relations.append(Located(relation, at: SourceLocation(file: file, element: "relations[\(index)]")))
        }
        return (document.graph, batch)
    }

    /// False when no string of `data` can hold a control character: JSON writes
    /// C0 characters as `\u00XX` escapes, and DEL and C1 as themselves.
    /// - Complexity: O(n), one pass over the bytes.
    static func mayHoldControlCharacters(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i < b.count {
                let c = b[i]
                if c == 0x7F { return true }
                if c == 0xC2, i + 1 < b.count, b[i + 1] < 0xA0 { return true }
                if c == 0x5C, i + 3 < b.count, b[i + 1] == 0x75, b[i + 2] == 0x30, b[i + 3] == 0x30 { return true }  // \u00
                if c == 0x5C { i += 1 }  // an escaped `\` is not the start of `\u`
                i += 1
            }
            return false
        }
    }

    /// Every text of every actor and relation, and the graph's name, checked
    /// for control characters; each bad one is named by its JSON path.
    static func refuseControlCharacters(_ document: EcosystemDocument, file: String) throws {
        var errors: [TramaError] = []
        func check(_ path: String, _ texts: [(String, String?)]) {
            for (field, text) in texts {
                guard let text, let found = ControlCharacters.first(in: text) else { continue }
                errors.append(
                    TramaError(
                        .invalidValue, "`\(field)` holds \(ControlCharacters.describe(found.scalar)): \(ControlCharacters.advice)",
                        at: SourceLocation(file: file, element: "\(path).\(field)")))
                return
            }
        }
        func each(_ name: String, _ values: [String]) -> [(String, String?)] {
            values.enumerated().map { ("\(name)[\($0.offset)]", $0.element) }
        }
        func attributes(_ values: [String: String]) -> [(String, String?)] {
            values.sorted { $0.key < $1.key }.flatMap { [("attributes", $0.key), ("attributes.\($0.key)", $0.value)] }
        }
        if let found = ControlCharacters.first(in: document.graph) {
            errors.append(
                TramaError(
                    .invalidValue, "`graph` holds \(ControlCharacters.describe(found.scalar)): \(ControlCharacters.advice)",
                    at: SourceLocation(file: file, element: "graph")))
        }
        for (index, a) in document.actors.enumerated() {
            check(
                "actors[\(index)]",
                [
                    ("id", a.id), ("name", a.name), ("kind", a.kind), ("territory", a.territory?.path), ("url", a.url),
                    ("description", a.description),
                ]
                    + each("themes", a.themes) + each("tags", a.tags) + attributes(a.attributes))
            if errors.count >= RowErrors.limit { break }
        }
        for (index, r) in document.relations.enumerated() {
            check(
                "relations[\(index)]",
                [
                    ("from", r.source), ("to", r.target), ("type", r.type), ("since", r.since), ("until", r.until),
                    ("description", r.description), ("evidence", r.evidence), ("asserted_by", r.assertedBy),
                    ("asserted_in", r.assertedIn), ("asserted_at", r.assertedAt),
                ] + each("tags", r.tags) + attributes(r.attributes))
            if errors.count >= RowErrors.limit { break }
        }
        if !errors.isEmpty { throw TramaErrors(errors) }
    }

    static func describe(_ error: DecodingError, data: Data, file: String) -> TramaError {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            var line: Int?
            if let underlying = context.underlyingError as NSError?,
                let index = underlying.userInfo["NSJSONSerializationErrorIndex"] as? Int
            {
                line = 1 + data.prefix(index).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            }
            return TramaError(.malformed, "not valid JSON: check brackets, commas and quotes", at: SourceLocation(file: file, line: line))
        case .keyNotFound(let key, let context):
            return TramaError(
                .malformed, "`\(key.stringValue)` is missing", at: SourceLocation(file: file, element: path(context.codingPath)))
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return TramaError(
                .malformed, "wrong value: \(context.debugDescription)", at: SourceLocation(file: file, element: path(context.codingPath)))
        @unknown default:
            return TramaError(.malformed, "not a Trama JSON document", at: SourceLocation(file: file))
        }
    }
}
