import Crypto
import Foundation
import TramaModel
import TramaStore

/// What a token lets its bearer do with a graph: read it, also change it, also
/// delete it and manage the store's graphs.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case viewer, editor, admin

    var rank: Int { Role.allCases.firstIndex(of: self)! }
    public static func < (a: Role, b: Role) -> Bool { a.rank < b.rank }
}

/// A new token for the HTTP service.
public struct TokenDraft: Codable, Sendable, Hashable {
    /// A graph's name, or `*` for every graph of the store.
    public var graph: String
    public var role: Role
    /// When it stops working (a date: the end of that day in the store's zone).
    public var expires: Moment?
    public var note: String?
    /// A viewer token that sees private actors and relations too (editors and admins always do).
    public var seePrivate: Bool?

    public init(graph: String, role: Role, expires: Moment? = nil, note: String? = nil, seePrivate: Bool? = nil) {
        self.graph = graph
        self.role = role
        self.expires = expires
        self.note = note
        self.seePrivate = seePrivate
    }

    enum CodingKeys: String, CodingKey {
        case graph, role, expires, note
        case seePrivate = "see_private"
    }
}

public typealias TokenRecord = TramaStore.TokenRecord

/// A token as created: the secret, shown once, and what the store keeps of it.
public struct CreatedToken: Codable, Sendable {
    public var token: String
    public var record: TokenRecord
}

public struct TokenList: Codable, Sendable {
    public var tokens: [TokenRecord]
}

/// Who is asking: the bearer of a valid token, or nobody.
public struct Principal: Sendable, Hashable {
    public var tokenID: Int64
    /// A graph's name, or `*`.
    public var graph: String
    public var role: Role
    public var seePrivate: Bool
    /// When the token stops working.
    public var expires: Date?

    /// The role this principal holds on `graph`, if any.
    public func role(on graph: String) -> Role? { self.graph == "*" || self.graph == graph ? role : nil }

    /// What this principal may see of `graph` when it may read it.
    public func access(on graph: String) -> Access? {
        guard let role = role(on: graph) else { return nil }
        return role >= .editor || seePrivate ? .full : .publicOnly
    }
}

extension Trama {
    static func hash(_ token: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(token.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Makes a token; the secret is in the answer and nowhere else (the store keeps its hash).
    public func createToken(_ draft: TokenDraft) throws -> CreatedToken {
        if draft.graph != "*" { try Store.checkGraphName(draft.graph) }
        if let note = draft.note, note.count > 200 { throw TramaError.invalidField("note", "must be at most 200 characters") }
        let store = try store(writing: true, create: true)
        var expiresAt: String?
        if let expires = draft.expires {
            guard let instant = expires.instant(in: store.timeZone) else {
                throw TramaError.invalidField("expires", "must be a date or a date and time, not `\(expires.text)`", code: .invalidMoment)
            }
            guard instant > configuration.clock() else { throw TramaError.invalidField("expires", "is in the past: \(expires.text)") }
            expiresAt = Timestamp.string(instant)
        }
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        let secret =
            "trama_"
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let record = try store.addToken(
            hash: Self.hash(secret), graph: draft.graph, role: draft.role.rawValue,
            seePrivate: draft.seePrivate ?? false, note: draft.note, expiresAt: expiresAt)
        return CreatedToken(token: secret, record: record)
    }

    public func tokens() throws -> TokenList { TokenList(tokens: try store(writing: false).tokens()) }

    public func revokeToken(_ id: Int64) throws -> TokenRecord { try store(writing: true).revokeToken(id) }

    /// The principal a bearer token stands for; an unknown, revoked or expired token is refused.
    public func authenticate(_ token: String) throws -> Principal {
        let refused = TramaError(.unauthorized, "the token is not valid: ask for a new one")
        guard token.hasPrefix("trama_"), token.count < 100, let record = try store(writing: false).token(hash: Self.hash(token)) else {
            throw refused
        }
        if record.revokedAt != nil { throw TramaError(.unauthorized, "the token was revoked: ask for a new one") }
        if let expires = record.expiresAt, let date = Timestamp.date(expires), date <= configuration.clock() {
            throw TramaError(.unauthorized, "the token expired at \(expires): ask for a new one")
        }
        guard let role = Role(rawValue: record.role) else { throw refused }
        return Principal(
            tokenID: record.id, graph: record.graph, role: role, seePrivate: record.seePrivate,
            expires: record.expiresAt.flatMap(Timestamp.date))
    }

    /// A number that changes whenever the store changes (any graph, any process).
    public func changeCounter() throws -> Int64 { try store(writing: false).changeCounter() }

    /// A graph's current version: its last change (what a cache of answers is keyed by).
    public func version(of graph: String?) throws -> Int64? {
        try store(writing: false).read { snapshot in try snapshot.lastChange(of: try snapshot.graph(graphName(graph))) }
    }
}
