import Foundation
import GRDB
import TramaModel

/// What a write did.
public struct ChangeSummary: Sendable, Codable, Equatable, CustomStringConvertible {
    public var graph: String
    /// The change log entry, nil when nothing changed.
    public var change: Int64?
    public var createdGraph = false
    public var actorsAdded = 0, actorsUpdated = 0, actorsRemoved = 0, actorsUnchanged = 0
    public var relationsAdded = 0, relationsUpdated = 0, relationsRemoved = 0, relationsUnchanged = 0
    /// What a write that touches no actor or relation did (rules, vocabulary).
    public var note: String?
    /// The stable id of the relation a single-relation write touched.
    public var relation: Int64?
    /// True when nothing was written: what an import would do (`dry_run`).
    public var dryRun: Bool?
    /// Edits made since the graph's last import that this import reverts (or would).
    public var revertedEdits: [RevertedEdit]?
    /// Each actor and relation the write touched, when asked for.
    public var detail: ChangeDetail?
    /// What an import took as written but may be a slip (see ``ImportBatch/warnings``).
    public var warnings: [String]?

    public init(graph: String) { self.graph = graph }

    enum CodingKeys: String, CodingKey {
        case graph, change
        case createdGraph = "created_graph"
        case actorsAdded = "actors_added"
        case actorsUpdated = "actors_updated"
        case actorsRemoved = "actors_removed"
        case actorsUnchanged = "actors_unchanged"
        case relationsAdded = "relations_added"
        case relationsUpdated = "relations_updated"
        case relationsRemoved = "relations_removed"
        case relationsUnchanged = "relations_unchanged"
        case note, relation
        case dryRun = "dry_run"
        case revertedEdits = "reverted_edits"
        case detail
        case warnings
    }

    public var description: String {
        func part(_ n: Int, _ noun: String, _ verb: String) -> String? { n == 0 ? nil : "\(n) \(noun)\(n == 1 ? "" : "s") \(verb)" }
        let parts = [
            part(actorsAdded, "actor", "added"), part(actorsUpdated, "actor", "updated"), part(actorsRemoved, "actor", "removed"),
            part(relationsAdded, "relation", "added"), part(relationsUpdated, "relation", "updated"),
            part(relationsRemoved, "relation", "removed"),
        ].compactMap { $0 }
        let unchanged = actorsUnchanged + relationsUnchanged
        var text = parts.isEmpty ? (note ?? "nothing changed") : parts.joined(separator: ", ")
        if unchanged > 0 { text += " (\(unchanged) already up to date)" }
        return text
    }
}

/// An edit made since the graph's last import that an import puts back as the
/// sheet has it: a changed field, or an actor or relation removed since.
public struct RevertedEdit: Sendable, Codable, Equatable {
    /// `actor` or `relation`.
    public var item: String
    /// The actor's id, or the relation as `from -[type]- to`.
    public var id: String
    /// The edit: `changed` or `removed`.
    public var action: String
    /// The change that made the edit.
    public var change: Int64
    public var author: String
    public var at: String
    /// For a changed item: each field, the edited value (`old`) and the sheet's (`new`).
    public var fields: [FieldChange]
}

/// How an import runs.
public struct ImportOptions: Sendable, Hashable {
    /// Work out what the import would do, write nothing.
    public var dryRun = false
    /// Refuse an import that would revert edits made since the last import.
    public var strict = false
    /// List each actor and relation touched, at most this many of each (nil: no list).
    public var detailLimit: Int?? = .none

    public init(dryRun: Bool = false, strict: Bool = false, detailLimit: Int?? = .none) {
        self.dryRun = dryRun
        self.strict = strict
        self.detailLimit = detailLimit
    }
}

/// Unwinds the transaction of a dry run, carrying what it would have done.
struct DryRun: Error {
    var summary: ChangeSummary
}

/// Who writes and why: recorded with every change.
public struct WriteContext: Sendable {
    public var author: String
    public var command: String

    public init(author: String, command: String) {
        self.author = author
        self.command = command
    }
}

