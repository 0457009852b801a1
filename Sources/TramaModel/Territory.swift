import Foundation

/// A place in the region › province › municipality hierarchy, written as a
/// path: `Emilia-Romagna/Reggio Emilia`. `›` and `>` are accepted as
/// separators too and normalised to `/`.
public struct Territory: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public let components: [String]

    /// - Complexity: O(n) in the length of `text`; no Foundation calls for a
    /// path already written with `/` (every territory the store reads back).
    public init?(_ text: String) {
        var normalised = text
        if text.utf8.contains(0x3E) || text.utf8.contains(0xE2) {  // `>` or the first byte of `›`
            for separator in ["›", ">"] { normalised = normalised.replacingOccurrences(of: separator, with: "/") }
        }
        let parts = normalised.split(separator: "/").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { return nil }
        components = parts
    }

    public init(components: [String]) { self.components = components }

    public var path: String { components.joined(separator: "/") }
    public var description: String { path }
    public var name: String { components.last ?? "" }
    public var depth: Int { components.count }

    /// The territory at `level` (1 = region), or this one if it is shallower.
    public func rolledUp(to level: Int) -> Territory {
        Territory(components: Array(components.prefix(max(1, level))))
    }

    /// True when `other` is this territory or lies inside it.
    /// Matching is case-insensitive, so `emilia-romagna` contains `Emilia-Romagna/Parma`.
    public func contains(_ other: Territory) -> Bool {
        guard other.components.count >= components.count else { return false }
        return zip(components, other.components).allSatisfy { a, b in
            if a == b { return true }
            // ASCII names of different lengths cannot match; only the rest needs Foundation.
            if a.utf8.count != b.utf8.count, a.utf8.allSatisfy({ $0 < 0x80 }), b.utf8.allSatisfy({ $0 < 0x80 }) { return false }
            return a.caseInsensitiveCompare(b) == .orderedSame
        }
    }

    public static func < (lhs: Territory, rhs: Territory) -> Bool { lhs.path < rhs.path }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let territory = Territory(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "empty territory"))
        }
        self = territory
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(path)
    }
}
