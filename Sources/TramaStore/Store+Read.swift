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

/// A graph of the store, found by name in one snapshot.
public struct GraphRef: Sendable, Hashable {
    public let id: Int64
    public let name: String
}

/// Which version of a graph a read sees: the current one, or the one right after
/// a change; and, for relations, which date in the world (all of them when none).
public struct Version: Sendable, Hashable {
    /// The change this version stands at (nil: the graph has no change yet).
    public var change: Int64?
    /// True when it is the graph's current version.
    public var isCurrent: Bool
    /// The world date relations are read on: those not in force then are left out.
    public var on: WorldDate? = nil

    public static let current = Version(change: nil, isCurrent: true)

    /// The current rows, every relation: what the graph's image holds.
    var isPlainCurrent: Bool { isCurrent && on == nil }
}

/// One read transaction on a store: everything read through it belongs to the
/// same version, whatever other processes write meanwhile. Valid only inside
/// ``Store/read(_:)``.
public struct StoreSnapshot {
    let db: Database
    let store: Store
    /// What one read works out once (what a public read hides, the names it masks).
    let cache = SnapshotCache()

    var settingsVersioned: Bool { store.schema.versionedSettings }

    /// The rows of `alias` current at `version`.
    static func visible(_ alias: String, _ version: Version) -> (sql: String, arguments: StatementArguments) {
        guard !version.isCurrent, let change = version.change else { return ("\(alias).valid_to IS NULL", []) }
        return ("\(alias).valid_from <= ? AND (\(alias).valid_to IS NULL OR \(alias).valid_to > ?)", [change, change])
    }

    // MARK: Graphs and versions

