import Foundation

/// A date in the world, not in the store's history: `--on 2022-03-15` (that day),
/// `--on 2022-03` (that month), `--on 2022` (that year). The network on such a
/// date holds the relations in force at some moment of it, by their `since`,
/// `until` and status.
public struct WorldDate: Sendable, Hashable {
    /// As written, normalised (`2022`, `2022-03`, `2022-03-15`).
    public let text: String
    /// The first and last day it covers, `YYYY-MM-DD`.
    public let first: String
    public let last: String

    /// The forms a world date can be written in, for error messages.
    public static let accepted = "a date as 2022-03-15, a month as 2022-03 or a year as 2022 (also 15/03/2022 or 03/2022)"

    public init(parsing raw: String, field: String = "on") throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        func invalid(_ why: String) -> TramaError {
            var error = TramaError.invalidField(field, "\(why): write \(WorldDate.accepted)", code: .invalidMoment)
            error.fields["value"] = String(raw.prefix(80))
            return error
        }
        if text.isEmpty { throw invalid("is empty") }
        // Italian spreadsheets write 15/03/2022 and 03/2022.
        var iso = text
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4 {
            iso = "\(parts[2])-\(parts[1].count == 1 ? "0" : "")\(parts[1])-\(parts[0].count == 1 ? "0" : "")\(parts[0])"
        } else if parts.count == 2, parts[0].count <= 2, parts[1].count == 4 {
            iso = "\(parts[1])-\(parts[0].count == 1 ? "0" : "")\(parts[0])"
        }
        guard PartialDate.isValid(iso) else { throw invalid("`\(raw.prefix(40))` is not a real date, month or year") }
        self.text = iso
        first = PartialDate.first(of: iso)
        last = PartialDate.last(of: iso)
    }

    /// Whether a relation is part of the network on this date: it was active or
    /// ended (planned and potential ones never happened), began by the end of the
    /// date (no `since`: it always was) and had not ended before its start (no
    /// `until`: still in force, unless it is ended, when `endedBy` gives the last
    /// day it can have been in force, the day the store was told it had ended).
    public func holds(since: String?, until: String?, status: RelationStatus, endedBy: String?) -> Bool {
        guard status == .active || status == .ended else { return false }
        if let since, PartialDate.isValid(since), PartialDate.first(of: since) > last { return false }
        if let until, PartialDate.isValid(until) {
            return PartialDate.last(of: until) >= first
        }
        if status == .ended { return (endedBy ?? "0000-00-00") >= first }
        return true
    }
}

extension WorldDate: Codable {
    public init(from decoder: Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

extension PartialDate {
    /// The first day a partial date covers: `2021` → `2021-01-01`, `2021-03` → `2021-03-01`.
    public static func first(of text: String) -> String {
        switch text.count {
        case 4: return text + "-01-01"
        case 7: return text + "-01"
        default: return text
        }
    }

    /// The last day a partial date covers: `2021` → `2021-12-31`, `2024-02` → `2024-02-29`.
    public static func last(of text: String) -> String {
        switch text.count {
        case 4: return text + "-12-31"
        case 7:
            let year = Int(text.prefix(4)) ?? 2000
            let month = Int(text.suffix(2)) ?? 1
            return text + "-" + String(format: "%02d", Moment.days(in: month, of: year))
        default: return text
        }
    }
}
