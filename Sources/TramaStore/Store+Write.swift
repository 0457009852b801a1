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

    public init(graph: String) { self.graph = graph }

    enum CodingKeys: String, CodingKey {
        case graph, change, createdGraph = "created_graph"
        case actorsAdded = "actors_added", actorsUpdated = "actors_updated", actorsRemoved = "actors_removed", actorsUnchanged = "actors_unchanged"
        case relationsAdded = "relations_added", relationsUpdated = "relations_updated", relationsRemoved = "relations_removed"
        case relationsUnchanged = "relations_unchanged", note
    }

    public var description: String {
        func part(_ n: Int, _ noun: String, _ verb: String) -> String? { n == 0 ? nil : "\(n) \(noun)\(n == 1 ? "" : "s") \(verb)" }
        let parts = [part(actorsAdded, "actor", "added"), part(actorsUpdated, "actor", "updated"), part(actorsRemoved, "actor", "removed"),
                     part(relationsAdded, "relation", "added"), part(relationsUpdated, "relation", "updated"),
                     part(relationsRemoved, "relation", "removed")].compactMap { $0 }
        let unchanged = actorsUnchanged + relationsUnchanged
        var text = parts.isEmpty ? (note ?? "nothing changed") : parts.joined(separator: ", ")
        if unchanged > 0 { text += " (\(unchanged) already up to date)" }
        return text
    }
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
/// the first real modification, so a no-op leaves no entry.
struct GraphWriter {
    let db: Database
    let graphID: Int64
    let context: WriteContext
    var summary: ChangeSummary
    private(set) var changeID: Int64?
    private var insertActor: Statement?
    private var insertRelation: Statement?

    init(db: Database, graphID: Int64, graph: String, context: WriteContext) {
        self.db = db
        self.graphID = graphID
        self.context = context
        self.summary = ChangeSummary(graph: graph)
    }

    mutating func change() throws -> Int64 {
        if let changeID { return changeID }
        try db.execute(sql: "INSERT INTO changes (graph_id, at, author, command) VALUES (?, ?, ?, ?)",
                       arguments: [graphID, Rows.timestamp(), context.author, context.command])
        changeID = db.lastInsertedRowID
        return changeID!
    }

