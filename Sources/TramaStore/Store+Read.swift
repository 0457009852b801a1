import Foundation
import GRDB
import GRDBSQLite
import TramaModel

/// Which actors or relations a read returns.
public struct StoreFilter: Sendable {
    public var kinds: [String] = []
    /// The territory and everything inside it.
    public var territory: Territory?
    public var relationTypes: [String] = []
    /// Relations that touch this actor.
    public var actor: String?

    public init(kinds: [String] = [], territory: Territory? = nil, relationTypes: [String] = [], actor: String? = nil) {
        self.kinds = kinds
        self.territory = territory
        self.relationTypes = relationTypes
        self.actor = actor
    }
}

extension Store {
    /// The rows current at change `asOf` (all current rows when nil).
    static func visible(_ alias: String, asOf: Int64?) -> (sql: String, arguments: StatementArguments) {
        guard let asOf else { return ("\(alias).valid_to IS NULL", []) }
        return ("\(alias).valid_from <= ? AND (\(alias).valid_to IS NULL OR \(alias).valid_to > ?)", [asOf, asOf])
    }

    /// The whole graph, as it is now or as it was right after change `asOf`.
    /// - Complexity: O(actors + relations) rows read.
    public func ecosystem(_ graph: String, asOf: Int64? = nil) throws -> Ecosystem {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            let vocabulary = try vocabulary(db, graph)
            return Ecosystem(name: graph, vocabulary: vocabulary,
                             actors: try actors(db, graphID: id, filter: StoreFilter(), asOf: asOf),
                             relations: try relations(db, graphID: id, filter: StoreFilter(), asOf: asOf))
        }
    }

    public func actors(in graph: String, filter: StoreFilter = StoreFilter()) throws -> [Actor] {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            return try actors(db, graphID: id, filter: filter, asOf: nil)
        }
    }

    public func relations(in graph: String, filter: StoreFilter = StoreFilter()) throws -> [Relation] {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            return try relations(db, graphID: id, filter: filter, asOf: nil)
        }
    }

    public func actor(_ actorID: String, in graph: String) throws -> Actor? {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            return try currentActor(db, graphID: id, actorID)?.actor
        }
    }

    func currentActor(_ db: Database, graphID: Int64, _ actorID: String) throws -> (row: Int64, actor: Actor)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT row, \(Rows.actorColumns) FROM actors WHERE graph_id = ? AND id = ? AND valid_to IS NULL",
                                         arguments: [graphID, actorID]) else { return nil }
        return (row[0], Rows.actor(row, offset: 1))
    }

    func actors(_ db: Database, graphID: Int64, filter: StoreFilter, asOf: Int64?) throws -> [Actor] {
        let visible = Self.visible("a", asOf: asOf)
        var sql = "SELECT \(Rows.actorColumns.split(separator: ",").map { "a." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")) FROM actors a WHERE a.graph_id = ? AND \(visible.sql)"
        var arguments: StatementArguments = [graphID]
        arguments += visible.arguments
        if !filter.kinds.isEmpty {
            sql += " AND a.kind IN (\(filter.kinds.map { _ in "?" }.joined(separator: ",")))"
            arguments += StatementArguments(filter.kinds)
        }
        if let territory = filter.territory {
            sql += " AND (a.territory = ? COLLATE NOCASE OR substr(a.territory, 1, ?) = ? COLLATE NOCASE)"
            arguments += [territory.path, territory.path.count + 1, territory.path + "/"]
        }
        sql += " ORDER BY a.id"
        return try Row.fetchCursor(db, sql: sql, arguments: arguments).map { Rows.actor($0) }.reduce(into: []) { $0.append($1) }
    }

    func relations(_ db: Database, graphID: Int64, filter: StoreFilter, asOf: Int64?) throws -> [Relation] {
        let visible = Self.visible("r", asOf: asOf)
        var sql = "SELECT \(Rows.relationColumns.split(separator: ",").map { "r." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")) FROM relations r WHERE r.graph_id = ? AND \(visible.sql)"
        var arguments: StatementArguments = [graphID]
        arguments += visible.arguments
        if !filter.relationTypes.isEmpty {
            sql += " AND r.type IN (\(filter.relationTypes.map { _ in "?" }.joined(separator: ",")))"
            arguments += StatementArguments(filter.relationTypes)
        }
        if let actor = filter.actor {
            sql += " AND (r.source = ? OR r.target = ?)"
            arguments += [actor, actor]
        }
        if !filter.kinds.isEmpty || filter.territory != nil {
            // Both ends must be among the filtered actors.
            let ids = Set(try actors(db, graphID: graphID, filter: StoreFilter(kinds: filter.kinds, territory: filter.territory), asOf: asOf).map(\.id))
            sql += " ORDER BY r.source, r.target, r.type"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { Rows.relation($0) }
                .filter { ids.contains($0.source) && ids.contains($0.target) }
        }
        sql += " ORDER BY r.source, r.target, r.type"
        return try Row.fetchCursor(db, sql: sql, arguments: arguments).map { Rows.relation($0) }.reduce(into: []) { $0.append($1) }
    }
}