    public func graphs() throws -> [GraphInfo] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT g.name, g.created_at,
                  (SELECT count(*) FROM actors a WHERE a.graph_id = g.id AND a.valid_to IS NULL),
                  (SELECT count(*) FROM relations r WHERE r.graph_id = g.id AND r.valid_to IS NULL),
                  (SELECT count(*) FROM changes c WHERE c.graph_id = g.id),
                  (SELECT max(at) FROM changes c WHERE c.graph_id = g.id)
                FROM graphs g ORDER BY g.name
                """
        ).map { row in
            GraphInfo(name: row[0], actors: row[2], relations: row[3], changes: row[4], createdAt: row[1], lastChangeAt: row[5])
        }
    }

    public func graphIfExists(_ name: String) throws -> GraphRef? {
        try Int64.fetchOne(try db.cachedStatement(sql: "SELECT id FROM graphs WHERE name = ?"), arguments: [name]).map {
            GraphRef(id: $0, name: name)
        }
    }

    /// The graph named `name`, or an error naming those that exist.
    public func graph(_ name: String) throws -> GraphRef {
        if let graph = try graphIfExists(name) { return graph }
        throw try missingGraph(name)
    }

    func missingGraph(_ name: String) throws -> TramaError {
        let names = try String.fetchAll(db, sql: "SELECT name FROM graphs ORDER BY name")
        let known = names.isEmpty ? "the store has no graphs yet" : "graphs here: \(names.joined(separator: ", "))"
        return TramaError(.notFound, "there is no graph `\(name)` (\(known))", fields: ["graph": name])
    }

    /// The graph's last change, the version a current read sees.
    public func lastChange(of graph: GraphRef) throws -> Int64? {
        try Int64.fetchOne(try db.cachedStatement(sql: "SELECT max(id) FROM changes WHERE graph_id = ?"), arguments: [graph.id])
    }

    /// The version `moment` names (nil: now). A moment before the graph's first
    /// change is an error that says when the graph began.
    public func version(_ moment: Moment?, on date: WorldDate? = nil, of graph: GraphRef) throws -> Version {
        var version = try version(moment, of: graph)
        version.on = date
        return version
    }

    func version(_ moment: Moment?, of graph: GraphRef) throws -> Version {
        let last = try lastChange(of: graph)
        guard let moment else { return Version(change: last, isCurrent: true) }
        let first = try Row.fetchOne(db, sql: "SELECT id, at FROM changes WHERE graph_id = ? ORDER BY id LIMIT 1", arguments: [graph.id])
        func tooEarly(_ said: String) -> TramaError {
            let begun = first.map { " (its first change is at \($0["at"] as String))" } ?? " (it has no changes yet)"
            return TramaError(
                .beforeHistory, "the graph `\(graph.name)` did not exist yet at \(said)\(begun)",
                fields: ["graph": graph.name, "as_of": moment.text])
        }
        var change: Int64?
        switch moment {
        case .change(let id):
            guard try Int64.fetchOne(db, sql: "SELECT id FROM changes WHERE id = ? AND graph_id = ?", arguments: [id, graph.id]) != nil
            else {
                throw TramaError(
                    .notFound, "the graph `\(graph.name)` has no change \(id)", fields: ["graph": graph.name, "as_of": moment.text])
            }
            change = id
        case .snapshot(let name):
            guard let found = try snapshot(named: name, of: graph) else {
                let known = (try? snapshots(of: graph).map(\.name)) ?? []
                var error = TramaError.invalidField(
                    "as_of",
                    "`\(name)` is not a moment nor a snapshot of the graph `\(graph.name)`"
                        + (known.isEmpty ? " (it has no snapshots)" : " (its snapshots: \(known.prefix(10).joined(separator: ", ")))")
                        + ": write \(Moment.accepted)",
                    code: .invalidMoment)
                error.fields["graph"] = graph.name
                error.fields["value"] = name
                throw error
            }
            guard let change = found.change else {
                // A snapshot of a graph with no change yet: the empty graph, before its first change.
                throw tooEarly("the snapshot `\(name)`")
            }
            return Version(change: change, isCurrent: change == last)
        case .day, .instant:
            let instant = moment.instant(in: store.timeZone)!
            let bound = Timestamp.string(instant)
            change = try Int64.fetchOne(
                db, sql: "SELECT max(id) FROM changes WHERE graph_id = ? AND at <= ?", arguments: [graph.id, bound])
            if change == nil {
                let said = if case .day = moment { "the end of \(moment.text) (\(store.timeZone.identifier))" } else { bound }
                throw tooEarly(said)
            }
        }
        return Version(change: change, isCurrent: change == last)
    }

    // MARK: Vocabulary and rules

    /// A setting's JSON at `version` (nil when never set).
    func setting(_ name: String, of graph: GraphRef, at version: Version) throws -> String? {
        guard settingsVersioned else {
            let column = name == "vocabulary" ? "vocabulary" : "rules"
            return try String.fetchOne(db, sql: "SELECT \(column) FROM graphs WHERE id = ?", arguments: [graph.id])
        }
        let visible = Self.visible("s", version)
        return try String.fetchOne(
            db, sql: "SELECT s.value FROM settings s WHERE s.graph_id = ? AND s.name = ? AND \(visible.sql)",
            arguments: [graph.id, name] + visible.arguments)
    }

    /// The graph's vocabulary at `version`: the built-in one plus its extensions then.
    public func vocabulary(of graph: GraphRef, at version: Version = .current) throws -> Vocabulary {
        guard let text = try setting("vocabulary", of: graph, at: version), !text.isEmpty else { return .builtIn }
        let extensions = (try? JSONDecoder().decode(VocabularyExtensions.self, from: Data(text.utf8))) ?? .init()
        return Vocabulary(extensions: extensions)
    }

    /// The graph's alliance rules as JSON at `version`, nil when it uses the standard ones.
    public func rulesJSON(of graph: GraphRef, at version: Version = .current) throws -> String? {
        try setting("rules", of: graph, at: version)
    }

    // MARK: Privacy over time

    /// Ids of actors whose latest version is private: privacy is decided by the
    /// current state for every moment (an actor made private today is hidden from
    /// a public read of last year too).
    func privateActorsNow(_ graph: GraphRef) throws -> Set<String> {
        var latest: [String: Bool] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, private FROM actors WHERE graph_id = ? ORDER BY row", arguments: [graph.id]) {
            latest[row[0]] = row[1]
        }
        return Set(latest.filter(\.value).keys)
    }

    func privateRelationKeysNow(_ graph: GraphRef) throws -> Set<String> {
        var latest: [String: Bool] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, private FROM relations WHERE graph_id = ? ORDER BY row", arguments: [graph.id]) {
            latest[row[0]] = row[1]
        }
        return Set(latest.filter(\.value).keys)
    }

    /// For a public read: whole-word mentions of the hidden actors' names (every version)
    /// and ids, which visible records' free text is to show as `[private]`; nil when none is hidden.
    func privateMentions(_ graph: GraphRef, _ hiddenActors: Set<String>) throws -> PersonMatcher? {
        guard !hiddenActors.isEmpty else { return nil }
        // A set's hash does not depend on its order: no sort per call (a neighbourhood asks once per neighbour).
        let key = "\(graph.id):\(hiddenActors.count):\(hiddenActors.hashValue)"
        return try cache.matcher(key) { try makePrivateMentions(graph, hiddenActors) }
    }

    private func makePrivateMentions(_ graph: GraphRef, _ hiddenActors: Set<String>) throws -> PersonMatcher? {
        var terms = hiddenActors
        if hiddenActors.count <= 500 {
            let marks = hiddenActors.map { _ in "?" }.joined(separator: ",")
            terms.formUnion(
                try String.fetchAll(
                    db, sql: "SELECT DISTINCT name FROM actors WHERE graph_id = ? AND id IN (\(marks))",
                    arguments: StatementArguments([graph.id as DatabaseValueConvertible] + hiddenActors.sorted())))
        } else {
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT id, name FROM actors WHERE graph_id = ?", arguments: [graph.id])
            where hiddenActors.contains(row[0]) {
                terms.insert(row[1])
            }
        }
        return PersonMatcher(terms: terms)
    }

    /// What a public read hides at `version`: nil when nothing is hidden (not public).
    func hidden(_ graph: GraphRef, _ version: Version, publicOnly: Bool) throws -> (actors: Set<String>, relations: Set<String>)? {
        guard publicOnly else { return nil }
        return try cache.hidden("\(graph.id):\(version.isCurrent):\(version.change ?? -1)") { try findHidden(graph, version) }
    }

    private func findHidden(_ graph: GraphRef, _ version: Version) throws -> (actors: Set<String>, relations: Set<String>) {
        if version.isCurrent {
            let actors = Set(
                try String.fetchAll(
                    db, sql: "SELECT id FROM actors WHERE graph_id = ? AND valid_to IS NULL AND private = 1",
                    arguments: [graph.id]))
            let relations = Set(
                try String.fetchAll(
                    db, sql: "SELECT key FROM relations WHERE graph_id = ? AND valid_to IS NULL AND private = 1",
                    arguments: [graph.id]))
            return (actors, relations)
        }
        return (try privateActorsNow(graph), try privateRelationKeysNow(graph))
    }

    // MARK: Actors and relations

    /// The whole graph at `version`.
    /// - Complexity: O(actors + relations) rows read.
    public func ecosystem(_ graph: GraphRef, at version: Version = .current, publicOnly: Bool = false) throws -> Ecosystem {
        Ecosystem(
            name: graph.name, vocabulary: try vocabulary(of: graph, at: version),
            actors: try actors(graph, at: version, publicOnly: publicOnly),
            relations: try relations(graph, at: version, publicOnly: publicOnly).map(\.relation))
    }

    public func actors(
        _ graph: GraphRef, filter: StoreFilter = StoreFilter(), at version: Version = .current,
        publicOnly: Bool = false
    ) throws -> [Actor] {
        try actors(graph, filter: filter, at: version, publicOnly: publicOnly, masking: true)
    }

    /// `masking`: false when only the ids are wanted (the ends a relation list lets through).
    func actors(_ graph: GraphRef, filter: StoreFilter, at version: Version, publicOnly: Bool, masking: Bool) throws -> [Actor] {
        let visible = Self.visible("a", version)
        let columns = Rows.actorColumns.split(separator: ",").map { "a." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        var sql = "SELECT \(columns) FROM actors a WHERE a.graph_id = ? AND \(visible.sql)"
        var arguments: StatementArguments = [graph.id]
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
        var actors: [Actor] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() { actors.append(Rows.actor(row)) }
        if let hidden = try hidden(graph, version, publicOnly: publicOnly) {
            let hiddenHere = hidden.actors.union(actors.filter(\.isPrivate).map(\.id))
            actors.removeAll { hiddenHere.contains($0.id) }
            if masking, let mentions = try privateMentions(graph, hiddenHere) {
                for i in actors.indices { actors[i].mask(mentions) }
            }
        }
        return actors
    }

    /// Relations at `version`, with their stable ids, ordered by ends and type.
    public func relations(
        _ graph: GraphRef, filter: StoreFilter = StoreFilter(), at version: Version = .current,
        publicOnly: Bool = false
    ) throws -> [RelationRecord] {
        let visible = Self.visible("r", version)
        let columns = Rows.relationColumns.split(separator: ",").map { "r." + $0.trimmingCharacters(in: .whitespaces) }.joined(
            separator: ", ")
        var sql = "SELECT coalesce(r.rid, r.row), r.key, \(columns) FROM relations r WHERE r.graph_id = ? AND \(visible.sql)"
        if !settingsVersioned { sql = sql.replacingOccurrences(of: "coalesce(r.rid, r.row)", with: "r.row") }
        var arguments: StatementArguments = [graph.id]
        arguments += visible.arguments
        if !filter.relationTypes.isEmpty {
            sql += " AND r.type IN (\(filter.relationTypes.map { _ in "?" }.joined(separator: ",")))"
            arguments += StatementArguments(filter.relationTypes)
        }
        if let actor = filter.actor {
            sql += " AND (r.source = ? OR r.target = ?)"
            arguments += [actor, actor]
        }
        sql += " ORDER BY r.source, r.target, r.type"
        let hidden = try hidden(graph, version, publicOnly: publicOnly)
        // Both ends must be among the actors the filter (and privacy) lets through.
        var ends: Set<String>?
        if !filter.kinds.isEmpty || filter.territory != nil || hidden != nil {
            ends = Set(
                try actors(
                    graph, filter: StoreFilter(kinds: filter.kinds, territory: filter.territory), at: version,
                    publicOnly: publicOnly, masking: false
                ).map(\.id))
        }
        var records: [RelationRecord] = []
        let inForce = try inForceTest(graph, version)
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            let relation = Rows.relation(row, offset: 2)
            if let ends, !ends.contains(relation.source) || !ends.contains(relation.target) { continue }
            if let hidden, relation.isPrivate || hidden.relations.contains(row[1]) { continue }
            if let inForce, !inForce(relation.since, relation.until, relation.status, row[1]) { continue }
            records.append(RelationRecord(id: row[0], relation: relation))
        }
        if let hidden, let mentions = try privateMentions(graph, hidden.actors) {
            for i in records.indices { records[i].relation.mask(mentions) }
        }
        return records
    }

    public func actor(_ id: String, in graph: GraphRef, at version: Version = .current, publicOnly: Bool = false) throws -> Actor? {
        let visible = Self.visible("a", version)
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(Rows.actorColumns) FROM actors a WHERE a.graph_id = ? AND a.id = ? AND \(visible.sql)",
                arguments: [graph.id, id] + visible.arguments)
        else { return nil }
        var actor = Rows.actor(row)
        if let hidden = try hidden(graph, version, publicOnly: publicOnly) {
            if actor.isPrivate || hidden.actors.contains(id) { return nil }
            if let mentions = try privateMentions(graph, hidden.actors) { actor.mask(mentions) }
        }
        return actor
    }

    /// The relation whose stable id is `id`, at `version`.
    public func relation(id: Int64, in graph: GraphRef, at version: Version = .current, publicOnly: Bool = false) throws -> RelationRecord?
    {
        // The id is the row of the relation's first version, which holds its key.
        guard let key = try String.fetchOne(db, sql: "SELECT key FROM relations WHERE row = ? AND graph_id = ?", arguments: [id, graph.id])
        else {
            return nil
        }
        let visible = Self.visible("r", version)
        let ridColumn = settingsVersioned ? "coalesce(r.rid, r.row)" : "r.row"
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(ridColumn), \(Rows.relationColumns) FROM relations r WHERE r.graph_id = ? AND r.key = ? AND \(visible.sql)
                    """, arguments: [graph.id, key] + visible.arguments), row[0] as Int64 == id
        else { return nil }
        var relation = Rows.relation(row, offset: 1)
        if let inForce = try inForceTest(graph, version), !inForce(relation.since, relation.until, relation.status, key) { return nil }
        if let hidden = try hidden(graph, version, publicOnly: publicOnly) {
            if relation.isPrivate || hidden.relations.contains(key) || hidden.actors.contains(relation.source)
                || hidden.actors.contains(relation.target)
            {
                return nil
            }
            if try actor(relation.source, in: graph, at: version, publicOnly: true) == nil
                || (try actor(relation.target, in: graph, at: version, publicOnly: true)) == nil
            {
                return nil
            }
        }
        if let mentions = try publicMentions(graph, publicOnly: publicOnly) { relation.mask(mentions) }
        return RelationRecord(id: id, relation: relation)
    }

    /// The current relation with ends and type `key`.
    public func relation(key: RelationKey, in graph: GraphRef) throws -> RelationRecord? {
        let ridColumn = settingsVersioned ? "coalesce(rid, row)" : "row"
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT \(ridColumn), \(Rows.relationColumns) FROM relations WHERE graph_id = ? AND key = ? AND valid_to IS NULL",
                arguments: [graph.id, key.encoded])
        else { return nil }
        return RelationRecord(id: row[0], relation: Rows.relation(row, offset: 1))
    }

    /// The distinct territories of the graph's actors at `version` (what a territory a person writes is resolved against).
    public func territories(_ graph: GraphRef, at version: Version = .current, publicOnly: Bool = false) throws -> [Territory] {
        let visible = Self.visible("a", version)
        let hidden = publicOnly ? " AND a.private = 0" : ""
        return try String.fetchAll(
            db,
            sql: "SELECT DISTINCT a.territory FROM actors a WHERE a.graph_id = ? AND a.territory IS NOT NULL AND \(visible.sql)\(hidden)",
            arguments: [graph.id] + visible.arguments
        ).compactMap(Territory.init)
    }

    /// The change log of a graph, oldest first.
    public func changes(of graph: GraphRef, upTo version: Version = .current) throws -> [ChangeRecord] {
        var sql = "SELECT id, at, author, command, summary, \(store.schema.time ? "kind" : "NULL") FROM changes WHERE graph_id = ?"
        var arguments: StatementArguments = [graph.id]
        if !version.isCurrent, let change = version.change {
            sql += " AND id <= ?"
            arguments += [change]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY id", arguments: arguments).map {
            ChangeRecord(id: $0[0], at: $0[1], author: $0[2], command: $0[3], summary: $0[4], kind: $0[5])
        }
    }
}