/// The writes of one transaction on one graph. The change-log row is made on
/// the first real modification, so a no-op leaves no entry. It remembers the
/// rows it inserts and closes, so the graph's image can be patched at the end
/// instead of rebuilt.
struct GraphWriter {
    let db: Database
    let graphID: Int64
    let context: WriteContext
    /// What kind of change this is in the log: `edit`, `import` or `undo`.
    var kind = "edit"
    var summary: ChangeSummary
    private(set) var changeID: Int64?
    private var insertActor: Statement?
    private var insertRelation: Statement?

    /// Above this many rows touched, the image is rebuilt from the rows rather than
    /// patched (and the rows stop being remembered): a bound on what a write holds.
    static let patchLimit = 5_000_000
    private(set) var contentChanged = false
    private(set) var deltaOverflow = false
    private(set) var addedActors: [GraphImage.NewActor] = []
    private(set) var removedActors: Set<Int64> = []
    private(set) var addedRelations: [GraphImage.NewRelation] = []
    private(set) var removedRelations: Set<Int64> = []

    init(db: Database, graphID: Int64, graph: String, context: WriteContext) {
        self.db = db
        self.graphID = graphID
        self.context = context
        self.summary = ChangeSummary(graph: graph)
    }

    mutating func change() throws -> Int64 {
        if let changeID { return changeID }
        try db.execute(
            sql: "INSERT INTO changes (graph_id, at, author, command, kind) VALUES (?, ?, ?, ?, ?)",
            arguments: [graphID, Timestamp.string(), context.author, context.command, kind])
        changeID = db.lastInsertedRowID
        return changeID!
    }

    private mutating func noteDelta() -> Bool {
        contentChanged = true
        guard !deltaOverflow else { return false }
        if addedActors.count + removedActors.count + addedRelations.count + removedRelations.count >= Self.patchLimit {
            deltaOverflow = true
            addedActors = []
            removedActors = []
            addedRelations = []
            removedRelations = []
            return false
        }
        return true
    }

    /// Room for the rows a bulk write will remember.
    mutating func expect(relations count: Int) {
        if count < Self.patchLimit { addedRelations.reserveCapacity(addedRelations.count + count) }
    }