extension Store {
    /// The graph in columns, as analyses read it, straight from the rows: no
    /// `Relation` value per row.
    /// - Complexity: O(actors + relations) rows, scanned in table order.
    public func relationTable(_ graph: String) throws -> RelationTable {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            var table = RelationTable(vocabulary: try vocabulary(db, graph))
            var rows: [(String, String, String, String?)] = []
            let actorStatement = try db.makeStatement(sql: "SELECT id, name, kind, territory FROM actors NOT INDEXED WHERE graph_id = ? AND valid_to IS NULL")
            try actorStatement.setArguments([id])
            try BulkRead.forEachRow(actorStatement, db: db) { row in
                rows.append((BulkRead.text(row, 0), BulkRead.text(row, 1), BulkRead.text(row, 2),
                             sqlite3_column_type(row, 3) == SQLITE_NULL ? nil : BulkRead.text(row, 3)))
            }
            rows.sort { $0.0 < $1.0 }
            var index: [String: Int32] = [:]
            index.reserveCapacity(rows.count)
            var territories: [String: Territory] = [:]
            for (id, name, kind, territory) in rows {
                index[id] = Int32(table.actorIDs.count)
                table.actorIDs.append(id)
                table.actorNames.append(name)
                table.actorKinds.append(kind)
                table.actorTerritories.append(territory.flatMap { text in
                    if let known = territories[text] { return known }
                    let parsed = Territory(text)
                    territories[text] = parsed
                    return parsed
                })
            }
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM relations WHERE graph_id = ? AND valid_to IS NULL", arguments: [id]) ?? 0
            table.source.reserveCapacity(count)
            table.target.reserveCapacity(count)
            table.type.reserveCapacity(count)
            table.strength.reserveCapacity(count)
            table.status.reserveCapacity(count)
            let statement = try db.makeStatement(sql: "SELECT source, target, type, strength, status FROM relations NOT INDEXED WHERE graph_id = ? AND valid_to IS NULL")
            try statement.setArguments([id])
            // Imports insert relations in key order, so consecutive rows mostly share their source.
            var lastSource = ""
            var lastIndex: Int32? = nil
            try BulkRead.forEachRow(statement, db: db) { row in
                let sourceText = BulkRead.text(row, 0)
                if sourceText != lastSource { lastSource = sourceText; lastIndex = index[sourceText] }
                guard let u = lastIndex, let v = index[BulkRead.text(row, 1)] else { return }
                table.source.append(u)
                table.target.append(v)
                table.type.append(table.typeIndex(BulkRead.text(row, 2)))
                table.strength.append(BulkRead.double(row, 3) ?? .nan)
                table.status.append(RelationStatus(rawValue: BulkRead.text(row, 4)) ?? .active)
            }
            return table
        }
    }
}