    /// Inserts or replaces an actor. `current` is the stored version, if any.
    mutating func put(_ actor: Actor, current: (row: Int64, actor: Actor)?) throws {
        if let current {
            if current.actor == actor { summary.actorsUnchanged += 1; return }
            try close(table: "actors", row: current.row)
            summary.actorsUpdated += 1
        } else {
            summary.actorsAdded += 1
        }
        let change = try change()
        if insertActor == nil {
            insertActor = try db.makeStatement(sql: "INSERT INTO actors (graph_id, valid_from, \(Rows.actorColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        }
        var row = BulkInsert(insertActor!, db: db)
        row.bind(graphID)
        row.bind(change)
        Rows.bind(actor, to: &row)
        try row.step()
    }

    /// Inserts or replaces a relation under `key` (``RelationKey/encoded``).
    mutating func put(_ relation: Relation, key: String, current: (row: Int64, relation: Relation)?) throws {
        try put(relation, key: key, current: current.map { ($0.row, Rows.fingerprint($0.relation)) })
    }

    /// As above, with the stored row known by its ``Fingerprint``.
    mutating func put(_ relation: Relation, key: String, current: (row: Int64, fingerprint: Int)?) throws {
        if let current {
            if current.fingerprint == Rows.fingerprint(relation) { summary.relationsUnchanged += 1; return }
            try close(table: "relations", row: current.row)
            summary.relationsUpdated += 1
        } else {
            summary.relationsAdded += 1
        }
        let change = try change()
        if insertRelation == nil {
            insertRelation = try db.makeStatement(sql: "INSERT INTO relations (graph_id, valid_from, key, \(Rows.relationColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        }
        var row = BulkInsert(insertRelation!, db: db)
        row.bind(graphID)
        row.bind(change)
        row.bind(key)
        Rows.bind(relation, to: &row)
        try row.step()
    }

    /// Ends a row's validity at this change; the row itself stays for history.
    mutating func close(table: String, row: Int64) throws {
        let change = try change()
        try db.execute(sql: "UPDATE \(table) SET valid_to = ? WHERE row = ?", arguments: [change, row])
    }

    /// Writes the summary into the change log.
    func finish() throws {
        guard let changeID else { return }
        try db.execute(sql: "UPDATE changes SET summary = ? WHERE id = ?", arguments: [summary.description, changeID])
    }
}

extension Store {
    /// Runs `body` in one transaction on `graph`: all of it lands or none of it.
    func writeGraph(_ graph: String, context: WriteContext, create: Bool,
                    _ body: (inout GraphWriter, Vocabulary) throws -> Void) throws -> ChangeSummary {
        try Self.checkGraphName(graph)
        return try write { db in
            var created = false
            var id = try graphID(db, graph)
            if id == nil {
                guard create else { throw try missingGraph(db, graph) }
                try db.execute(sql: "INSERT INTO graphs (name, created_at) VALUES (?, ?)", arguments: [graph, Rows.timestamp()])
                id = db.lastInsertedRowID
                created = true
            }
            var writer = GraphWriter(db: db, graphID: id!, graph: graph, context: context)
            writer.summary.createdGraph = created
            try body(&writer, try vocabulary(db, graph))
            try writer.finish()
            var summary = writer.summary
            summary.change = writer.changeID
            return summary
        }
    }

    func lookup(_ db: Database, graphID: Int64) -> ActorLookup {
        ActorLookup(
            kind: { id in try? String.fetchOne(db, sql: "SELECT kind FROM actors WHERE graph_id = ? AND id = ? AND valid_to IS NULL",
                                               arguments: [graphID, id]) },
            idNamed: { name in try? String.fetchOne(db, sql: "SELECT id FROM actors WHERE graph_id = ? AND valid_to IS NULL AND name = ? COLLATE NOCASE ORDER BY id LIMIT 1",
                                                    arguments: [graphID, name]) })
    }

    func currentRelation(_ db: Database, graphID: Int64, key: RelationKey) throws -> (row: Int64, relation: Relation)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT row, \(Rows.relationColumns) FROM relations WHERE graph_id = ? AND key = ? AND valid_to IS NULL",
                                         arguments: [graphID, key.encoded]) else { return nil }
        return (row[0], Rows.relation(row, offset: 1))
    }

    /// Imports a batch: adds new actors and relations, updates those whose id
    /// (or ends and type) already exist, leaves identical ones alone. Everything
    /// is validated first; one bad row and nothing is written.
    /// - Complexity: O(stored + imported rows).
    public func importBatch(_ batch: consuming ImportBatch, into graph: String, context: WriteContext) throws -> ChangeSummary {
        var batch = batch
        return try writeGraph(graph, context: context, create: true) { writer, storedVocabulary in
            var vocabulary = storedVocabulary
            if !batch.vocabulary.isEmpty {
                for kind in batch.vocabulary.kinds { try vocabulary.add(kind: kind) }
                for type in batch.vocabulary.relationTypes { try vocabulary.add(relationType: type) }
                try saveVocabulary(writer.db, graphID: writer.graphID, vocabulary)
            }
            let db = writer.db
            let graphID = writer.graphID
            // The graph as stored, to compare against and to resolve references.
            var storedActors: [String: (row: Int64, actor: Actor)] = [:]
            let actorRows = try Row.fetchCursor(db, sql: "SELECT row, \(Rows.actorColumns) FROM actors WHERE graph_id = ? AND valid_to IS NULL",
                                                arguments: [graphID])
            while let row = try actorRows.next() {
                let actor = Rows.actor(row, offset: 1)
                storedActors[actor.id] = (row[0], actor)
            }
            var byName: [String: String] = [:]
            for (id, entry) in storedActors where byName[entry.actor.name.lowercased()] == nil { byName[entry.actor.name.lowercased()] = id }
            Profile.mark("load \(storedActors.count) stored actors")
            // The actors are written while the relations are checked on other cores;
            // if any check fails the transaction rolls back.
            var kindChanged: [String] = []
            let stored = storedActors
            try batch.resolve(vocabulary: vocabulary, lookup: ActorLookup(
                kind: { stored[$0]?.actor.kind }, idNamed: { byName[$0.lowercased()] }, isThreadSafe: true)) { actors in
                for located in actors {
                    let actor = located.value
                    let current = stored[actor.id]
                    if let current, current.actor.kind != actor.kind { kindChanged.append(actor.id) }
                    try writer.put(actor, current: current)
                }
            }
            Profile.mark("check relations, write \(batch.actors.count) actors")
            var storedRelations: [String: (row: Int64, fingerprint: Int)] = [:]
            if !batch.relations.isEmpty {
                let rows = try Row.fetchCursor(db, sql: "SELECT row, key, \(Rows.relationColumns) FROM relations WHERE graph_id = ? AND valid_to IS NULL",
                                               arguments: [graphID])
                while let row = try rows.next() {
                    storedRelations[row[1]] = (row[0], Rows.relationFingerprint(row, offset: 2))
                }
            }
            // In key order, the unique index on keys grows at its end instead of
            // taking random inserts: far fewer pages to read back.
            for index in batch.relationOrder {
                let key = batch.relationKeys[index]
                try writer.put(batch.relations[index].value, key: key, current: storedRelations[key])
            }
            Profile.mark("write \(batch.relations.count) relations")
            try revalidate(db, graphID: graphID, touching: kindChanged, vocabulary: vocabulary)
        }
    }

    /// After actors change kind, the relations already stored on them must still obey their types' kind rules.
    func revalidate(_ db: Database, graphID: Int64, touching ids: [String], vocabulary: Vocabulary) throws {
        guard !ids.isEmpty else { return }
        let validator = Validator(vocabulary: vocabulary)
        let lookup = lookup(db, graphID: graphID)
        var errors: [TramaError] = []
        for id in ids {
            for row in try Row.fetchAll(db, sql: "SELECT \(Rows.relationColumns) FROM relations WHERE graph_id = ? AND valid_to IS NULL AND (source = ? OR target = ?)",
                                        arguments: [graphID, id, id]) {
                let relation = Rows.relation(row)
                for error in validator.check(relation, kindOf: lookup.kind) {
                    errors.append(TramaError(error.code, "changing the kind of `\(id)` breaks the stored relation \(relation.source) -[\(relation.type)]- \(relation.target): \(error.message)"))
                }
            }
        }
        if !errors.isEmpty { throw TramaErrors(errors) }
    }

    func saveVocabulary(_ db: Database, graphID: Int64, _ vocabulary: Vocabulary) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(vocabulary.extensions), as: UTF8.self)
        try db.execute(sql: "UPDATE graphs SET vocabulary = ? WHERE id = ?", arguments: [text, graphID])
    }

