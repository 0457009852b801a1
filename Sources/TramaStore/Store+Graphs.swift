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
        case name, actors, relations, changes
        case createdAt = "created_at"
        case lastChangeAt = "last_change_at"
    }
}

/// One entry of a graph's change log.
public struct ChangeRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: String
    public var author: String
    public var command: String
    public var summary: String
    /// `edit`, `import` or `undo` (nil in stores made before change kinds were kept).
    public var kind: String?

    public init(id: Int64, at: String, author: String, command: String, summary: String, kind: String? = nil) {
        self.id = id
        self.at = at
        self.author = author
        self.command = command
        self.summary = summary
        self.kind = kind
    }
}

extension Store {
    /// Graph names: 1 to 100 characters, letters, digits, `-`, `_`, `.`.
    public static func checkGraphName(_ name: String) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !name.isEmpty, name.count <= 100, name.unicodeScalars.allSatisfy(allowed.contains), !name.hasPrefix(".") else {
            throw TramaError(
                .invalidValue, "`\(name.prefix(100))` is not a usable graph name: use 1 to 100 letters, digits, `-`, `_` or `.`",
                fields: ["field": "graph", "value": String(name.prefix(100))])
        }
    }

    /// Creates an empty graph; refuses an existing name.
    @discardableResult
    public func createGraph(_ name: String) throws -> GraphInfo {
        try Self.checkGraphName(name)
        return try write { db in
            let snapshot = StoreSnapshot(db: db, store: self)
            if try snapshot.graphIfExists(name) != nil {
                throw TramaError(.conflict, "the graph `\(name)` already exists", fields: ["graph": name])
            }
            try db.execute(sql: "INSERT INTO graphs (name, created_at) VALUES (?, ?)", arguments: [name, Timestamp.string()])
            return try snapshot.graphs().first { $0.name == name }!
        }
    }

    /// Deletes a graph with its history. Returns what it held. A graph that still
    /// holds actors is deleted only when `force` is true.
    @discardableResult
    public func deleteGraph(_ name: String, force: Bool = true) throws -> GraphInfo {
        try write { db in
            let snapshot = StoreSnapshot(db: db, store: self)
            guard let info = try snapshot.graphs().first(where: { $0.name == name }) else { throw try snapshot.missingGraph(name) }
            if info.actors > 0 && !force {
                throw TramaError(
                    .graphNotEmpty, "the graph `\(name)` still holds \(info.actors) actors and \(info.relations) relations",
                    fields: ["graph": name, "actors": "\(info.actors)", "relations": "\(info.relations)"])
            }
            try db.execute(sql: "DELETE FROM graphs WHERE name = ?", arguments: [name])
            return info
        }
    }

    /// Stores the graph's alliance rules (nil: back to the standard ones), as a new
    /// version with a change-log entry.
    @discardableResult
    public func setRulesJSON(_ json: String?, of graph: String, context: WriteContext) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, _ in
            if try writer.putSetting("rules", json) {
                writer.summary.note = json == nil ? "alliance rules reset to the standard ones" : "alliance rules set"
            }
        }
    }
}