extension Store {
    /// The graph with what gaps, recommendations and coalitions read: actors'
    /// id, name, kind, territory and themes; relations' ends, type, status and
    /// dates. Rows are stepped directly; descriptions and attributes are not read.
    /// - Complexity: O(actors + relations) rows, scanned in table order.
    public func insightEcosystem(_ graph: String, relationsNear territory: Territory? = nil, actorsOnly: Bool = false) throws -> Ecosystem {
        try read { db in
            guard let id = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            var actors: [Actor] = []
            var territories: [String: Territory] = [:]
            let actorStatement = try db.makeStatement(sql: "SELECT id, name, kind, territory, themes FROM actors NOT INDEXED WHERE graph_id = ? AND valid_to IS NULL")
            try actorStatement.setArguments([id])
            try BulkRead.forEachRow(actorStatement, db: db) { row in
                let territory: Territory? = sqlite3_column_type(row, 3) == SQLITE_NULL ? nil : {
                    let text = BulkRead.text(row, 3)
                    if let known = territories[text] { return known }
                    let parsed = Territory(text)
                    territories[text] = parsed
                    return parsed
                }()
                let themes = sqlite3_column_type(row, 4) == SQLITE_NULL ? [] : Rows.decodeList(BulkRead.text(row, 4))
                actors.append(Actor(id: BulkRead.text(row, 0), name: BulkRead.text(row, 1), kind: BulkRead.text(row, 2),
                                    territory: territory, themes: themes))
            }
            actors.sort { $0.id < $1.id }
            var relations: [Relation] = []
            if actorsOnly { return Ecosystem(name: graph, vocabulary: try vocabulary(db, graph), actors: actors) }
            // With a territory, only relations touching its actors (or those around it) are kept.
            let near: Set<String>? = territory.map { t in
                Set(actors.filter { a in a.territory.map { t.contains($0) || $0.contains(t) } ?? false }.map(\.id))
            }
            if near == nil {
                relations.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM relations WHERE graph_id = ? AND valid_to IS NULL",
                                                           arguments: [id]) ?? 0)
            }
            let statement = try db.makeStatement(sql: """
                SELECT source, target, type, status, since, until, asserted_at FROM relations NOT INDEXED WHERE graph_id = ? AND valid_to IS NULL
                """)
            try statement.setArguments([id])
            var types: [String] = []
            func optional(_ row: OpaquePointer, _ column: Int32) -> String? {
                sqlite3_column_type(row, column) == SQLITE_NULL ? nil : BulkRead.text(row, column)
            }
            try BulkRead.forEachRow(statement, db: db) { row in
                let (source, target) = (BulkRead.text(row, 0), BulkRead.text(row, 1))
                if let near, !near.contains(source) && !near.contains(target) { return }
                let typeText = BulkRead.text(row, 2)
                let type = types.first { $0 == typeText } ?? { types.append(typeText); return typeText }()
                relations.append(Relation(source: source, target: target, type: type,
                                          since: optional(row, 4), until: optional(row, 5),
                                          status: RelationStatus(rawValue: BulkRead.text(row, 3)) ?? .active, assertedAt: optional(row, 6)))
            }
            return Ecosystem(name: graph, vocabulary: try vocabulary(db, graph), actors: actors, relations: relations)
        }
    }
}

extension Store {
    /// The neighbours of `ids` through current relations, by the source and target
    /// indexes: what a recommendation needs without reading the whole graph.
    /// - Complexity: O(Σ degree of `ids` · log relations).
    public func neighbours(of ids: Set<String>, in graph: String) throws -> [String: Set<String>] {
        try read { db in
            guard let graphID = try graphID(db, graph) else { throw try missingGraph(db, graph) }
            var result = Dictionary(uniqueKeysWithValues: ids.map { ($0, Set<String>()) })
            let bySource = try db.makeStatement(sql: "SELECT target FROM relations WHERE graph_id = ? AND source = ? AND valid_to IS NULL")
            let byTarget = try db.makeStatement(sql: "SELECT source FROM relations WHERE graph_id = ? AND target = ? AND valid_to IS NULL")
            for id in ids {
                for statement in [bySource, byTarget] {
                    try statement.setArguments([graphID, id])
                    try BulkRead.forEachRow(statement, db: db) { row in
                        let other = BulkRead.text(row, 0)
                        if other != id { result[id]!.insert(other) }
                    }
                }
            }
            return result
        }
    }
}
