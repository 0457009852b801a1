import Foundation
import Hummingbird
import TramaApp
import TramaModel

/// A request's query string as the routes read it: the command line's options in
/// snake case; a list is given by repeating the parameter (`type=a&type=b`) or
/// with commas. A value that does not parse is a malformed request (400); one
/// that parses but makes no sense is left to the core (422).
struct Query {
    let values: [String: [String]]

    init(_ request: Request) { self.init(query: request.uri.query ?? "") }

    /// Reads the raw query as a form does: `+` is a space (a browser's URLSearchParams
    /// writes one so), `%2B` a plus, then percent-decoding.
    init(query: String) {
        var values: [String: [String]] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            values[decode(parts[0]), default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
        self.values = values
    }

    func malformed(_ key: String, _ expected: String) -> APIError {
        APIError(.badRequest, code: "malformed", "the query parameter `\(key)` must be \(expected)", fields: ["field": key])
    }

    func string(_ key: String) -> String? { values[key]?.last }

    func strings(_ key: String) -> [String] {
        (values[key] ?? []).flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter {
            !$0.isEmpty
        }
    }

    func int(_ key: String) throws -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text) else { throw malformed(key, "a whole number") }
        return value
    }

    func int64(_ key: String) throws -> Int64? {
        guard let text = string(key) else { return nil }
        guard let value = Int64(text) else { throw malformed(key, "a whole number") }
        return value
    }

    func uint(_ key: String) throws -> UInt64? {
        guard let text = string(key) else { return nil }
        guard let value = UInt64(text) else { throw malformed(key, "a whole number of 0 or more") }
        return value
    }

    func double(_ key: String) throws -> Double? {
        guard let text = string(key) else { return nil }
        guard let value = Double(text) else { throw malformed(key, "a number") }
        return value
    }

    func bool(_ key: String) throws -> Bool? {
        guard let text = string(key)?.lowercased() else { return nil }
        switch text {
        case "true", "1", "yes", "": return true
        case "false", "0", "no": return false
        default: throw malformed(key, "true or false")
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws -> T? where T.RawValue == String {
        guard let text = string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            throw malformed(key, "one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// `as_of`, read as the command line reads `--as-of` (a bad moment is invalid input, 422).
    func moment() throws -> Moment? { try string("as_of").map { try Moment(parsing: $0) } }

    func date() throws -> WorldDate? { try string("on").map { try WorldDate(parsing: $0) } }

    /// The filters of an analysis or a map.
    func filter() throws -> ViewFilter {
        ViewFilter(
            types: strings("type"), statuses: strings("status"), territory: string("territory"), kinds: strings("kind"),
            undirected: try bool("undirected") ?? false, weighted: try bool("weighted") ?? false)
    }
}