extension StoreSnapshot {
    /// The graph in columns, as analyses read it: from the graph's image when the
    /// version is the current one, else straight from the rows (no `Relation`
    /// value per row either way).
    /// - Complexity: O(actors + relations).
    public func relationTable(_ graph: GraphRef, at version: Version = .current, publicOnly: Bool = false) throws -> RelationTable {
        try relationTable(graph, at: version, publicOnly: publicOnly, fromRows: false)
    }

    func relationTable(_ graph: GraphRef, at version: Version, publicOnly: Bool, fromRows: Bool) throws -> RelationTable {
        let vocabulary = try vocabulary(of: graph, at: version)
        if !fromRows, version.isPlainCurrent, settingsVersioned, let image = try GraphImage.load(db, graphID: graph.id) {
            if !publicOnly || !image.actorPrivate.contains(true) && !image.relationPrivate.contains(true) {
                return image.table(vocabulary: vocabulary, publicOnly: false)
            }
            return image.table(vocabulary: vocabulary, publicOnly: true)
        }
        // An earlier version, read as the current image with the changes since undone:
        // the rows made after it left out, those it had and were closed since put back.
        if !fromRows, !version.isCurrent, version.on == nil, !publicOnly, let change = version.change, settingsVersioned, store.schema.time
        {
            // A snapshot's moment has its own image.
            if store.schema.snapshotImages, let image = try GraphImage.load(db, graphID: graph.id, snapshotAt: change) {
                return image.table(vocabulary: vocabulary, publicOnly: false)
            }
            if let image = try GraphImage.load(db, graphID: graph.id) {
                return try image.rewound(db, graphID: graph.id, to: change).table(vocabulary: vocabulary, publicOnly: false)
            }
        }
        let hidden = try hidden(graph, version, publicOnly: publicOnly)
        var table = RelationTable(vocabulary: vocabulary)
        var rows: [(String, String, String, String?)] = []
        let visible = Self.visible("a", version)
        let actorStatement = try db.makeStatement(
            sql: "SELECT a.id, a.name, a.kind, a.territory, a.private FROM actors a NOT INDEXED WHERE a.graph_id = ? AND \(visible.sql)")
        try actorStatement.setArguments([graph.id] + visible.arguments)
        try BulkRead.forEachRow(actorStatement, db: db) { row in
            let id = BulkRead.text(row, 0)
            if let hidden, sqlite3_column_int64(row, 4) != 0 || hidden.actors.contains(id) { return }
            rows.append((id, BulkRead.text(row, 1), BulkRead.text(row, 2), BulkRead.optionalText(row, 3)))
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
            table.actorTerritories.append(
                territory.flatMap { text in
                    if let known = territories[text] { return known }
                    let parsed = Territory(text)
                    territories[text] = parsed
                    return parsed
                })
        }
        let relationVisible = Self.visible("r", version)
        let statement = try db.makeStatement(
            sql: """
                SELECT r.source, r.target, r.type, r.strength, r.status, r.private, r.key, r.since, r.until FROM relations r NOT INDEXED WHERE r.graph_id = ? AND \(relationVisible.sql)
                """)
        try statement.setArguments([graph.id] + relationVisible.arguments)
        let inForce = try inForceTest(graph, version)
        // Imports insert relations in key order, so consecutive rows mostly share their source.
        var lastSource = ""
        var lastIndex: Int32? = nil
        try BulkRead.forEachRow(statement, db: db) { row in
            if let hidden, sqlite3_column_int64(row, 5) != 0 || hidden.relations.contains(BulkRead.text(row, 6)) { return }
            if let inForce,
                !inForce(
                    BulkRead.optionalText(row, 7), BulkRead.optionalText(row, 8),
                    RelationStatus(rawValue: BulkRead.text(row, 4)) ?? .active, BulkRead.text(row, 6))
            {
                return
            }
            let sourceText = BulkRead.text(row, 0)
            if sourceText != lastSource {
                lastSource = sourceText
                lastIndex = index[sourceText]
            }
            guard let u = lastIndex, let v = index[BulkRead.text(row, 1)] else { return }
            table.source.append(u)
            table.target.append(v)
            table.type.append(table.typeIndex(BulkRead.text(row, 2)))
            table.strength.append(BulkRead.double(row, 3) ?? .nan)
            table.status.append(RelationStatus(rawValue: BulkRead.text(row, 4)) ?? .active)
        }
        return table
    }

