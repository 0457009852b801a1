import Foundation
import GRDB
import TramaModel

/// A named moment of a graph: the change it stood at when it was taken.
public struct SnapshotRecord: Sendable, Codable, Equatable {
    public var name: String
    /// The graph's last change when the snapshot was taken (nil: the graph was empty).
    public var change: Int64?
    public var note: String?
    public var author: String
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case name, change, note, author
        case createdAt = "created_at"
    }
}

extension StoreSnapshot {
    // MARK: The network on a date

    /// The test a relation passes to be read on `version.on`, nil when the version
    /// has no date. Its last argument is the relation's key: an ended relation
    /// without `until` is taken to have ended on the day the store first recorded
    /// it as ended.
    func inForceTest(_ graph: GraphRef, _ version: Version) throws -> ((String?, String?, RelationStatus, String) -> Bool)? {
        guard let on = version.on else { return nil }
        var endedBy: [String: String] = [:]
        let zone = store.timeZone
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT r.key, min(c.at) FROM relations r JOIN changes c ON c.id = r.valid_from
                WHERE r.graph_id = ? AND r.status = 'ended' AND r.until IS NULL GROUP BY r.key
                """, arguments: [graph.id])
        {
            if let at = Timestamp.date(row[1]) { endedBy[row[0]] = Timestamp.day(at, in: zone) }
        }
        return { since, until, status, key in
            on.holds(since: since, until: until, status: status, endedBy: status == .ended && until == nil ? endedBy[key] : nil)
        }
    }

    // MARK: Snapshots

    public func snapshots(of graph: GraphRef, publicOnly: Bool = false) throws -> [SnapshotRecord] {
        guard store.schema.time else { return [] }
        var records = try Row.fetchAll(
            db, sql: "SELECT name, change_id, note, author, created_at FROM snapshots WHERE graph_id = ? ORDER BY created_at, id",
            arguments: [graph.id]
        ).map { SnapshotRecord(name: $0[0], change: $0[1], note: $0[2], author: $0[3], createdAt: $0[4]) }
        if let mentions = try publicMentions(graph, publicOnly: publicOnly) {
            for i in records.indices {
                records[i].note = records[i].note.map { mentions.masked($0, with: "[private]") }
                records[i].author = mentions.masked(records[i].author, with: "[private]")
            }
        }
        return records
    }

    public func snapshot(named name: String, of graph: GraphRef) throws -> SnapshotRecord? {
        guard store.schema.time else { return nil }
        return try Row.fetchOne(
            db, sql: "SELECT name, change_id, note, author, created_at FROM snapshots WHERE graph_id = ? AND name = ?",
            arguments: [graph.id, name]
        ).map { SnapshotRecord(name: $0[0], change: $0[1], note: $0[2], author: $0[3], createdAt: $0[4]) }
    }
}

extension Store {
    /// Names the graph's current moment (or the version `moment` gives). A name is
    /// taken once per graph; a snapshot is not a change and leaves the log alone.
    public func createSnapshot(_ name: String, of graph: String, at moment: Moment?, note: String?, author: String) throws
        -> SnapshotRecord
    {
        guard Moment.isSnapshotName(name) else {
            throw TramaError.invalidField(
                "name",
                "`\(name.prefix(100))` is not a usable snapshot name: start with a letter, then letters, digits, `-`, `_` or `.` (100 at most)"
            )
        }
        return try write { db in
            let snapshot = StoreSnapshot(db: db, store: self)
            let ref = try snapshot.graph(graph)
            if try snapshot.snapshot(named: name, of: ref) != nil {
                throw TramaError(
                    .conflict, "the graph `\(graph)` already has a snapshot `\(name)`: choose another name or delete it first",
                    fields: ["graph": graph, "snapshot": name])
            }
            let change = moment == nil ? try snapshot.lastChange(of: ref) : try snapshot.version(moment, of: ref).change
            let record = SnapshotRecord(name: name, change: change, note: note, author: author, createdAt: Timestamp.string())
            try db.execute(
                sql: "INSERT INTO snapshots (graph_id, name, change_id, note, author, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [ref.id, name, change, note, author, record.createdAt])
            // The graph's image at that moment, for reads as of the snapshot.
            if let change, let image = try GraphImage.load(db, graphID: ref.id) {
                let last = try snapshot.lastChange(of: ref)
                let then = change == last ? image : try image.rewound(db, graphID: ref.id, to: change)
                try then.saveForSnapshot(db, graphID: ref.id, change: change)
            }
            return record
        }
    }

    /// Deletes a snapshot (the graph and its history stay as they are).
    public func deleteSnapshot(_ name: String, of graph: String) throws -> SnapshotRecord {
        try write { db in
            let snapshot = StoreSnapshot(db: db, store: self)
            let ref = try snapshot.graph(graph)
            guard let record = try snapshot.snapshot(named: name, of: ref) else {
                throw TramaError(
                    .notFound, "the graph `\(graph)` has no snapshot `\(name)`", fields: ["graph": graph, "snapshot": name])
            }
            try db.execute(sql: "DELETE FROM snapshots WHERE graph_id = ? AND name = ?", arguments: [ref.id, name])
            try db.execute(
                sql: """
                    DELETE FROM snapshot_images WHERE graph_id = ? AND change_id NOT IN
                      (SELECT change_id FROM snapshots WHERE graph_id = ? AND change_id IS NOT NULL)
                    """, arguments: [ref.id, ref.id])
            return record
        }
    }
}

/// A change set of the log with what it did: each actor and relation it added,
/// removed or changed (changed fields with their old and new values).
public struct ChangeDetail: Sendable, Codable, Equatable {
    public var id: Int64
    public var at: String
    public var author: String
    public var command: String
    public var summary: String
    /// `edit`, `import`, `undo` or `erase` (nil in stores made before kinds were kept).
    public var kind: String?
    /// The changes this one undid.
    public var reverts: [Int64]
    /// Later changes that undid this one.
    public var revertedBy: [Int64]
    public var actors: [ActorChange]
    public var relations: [RelationChange]
    /// Settings it changed: `vocabulary`, `rules`.
    public var settings: [String]
    /// How many actors and relations it touched in all (the lists may stop earlier).
    public var actorsTotal: Int
    public var relationsTotal: Int

    enum CodingKeys: String, CodingKey {
        case id, at, author, command, summary, kind, reverts, actors, relations, settings
        case revertedBy = "reverted_by"
        case actorsTotal = "actors_total"
        case relationsTotal = "relations_total"
    }
}

/// What differs between two versions of a graph, item by item.
public struct RowDiff: Sendable {
    public var actors: [ActorChange] = []
    public var relations: [RelationChange] = []

    public init() {}
}

/// A stored row of an actor or relation with its validity.
struct VersionedRow<Value> {
    var row: Int64
    var validFrom: Int64
    var validTo: Int64?
    var value: Value
}

extension StoreSnapshot {
    // MARK: What a change did

    func actorRows(_ graph: GraphRef, where condition: String, _ arguments: StatementArguments) throws -> [VersionedRow<Actor>] {
        try Row.fetchAll(
            db, sql: "SELECT row, valid_from, valid_to, \(Rows.actorColumns) FROM actors WHERE graph_id = ? AND \(condition) ORDER BY row",
            arguments: [graph.id] + arguments
        ).map { VersionedRow(row: $0[0], validFrom: $0[1], validTo: $0[2], value: Rows.actor($0, offset: 3)) }
    }

    /// Relation rows with their stable id and key.
    func relationRows(_ graph: GraphRef, where condition: String, _ arguments: StatementArguments) throws
        -> [VersionedRow<(rid: Int64, key: String, relation: Relation)>]
    {
        let rid = settingsVersioned ? "coalesce(rid, row)" : "row"
        return try Row.fetchAll(
            db,
            sql:
                "SELECT row, valid_from, valid_to, \(rid), key, \(Rows.relationColumns) FROM relations WHERE graph_id = ? AND \(condition) ORDER BY row",
            arguments: [graph.id] + arguments
        ).map { VersionedRow(row: $0[0], validFrom: $0[1], validTo: $0[2], value: ($0[3], $0[4], Rows.relation($0, offset: 5))) }
    }

    /// Whether a public reader may see an actor or a relation (privacy as it stands now).
    struct Visibility {
        var hidden: (actors: Set<String>, relations: Set<String>)?

        func shows(_ actor: Actor?) -> Bool {
            guard let hidden, let actor else { return true }
            return !actor.isPrivate && !hidden.actors.contains(actor.id)
        }

        func shows(_ relation: Relation?, key: String) -> Bool {
            guard let hidden, let relation else { return true }
            return !relation.isPrivate && !hidden.relations.contains(key) && !hidden.actors.contains(relation.source)
                && !hidden.actors.contains(relation.target)
        }
    }

    func visibility(_ graph: GraphRef, publicOnly: Bool) throws -> Visibility {
        Visibility(hidden: publicOnly ? (try privateActorsNow(graph), try privateRelationKeysNow(graph)) : nil)
    }

    /// What change `record` did, its lists cut at `limit` items each (nil: all).
    public func detail(of record: ChangeRecord, in graph: GraphRef, limit: Int?, publicOnly: Bool) throws -> ChangeDetail {
        let visibility = try visibility(graph, publicOnly: publicOnly)
        var detail = ChangeDetail(
            id: record.id, at: record.at, author: record.author, command: record.command, summary: record.summary, kind: record.kind,
            reverts: [], revertedBy: [], actors: [], relations: [], settings: [], actorsTotal: 0, relationsTotal: 0)
        if store.schema.time {
            detail.reverts = try Int64.fetchAll(
                db, sql: "SELECT reverted FROM change_reverts WHERE change_id = ? ORDER BY reverted", arguments: [record.id])
            detail.revertedBy = try Int64.fetchAll(
                db, sql: "SELECT change_id FROM change_reverts WHERE reverted = ? ORDER BY change_id", arguments: [record.id])
        }
        // Actors: the rows this change closed, matched by id with those it made.
        var closedActors: [String: Actor] = [:]
        var closedOrder: [String] = []
        for row in try actorRows(graph, where: "valid_to = ?", [record.id]) {
            closedActors[row.value.id] = row.value
            closedOrder.append(row.value.id)
        }
        func keep<T>(_ item: T, in list: inout [T]) { if limit.map({ list.count < $0 }) ?? true { list.append(item) } }
        for row in try actorRows(graph, where: "valid_from = ?", [record.id]) {
            let old = closedActors.removeValue(forKey: row.value.id)
            guard visibility.shows(row.value), visibility.shows(old) else { continue }
            detail.actorsTotal += 1
            keep(ActorChange(old: old, new: row.value), in: &detail.actors)
        }
        for id in closedOrder {
            guard let old = closedActors[id], visibility.shows(old) else { continue }
            detail.actorsTotal += 1
            keep(ActorChange(old: old, new: nil), in: &detail.actors)
        }
        // Relations, matched by key.
        var closedRelations: [String: (rid: Int64, relation: Relation)] = [:]
        var closedKeys: [String] = []
        for row in try relationRows(graph, where: "valid_to = ?", [record.id]) {
            closedRelations[row.value.key] = (row.value.rid, row.value.relation)
            closedKeys.append(row.value.key)
        }
        for row in try relationRows(graph, where: "valid_from = ?", [record.id]) {
            let old = closedRelations.removeValue(forKey: row.value.key)
            guard visibility.shows(row.value.relation, key: row.value.key), visibility.shows(old?.relation, key: row.value.key) else {
                continue
            }
            detail.relationsTotal += 1
            keep(RelationChange(id: row.value.rid, old: old?.relation, new: row.value.relation), in: &detail.relations)
        }
        for key in closedKeys {
            guard let old = closedRelations[key], visibility.shows(old.relation, key: key) else { continue }
            detail.relationsTotal += 1
            keep(RelationChange(id: old.rid, old: old.relation, new: nil), in: &detail.relations)
        }
        if settingsVersioned {
            detail.settings = try String.fetchAll(
                db, sql: "SELECT DISTINCT name FROM settings WHERE graph_id = ? AND (valid_from = ? OR valid_to = ?) ORDER BY name",
                arguments: [graph.id, record.id, record.id])
        }
        if let mentions = try publicMentions(graph, publicOnly: publicOnly) { detail.mask(mentions) }
        return detail
    }

    // MARK: What differs between two versions

    /// The actors and relations that differ between versions `from` and `to` (in
    /// either order): only the rows made or closed between the two are read.
    /// - Complexity: O(rows changed between the versions), by the change indexes.
    public func rowDiff(_ graph: GraphRef, from: Version, to: Version, publicOnly: Bool) throws -> RowDiff {
        let a = from.change ?? 0
        let b = to.change ?? 0
        guard a != b else { return RowDiff() }
        let (low, high) = (min(a, b), max(a, b))
        func visible(_ validFrom: Int64, _ validTo: Int64?, at change: Int64) -> Bool {
            validFrom <= change && (validTo.map { $0 > change } ?? true)
        }
        let touched = "((valid_from > ? AND valid_from <= ?) OR (valid_to > ? AND valid_to <= ?))"
        let bounds: StatementArguments = [low, high, low, high]
        let visibility = try visibility(graph, publicOnly: publicOnly)
        var diff = RowDiff()
        var oldActors: [String: Actor] = [:]
        var newActors: [String: Actor] = [:]
        for row in try actorRows(graph, where: touched, bounds) {
            if visible(row.validFrom, row.validTo, at: a) { oldActors[row.value.id] = row.value }
            if visible(row.validFrom, row.validTo, at: b) { newActors[row.value.id] = row.value }
        }
        for id in Set(oldActors.keys).union(newActors.keys).sorted() {
            let (old, new) = (oldActors[id], newActors[id])
            guard old != new, visibility.shows(old), visibility.shows(new) else { continue }
            diff.actors.append(ActorChange(old: old, new: new))
        }
        var oldRelations: [String: (rid: Int64, relation: Relation)] = [:]
        var newRelations: [String: (rid: Int64, relation: Relation)] = [:]
        for row in try relationRows(graph, where: touched, bounds) {
            if visible(row.validFrom, row.validTo, at: a) { oldRelations[row.value.key] = (row.value.rid, row.value.relation) }
            if visible(row.validFrom, row.validTo, at: b) { newRelations[row.value.key] = (row.value.rid, row.value.relation) }
        }
        var relations: [RelationChange] = []
        for key in Set(oldRelations.keys).union(newRelations.keys) {
            let (old, new) = (oldRelations[key], newRelations[key])
            guard old?.relation != new?.relation, visibility.shows(old?.relation, key: key), visibility.shows(new?.relation, key: key)
            else { continue }
            relations.append(RelationChange(id: (new ?? old)!.rid, old: old?.relation, new: new?.relation))
        }
        diff.relations = relations.sorted { ($0.from, $0.to, $0.type) < ($1.from, $1.to, $1.type) }
        if let mentions = try publicMentions(graph, publicOnly: publicOnly) {
            for i in diff.actors.indices { diff.actors[i].mask(mentions) }
            for i in diff.relations.indices { diff.relations[i].mask(mentions) }
        }
        return diff
    }

    // MARK: Which changes are in effect

    /// Each change of the graph, newest first, with whether it is still in effect
    /// (no change in effect has undone it), whether it is a "do" (an edit, an
    /// import, or a redo: the undo of an undo) that an undo may revert, and whether
    /// any change ever undid it.
    func effects(_ graph: GraphRef) throws -> [(id: Int64, kind: String?, inEffect: Bool, isDo: Bool, everUndone: Bool)] {
        let changes = try Row.fetchAll(
            db, sql: "SELECT id, \(store.schema.time ? "kind" : "NULL") FROM changes WHERE graph_id = ? ORDER BY id",
            arguments: [graph.id])
        var reverts: [Int64: [Int64]] = [:]
        if store.schema.time {
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT r.change_id, r.reverted FROM change_reverts r JOIN changes c ON c.id = r.change_id WHERE c.graph_id = ?",
                arguments: [graph.id])
            {
                reverts[row[0], default: []].append(row[1])
            }
        }
        // Parity from the oldest: a revert of a "do" is an undo, a revert of an undo is a redo.
        var isDo: [Int64: Bool] = [:]
        for row in changes {
            let id: Int64 = row[0]
            if let undone = reverts[id]?.first { isDo[id] = !(isDo[undone] ?? true) } else { isDo[id] = true }
        }
        // In effect from the newest: undone by a change that is itself in effect, it is not.
        var undone = Set<Int64>()
        let everUndone = Set(reverts.values.joined())
        var out: [(id: Int64, kind: String?, inEffect: Bool, isDo: Bool, everUndone: Bool)] = []
        for row in changes.reversed() {
            let id: Int64 = row[0]
            let inEffect = !undone.contains(id)
            if inEffect { for reverted in reverts[id] ?? [] { undone.insert(reverted) } }
            out.append((id, row[1], inEffect, isDo[id] ?? true, everUndone.contains(id)))
        }
        return out
    }
}

/// What an undo did.
public struct UndoSummary: Sendable, Codable, Equatable {
    /// The new change set that carries the undo.
    public var change: ChangeSummary
    /// The change sets it reverted, newest first, with what each had done.
    public var undone: [ChangeRecord]
}

extension Store {
    /// Reverts change sets as one new change set; history is never rewritten.
    /// `ids` names them; otherwise the last `count` change sets still in effect that
    /// an undo may revert (edits, imports, redos), newest first. Reverting an undo
    /// redoes what it undid. Refuses, naming the later change, when a change made
    /// since depends on what would be undone.
    public func undo(in graph: String, ids: [Int64]?, count: Int, context: WriteContext) throws -> UndoSummary {
        var undone: [ChangeRecord] = []
        let summary = try writeGraph(graph, context: context, create: false, kind: "undo") { writer, _ in
            let db = writer.db
            let snapshot = StoreSnapshot(db: db, store: self)
            let ref = GraphRef(id: writer.graphID, name: graph)
            let log = Dictionary(uniqueKeysWithValues: try snapshot.changes(of: ref).map { ($0.id, $0) })
            let effects = try snapshot.effects(ref)
            var targets: [Int64]
            if let ids {
                for id in ids {
                    guard let record = log[id] else {
                        throw TramaError(
                            .notFound, "the graph `\(graph)` has no change \(id)", fields: ["graph": graph, "change": "\(id)"])
                    }
                    if record.kind == "erase" {
                        throw TramaError(
                            .undoConflict, "change \(id) erased personal data on request: an erasure cannot be undone",
                            fields: ["graph": graph, "change": "\(id)"])
                    }
                    if let effect = effects.first(where: { $0.id == id }), !effect.inEffect {
                        let by = effects.first { $0.inEffect && $0.id > id }.map { " (see change \($0.id))" } ?? ""
                        throw TramaError(
                            .undoConflict, "change \(id) is already undone\(by)", fields: ["graph": graph, "change": "\(id)"])
                    }
                }
                targets = ids.sorted(by: >)
            } else {
                // A change undone and redone is carried by its redo: the redo is what to undo.
                targets = effects.filter { $0.inEffect && $0.isDo && !$0.everUndone && $0.kind != "erase" }.prefix(count).map(\.id)
                if targets.isEmpty {
                    throw TramaError(.nothingToUndo, "there is nothing to undo in the graph `\(graph)`", fields: ["graph": graph])
                }
            }
            for id in targets { try revert(id, &writer, snapshot: snapshot, ref: ref, log: log) }
            try checkIntegrity(&writer, targets: targets, snapshot: snapshot, ref: ref, log: log)
            let change = try writer.change()
            for id in targets {
                try db.execute(sql: "INSERT INTO change_reverts (change_id, reverted) VALUES (?, ?)", arguments: [change, id])
            }
            undone = targets.compactMap { log[$0] }
            writer.summary.note =
                "undid " + undone.map { "change \($0.id) (\($0.summary))" }.joined(separator: ", ")
        }
        return UndoSummary(change: summary, undone: undone)
    }

    private func conflict(_ ids: [Int64], _ what: String, by later: Int64?, log: [Int64: ChangeRecord], graph: String) -> TramaError {
        let who = later.flatMap { log[$0] }.map { " by change \($0.id) (\($0.author), \($0.at): \($0.summary))" } ?? ""
        let named = ids.sorted().map(String.init)
        var fields = ["graph": graph, "change": named.joined(separator: ",")]
        if let later { fields["conflict"] = "\(later)" }
        let subject = named.count == 1 ? "change \(named[0]) cannot" : "changes \(named.joined(separator: ", ")) cannot"
        return TramaError(
            .undoConflict, "\(subject) be undone: \(what)\(who)\(later == nil ? "" : "; undo that change first")", fields: fields)
    }

    /// Puts every actor, relation and setting change `id` touched back as it was
    /// before it, if each still stands as `id` left it.
    private func revert(_ id: Int64, _ writer: inout GraphWriter, snapshot: StoreSnapshot, ref: GraphRef, log: [Int64: ChangeRecord]) throws
    {
        let db = writer.db
        // Actors.
        var before: [String: Actor] = [:]
        var after: [String: Actor] = [:]
        for row in try snapshot.actorRows(ref, where: "valid_to = ?", [id]) { before[row.value.id] = row.value }
        for row in try snapshot.actorRows(ref, where: "valid_from = ?", [id]) { after[row.value.id] = row.value }
        for actorID in Set(before.keys).union(after.keys).sorted() {
            let current = try currentActor(db, graphID: ref.id, actorID)
            guard current?.actor == after[actorID] else {
                let later =
                    try current.map { try Int64.fetchOne(db, sql: "SELECT valid_from FROM actors WHERE row = ?", arguments: [$0.row]) }
                    ?? Int64.fetchOne(
                        db, sql: "SELECT max(valid_to) FROM actors WHERE graph_id = ? AND id = ?", arguments: [ref.id, actorID])
                let what = current == nil ? "the actor `\(actorID)` was removed since" : "the actor `\(actorID)` was changed since"
                throw conflict([id], what, by: later ?? nil, log: log, graph: ref.name)
            }
            switch (current, before[actorID]) {
            case (let current?, let old?):
                try writer.put(old, current: current)
            case (let current?, nil):
                try writer.close(table: "actors", row: current.row)
                writer.summary.actorsRemoved += 1
            case (nil, let old?):
                try writer.put(old, current: nil)
            case (nil, nil): break
            }
        }
        // Relations, by key; one brought back keeps its id.
        var beforeRelations: [String: (rid: Int64, relation: Relation)] = [:]
        var afterRelations: [String: Relation] = [:]
        for row in try snapshot.relationRows(ref, where: "valid_to = ?", [id]) {
            beforeRelations[row.value.key] = (row.value.rid, row.value.relation)
        }
        for row in try snapshot.relationRows(ref, where: "valid_from = ?", [id]) { afterRelations[row.value.key] = row.value.relation }
        for key in Set(beforeRelations.keys).union(afterRelations.keys).sorted() {
            guard let relationKey = RelationKey(encoded: key) else { continue }
            let current = try currentRelation(db, graphID: ref.id, key: relationKey)
            guard current?.relation == afterRelations[key] else {
                let later =
                    try current.map { try Int64.fetchOne(db, sql: "SELECT valid_from FROM relations WHERE row = ?", arguments: [$0.row]) }
                    ?? Int64.fetchOne(
                        db, sql: "SELECT max(valid_to) FROM relations WHERE graph_id = ? AND key = ?", arguments: [ref.id, key])
                let what = "the relation \(relationKey) was \(current == nil ? "removed" : "changed") since"
                throw conflict([id], what, by: later ?? nil, log: log, graph: ref.name)
            }
            switch (current, beforeRelations[key]) {
            case (let current?, let old?):
                writer.summary.relation = try writer.put(
                    old.relation, key: key, current: (current.row, current.rid, Rows.fingerprint(current.relation)))
            case (let current?, nil):
                try writer.close(table: "relations", row: current.row)
                writer.summary.relationsRemoved += 1
            case (nil, let old?):
                writer.summary.relation = try writer.put(
                    old.relation, key: key, current: Optional<(row: Int64, rid: Int64, fingerprint: Int)>.none, rid: old.rid)
            case (nil, nil): break
            }
        }
        // Vocabulary and rules.
        guard settingsVersionedStore(db) else { return }
        for row in try Row.fetchAll(
            db, sql: "SELECT DISTINCT name FROM settings WHERE graph_id = ? AND (valid_from = ? OR valid_to = ?)",
            arguments: [ref.id, id, id])
        {
            let name: String = row[0]
            let old = try String.fetchOne(
                db, sql: "SELECT value FROM settings WHERE graph_id = ? AND name = ? AND valid_to = ?", arguments: [ref.id, name, id])
            let new = try String.fetchOne(
                db, sql: "SELECT value FROM settings WHERE graph_id = ? AND name = ? AND valid_from = ?", arguments: [ref.id, name, id])
            let current = try Row.fetchOne(
                db, sql: "SELECT value, valid_from FROM settings WHERE graph_id = ? AND name = ? AND valid_to IS NULL",
                arguments: [ref.id, name])
            guard (current?["value"] as String?) == new else {
                throw conflict([id], "the \(name) was changed since", by: current?["valid_from"], log: log, graph: ref.name)
            }
            if try writer.putSetting(name, old) { writer.summary.note = "\(name) restored" }
        }
    }

    private func settingsVersionedStore(_ db: Database) -> Bool { schema.versionedSettings }

    /// After an undo: every relation still has both its ends, and obeys its type's kind rules.
    private func checkIntegrity(
        _ writer: inout GraphWriter, targets: [Int64], snapshot: StoreSnapshot, ref: GraphRef, log: [Int64: ChangeRecord]
    ) throws {
        let db = writer.db
        guard let change = writer.changeID else { return }
        let orphan = try Row.fetchOne(
            db,
            sql: """
                SELECT r.source, r.target, r.type, r.valid_from FROM relations r
                WHERE r.graph_id = ? AND r.valid_to IS NULL
                  AND (NOT EXISTS (SELECT 1 FROM actors a WHERE a.graph_id = r.graph_id AND a.id = r.source AND a.valid_to IS NULL)
                    OR NOT EXISTS (SELECT 1 FROM actors a WHERE a.graph_id = r.graph_id AND a.id = r.target AND a.valid_to IS NULL))
                  AND (r.valid_from = ? OR r.source IN (SELECT id FROM actors WHERE graph_id = ? AND valid_to = ?)
                    OR r.target IN (SELECT id FROM actors WHERE graph_id = ? AND valid_to = ?))
                LIMIT 1
                """, arguments: [ref.id, change, ref.id, change, ref.id, change])
        if let orphan {
            let (source, target, type, made): (String, String, String, Int64) = (orphan[0], orphan[1], orphan[2], orphan[3])
            let relation = "\(source) -[\(type)]- \(target)"
            if made == change {
                // Brought back, but one of its ends is gone: the change that removed that actor.
                let missing =
                    try Int64.fetchOne(
                        db,
                        sql: "SELECT 1 FROM actors WHERE graph_id = ? AND id = ? AND valid_to IS NULL", arguments: [ref.id, source]) == nil
                    ? source : target
                let later = try Int64.fetchOne(
                    db, sql: "SELECT max(valid_to) FROM actors WHERE graph_id = ? AND id = ? AND valid_to < ?",
                    arguments: [ref.id, missing, change])
                throw conflict(
                    targets, "the relation \(relation) would come back without the actor `\(missing)`, removed",
                    by: later, log: log, graph: ref.name)
            }
            throw conflict(
                targets, "the relation \(relation) was added since and needs an actor this undo would remove", by: made,
                log: log, graph: ref.name)
        }
        // Kinds brought back must still fit the relations on them.
        let kindChanged = try String.fetchAll(
            db, sql: "SELECT id FROM actors WHERE graph_id = ? AND valid_from = ? AND valid_to IS NULL", arguments: [ref.id, change])
        try revalidate(db, graphID: ref.id, touching: kindChanged, vocabulary: try snapshot.vocabulary(of: ref))
    }
}

// MARK: Stable layouts

extension StoreSnapshot {
    /// The positions (points, by actor id) the last map of a view was drawn at.
    public func layout(_ graph: GraphRef, view key: String) throws -> [String: [Double]]? {
        guard store.schema.time,
            let text = try String.fetchOne(
                db, sql: "SELECT positions FROM layouts WHERE graph_id = ? AND view = ?", arguments: [graph.id, key])
        else { return nil }
        return try? JSONDecoder().decode([String: [Double]].self, from: Data(text.utf8))
    }
}

extension Store {
    /// Keeps the positions a map of a view was drawn at: a cache, not a change of the
    /// graph (no log entry). Those of actors the map did not show are kept too, for
    /// when they come back.
    public func keepLayout(_ positions: [String: [Double]], of graph: String, view key: String) throws {
        guard !positions.isEmpty else { return }
        try write { db in
            let snapshot = StoreSnapshot(db: db, store: self)
            guard let ref = try snapshot.graphIfExists(graph) else { return }
            var merged = try snapshot.layout(ref, view: key) ?? [:]
            merged.merge(positions) { _, new in new }
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try db.execute(
                sql: "INSERT OR REPLACE INTO layouts (graph_id, view, positions, saved_at) VALUES (?, ?, ?, ?)",
                arguments: [ref.id, key, String(decoding: try encoder.encode(merged), as: UTF8.self), Timestamp.string()])
            // A bounded cache: the views drawn least recently go first.
            try db.execute(
                sql: """
                    DELETE FROM layouts WHERE graph_id = ? AND view NOT IN
                      (SELECT view FROM layouts WHERE graph_id = ? ORDER BY saved_at DESC LIMIT ?)
                    """, arguments: [ref.id, ref.id, Self.keptLayouts])
        }
    }

    /// How many views' layouts a graph keeps.
    public static let keptLayouts = 200

    /// Whether this store can keep layouts without changing its schema.
    public var keepsLayouts: Bool { schema.time && FileManager.default.isWritableFile(atPath: path) }
}
