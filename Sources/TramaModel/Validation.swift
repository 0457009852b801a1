import Foundation

/// Checks actors and relations against a graph's vocabulary. Every check
/// returns errors instead of throwing, so an import can report all bad rows at once.
public struct Validator: Sendable {
    public let vocabulary: Vocabulary

    public init(vocabulary: Vocabulary) { self.vocabulary = vocabulary }

    /// - Complexity: O(1) per actor, plus the length of its fields.
    public func check(_ actor: Actor, at location: SourceLocation? = nil) -> [TramaError] {
        var errors: [TramaError] = []
        if !Slug.isValidID(actor.id) {
            errors.append(
                TramaError(
                    .invalidValue,
                    "`\(actor.id.prefix(60))` is not a usable id: ids have 1 to 200 characters, no `|`, no line breaks and no spaces at the ends",
                    at: location))
        }
        if actor.name.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(TramaError(.invalidValue, "actor `\(actor.id)` has no name", at: location))
        }
        if vocabulary.kinds[actor.kind] == nil {
            errors.append(unknownKind(actor.kind, at: location))
        }
        let texts: [(String, String?)] =
            [("Label", actor.name), ("Territory", actor.territory?.path), ("URL", actor.url), ("Description", actor.description)]
            + actor.themes.map { ("Themes", $0) } + actor.tags.map { ("Tags", $0) }
            + actor.attributes.flatMap { [($0.key, $0.key), ($0.key, $0.value)] }
        if let error = Self.controlCharacter(in: texts, of: "actor `\(actor.id.prefix(60))`", at: location) { errors.append(error) }
        return errors
    }

    /// A control character other than tab and line breaks in any text (a NUL would be
    /// stored and read back cut at it, and XML cannot hold most of them).
    static func controlCharacter(in texts: [(field: String, text: String?)], of what: String, at location: SourceLocation?)
        -> TramaError?
    {
        for (field, text) in texts {
            guard let text else { continue }
            for scalar in text.unicodeScalars {
                let v = scalar.value
                guard (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (0x7F...0x9F).contains(v) else { continue }
                let hex = String(v, radix: 16, uppercase: true)
                return TramaError(
                    .invalidValue,
                    "\(what): `\(field)` holds a control character (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)): remove it (only tabs and line breaks may appear in text)",
                    at: location, fields: ["field": field])
            }
        }
        return nil
    }

    /// `kindOf` answers the kind of an actor id, from the import and from the store.
    /// - Complexity: O(1) per relation, plus the cost of `kindOf`.
    public func check(_ relation: Relation, at location: SourceLocation? = nil, kindOf: (String) -> String?) -> [TramaError] {
        var errors: [TramaError] = []
        guard let type = vocabulary.relationTypes[relation.type] else {
            return [
                TramaError(
                    .unknownRelationType,
                    "unknown relation type `\(relation.type)`: use one of \(vocabulary.relationTypeNames.map { "`\($0)`" }.joined(separator: ", ")), or add it to the graph's vocabulary",
                    at: location)
            ]
        }
        let sourceKind = kindOf(relation.source)
        let targetKind = kindOf(relation.target)
        if sourceKind == nil {
            errors.append(
                TramaError(
                    .unknownActor,
                    "`\(relation.source)` is not an actor of this graph: add it to the actors sheet or fix the `From` id", at: location))
        }
        if targetKind == nil {
            errors.append(
                TramaError(
                    .unknownActor,
                    "`\(relation.target)` is not an actor of this graph: add it to the actors sheet or fix the `To` id", at: location))
        }
        if let sourceKind, let allowed = type.sourceKinds, !allowed.contains(sourceKind) {
            errors.append(
                TramaError(
                    .kindRule,
                    "`\(type.name)` must start at \(Self.describe(kinds: allowed)), but `\(relation.source)` is \(Self.article(sourceKind)) \(sourceKind)",
                    at: location))
        }
        if let targetKind, let allowed = type.targetKinds, !allowed.contains(targetKind) {
            errors.append(
                TramaError(
                    .kindRule,
                    "`\(type.name)` must end at \(Self.describe(kinds: allowed)), but `\(relation.target)` is \(Self.article(targetKind)) \(targetKind)",
                    at: location))
        }
        if relation.source == relation.target {
            errors.append(
                TramaError(
                    .invalidValue, "a relation ties two different actors: `From` and `To` are both `\(relation.source)`", at: location))
        }
        if let strength = relation.strength, !(strength.isFinite && strength >= 0) {
            errors.append(TramaError(.invalidValue, "`Strength` must be a number of 0 or more, not `\(strength)`", at: location))
        }
        for (name, date) in [("Since", relation.since), ("Until", relation.until)] {
            if let date, !PartialDate.isValid(date) {
                errors.append(
                    TramaError(
                        .invalidValue,
                        "`\(name)` must be a date written 2021, 2021-03 or 2021-03-05 (or 03/2021, 05/03/2021), not `\(date.prefix(40))`",
                        at: location))
            }
        }
        if let since = relation.since, let until = relation.until, PartialDate.isValid(since), PartialDate.isValid(until), until < since {
            errors.append(TramaError(.invalidValue, "`Until` (\(until)) comes before `Since` (\(since))", at: location))
        }
        let texts: [(String, String?)] =
            [
                ("Description", relation.description), ("Evidence", relation.evidence), ("Asserted By", relation.assertedBy),
                ("Asserted In", relation.assertedIn),
            ] + relation.tags.map { ("Tags", $0) }
            + relation.attributes.flatMap { [($0.key, $0.key), ($0.key, $0.value)] }
        if let error = Self.controlCharacter(
            in: texts, of: "relation \(relation.source) -[\(relation.type)]- \(relation.target)", at: location)
        {
            errors.append(error)
        }
        return errors
    }

    public func unknownKind(_ kind: String, at location: SourceLocation?) -> TramaError {
        TramaError(
            .unknownKind,
            "unknown kind `\(kind)`: use one of \(vocabulary.kindNames.map { "`\($0)`" }.joined(separator: ", ")), or add it to the graph's vocabulary",
            at: location)
    }

    static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }

    /// `a mentor`, `a consortium or a network`.
    static func describe(kinds: [String]) -> String {
        let named = kinds.map { "\(article($0)) \($0)" }
        if named.count <= 1 { return named.first ?? "nothing" }
        return named.dropLast().joined(separator: ", ") + " or " + named.last!
    }
}