    /// The graph with what gaps, recommendations and coalitions read: actors'
    /// id, name, kind, territory and themes; relations' ends, type, status and
    /// dates. Rows are stepped directly; descriptions and attributes are not read.
    /// With `relationsNear`, only relations touching actors in or around that
    /// territory are kept; with `actorsOnly`, none.
    /// - Complexity: O(actors + relations) rows, scanned in table order.
    public func insightEcosystem(
        _ graph: GraphRef, at version: Version = .current, publicOnly: Bool = false,
        relationsNear territory: Territory? = nil, actorsOnly: Bool = false
    ) throws -> Ecosystem {
        try insightGraph(graph, at: version, publicOnly: publicOnly, relationsNear: territory, actorsOnly: actorsOnly).ecosystem
    }

    /// As ``insightEcosystem(_:at:publicOnly:relationsNear:actorsOnly:)``, with each relation's stable id beside it.
    public func insightGraph(
        _ graph: GraphRef, at version: Version = .current, publicOnly: Bool = false,
        relationsNear territory: Territory? = nil, actorsOnly: Bool = false
    ) throws -> (ecosystem: Ecosystem, relationIDs: [Int64]) {
        let vocabulary = try vocabulary(of: graph, at: version)
        let hidden = try hidden(graph, version, publicOnly: publicOnly)
        var actors: [Actor] = []
        var territories: [String: Territory] = [:]
        let visible = Self.visible("a", version)
        let actorStatement = try db.makeStatement(
            sql:
                "SELECT a.id, a.name, a.kind, a.territory, a.themes, a.private FROM actors a NOT INDEXED WHERE a.graph_id = ? AND \(visible.sql)"
        )
        try actorStatement.setArguments([graph.id] + visible.arguments)
        try BulkRead.forEachRow(actorStatement, db: db) { row in
            let id = BulkRead.text(row, 0)
            if let hidden, sqlite3_column_int64(row, 5) != 0 || hidden.actors.contains(id) { return }
            let territory: Territory? = BulkRead.optionalText(row, 3).flatMap { text in
                if let known = territories[text] { return known }
                let parsed = Territory(text)
                territories[text] = parsed
                return parsed
            }
            let themes = BulkRead.optionalText(row, 4).map(Rows.decodeList) ?? []
            actors.append(Actor(id: id, name: BulkRead.text(row, 1), kind: BulkRead.text(row, 2), territory: territory, themes: themes))
        }
        actors.sort { $0.id < $1.id }
        if actorsOnly { return (Ecosystem(name: graph.name, vocabulary: vocabulary, actors: actors), []) }
        let known = Set(actors.map(\.id))
        var relations: [Relation] = []
        // With a territory, only relations touching its actors (or those around it) are kept.
        let near: Set<String>? = territory.map { t in
            Set(actors.filter { a in a.territory.map { t.contains($0) || $0.contains(t) } ?? false }.map(\.id))
        }
        let relationVisible = Self.visible("r", version)
        let statement = try db.makeStatement(
            sql: """
                SELECT r.source, r.target, r.type, r.status, r.since, r.until, r.asserted_at, r.private, r.key, r.strength, \(settingsVersioned ? "coalesce(r.rid, r.row)" : "r.row")
                FROM relations r NOT INDEXED WHERE r.graph_id = ? AND \(relationVisible.sql)
                """)
        try statement.setArguments([graph.id] + relationVisible.arguments)
        var types: [String] = []
        var ids: [Int64] = []
        let inForce = try inForceTest(graph, version)
        try BulkRead.forEachRow(statement, db: db) { row in
            let (source, target) = (BulkRead.text(row, 0), BulkRead.text(row, 1))
            if let near, !near.contains(source) && !near.contains(target) { return }
            if let inForce,
                !inForce(
                    BulkRead.optionalText(row, 4), BulkRead.optionalText(row, 5),
                    RelationStatus(rawValue: BulkRead.text(row, 3)) ?? .active, BulkRead.text(row, 8))
            {
                return
            }
            if let hidden {
                if sqlite3_column_int64(row, 7) != 0 || hidden.relations.contains(BulkRead.text(row, 8)) { return }
                if !known.contains(source) || !known.contains(target) { return }
            }
            let typeText = BulkRead.text(row, 2)
            let type =
                types.first { $0 == typeText }
                ?? {
                    types.append(typeText)
                    return typeText
                }()
            relations.append(
                Relation(
                    source: source, target: target, type: type, strength: BulkRead.double(row, 9),
                    since: BulkRead.optionalText(row, 4), until: BulkRead.optionalText(row, 5),
                    status: RelationStatus(rawValue: BulkRead.text(row, 3)) ?? .active,
                    assertedAt: BulkRead.optionalText(row, 6)))
            ids.append(sqlite3_column_int64(row, 10))
        }
        return (Ecosystem(name: graph.name, vocabulary: vocabulary, actors: actors, relations: relations), ids)
    }

