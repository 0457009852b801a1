import Foundation

/// A moment in a store's history, as `--as-of` and `as_of` take it: what the
/// store knew then.
///
/// - A date, `2026-11-30`: the end of that day in the store's time zone.
/// - A date and time with `Z` or an offset, `2026-11-30T10:15:00+01:00`:
///   that instant, compared as an instant whatever zone it is written in.
/// - A change id, `change:42` (what an answer's version names).
/// - Otherwise a snapshot's name (a moment a facilitator named).
public enum Moment: Sendable, Hashable {
    case day(year: Int, month: Int, day: Int)
    case instant(Date)
    case change(Int64)
    case snapshot(String)

    /// The forms a moment can be written in, for error messages.
    public static let accepted =
        "a date (2026-11-30: the end of that day in the store's time zone), a date and time with its zone "
        + "(2026-11-30T10:15:00Z or 2026-11-30T10:15:00+01:00), change:ID, or the name of a snapshot"

    /// Reads a moment strictly: anything that looks like a date or a time but is
    /// not a valid one is an error naming the accepted forms; a word that looks
    /// like neither is taken as a snapshot name when `snapshots` is true.
    public init(parsing raw: String, field: String = "as_of", snapshots: Bool = true) throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        func invalid(_ why: String) -> TramaError {
            var error = TramaError.invalidField(field, "\(why): write \(Moment.accepted)", code: .invalidMoment)
            error.fields["value"] = String(raw.prefix(80))
            return error
        }
        if text.isEmpty { throw invalid("is empty") }
        if text.hasPrefix("change:"), let id = Int64(text.dropFirst(7)), id > 0 {
            self = .change(id)
            return
        }
        let looksLikeTime = text.first?.isNumber == true
        guard looksLikeTime else {
            guard snapshots, Moment.isSnapshotName(text) else { throw invalid("`\(raw.prefix(40))` is not a moment") }
            self = .snapshot(text)
            return
        }
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for i in range {
                guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[i] - 0x30)
            }
            return value
        }
        guard bytes.count >= 10, let year = number(0..<4), bytes[4] == 0x2D, let month = number(5..<7), bytes[7] == 0x2D,
            let day = number(8..<10)
        else { throw invalid("`\(raw.prefix(40))` is not a date or time") }
        guard year >= 1000, (1...12).contains(month), (1...Moment.days(in: month, of: year)).contains(day) else {
            throw invalid("`\(raw.prefix(40))` is not a real date")
        }
        if bytes.count == 10 {
            self = .day(year: year, month: month, day: day)
            return
        }
        // A time: THH:MM[:SS[.fff…]] then Z or ±HH:MM (or ±HHMM).
        guard bytes[10] == 0x54 || bytes[10] == 0x20, let hour = number(11..<13), bytes.count > 13, bytes[13] == 0x3A,
            let minute = number(14..<16), hour < 24, minute < 60
        else { throw invalid("`\(raw.prefix(40))` has no valid time after the date") }
        var i = 16
        var seconds = 0.0
        if i < bytes.count, bytes[i] == 0x3A {
            guard let s = number(i + 1..<i + 3), s < 61 else { throw invalid("`\(raw.prefix(40))` has invalid seconds") }
            seconds = Double(s)
            i += 3
            if i < bytes.count, bytes[i] == 0x2E || bytes[i] == 0x2C {
                var j = i + 1
                var scale = 0.1
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39 {
                    seconds += Double(bytes[j] - 0x30) * scale
                    scale /= 10
                    j += 1
                }
                guard j > i + 1 else { throw invalid("`\(raw.prefix(40))` has invalid fractional seconds") }
                i = j
            }
        }
        var offset = 0
        if i < bytes.count, bytes[i] == 0x5A || bytes[i] == 0x7A, i + 1 == bytes.count {
            offset = 0
        } else if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D, let h = number(i + 1..<i + 3), h < 24 {
            var m = 0
            if i + 3 == bytes.count {
                m = 0
            } else if bytes.count == i + 6, bytes[i + 3] == 0x3A, let mm = number(i + 4..<i + 6), mm < 60 {
                m = mm
            } else if bytes.count == i + 5, let mm = number(i + 3..<i + 5), mm < 60 {
                m = mm
            } else {
                throw invalid("`\(raw.prefix(40))` has an invalid zone offset")
            }
            offset = (h * 60 + m) * 60 * (bytes[i] == 0x2D ? -1 : 1)
        } else {
            throw invalid("`\(raw.prefix(40))` gives a time without its zone (end it with Z or an offset such as +01:00)")
        }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (hour, minute, 0)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        guard let base = calendar.date(from: components) else { throw invalid("`\(raw.prefix(40))` is not a real time") }
        self = .instant(base.addingTimeInterval(seconds - Double(offset)))
    }

    /// Snapshot names: 1 to 100 letters, digits, `-`, `_`, `.`, starting with a letter.
    public static func isSnapshotName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first), name.count <= 100 else { return false }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        return name.unicodeScalars.allSatisfy(allowed.contains)
    }

    static func days(in month: Int, of year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// The last instant this moment covers (a day: its last millisecond in `timeZone`).
    /// Nil for a change id or a snapshot, which the store resolves itself.
    public func instant(in timeZone: TimeZone) -> Date? {
        switch self {
        case .instant(let date): return date
        case .day(let year, let month, let day):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            var components = DateComponents()
            (components.year, components.month, components.day) = (year, month, day)
            guard let start = calendar.date(from: components), let next = calendar.date(byAdding: .day, value: 1, to: start) else {
                return nil
            }
            return next.addingTimeInterval(-0.001)
        case .change, .snapshot: return nil
        }
    }

    /// The moment as it can be written again.
    public var text: String {
        switch self {
        case .day(let y, let m, let d): return String(format: "%04d-%02d-%02d", y, m, d)
        case .instant(let date): return Timestamp.string(date)
        case .change(let id): return "change:\(id)"
        case .snapshot(let name): return name
        }
    }
}

extension Moment: Codable {
    public init(from decoder: Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// Timestamps as the store writes them: UTC, ISO 8601, milliseconds; they sort
/// as text in the order of the instants they name.
public enum Timestamp {
    public static func string(_ date: Date = Date()) -> String {
        // Milliseconds (the store's resolution), to the nearest.
        let ms = (date.timeIntervalSince1970 * 1000).rounded() / 1000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: ms))
    }

    public static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// `YYYY-MM-DD` of `date` in `timeZone`.
    public static func day(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
