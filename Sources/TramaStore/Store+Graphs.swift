import Foundation
import GRDB
import TramaModel

/// A graph of the store, with its size and history.
public struct GraphInfo: Sendable, Codable, Equatable {
    public var name: String
    public var actors: Int
    public var relations: Int
    public var changes: Int
    public var createdAt: String
    public var lastChangeAt: String?

    enum CodingKeys: String, CodingKey {
        case name, actors, relations, changes, createdAt = "created_at", lastChangeAt = "last_change_at"
    }
}

/// One entry of a graph's change log.
public struct ChangeRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: String
    public var author: String
    public var command: String
    public var summary: String
}

extension Store {
    /// Graph names: 1 to 100 characters, letters, digits, `-`, `_`, `.`.
    public static func checkGraphName(_ name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, name.count <= 100, name.unicodeScalars.allSatisfy(allowed.contains), !name.hasPrefix(".") else {
            throw TramaError(.invalidValue, "`\(name.prefix(100))` is not a usable graph name: use 1 to 100 letters, digits, `-`, `_` or `.`")
        }
    }

    public func graphs() throws -> [GraphInfo] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT g.name, g.created_at,
                  (SELECT count(*) FROM actors a WHERE a.graph_id = g.id AND a.valid_to IS NULL),
                  (SELECT count(*) FROM relations r WHERE r.graph_id = g.id AND r.valid_to IS NULL),
                  (SELECT count(*) FROM changes c WHERE c.graph_id = g.id),
                  (SELECT max(at) FROM changes c WHERE c.graph_id = g.id)
                FROM graphs g ORDER BY g.name
                """).map { row in
                GraphInfo(name: row[0], actors: row[2], relations: row[3], changes: row[4], createdAt: row[1], lastChangeAt: row[5])
            }
        }
    }

    public func graphInfo(_ name: String) throws -> GraphInfo {
        guard let info = try graphs().first(where: { $0.name == name }) else { throw try read { try missingGraph($0, name) } }
        return info
    }

    /// Creates an empty graph; refuses an existing name.
    public func createGraph(_ name: String) throws {
        try Self.checkGraphName(name)
        try write { db in
            if try graphID(db, name) != nil {
                throw TramaError(.conflict, "the graph `\(name)` already exists: pick another name, or import into it with --graph \(name)")
            }
            try db.execute(sql: "INSERT INTO graphs (name, created_at) VALUES (?, ?)", arguments: [name, Rows.timestamp()])
        }
    }

    /// Deletes a graph with its history. Returns what it held.
    @discardableResult
    public func deleteGraph(_ name: String) throws -> GraphInfo {
        let info = try graphInfo(name)
        try write { db in
            try db.execute(sql: "DELETE FROM graphs WHERE name = ?", arguments: [name])
        }
        return info
    }

    /// The graph's vocabulary: the built-in one plus its extensions.
    public func vocabulary(of graph: String) throws -> Vocabulary {
        try read { db in try vocabulary(db, graph) }
    }

    func vocabulary(_ db: Database, _ graph: String) throws -> Vocabulary {
        guard let text = try String.fetchOne(db, sql: "SELECT vocabulary FROM graphs WHERE name = ?", arguments: [graph]) else {
            return .builtIn
        }
        let extensions = (try? JSONDecoder().decode(VocabularyExtensions.self, from: Data(text.utf8))) ?? .init()
        return Vocabulary(extensions: extensions)
    }

    func graphID(_ db: Database, _ name: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM graphs WHERE name = ?", arguments: [name])
    }

    /// The error for a graph that does not exist, naming those that do. Takes the
    /// open connection: GRDB connections are not re-entrant.
    func missingGraph(_ db: Database, _ name: String) throws -> TramaError {
        let names = try String.fetchAll(db, sql: "SELECT name FROM graphs ORDER BY name")
        let known = names.isEmpty ? "the store has no graphs yet" : "graphs here: \(names.joined(separator: ", "))"
        return TramaError(.notFound, "there is no graph `\(name)` in `\(path)` (\(known)): pass --graph NAME or import one")
    }

    /// The change log of a graph, oldest first.
    public func changes(in graph: String) throws -> [ChangeRecord] {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            return try Row.fetchAll(db, sql: "SELECT id, at, author, command, summary FROM changes WHERE graph_id = ? ORDER BY id",
                                    arguments: [id]).map {
                ChangeRecord(id: $0[0], at: $0[1], author: $0[2], command: $0[3], summary: $0[4])
            }
        }
    }

    /// The last change made at or before `timestamp` (ISO 8601, or a date such as `2026-11-25`).
    public func change(asOf timestamp: String, in graph: String) throws -> Int64? {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            // A bare date means the end of that day.
            let bound = timestamp.count == 10 ? timestamp + "T23:59:59.999Z" : timestamp
            return try Int64.fetchOne(db, sql: "SELECT max(id) FROM changes WHERE graph_id = ? AND at <= ?", arguments: [id, bound])
        }
    }
}

extension Store {
    /// The graph's alliance rules as JSON, nil when it uses the standard ones.
    /// The store keeps them as text; the insight layer gives them their meaning.
    public func rulesJSON(of graph: String) throws -> String? {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            return try String.fetchOne(db, sql: "SELECT rules FROM graphs WHERE id = ?", arguments: [id])
        }
    }

    /// Stores the graph's alliance rules (nil: back to the standard ones), with a change-log entry.
    public func setRulesJSON(_ json: String?, of graph: String, context: WriteContext) throws {
        _ = try writeGraph(graph, context: context, create: false) { writer, _ in
            try writer.db.execute(sql: "UPDATE graphs SET rules = ? WHERE id = ?", arguments: [json, writer.graphID])
            writer.summary.note = json == nil ? "alliance rules reset to the standard ones" : "alliance rules set"
            _ = try writer.change()
        }
    }
}
