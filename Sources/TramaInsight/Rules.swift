import TramaModel

/// One thing a territorial alliance needs: at least `count` actors whose kind is
/// one of `kinds`. The pseudo-kind `funder` is any actor that funds another.
public struct Requirement: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kinds: [String]
    public var count: Int

    public init(kinds: [String], count: Int = 1) {
        self.kinds = kinds
        self.count = count
    }

    /// Reads `cooperative:2`, `consortium|network`, `public_administration`.
    public init(parsing text: String, vocabulary: Vocabulary) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let first = parts.first, !first.isEmpty else {
            throw TramaError.invalidField("require", "needs a kind, e.g. public_administration or cooperative:2")
        }
        var count = 1
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 1 else {
                throw TramaError.invalidField("require", "`\(text)`: the count after `:` must be a whole number of 1 or more")
            }
            count = n
        }
        kinds = try first.split(separator: "|").map { name in
            let name = String(name)
            if name == "funder" { return name }
            guard let kind = vocabulary.resolveKind(name) else { throw Validator(vocabulary: vocabulary).unknownKind(name, at: nil) }
            return kind
        }
        self.count = count
    }

    public var description: String { kinds.joined(separator: "|") + (count > 1 ? ":\(count)" : "") }

    /// Whether `actor` counts towards this requirement; `funds` tells whether it funds someone.
    public func isMet(by actor: Actor, funds: Bool) -> Bool { kinds.contains(actor.kind) || (funds && kinds.contains("funder")) }
}

/// What an alliance in a territory needs; stored with each graph (`trama rules set`).
public struct AllianceRules: Sendable, Hashable, Codable {
    public var requirements: [Requirement]

    public init(requirements: [Requirement]) { self.requirements = requirements }

    /// A public administration, at least two cooperatives, a consortium or network, and a funder or partner.
    public static let standard = AllianceRules(requirements: [
        Requirement(kinds: ["public_administration"]),
        Requirement(kinds: ["cooperative"], count: 2),
        Requirement(kinds: ["consortium", "network"]),
        Requirement(kinds: ["funder", "partner"]),
    ])
}
