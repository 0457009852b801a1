import Foundation
import GRDB
import TramaModel

/// Column order of the `actors` and `relations` tables as the store reads and
/// writes them, and the conversions between rows and model values.
enum Rows {
    static let actorColumns = "id, name, kind, territory, themes, tags, url, description, attributes, private"
    static let relationColumns =
        "source, target, type, strength, since, until, status, description, evidence, tags, attributes, private, asserted_by, asserted_in, asserted_at"

    /// Binds an actor's ``actorColumns`` in order.
    static func bind(_ a: Actor, to row: inout BulkInsert) {
        for text in [a.id, a.name, a.kind, a.territory?.path, encode(a.themes), encode(a.tags), a.url, a.description, encode(a.attributes)] {
            row.bind(text)
        }
        row.bind(a.isPrivate)
    }

    /// Binds a relation's ``relationColumns`` in order.
    static func bind(_ r: Relation, to row: inout BulkInsert) {
        row.bind(r.source)
        row.bind(r.target)
        row.bind(r.type)
        row.bind(r.strength)
        row.bind(r.since)
        row.bind(r.until)
        row.bind(r.status.rawValue)
        row.bind(r.description)
        row.bind(r.evidence)
        row.bind(encode(r.tags))
        row.bind(encode(r.attributes))
        row.bind(r.isPrivate)
        row.bind(r.assertedBy)
        row.bind(r.assertedIn)
        row.bind(r.assertedAt)
    }

    /// Reads an actor from `row`, whose first columns are ``actorColumns`` from `offset`.
    static func actor(_ row: Row, offset: Int = 0) -> Actor {
        Actor(id: row[offset], name: row[offset + 1], kind: row[offset + 2], territory: (row[offset + 3] as String?).flatMap(Territory.init),
              themes: decodeList(row[offset + 4]), tags: decodeList(row[offset + 5]), url: row[offset + 6], description: row[offset + 7],
              attributes: decodeMap(row[offset + 8]), isPrivate: row[offset + 9])
    }

    static func relation(_ row: Row, offset: Int = 0) -> Relation {
        Relation(source: row[offset], target: row[offset + 1], type: row[offset + 2], strength: row[offset + 3], since: row[offset + 4],
                 until: row[offset + 5], status: RelationStatus(rawValue: row[offset + 6]) ?? .active, description: row[offset + 7],
                 evidence: row[offset + 8], tags: decodeList(row[offset + 9]), attributes: decodeMap(row[offset + 10]),
                 isPrivate: row[offset + 11], assertedBy: row[offset + 12], assertedIn: row[offset + 13], assertedAt: row[offset + 14])
    }

    // Lists and maps are stored as JSON text, NULL when empty. The encoder is
    // hand-written because it runs once per row of a 600k-row import.
    static func encode(_ list: [String]) -> String? {
        guard !list.isEmpty else { return nil }
        var out = "["
        for (i, item) in list.enumerated() {
            if i > 0 { out += "," }
            appendJSONString(item, to: &out)
        }
        return out + "]"
    }

    static func encode(_ map: [String: String]) -> String? {
        guard !map.isEmpty else { return nil }
        var out = "{"
        for (i, key) in map.keys.sorted().enumerated() {
            if i > 0 { out += "," }
            appendJSONString(key, to: &out)
            out += ":"
            appendJSONString(map[key]!, to: &out)
        }
        return out + "}"
    }

    static func appendJSONString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    static func decodeList(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String] ?? []
    }

    static func decodeMap(_ text: String?) -> [String: String] {
        guard let text, let data = text.data(using: .utf8) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: String] ?? [:]
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
