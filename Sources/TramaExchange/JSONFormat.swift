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
