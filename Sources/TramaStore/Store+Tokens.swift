import Foundation
import GRDB
import TramaModel

/// A bearer token of the HTTP service, as the store keeps it (never the token itself).
public struct TokenRecord: Sendable, Codable, Equatable {
    public var id: Int64
    /// A graph's name, or `*` for every graph of the store.
    public var graph: String
    /// `viewer`, `editor` or `admin`.
    public var role: String
    /// Whether private actors and relations show to its bearer.
    public var seePrivate: Bool
    public var note: String?
    public var createdAt: String
    public var expiresAt: String?
    public var revokedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, graph, role, note
        case seePrivate = "see_private"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }

    init(_ row: Row) {
        id = row["id"]
        graph = row["graph"]
        role = row["role"]
        seePrivate = row["see_private"]
        note = row["note"]
        createdAt = row["created_at"]
        expiresAt = row["expires_at"]
        revokedAt = row["revoked_at"]
    }
}

extension Store {
    /// Records a token by its hash.
    public func addToken(hash: String, graph: String, role: String, seePrivate: Bool, note: String?, expiresAt: String?) throws
        -> TokenRecord
    {
        try write { db in
            try db.execute(
                sql: "INSERT INTO tokens (hash, graph, role, see_private, note, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [hash, graph, role, seePrivate, note, Timestamp.string(), expiresAt])
            return TokenRecord(try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE id = ?", arguments: [db.lastInsertedRowID])!)
        }
    }

    /// Every token, newest first.
    public func tokens() throws -> [TokenRecord] {
        try read { s in try Row.fetchAll(s.db, sql: "SELECT * FROM tokens ORDER BY id DESC").map(TokenRecord.init) }
    }

    /// The token with this hash, whatever its state.
    public func token(hash: String) throws -> TokenRecord? {
        try read { s in
            try Row.fetchOne(try s.db.cachedStatement(sql: "SELECT * FROM tokens WHERE hash = ?"), arguments: [hash]).map(TokenRecord.init)
        }
    }

    /// Revokes a token: its bearer is refused from now on.
    public func revokeToken(_ id: Int64) throws -> TokenRecord {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE id = ?", arguments: [id]) else {
                throw TramaError(.notFound, "there is no token \(id)", fields: ["token": "\(id)"])
            }
            if row["revoked_at"] as String? == nil {
                try db.execute(sql: "UPDATE tokens SET revoked_at = ? WHERE id = ?", arguments: [Timestamp.string(), id])
            }
            return TokenRecord(try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE id = ?", arguments: [id])!)
        }
    }
}