/// `2021`, `2021-03`, `2021-03-05`: dates as people know them. Partial dates of
/// the same precision compare correctly as strings.
public enum PartialDate {
    /// A date as people write it, in the store's form: `2021`, `2021-03`, `2021-03-05`
    /// as they are; Italian spreadsheet forms `5/3/2021`, `05/03/2021`, `05.03.2021`,
    /// `05-03-2021` (day first) and `03/2021` (month and year) turned into them.
    /// Anything else is returned unchanged, for validation to report.
    public static func normalise(_ text: String) -> String {
        if isValid(text) { return text }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return text }
        func two(_ s: String) -> String { s.count == 1 ? "0" + s : s }
        var candidate: String?
        if parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count) {
            candidate = "\(parts[2])-\(two(parts[1]))-\(two(parts[0]))"
        } else if parts.count == 2, parts[1].count == 4, (1...2).contains(parts[0].count) {
            candidate = "\(parts[1])-\(two(parts[0]))"
        }
        if let candidate, isValid(candidate) { return candidate }
        return text
    }

    /// A stored date as Italian spreadsheets show it: `05/03/2021`, `03/2021`, `2021`.
    public static func italian(_ text: String) -> String {
        guard isValid(text) else { return text }
        let parts = text.split(separator: "-")
        return parts.reversed().joined(separator: "/")
    }

    /// - Complexity: O(1): at most ten bytes are looked at.
    public static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8(isValid(bytes:))
    }

    static func isValid(bytes b: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = b.count
        guard count == 4 || count == 7 || count == 10 else { return false }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        guard let year = digits(0..<4), year >= 1000 else { return false }
        if count == 4 { return true }
        guard b[4] == 0x2D, let month = digits(5..<7), (1...12).contains(month) else { return false }
        if count == 7 { return true }
        guard b[7] == 0x2D, let day = digits(8..<10) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