    /// The neighbours of `ids` through relations at `version`, by the source and
    /// target indexes for the current version: what a recommendation needs without
    /// reading the whole graph.
    /// Only relations of `statuses` count, when given.
    /// - Complexity: O(Σ degree of `ids` · log relations) for the current version.
    public func neighbours(
        of ids: Set<String>, in graph: GraphRef, at version: Version = .current,
        publicOnly: Bool = false, statuses: Set<RelationStatus>? = nil
    ) throws -> [String: Set<String>] {
        var result = Dictionary(uniqueKeysWithValues: ids.map { ($0, Set<String>()) })
        let hidden = try hidden(graph, version, publicOnly: publicOnly)
        let visible = Self.visible("r", version)
        // Current reads use the partial indexes on current rows; older versions filter by validity.
        let bySource = try db.makeStatement(
            sql:
                "SELECT r.target, r.private, r.key, r.since, r.until, r.status FROM relations r WHERE r.graph_id = ? AND r.source = ? AND \(visible.sql)"
        )
        let byTarget = try db.makeStatement(
            sql:
                "SELECT r.source, r.private, r.key, r.since, r.until, r.status FROM relations r WHERE r.graph_id = ? AND r.target = ? AND \(visible.sql)"
        )
        let inForce = try inForceTest(graph, version)
        for id in ids {
            if let hidden, hidden.actors.contains(id) { continue }
            for statement in [bySource, byTarget] {
                try statement.setArguments([graph.id, id] + visible.arguments)
                try BulkRead.forEachRow(statement, db: db) { row in
                    let other = BulkRead.text(row, 0)
                    if let hidden,
                        sqlite3_column_int64(row, 1) != 0 || hidden.relations.contains(BulkRead.text(row, 2))
                            || hidden.actors.contains(other)
                    {
                        return
                    }
                    let status = RelationStatus(rawValue: BulkRead.text(row, 5)) ?? .active
                    if let statuses, !statuses.contains(status) { return }
                    if let inForce, !inForce(BulkRead.optionalText(row, 3), BulkRead.optionalText(row, 4), status, BulkRead.text(row, 2)) {
                        return
                    }
                    if other != id { result[id]!.insert(other) }
                }
            }
        }
        if hidden != nil {
            // A public reader's neighbours exclude private actors, which `hidden` may not list (current private rows).
            let privateNow = Set(
                try String.fetchAll(
                    db, sql: "SELECT id FROM actors WHERE graph_id = ? AND valid_to IS NULL AND private = 1",
                    arguments: [graph.id]))
            for id in result.keys { result[id]!.subtract(privateNow) }
        }
        return result
    }
}

