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
    static func bind(_ a: Actor, to row: inout some ColumnSink) {
        for text in [a.id, a.name, a.kind, a.territory?.path, encode(a.themes), encode(a.tags), a.url, a.description, encode(a.attributes)]
        {
            row.bind(text)
        }
        row.bind(a.isPrivate)
    }

    /// Binds a relation's ``relationColumns`` in order.
    static func bind(_ r: Relation, to row: inout some ColumnSink) {
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
        Actor(
            id: row[offset], name: row[offset + 1], kind: row[offset + 2], territory: (row[offset + 3] as String?).flatMap(Territory.init),
            themes: decodeList(row[offset + 4]), tags: decodeList(row[offset + 5]), url: row[offset + 6], description: row[offset + 7],
            attributes: decodeMap(row[offset + 8]), isPrivate: row[offset + 9])
    }

    static func relation(_ row: Row, offset: Int = 0) -> Relation {
        Relation(
            source: row[offset], target: row[offset + 1], type: row[offset + 2], strength: row[offset + 3], since: row[offset + 4],
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

    /// The fingerprint of a stored relation row whose ``relationColumns`` start at `offset`,
    /// equal to ``Fingerprint`` of the relation it holds.
    static func relationFingerprint(_ row: Row, offset: Int) -> Int {
        var print = Fingerprint()
        for i in 0..<3 { print.bind(row[offset + i] as String?) }
        print.bind(row[offset + 3] as Double?)
        for i in 4..<11 { print.bind(row[offset + i] as String?) }
        print.bind(row[offset + 11] as Bool)
        for i in 12..<15 { print.bind(row[offset + i] as String?) }
        return print.value
    }

    static func fingerprint(_ relation: Relation) -> Int {
        var print = Fingerprint()
        bind(relation, to: &print)
        return print.value
    }

    static func decodeList(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return StoredJSON.strings(text) ?? ((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? [])
    }

    static func decodeMap(_ text: String?) -> [String: String] {
        guard let text, !text.isEmpty else { return [:] }
        if let pairs = StoredJSON.strings(text, object: true) {
            var map: [String: String] = [:]
            for i in stride(from: 0, to: pairs.count - 1, by: 2) { map[pairs[i]] = pairs[i + 1] }
            return map
        }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String] ?? [:]
    }

}

/// Reads back the JSON that ``Rows/encode(_:)`` writes: an array of strings, or an
/// object of strings (as key, value, key, value…). Nil for anything else, which
/// the callers hand to Foundation.
enum StoredJSON {
    static func strings(_ text: String, object: Bool = false) -> [String]? {
        let bytes = Array(text.utf8)
        let (open, close): (UInt8, UInt8) = object ? (0x7B, 0x7D) : (0x5B, 0x5D)
        guard bytes.first == open, bytes.last == close else { return nil }
        var out: [String] = []
        var i = 1
        var current: [UInt8] = []
        while i < bytes.count - 1 {
            guard bytes[i] == 0x22 else { return nil }
            i += 1
            current.removeAll(keepingCapacity: true)
            while i < bytes.count, bytes[i] != 0x22 {
                if bytes[i] == 0x5C {
                    guard i + 1 < bytes.count else { return nil }
                    switch bytes[i + 1] {
                    case 0x22: current.append(0x22)
                    case 0x5C: current.append(0x5C)
                    case 0x2F: current.append(0x2F)
                    case 0x6E: current.append(0x0A)
                    case 0x72: current.append(0x0D)
                    case 0x74: current.append(0x09)
                    default: return nil  // \uXXXX: rare, left to Foundation
                    }
                    i += 2
                } else {
                    current.append(bytes[i])
                    i += 1
                }
            }
            guard i < bytes.count else { return nil }
            out.append(String(decoding: current, as: UTF8.self))
            i += 1
            if i < bytes.count - 1 {
                guard bytes[i] == (object && out.count % 2 == 1 ? 0x3A : 0x2C) else { return nil }
                i += 1
            }
        }
        return out
    }
}