    /// Adds one actor; refuses an id that is already taken.
    public func addActor(_ actor: Actor, to graph: String, context: WriteContext) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: true) { writer, vocabulary in
            if try currentActor(writer.db, graphID: writer.graphID, actor.id) != nil {
                throw TramaError(.conflict, "the actor `\(actor.id)` already exists: change it with `trama actor update \(actor.id)`")
            }
            let errors = Validator(vocabulary: vocabulary).check(actor)
            if !errors.isEmpty { throw TramaErrors(errors) }
            try writer.put(actor, current: nil)
        }
    }

    /// Changes one actor through `modify`, then validates it and its relations.
    public func updateActor(_ id: String, in graph: String, context: WriteContext,
                            _ modify: (inout Actor) throws -> Void) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, vocabulary in
            guard let current = try currentActor(writer.db, graphID: writer.graphID, id) else {
                throw TramaError(.notFound, "there is no actor `\(id)` in the graph `\(graph)`: list them with `trama actor list`")
            }
            var actor = current.actor
            try modify(&actor)
            actor.id = id
            let errors = Validator(vocabulary: vocabulary).check(actor)
            if !errors.isEmpty { throw TramaErrors(errors) }
            try writer.put(actor, current: current)
            if actor.kind != current.actor.kind {
                try revalidate(writer.db, graphID: writer.graphID, touching: [id], vocabulary: vocabulary)
            }
        }
    }

    /// Removes an actor. With relations still on it, `cascade` must be true and they go too.
    public func removeActor(_ id: String, from graph: String, cascade: Bool, context: WriteContext) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, _ in
            guard let current = try currentActor(writer.db, graphID: writer.graphID, id) else {
                throw TramaError(.notFound, "there is no actor `\(id)` in the graph `\(graph)`: list them with `trama actor list`")
            }
            let rows = try Int64.fetchAll(writer.db, sql: "SELECT row FROM relations WHERE graph_id = ? AND valid_to IS NULL AND (source = ? OR target = ?)",
                                          arguments: [writer.graphID, id, id])
            if !rows.isEmpty && !cascade {
                throw TramaError(.conflict,
                    "`\(id)` still has \(rows.count) relation\(rows.count == 1 ? "" : "s"): pass --cascade to remove \(rows.count == 1 ? "it" : "them") with the actor")
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
            var batch = ImportBatch()
            batch.relations = [Located(relation, at: nil)]
            let resolved = try batch.resolved(vocabulary: vocabulary, lookup: lookup(writer.db, graphID: writer.graphID)).relations[0]
            let key = resolved.key(directed: vocabulary.relationTypes[resolved.type]?.directed ?? true)
            if try currentRelation(writer.db, graphID: writer.graphID, key: key) != nil {
                throw TramaError(.conflict, "the relation \(key) already exists: change it with `trama relation update`")
            }
            try writer.put(resolved, key: key.encoded, current: Optional<(row: Int64, fingerprint: Int)>.none)
        }
    }

    /// Changes the relation `source -[type]- target` through `modify` (its ends and type stay).
    public func updateRelation(source: String, target: String, type: String, in graph: String, context: WriteContext,
                               _ modify: (inout Relation) throws -> Void) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, vocabulary in
            let key = try relationKey(source: source, target: target, type: type, vocabulary: vocabulary)
            guard let current = try currentRelation(writer.db, graphID: writer.graphID, key: key) else {
                throw TramaError(.notFound, "there is no relation \(key) in the graph `\(graph)`: list them with `trama relation list --actor \(source)`")
            }
            var relation = current.relation
            try modify(&relation)
            (relation.source, relation.target, relation.type) = (current.relation.source, current.relation.target, current.relation.type)
            let errors = Validator(vocabulary: vocabulary).check(relation, kindOf: lookup(writer.db, graphID: writer.graphID).kind)
            if !errors.isEmpty { throw TramaErrors(errors) }
            try writer.put(relation, key: key.encoded, current: current)
        }
    }

    /// Removes the relation `source -[type]- target`.
    public func removeRelation(source: String, target: String, type: String, from graph: String, context: WriteContext) throws -> ChangeSummary {
        try writeGraph(graph, context: context, create: false) { writer, vocabulary in
            let key = try relationKey(source: source, target: target, type: type, vocabulary: vocabulary)
            guard let current = try currentRelation(writer.db, graphID: writer.graphID, key: key) else {
                throw TramaError(.notFound, "there is no relation \(key) in the graph `\(graph)`: list them with `trama relation list --actor \(source)`")
            }
            try writer.close(table: "relations", row: current.row)
            writer.summary.relationsRemoved += 1
        }
    }

    func relationKey(source: String, target: String, type: String, vocabulary: Vocabulary) throws -> RelationKey {
        guard let resolved = vocabulary.resolveRelationType(type), let definition = vocabulary.relationTypes[resolved] else {
            throw TramaError(.unknownRelationType, "unknown relation type `\(type)`: use one of \(vocabulary.relationTypeNames.joined(separator: ", "))")
        }
        return Relation(source: source, target: target, type: resolved).key(directed: definition.directed)
    }

    /// Adds kinds or relation types to a graph's vocabulary.
    public func extendVocabulary(of graph: String, context: WriteContext, _ modify: (inout Vocabulary) throws -> Void) throws {
        _ = try writeGraph(graph, context: context, create: true) { writer, vocabulary in
            var vocabulary = vocabulary
            try modify(&vocabulary)
            try saveVocabulary(writer.db, graphID: writer.graphID, vocabulary)
            writer.summary.note = "vocabulary extended"
            _ = try writer.change()
        }
    }
}