extension Store {
    // One-call reads, each in its own snapshot, for callers that need one thing.

    public func graphs() throws -> [GraphInfo] { try read { try $0.graphs() } }

    public func graphInfo(_ name: String) throws -> GraphInfo {
        try read { s in
            guard let info = try s.graphs().first(where: { $0.name == name }) else { throw try s.missingGraph(name) }
            return info
        }
    }

    /// The whole graph, as it is now or as it was right after change `asOf`.
    public func ecosystem(_ graph: String, asOf: Int64? = nil) throws -> Ecosystem {
        try read { s in
            let ref = try s.graph(graph)
            return try s.ecosystem(ref, at: try s.version(asOf.map(Moment.change), of: ref))
        }
    }

    public func actors(in graph: String, filter: StoreFilter = StoreFilter()) throws -> [Actor] {
        try read { s in try s.actors(try s.graph(graph), filter: filter) }
    }

    public func relations(in graph: String, filter: StoreFilter = StoreFilter()) throws -> [Relation] {
        try read { s in try s.relations(try s.graph(graph), filter: filter).map(\.relation) }
    }

    public func actor(_ id: String, in graph: String) throws -> Actor? {
        try read { s in try s.actor(id, in: try s.graph(graph)) }
    }

    public func vocabulary(of graph: String) throws -> Vocabulary {
        try read { s in try s.graphIfExists(graph).map { try s.vocabulary(of: $0) } ?? .builtIn }
    }