    /// Inserts or replaces an actor. `current` is the stored version, if any.
    mutating func put(_ actor: Actor, current: (row: Int64, actor: Actor)?) throws {
        if let current {
            if current.actor == actor {
                summary.actorsUnchanged += 1
                return
            }
            try close(table: "actors", row: current.row)
            summary.actorsUpdated += 1
        } else {
            summary.actorsAdded += 1
        }
        let change = try change()
        if insertActor == nil {
            insertActor = try db.makeStatement(
                sql: "INSERT INTO actors (graph_id, valid_from, \(Rows.actorColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        }
        var row = BulkInsert(insertActor!, db: db)
        row.bind(graphID)
        row.bind(change)
        Rows.bind(actor, to: &row)
        try row.step()
        if noteDelta() {
            addedActors.append(
                GraphImage.NewActor(
                    row: db.lastInsertedRowID, id: actor.id, name: actor.name, kind: actor.kind,
                    territory: actor.territory?.path, isPrivate: actor.isPrivate))
        }
    }

    /// Inserts or replaces a relation under `key` (``RelationKey/encoded``).
    /// Returns the relation's stable id.
    @discardableResult
    mutating func put(_ relation: Relation, key: String, current: (row: Int64, rid: Int64, relation: Relation)?) throws -> Int64 {
        try put(relation, key: key, current: current.map { ($0.row, $0.rid, Rows.fingerprint($0.relation)) })
    }

    /// As above, with the stored row known by its ``Fingerprint``.
    /// `rid` gives a relation brought back by an undo its old id.
    @discardableResult
    mutating func put(_ relation: Relation, key: String, current: (row: Int64, rid: Int64, fingerprint: Int)?, rid: Int64? = nil) throws
        -> Int64
    {
        if let current {
            if current.fingerprint == Rows.fingerprint(relation) {
                summary.relationsUnchanged += 1
                return current.rid
            }
            try close(table: "relations", row: current.row)
            summary.relationsUpdated += 1
        } else {
            summary.relationsAdded += 1
        }
        let change = try change()
        if insertRelation == nil {
            insertRelation = try db.makeStatement(
                sql:
                    "INSERT INTO relations (graph_id, valid_from, rid, key, \(Rows.relationColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
        }
        var row = BulkInsert(insertRelation!, db: db)
        row.bind(graphID)
        row.bind(change)
        // A relation's id is its first row: a new relation leaves `rid` empty.
        if let id = rid ?? current?.rid { row.bind(id) } else { row.bind(nil as String?) }
        row.bind(key)
        Rows.bind(relation, to: &row)
        try row.step()
        let inserted = db.lastInsertedRowID
        if noteDelta() {
            addedRelations.append(
                GraphImage.NewRelation(
                    row: inserted, source: relation.source, target: relation.target, type: relation.type,
                    strength: relation.strength, status: relation.status, isPrivate: relation.isPrivate))
        }
        return rid ?? current?.rid ?? inserted
    }

    /// Ends a row's validity at this change; the row itself stays for history.
    mutating func close(table: String, row: Int64) throws {
        let change = try change()
        try db.execute(sql: "UPDATE \(table) SET valid_to = ? WHERE row = ?", arguments: [change, row])
        guard table != "settings", noteDelta() else { return }
        if table == "actors" { removedActors.insert(row) } else { removedRelations.insert(row) }
    }

    /// Sets a versioned setting (`vocabulary`, `rules`; nil: back to the default).
    /// Returns false when it already had that value.
    mutating func putSetting(_ name: String, _ value: String?) throws -> Bool {
        let current = try Row.fetchOne(
            db, sql: "SELECT row, value FROM settings WHERE graph_id = ? AND name = ? AND valid_to IS NULL",
            arguments: [graphID, name])
        if (current?["value"] as String?) == value && (current != nil || value == nil) { return false }
        if let current { try close(table: "settings", row: current["row"]) }
        let change = try change()
        try db.execute(
            sql: "INSERT INTO settings (graph_id, name, value, valid_from) VALUES (?, ?, ?, ?)",
            arguments: [graphID, name, value, change])
        return true
    }

    /// Writes the summary into the change log, and the graph's image when its
    /// actors or relations changed.
    func finish() throws {
        guard let changeID else { return }
        try db.execute(sql: "UPDATE changes SET summary = ? WHERE id = ?", arguments: [summary.description, changeID])
        guard contentChanged else { return }
        // A graph made by this write starts from an empty image; one stored by an
        // earlier Trama, without an image, is read from its rows once.
        if !deltaOverflow, let previous = summary.createdGraph ? GraphImage() : try GraphImage.load(db, graphID: graphID) {
            let image = previous.patched(
                removedActors: removedActors, addedActors: addedActors, removedRelations: removedRelations,
                addedRelations: addedRelations)
            Profile.mark("patch the graph's image")
            try image.save(db, graphID: graphID, change: changeID)
            Profile.mark("save the graph's image")
        } else {
            try GraphImage.build(db, graphID: graphID).save(db, graphID: graphID, change: changeID)
        }
    }
}

extension Store {
    /// Runs `body` in one transaction on `graph`: all of it lands or none of it.
    func writeGraph(
        _ graph: String, context: WriteContext, create: Bool, kind: String = "edit",
        _ body: (inout GraphWriter, Vocabulary) throws -> Void
    ) throws -> ChangeSummary {
        try Self.checkGraphName(graph)
        return try write { db in
            let snapshot = StoreSnapshot(db: db, store: self)
            var created = false
            var id = try snapshot.graphIfExists(graph)?.id
            if id == nil {
                guard create else { throw try snapshot.missingGraph(graph) }
                try db.execute(sql: "INSERT INTO graphs (name, created_at) VALUES (?, ?)", arguments: [graph, Timestamp.string()])
                id = db.lastInsertedRowID
                created = true
            }
            var writer = GraphWriter(db: db, graphID: id!, graph: graph, context: context)
            writer.kind = kind
            writer.summary.createdGraph = created
            try body(&writer, try snapshot.vocabulary(of: GraphRef(id: id!, name: graph)))
            try writer.finish()
            var summary = writer.summary
            summary.change = writer.changeID
            return summary
        }
    }

    func lookup(_ db: Database, graphID: Int64) -> ActorLookup {
        ActorLookup(
            kind: { id in
                try? String.fetchOne(
                    db, sql: "SELECT kind FROM actors WHERE graph_id = ? AND id = ? AND valid_to IS NULL",
                    arguments: [graphID, id])
            },
            idNamed: { name in
                try? String.fetchOne(
                    db,
                    sql: "SELECT id FROM actors WHERE graph_id = ? AND valid_to IS NULL AND name = ? COLLATE NOCASE ORDER BY id LIMIT 1",
                    arguments: [graphID, name])
            })
    }

    func currentActor(_ db: Database, graphID: Int64, _ actorID: String) throws -> (row: Int64, actor: Actor)? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT row, \(Rows.actorColumns) FROM actors WHERE graph_id = ? AND id = ? AND valid_to IS NULL",
                arguments: [graphID, actorID])
        else { return nil }
        return (row[0], Rows.actor(row, offset: 1))
    }

    func currentRelation(_ db: Database, graphID: Int64, key: RelationKey) throws -> (row: Int64, rid: Int64, relation: Relation)? {
        guard
            let row = try Row.fetchOne(
                db,
                sql:
                    "SELECT row, coalesce(rid, row), \(Rows.relationColumns) FROM relations WHERE graph_id = ? AND key = ? AND valid_to IS NULL",
                arguments: [graphID, key.encoded])
        else { return nil }
        return (row[0], row[1], Rows.relation(row, offset: 2))
    }

    func missingActor(_ id: String, _ graph: String) -> TramaError {
        TramaError(.notFound, "there is no actor `\(id)` in the graph `\(graph)`", fields: ["graph": graph, "actor": id])
    }

    func missingRelation(_ key: RelationKey, _ graph: String) -> TramaError {
        TramaError(
            .notFound, "there is no relation \(key) in the graph `\(graph)`",
            fields: ["graph": graph, "from": key.source, "to": key.target, "type": key.type])
    }

    /// Imports a batch: adds new actors and relations, updates those whose id
    /// (or ends and type) already exist, leaves identical ones alone. Everything
    /// is validated first; one bad row and nothing is written.
    /// - Complexity: O(stored + imported rows).
    public func importBatch(
        _ batch: consuming ImportBatch, into graph: String, context: WriteContext, options: ImportOptions = ImportOptions()
    ) throws -> ChangeSummary {
        var batch = batch
        var reverted: [RevertedEdit] = []
        var detail: ChangeDetail?
        do {
            var summary = try writeGraph(graph, context: context, create: true, kind: "import") { writer, storedVocabulary in
                try importRows(&batch, &writer, storedVocabulary, reverted: &reverted)
                if options.strict, !reverted.isEmpty {
                    throw TramaError(
                        .revertsEdits,
                        "the import would revert \(reverted.count) edit\(reverted.count == 1 ? "" : "s") made since the graph's last import: "
                            + reverted.prefix(5).map { "\($0.item) \($0.id) (\($0.action) by change \($0.change), \($0.author))" }.joined(
                                separator: "; ")
                            + (reverted.count > 5 ? "; …" : "") + "; nothing was imported",
                        fields: ["graph": graph, "count": "\(reverted.count)"])
                }
                if case .some(let limit) = options.detailLimit, let change = writer.changeID {
                    let snapshot = StoreSnapshot(db: writer.db, store: self)
                    let record = ChangeRecord(
                        id: change, at: Timestamp.string(), author: context.author, command: context.command,
                        summary: writer.summary.description, kind: "import")
                    detail = try snapshot.detail(
                        of: record, in: GraphRef(id: writer.graphID, name: graph), limit: limit, publicOnly: false)
                }
                if options.dryRun {
                    var summary = writer.summary
                    summary.dryRun = true
                    throw DryRun(summary: summary)
                }
            }
            summary.revertedEdits = reverted.isEmpty ? nil : reverted
            summary.detail = detail
            return summary
        } catch let dry as DryRun {
            var summary = dry.summary
            summary.revertedEdits = reverted.isEmpty ? nil : reverted
            summary.detail = detail
            detail?.id = 0
            summary.detail?.id = 0
            return summary
        }
    }

    private func importRows(
        _ batch: inout ImportBatch, _ writer: inout GraphWriter, _ storedVocabulary: Vocabulary, reverted: inout [RevertedEdit]
    ) throws {
        do {
            var vocabulary = storedVocabulary
            if !batch.vocabulary.isEmpty {
                for kind in batch.vocabulary.kinds { try vocabulary.add(kind: kind) }
                for type in batch.vocabulary.relationTypes { try vocabulary.add(relationType: type) }
                try saveVocabulary(&writer, vocabulary)
            }
            let db = writer.db
            let graphID = writer.graphID
            // The graph as stored, to compare against and to resolve references.
            var storedActors: [String: (row: Int64, actor: Actor)] = [:]
            let actorRows = try Row.fetchCursor(
                db, sql: "SELECT row, \(Rows.actorColumns) FROM actors WHERE graph_id = ? AND valid_to IS NULL",
                arguments: [graphID])
            while let row = try actorRows.next() {
                let actor = Rows.actor(row, offset: 1)
                storedActors[actor.id] = (row[0], actor)
            }
            var byName: [String: String] = [:]
            for (id, entry) in storedActors where byName[entry.actor.name.lowercased()] == nil {
                byName[entry.actor.name.lowercased()] = id
            }
            Profile.mark("load \(storedActors.count) stored actors")
            let edits = try editsSinceLastImport(db, graphID: graphID)
            var found: [RevertedEdit] = []
            // The actors are written while the relations are checked on other cores;
            // if any check fails the transaction rolls back.
            var kindChanged: [String] = []
            let stored = storedActors
            try batch.resolve(
                vocabulary: vocabulary,
                lookup: ActorLookup(
                    kind: { stored[$0]?.actor.kind }, idNamed: { byName[$0.lowercased()] }, isThreadSafe: true)
            ) { actors in
                for located in actors {
                    let actor = located.value
                    let current = stored[actor.id]
                    if let current, current.actor.kind != actor.kind { kindChanged.append(actor.id) }
                    if let edits {
                        if let current, current.actor != actor, let change = edits.actors[actor.id] {
                            found.append(try edits.edit("actor", actor.id, "changed", change, actor.fieldChanges(from: current.actor)))
                        } else if current == nil, let change = edits.removedActors[actor.id] {
                            found.append(try edits.edit("actor", actor.id, "removed", change, []))
                        }
                    }
                    try writer.put(actor, current: current)
                }
            }
            Profile.mark("check relations, write \(batch.actors.count) actors")
            var storedRelations: [String: (row: Int64, rid: Int64, fingerprint: Int)] = [:]
            if !batch.relations.isEmpty {
                let rows = try Row.fetchCursor(
                    db,
                    sql:
                        "SELECT row, coalesce(rid, row), key, \(Rows.relationColumns) FROM relations WHERE graph_id = ? AND valid_to IS NULL",
                    arguments: [graphID])
                while let row = try rows.next() {
                    storedRelations[row[2]] = (row[0], row[1], Rows.relationFingerprint(row, offset: 3))
                }
            }
            // In key order, the unique index on keys grows at its end instead of
            // taking random inserts: far fewer pages to read back.
            writer.expect(relations: batch.relations.count)
            for index in batch.relationOrder {
                let key = batch.relationKeys[index]
                let relation = batch.relations[index].value
                if let edits {
                    let current = storedRelations[key]
                    if let current, let change = edits.relations[key], current.fingerprint != Rows.fingerprint(relation) {
                        let row = try Row.fetchOne(
                            db, sql: "SELECT \(Rows.relationColumns) FROM relations WHERE row = ?", arguments: [current.row])
                        let fields = row.map { relation.fieldChanges(from: Rows.relation($0)) } ?? []
                        found.append(try edits.edit("relation", relation.key(directed: true).description, "changed", change, fields))
                    } else if current == nil, let change = edits.removedRelations[key] {
                        found.append(try edits.edit("relation", relation.key(directed: true).description, "removed", change, []))
                    }
                }
                try writer.put(relation, key: key, current: storedRelations[key])
            }
            reverted = found
            Profile.mark("write \(batch.relations.count) relations")
            try revalidate(db, graphID: graphID, touching: kindChanged, vocabulary: vocabulary)
            // The batch is written: let it go before the graph's image is made.
            batch = ImportBatch()
            storedRelations = [:]
        }
    }

    /// What was edited (or removed) by hand since the graph's last import, by id
    /// and relation key, with the change that did it; nil when it was never imported.
    struct EditsSinceImport {
        let db: Database
        var actors: [String: Int64] = [:]
        var removedActors: [String: Int64] = [:]
        var relations: [String: Int64] = [:]
        var removedRelations: [String: Int64] = [:]

        func edit(_ item: String, _ id: String, _ action: String, _ change: Int64, _ fields: [FieldChange]) throws -> RevertedEdit {
            let row = try Row.fetchOne(db, sql: "SELECT author, at FROM changes WHERE id = ?", arguments: [change])
            return RevertedEdit(
                item: item, id: id, action: action, change: change, author: row?[0] ?? "", at: row?[1] ?? "", fields: fields)
        }
    }

    func editsSinceLastImport(_ db: Database, graphID: Int64) throws -> EditsSinceImport? {
        guard
            let last = try Int64.fetchOne(
                db, sql: "SELECT max(id) FROM changes WHERE graph_id = ? AND kind = 'import'", arguments: [graphID])
        else { return nil }
        var edits = EditsSinceImport(db: db)
        for (table, column) in [("actors", "id"), ("relations", "key")] {
            let current = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.\(column), t.valid_from FROM \(table) t JOIN changes c ON c.id = t.valid_from
                    WHERE t.graph_id = ? AND t.valid_to IS NULL AND t.valid_from > ? AND coalesce(c.kind, 'edit') != 'import'
                    """, arguments: [graphID, last])
            let removed = try Row.fetchAll(
                db,
                sql: """
                    SELECT t.\(column), max(t.valid_to) FROM \(table) t
                    WHERE t.graph_id = ? AND t.valid_to > ?
                      AND NOT EXISTS (SELECT 1 FROM \(table) n WHERE n.graph_id = t.graph_id AND n.\(column) = t.\(column) AND n.valid_to IS NULL)
                    GROUP BY t.\(column)
                    """, arguments: [graphID, last])
            let edited = Dictionary(current.map { ($0[0] as String, $0[1] as Int64) }, uniquingKeysWith: max)
            let gone = Dictionary(removed.map { ($0[0] as String, $0[1] as Int64) }, uniquingKeysWith: max)
            if table == "actors" {
                (edits.actors, edits.removedActors) = (edited, gone)
            } else {
                (edits.relations, edits.removedRelations) = (edited, gone)
            }
        }
        return edits
    }

    /// After actors change kind, the relations already stored on them must still obey their types' kind rules.
    func revalidate(_ db: Database, graphID: Int64, touching ids: [String], vocabulary: Vocabulary) throws {
        guard !ids.isEmpty else { return }
        let validator = Validator(vocabulary: vocabulary)
        let lookup = lookup(db, graphID: graphID)
        var errors: [TramaError] = []
        for id in ids {
            for row in try Row.fetchAll(
                db,
                sql: "SELECT \(Rows.relationColumns) FROM relations WHERE graph_id = ? AND valid_to IS NULL AND (source = ? OR target = ?)",
                arguments: [graphID, id, id])
            {
                let relation = Rows.relation(row)
                for error in validator.check(relation, kindOf: lookup.kind) {
                    errors.append(
                        TramaError(
                            error.code,
                            "changing the kind of `\(id)` breaks the stored relation \(relation.source) -[\(relation.type)]- \(relation.target): \(error.message)",
                            fields: ["actor": id]))
                }
            }
        }
        if !errors.isEmpty { throw TramaErrors(errors) }
    }

    func saveVocabulary(_ writer: inout GraphWriter, _ vocabulary: Vocabulary) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(vocabulary.extensions), as: UTF8.self)
        if try writer.putSetting("vocabulary", vocabulary.extensions.isEmpty ? nil : text) {
            writer.summary.note = "vocabulary extended"
        }
    }

    /// Adds one actor; refuses an id that is already taken.
    public func addActor(_ actor: Actor, to graph: String, context: WriteContext) throws -> ChangeSummary {
        try addActor(to: graph, context: context) { _ in actor }
    }

    /// Adds the actor `make` builds with the graph's vocabulary, in the same transaction.
    public func addActor(to graph: String, context: WriteContext, _ make: (Vocabulary) throws -> Actor) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: true) { writer, vocabulary in
            let actor = try make(vocabulary)
            if try currentActor(writer.db, graphID: writer.graphID, actor.id) != nil {
                throw TramaError(.conflict, "the actor `\(actor.id)` already exists", fields: ["graph": graph, "actor": actor.id])
            }
            let errors = Validator(vocabulary: vocabulary).check(actor)
            if !errors.isEmpty { throw TramaErrors(errors) }
            try writer.put(actor, current: nil)
        }
    }

    /// Changes one actor through `modify` (given the graph's vocabulary), then
    /// validates it and its relations.
    public func updateActor(
        _ id: String, in graph: String, context: WriteContext,
        _ modify: (inout Actor, Vocabulary) throws -> Void
    ) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, vocabulary in
            guard let current = try currentActor(writer.db, graphID: writer.graphID, id) else { throw missingActor(id, graph) }
            var actor = current.actor
            try modify(&actor, vocabulary)
            actor.id = id
            let errors = Validator(vocabulary: vocabulary).check(actor)
            if !errors.isEmpty { throw TramaErrors(errors) }
            try writer.put(actor, current: current)
            if actor.kind != current.actor.kind {
                try revalidate(writer.db, graphID: writer.graphID, touching: [id], vocabulary: vocabulary)
            }
        }
    }

    /// As above, without the vocabulary.
    public func updateActor(
        _ id: String, in graph: String, context: WriteContext,
        _ modify: (inout Actor) throws -> Void
    ) throws -> ChangeSummary {
        try updateActor(id, in: graph, context: context) { actor, _ in try modify(&actor) }
    }

    /// Removes an actor. With relations still on it, `cascade` must be true and they go too.
    public func removeActor(_ id: String, from graph: String, cascade: Bool, context: WriteContext) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, _ in
            guard let current = try currentActor(writer.db, graphID: writer.graphID, id) else { throw missingActor(id, graph) }
            let rows = try Int64.fetchAll(
                writer.db, sql: "SELECT row FROM relations WHERE graph_id = ? AND valid_to IS NULL AND (source = ? OR target = ?)",
                arguments: [writer.graphID, id, id])
            if !rows.isEmpty && !cascade {
                throw TramaError(
                    .hasRelations, "`\(id)` still has \(rows.count) relation\(rows.count == 1 ? "" : "s")",
                    fields: ["graph": graph, "actor": id, "count": "\(rows.count)"])
            }
            for row in rows {
                try writer.close(table: "relations", row: row)
                writer.summary.relationsRemoved += 1
            }
            try writer.close(table: "actors", row: current.row)
            writer.summary.actorsRemoved += 1
        }
    }

    /// Adds one relation; refuses one that already exists (same ends and type).
    public func addRelation(_ relation: Relation, to graph: String, context: WriteContext) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, vocabulary in
            var relation = relation
            if let type = vocabulary.resolveRelationType(relation.type) { relation.type = type }
            var batch = ImportBatch()
            batch.relations = [Located(relation, at: nil)]
            let resolved = try batch.resolved(vocabulary: vocabulary, lookup: lookup(writer.db, graphID: writer.graphID)).relations[0]
            let key = resolved.key(directed: vocabulary.relationTypes[resolved.type]?.directed ?? true)
            if let existing = try currentRelation(writer.db, graphID: writer.graphID, key: key) {
                throw TramaError(
                    .conflict, "the relation \(key) already exists",
                    fields: ["graph": graph, "relation": "\(existing.rid)"])
            }
            writer.summary.relation = try writer.put(
                resolved, key: key.encoded, current: Optional<(row: Int64, rid: Int64, fingerprint: Int)>.none)
        }
    }

    /// Changes the relation `source -[type]- target` through `modify` (its ends and type stay).
    public func updateRelation(
        source: String, target: String, type: String, in graph: String, context: WriteContext,
        _ modify: (inout Relation) throws -> Void
    ) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, vocabulary in
            let key = try relationKey(source: source, target: target, type: type, vocabulary: vocabulary)
            guard let current = try currentRelation(writer.db, graphID: writer.graphID, key: key) else { throw missingRelation(key, graph) }
            try update(&writer, current, key: key, vocabulary: vocabulary, modify)
        }
    }

    /// Changes the relation whose stable id is `id` through `modify`.
    public func updateRelation(
        id: Int64, in graph: String, context: WriteContext,
        _ modify: (inout Relation) throws -> Void
    ) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, vocabulary in
            let (key, current) = try relationByID(writer.db, id, graphID: writer.graphID, graph: graph)
            try update(&writer, current, key: key, vocabulary: vocabulary, modify)
        }
    }

    private func update(
        _ writer: inout GraphWriter, _ current: (row: Int64, rid: Int64, relation: Relation), key: RelationKey,
        vocabulary: Vocabulary, _ modify: (inout Relation) throws -> Void
    ) throws {
        var relation = current.relation
        try modify(&relation)
        (relation.source, relation.target, relation.type) = (current.relation.source, current.relation.target, current.relation.type)
        let errors = Validator(vocabulary: vocabulary).check(relation, kindOf: lookup(writer.db, graphID: writer.graphID).kind)
        if !errors.isEmpty { throw TramaErrors(errors) }
        writer.summary.relation = try writer.put(relation, key: key.encoded, current: current)
    }

    /// The current relation with stable id `id`, and its key.
    private func relationByID(_ db: Database, _ id: Int64, graphID: Int64, graph: String) throws
        -> (RelationKey, (row: Int64, rid: Int64, relation: Relation))
    {
        let missing = TramaError(
            .notFound, "there is no relation \(id) in the graph `\(graph)`", fields: ["graph": graph, "relation": "\(id)"])
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT source, target, type, key FROM relations WHERE row = ? AND graph_id = ?",
                arguments: [id, graphID])
        else { throw missing }
        // The stored key: an undirected relation's has its ends in order, whatever its from and to.
        guard let key = RelationKey(encoded: row[3]), let current = try currentRelation(db, graphID: graphID, key: key), current.rid == id
        else {
            throw missing
        }
        return (key, current)
    }

    /// Removes the relation `source -[type]- target`.
    public func removeRelation(source: String, target: String, type: String, from graph: String, context: WriteContext) throws
        -> ChangeSummary
    {
        try writeGraph(graph, context: context, create: false) { writer, vocabulary in
            let key = try relationKey(source: source, target: target, type: type, vocabulary: vocabulary)
            guard let current = try currentRelation(writer.db, graphID: writer.graphID, key: key) else { throw missingRelation(key, graph) }
            try writer.close(table: "relations", row: current.row)
            writer.summary.relationsRemoved += 1
            writer.summary.relation = current.rid
        }
    }

    /// Removes the relation whose stable id is `id`.
    public func removeRelation(id: Int64, from graph: String, context: WriteContext) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, _ in
            let (_, current) = try relationByID(writer.db, id, graphID: writer.graphID, graph: graph)
            try writer.close(table: "relations", row: current.row)
            writer.summary.relationsRemoved += 1
            writer.summary.relation = id
        }
    }

    func relationKey(source: String, target: String, type: String, vocabulary: Vocabulary) throws -> RelationKey {
        guard let resolved = vocabulary.resolveRelationType(type), let definition = vocabulary.relationTypes[resolved] else {
            throw TramaError(
                .unknownRelationType, "unknown relation type `\(type)`: use one of \(vocabulary.relationTypeNames.joined(separator: ", "))",
                fields: ["field": "type", "value": type])
        }
        return Relation(source: source, target: target, type: resolved).key(directed: definition.directed)
    }

    /// Adds kinds or relation types to a graph's vocabulary, as a new version.
    @discardableResult
    public func extendVocabulary(of graph: String, context: WriteContext, _ modify: (inout Vocabulary) throws -> Void) throws
        -> ChangeSummary
    {
        try writeGraph(graph, context: context, create: true) { writer, vocabulary in
            var vocabulary = vocabulary
            try modify(&vocabulary)
            try saveVocabulary(&writer, vocabulary)
        }
    }
}
