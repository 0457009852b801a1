import Foundation
import GRDB
import TramaModel

/// Everything a store holds about one actor, for a data subject's access request.
public struct PersonalData: Sendable, Codable {
    /// One stored version and the changes that made and ended it.
    public struct Version<Value: Sendable & Codable>: Sendable, Codable {
        public var value: Value
        public var since: ChangeRecord
        public var until: ChangeRecord?
    }

    public var graph: String
    public var id: String
    public var actor: [Version<Actor>]
    public var relations: [Version<Relation>]
    /// Change-log entries whose command names the actor.
    public var changes: [ChangeRecord]
}

extension Store {
    /// Every version of actor `id` and of its relations, and the log entries that mention it.
    public func personalData(of id: String, in graph: String) throws -> PersonalData {
        try read { snapshot in
            let db = snapshot.db
            let graphID = try snapshot.graph(graph).id
            let changes = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db, sql: "SELECT id, at, author, command, summary FROM changes WHERE graph_id = ?", arguments: [graphID]
                ).map {
                    ($0[0] as Int64, ChangeRecord(id: $0[0], at: $0[1], author: $0[2], command: $0[3], summary: $0[4]))
                })
            let actors = try Row.fetchAll(
                db, sql: "SELECT valid_from, valid_to, \(Rows.actorColumns) FROM actors WHERE graph_id = ? AND id = ? ORDER BY valid_from",
                arguments: [graphID, id]
            ).map {
                PersonalData.Version(
                    value: Rows.actor($0, offset: 2), since: changes[$0[0]]!, until: ($0[1] as Int64?).flatMap { changes[$0] })
            }
            guard !actors.isEmpty else {
                throw TramaError(
                    .notFound, "the graph `\(graph)` holds nothing about `\(id)`, now or in its history",
                    fields: ["graph": graph, "actor": id])
            }
            let relations = try Row.fetchAll(
                db,
                sql: """
                    SELECT valid_from, valid_to, \(Rows.relationColumns) FROM relations
                    WHERE graph_id = ? AND (source = ? OR target = ?) ORDER BY valid_from, row
                    """, arguments: [graphID, id, id]
            ).map {
                PersonalData.Version(
                    value: Rows.relation($0, offset: 2), since: changes[$0[0]]!, until: ($0[1] as Int64?).flatMap { changes[$0] })
            }
            let names = Set(actors.map(\.value.name)).union([id])
            let mentions = changes.values.filter { change in names.contains { change.command.contains($0) } }.sorted { $0.id < $1.id }
            return PersonalData(graph: graph, id: id, actor: actors, relations: relations, changes: mentions)
        }
    }

    /// Erases actor `id` on request: every version of it and of its relations,
    /// its names in other records' free text, and the arguments of every logged
    /// command that named it, with SQLite's secure delete on
    /// and the write-ahead log truncated, so the bytes are gone from the file.
    /// The log keeps one entry saying that an erasure happened, without naming whom.
    public func erase(_ id: String, in graph: String, context: WriteContext) throws -> (
        actorVersions: Int, relationVersions: Int, mentions: Int
    ) {
        let data = try personalData(of: id, in: graph)
        let names = Set(data.actor.map(\.value.name)).union([id]).sorted { $0.count > $1.count }
        let counts = try write { db -> (Int, Int, Int) in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            let graphID = try StoreSnapshot(db: db, store: self).graph(graph).id
            try db.execute(sql: "DELETE FROM relations WHERE graph_id = ? AND (source = ? OR target = ?)", arguments: [graphID, id, id])
            let relationVersions = db.changesCount
            try db.execute(sql: "DELETE FROM actors WHERE graph_id = ? AND id = ?", arguments: [graphID, id])
            let actorVersions = db.changesCount
            var mentions = 0
            // Where maps drew the person: their entry in each kept layout.
            if schema.time {
                for row in try Row.fetchAll(db, sql: "SELECT view, positions FROM layouts WHERE graph_id = ?", arguments: [graphID]) {
                    guard var positions = try? JSONDecoder().decode([String: [Double]].self, from: Data((row[1] as String).utf8)),
                        positions.removeValue(forKey: id) != nil
                    else { continue }
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = .sortedKeys
                    try db.execute(
                        sql: "UPDATE layouts SET positions = ? WHERE graph_id = ? AND view = ?",
                        arguments: [String(decoding: try encoder.encode(positions), as: UTF8.self), graphID, row[0] as String])
                }
                for name in names {
                    try db.execute(
                        sql: "UPDATE snapshots SET note = replace(note, ?, '[erased]') WHERE graph_id = ? AND instr(note, ?) > 0",
                        arguments: [name, graphID, name])
                    mentions += db.changesCount
                }
                // A view named after the person (their neighbourhood) goes whole.
                for prefix in ["view=ego:\(id)&", "view=ego:\(id):"] {
                    try db.execute(
                        sql: "DELETE FROM layouts WHERE graph_id = ? AND substr(view, 1, ?) = ?",
                        arguments: [graphID, prefix.count, prefix])
                }
            }
            // The person's names in other records' free text, in every version.
            let textColumns = [
                "actors": ["description", "attributes", "tags"],
                "relations": ["description", "evidence", "attributes", "tags", "asserted_by", "asserted_in"],
            ]
            for (table, columns) in textColumns {
                for column in columns {
                    for name in names {
                        try db.execute(
                            sql:
                                "UPDATE \(table) SET \(column) = replace(\(column), ?, '[erased]') WHERE graph_id = ? AND instr(\(column), ?) > 0",
                            arguments: [name, graphID, name])
                        mentions += db.changesCount
                    }
                }
            }
            // A command that named the person may carry more of their data
            // (an e-mail in --attr): it is replaced whole.
            for change in data.changes {
                let verb = change.command.split(separator: " ").prefix(3).joined(separator: " ")
                var command = verb + " [arguments erased with an erased person's data]"
                for name in names { command = command.replacingOccurrences(of: name, with: "[erased]") }
                try db.execute(sql: "UPDATE changes SET command = ? WHERE id = ?", arguments: [command, change.id])
            }
            // The rows are gone, not closed: the graph's image is made anew from what remains.
            try db.execute(
                sql: "INSERT INTO changes (graph_id, at, author, command, summary, kind) VALUES (?, ?, ?, ?, ?, 'erase')",
                arguments: [
                    graphID, Timestamp.string(), context.author, "trama privacy erase [erased]",
                    "personal data erased on request: \(actorVersions) actor version(s), \(relationVersions) relation version(s), \(mentions) mention(s)",
                ])
            let image = try GraphImage.build(db, graphID: graphID)
            try image.save(db, graphID: graphID, change: db.lastInsertedRowID)
            // Snapshots' images are made anew from what remains.
            if schema.snapshotImages {
                for change in try Int64.fetchAll(db, sql: "SELECT change_id FROM snapshot_images WHERE graph_id = ?", arguments: [graphID])
                {
                    try image.rewound(db, graphID: graphID, to: change).saveForSnapshot(db, graphID: graphID, change: change)
                }
            }
            return (actorVersions, relationVersions, mentions)
        }
        try writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.execute(sql: "PRAGMA secure_delete = OFF")
        }
        return counts
    }
}