    public func relationTable(_ graph: String) throws -> RelationTable {
        try read { s in try s.relationTable(try s.graph(graph)) }
    }

    public func changes(in graph: String) throws -> [ChangeRecord] {
        try read { s in try s.changes(of: try s.graph(graph)) }
    }

    /// The last change made at or before `moment`.
    public func change(asOf moment: Moment, in graph: String) throws -> Int64? {
        try read { s in
            let ref = try s.graph(graph)
            return try s.version(moment, of: ref).change
        }
    }

    public func rulesJSON(of graph: String) throws -> String? {
        try read { s in try s.rulesJSON(of: try s.graph(graph)) }
    }
}

/// What one read of the store works out once and reuses.
final class SnapshotCache: @unchecked Sendable {
    private let lock = NSLock()
    private var hiddenSets: [String: (actors: Set<String>, relations: Set<String>)] = [:]
    private var matchers: [String: PersonMatcher?] = [:]

    /// What a public read hides, worked out once per graph and version.
    func hidden(_ key: String, _ find: () throws -> (actors: Set<String>, relations: Set<String>)) rethrows -> (
        actors: Set<String>, relations: Set<String>
    ) {
        if let known = lock.withLock({ hiddenSets[key] }) { return known }
        let found = try find()
        lock.withLock { hiddenSets[key] = found }
        return found
    }

    /// The hidden names a public read masks, made once per set of hidden actors.
    func matcher(_ key: String, _ make: () throws -> PersonMatcher?) rethrows -> PersonMatcher? {
        if let known = lock.withLock({ matchers[key] }) { return known }
        let made = try make()
        lock.withLock { matchers[key] = made }
        return made
    }
}
