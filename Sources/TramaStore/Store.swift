import Foundation
import GRDB
import TramaModel

/// One SQLite file holding several graphs, their history and their vocabulary.
///
/// Rows are versioned rather than overwritten: every write opens a change
/// (time, author, command) and each actor, relation or setting row carries the
/// change that made it (`valid_from`) and the one that replaced or removed it
/// (`valid_to`, NULL while current). Reading as of a change, comparing two
/// changes and undoing one are queries over the same rows; nothing is lost.
///
/// A store opened for reading never writes, not even to set itself up: it reads
/// a write-ahead-log snapshot while another process writes, and it reads a file
/// it may not write. Writers take the lock at the start of their transaction
/// (`BEGIN IMMEDIATE`) and wait for each other up to a timeout.
public final class Store: Sendable {
    /// How a store is opened.
    public enum Mode: Sendable {
        /// Reads only; the file must exist. Nothing is written, not even the schema.
        case read
        /// Reads and writes an existing store, bringing its schema up to date.
        case write
        /// As `write`, creating the file when there is none.
        case create
    }

    /// Which schema steps the file has: a store opened for reading may be older
    /// than this Trama (it is upgraded by the next write), and is read as it is.
    struct Schema: Sendable {
        var versionedSettings: Bool
        /// Snapshots, change kinds and reverts, layouts (``timeStep``).
        var time: Bool = true
        /// Each snapshot's image (``snapshotImagesStep``).
        var snapshotImages: Bool = true
    }

    public let path: String
    public let mode: Mode
    /// The zone a bare date (`--as-of 2026-11-30`) is read in: set when the store was made.
    public let timeZone: TimeZone
    let reader: any DatabaseReader
    let writer: (any DatabaseWriter)?
    let schema: Schema
    /// The connection ``changeCounter()`` reads.
    let watcher: DatabaseQueue

    /// How long a writer waits for another writer before giving up as busy.
    public let busyTimeout: TimeInterval

    /// Opens the store at `path`. Refuses files that are not Trama stores and
    /// stores written by a newer Trama, without changing them. `timeZone` is
    /// recorded in a store this call creates (or upgrades); an existing store keeps its own.
    public init(path: String, mode: Mode, timeZone: TimeZone = TimeZone(identifier: "UTC")!, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        self.mode = mode
        self.busyTimeout = busyTimeout
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists {
            guard mode == .create else {
                throw TramaError(.noStore, "there is no store here yet", fields: ["store": path])
            }
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                throw TramaError(.noStore, "the folder of the store does not exist", fields: ["store": path, "folder": folder])
            }
        }
        do {
            // Look before touching: a read-only connection checks that the file is
            // a Trama store of a schema this Trama knows.
            var schema = Schema(versionedSettings: true)
            var storedZone: String?
            var readOnly: DatabaseQueue?
            if exists {
                let configuration = Self.configuration(readonly: true, busyTimeout: busyTimeout)
                do {
                    let queue = try DatabaseQueue(path: path, configuration: configuration)
                    (schema, storedZone) = try queue.read { db in try Self.inspect(db) }
                    readOnly = queue
                } catch let error as DatabaseError where mode == .read && Self.cannotShareMemory(error, path: path) {
                    // A store in a folder this user cannot write (a shared, read-only copy):
                    // SQLite cannot make the write-ahead log's shared-memory file beside it.
                    // With no log content pending, nobody is writing: read the file as it is.
                    let queue = try DatabaseQueue(path: Self.immutableURI(path), configuration: configuration)
                    (schema, storedZone) = try queue.read { db in try Self.inspect(db) }
                    readOnly = queue
                }
            }
            if mode == .read {
                reader = readOnly!
                writer = nil
            } else {
                let pool = try DatabasePool(path: path, configuration: Self.configuration(readonly: false, busyTimeout: busyTimeout))
                try Self.migrator.migrate(pool)
                try pool.write { db in
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO store_info (key, value) VALUES ('time_zone', ?)", arguments: [timeZone.identifier])
                }
                storedZone = try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'time_zone'") }
                schema = Schema(versionedSettings: true)
                reader = pool
                writer = pool
            }
            self.schema = schema
            self.timeZone = storedZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
            watcher = try readOnly ?? DatabaseQueue(path: path, configuration: Self.configuration(readonly: true, busyTimeout: busyTimeout))
        } catch {
            throw Self.translate(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Opens for writing (creating the file when `create`), as earlier Tramas did.
    public convenience init(path: String, create: Bool) throws {
        try self.init(path: path, mode: create ? .create : .write)
    }

    /// True when opening for reading failed only because the folder takes no
    /// `-shm` file, and no write-ahead log holds changes the file lacks.
    static func cannotShareMemory(_ error: DatabaseError, path: String) -> Bool {
        guard error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN else { return false }
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        return wal == 0
            && !FileManager.default.isWritableFile(
                atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
    }

    /// `file:PATH?immutable=1`, the path percent-encoded.
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute) + "?immutable=1"
    }

    static func configuration(readonly: Bool, busyTimeout: TimeInterval) -> Configuration {
        var config = Configuration()
        config.readonly = readonly
        if !readonly { config.journalMode = .wal }
        config.busyMode = .timeout(busyTimeout)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                // 16 KiB pages for new stores (ignored for existing ones): measured 20%
                // less B-tree work than 4 KiB on a 500k-relation import.
                try db.execute(sql: "PRAGMA page_size = 16384")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            // 64 MiB of page cache (the default is 2 MiB): a 500k-relation import
            // otherwise re-reads index pages from the WAL thousands of times.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return config
    }

    /// Checks, without writing, that `db` is a Trama store this version can read.
    static func inspect(_ db: Database) throws -> (Schema, String?) {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if !tables.isEmpty, !tables.contains("grdb_migrations") {
            throw TramaError(
                .storeUnreadable,
                "the file is a SQLite database but not a Trama store (it has tables \(tables.prefix(3).joined(separator: ", ")) and no Trama schema)"
            )
        }
        let applied = tables.isEmpty ? [] : Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        let unknown = applied.subtracting(migrator.migrations).sorted()
        if !unknown.isEmpty {
            throw TramaError(
                .newerSchema,
                "the store was written by a newer Trama (schema steps \(unknown.joined(separator: ", ")) are unknown to this version): upgrade trama to read it; the file was not changed"
            )
        }
        let zone =
            tables.contains("store_info")
            ? try String.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'time_zone'") : nil
        return (
            Schema(
                versionedSettings: applied.contains(settingsStep), time: applied.contains(timeStep),
                snapshotImages: applied.contains(snapshotImagesStep)), zone
        )
    }

    static let settingsStep = "2026-11-30-versioned-settings-relation-ids-images"

    /// Test hook: makes a store at an earlier schema step, as an older Trama left it.
    package static func _makeStore(at path: String, upTo step: String) throws {
        let queue = try DatabaseQueue(path: path, configuration: configuration(readonly: false, busyTimeout: 1))
        try migrator.migrate(queue, upTo: step)
    }

    /// Named, append-only schema steps. Never edit one that has shipped: add a new one.
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-25-graphs-actors-relations-changes") { db in
            try db.execute(
                sql: """
                    CREATE TABLE graphs (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        vocabulary TEXT NOT NULL DEFAULT '{}',
                        created_at TEXT NOT NULL
                    );
                    CREATE TABLE changes (
                        id INTEGER PRIMARY KEY,
                        graph_id INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                        at TEXT NOT NULL,
                        author TEXT NOT NULL,
                        command TEXT NOT NULL,
                        summary TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX changes_by_graph ON changes(graph_id, id);
                    CREATE TABLE actors (
                        row INTEGER PRIMARY KEY,
                        graph_id INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                        id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        territory TEXT,
                        themes TEXT,
                        tags TEXT,
                        url TEXT,
                        description TEXT,
                        attributes TEXT,
                        private INTEGER NOT NULL DEFAULT 0,
                        valid_from INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
                        valid_to INTEGER REFERENCES changes(id) ON DELETE CASCADE
                    );
                    CREATE UNIQUE INDEX actors_current ON actors(graph_id, id) WHERE valid_to IS NULL;
                    CREATE TABLE relations (
                        row INTEGER PRIMARY KEY,
                        graph_id INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        source TEXT NOT NULL,
                        target TEXT NOT NULL,
                        type TEXT NOT NULL,
                        strength REAL,
                        since TEXT,
                        until TEXT,
                        status TEXT NOT NULL,
                        description TEXT,
                        evidence TEXT,
                        tags TEXT,
                        attributes TEXT,
                        private INTEGER NOT NULL DEFAULT 0,
                        asserted_by TEXT,
                        asserted_in TEXT,
                        asserted_at TEXT,
                        valid_from INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
                        valid_to INTEGER REFERENCES changes(id) ON DELETE CASCADE
                    );
                    CREATE UNIQUE INDEX relations_current ON relations(graph_id, key) WHERE valid_to IS NULL;
                    CREATE INDEX relations_source ON relations(graph_id, source) WHERE valid_to IS NULL;
                    CREATE INDEX relations_target ON relations(graph_id, target) WHERE valid_to IS NULL;
                    """)
        }
        migrator.registerMigration("2026-11-26-graph-alliance-rules") { db in
            // What a territory's alliance needs (gap detection); NULL: the standard rules.
            try db.execute(sql: "ALTER TABLE graphs ADD COLUMN rules TEXT")
        }
        migrator.registerMigration(settingsStep) { db in
            // Vocabulary and rules become versioned rows like actors and relations,
            // so an answer reads them at the same version as the graph; a relation
            // gets a stable id (`rid`, NULL meaning its own row: the first version
            // of a relation is its id); each graph keeps a compact image of its
            // current actors and relations for analyses; the store records its zone.
            try db.execute(
                sql: """
                    CREATE TABLE store_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE settings (
                        row INTEGER PRIMARY KEY,
                        graph_id INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        value TEXT,
                        valid_from INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
                        valid_to INTEGER REFERENCES changes(id) ON DELETE CASCADE
                    );
                    CREATE UNIQUE INDEX settings_current ON settings(graph_id, name) WHERE valid_to IS NULL;
                    CREATE INDEX settings_history ON settings(graph_id, name, valid_from);
                    CREATE TABLE images (
                        graph_id INTEGER PRIMARY KEY REFERENCES graphs(id) ON DELETE CASCADE,
                        change_id INTEGER NOT NULL,
                        data BLOB NOT NULL
                    );
                    ALTER TABLE relations ADD COLUMN rid INTEGER;
                    """)
            // Earlier versions of a relation share the id of its first row.
            try db.execute(
                sql: """
                    CREATE INDEX relations_key_history ON relations(graph_id, key, row);
                    UPDATE relations SET rid = (SELECT min(r2.row) FROM relations r2 WHERE r2.graph_id = relations.graph_id AND r2.key = relations.key)
                    WHERE EXISTS (SELECT 1 FROM relations r3 WHERE r3.graph_id = relations.graph_id AND r3.key = relations.key AND r3.row < relations.row);
                    DROP INDEX relations_key_history;
                    """)
            // Vocabulary and rules as they stand, from the graph's last change.
            for row in try Row.fetchAll(db, sql: "SELECT id, vocabulary, rules FROM graphs") {
                let graphID: Int64 = row[0]
                let vocabulary: String? = (row[1] as String?).flatMap { $0 == "{}" || $0.isEmpty ? nil : $0 }
                let rules: String? = row[2]
                guard vocabulary != nil || rules != nil else { continue }
                var change = try Int64.fetchOne(db, sql: "SELECT max(id) FROM changes WHERE graph_id = ?", arguments: [graphID])
                if change == nil {
                    try db.execute(
                        sql:
                            "INSERT INTO changes (graph_id, at, author, command, summary) VALUES (?, ?, 'trama', 'schema upgrade', 'vocabulary and rules carried over')",
                        arguments: [graphID, Timestamp.string()])
                    change = db.lastInsertedRowID
                }
                for (name, value) in [("vocabulary", vocabulary), ("rules", rules)] where value != nil {
                    try db.execute(
                        sql: "INSERT INTO settings (graph_id, name, value, valid_from) VALUES (?, ?, ?, ?)",
                        arguments: [graphID, name, value, change])
                }
            }
        }
        migrator.registerMigration("2026-11-30-access-tokens") { db in
            // Bearer tokens of the HTTP service, stored hashed: a graph (or `*` for all),
            // a role, whether private data shows, when it expires or was revoked.
            try db.execute(
                sql: """
                    CREATE TABLE tokens (
                        id INTEGER PRIMARY KEY,
                        hash TEXT NOT NULL UNIQUE,
                        graph TEXT NOT NULL,
                        role TEXT NOT NULL,
                        see_private INTEGER NOT NULL DEFAULT 0,
                        note TEXT,
                        created_at TEXT NOT NULL,
                        expires_at TEXT,
                        revoked_at TEXT
                    );
                    """)
        }
        migrator.registerMigration(timeStep) { db in
            // Time: what kind of change each one is, which changes an undo reverts,
            // named moments (snapshots), indexes that find the rows a change made or
            // closed (change details, diffs, undo, earlier versions from the current
            // image), and the positions of each view's last map (stable layouts).
            try db.execute(
                sql: """
                    ALTER TABLE changes ADD COLUMN kind TEXT;
                    CREATE TABLE change_reverts (
                        change_id INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
                        reverted INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
                        PRIMARY KEY (change_id, reverted)
                    );
                    CREATE TABLE snapshots (
                        id INTEGER PRIMARY KEY,
                        graph_id INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        change_id INTEGER REFERENCES changes(id) ON DELETE CASCADE,
                        note TEXT,
                        author TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        UNIQUE (graph_id, name)
                    );
                    CREATE INDEX actors_made ON actors(graph_id, valid_from);
                    CREATE INDEX actors_closed ON actors(graph_id, valid_to) WHERE valid_to IS NOT NULL;
                    CREATE INDEX relations_made ON relations(graph_id, valid_from);
                    CREATE INDEX relations_closed ON relations(graph_id, valid_to) WHERE valid_to IS NOT NULL;
                    CREATE TABLE layouts (
                        graph_id INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                        view TEXT NOT NULL,
                        positions BLOB NOT NULL,
                        saved_at TEXT NOT NULL,
                        PRIMARY KEY (graph_id, view)
                    );
                    """)
        }
        migrator.registerMigration(snapshotImagesStep) { db in
            // Each snapshot's graph image, so reading as of a snapshot costs what reading now does.
            try db.execute(
                sql: """
                    CREATE TABLE snapshot_images (
                        graph_id INTEGER NOT NULL REFERENCES graphs(id) ON DELETE CASCADE,
                        change_id INTEGER NOT NULL,
                        data BLOB NOT NULL,
                        PRIMARY KEY (graph_id, change_id)
                    );
                    """)
        }
        return migrator
    }()

    static let snapshotImagesStep = "2026-11-30-snapshot-images"

    static let timeStep = "2026-11-30-time-snapshots-undo-layouts"

    /// Every SQLite failure becomes a ``TramaError`` with a category and the store's path as a field.
    static func translate(_ error: Error, path: String, busyTimeout: TimeInterval) -> Error {
        if var error = error as? TramaError {
            if [.noStore, .storeUnreadable, .newerSchema, .storage, .busy].contains(error.code) { error.fields["store"] = path }
            return error
        }
        if error is TramaErrors { return error }
        guard let db = error as? DatabaseError else { return error }
        let fields = ["store": path]
        switch db.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return TramaError(.storeUnreadable, "the file is not a Trama store (not a SQLite database, or damaged)", fields: fields)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return TramaError(
                .busy,
                "the store is busy: another process has been writing to it for more than \(Self.seconds(busyTimeout)); try again in a moment",
                fields: fields)
        case .SQLITE_CANTOPEN:
            return TramaError(.storage, "cannot open the store: check that its folder exists and can be read", fields: fields)
        case .SQLITE_READONLY, .SQLITE_PERM:
            return TramaError(.storage, "the store is read-only: it can be read but not changed (check its permissions)", fields: fields)
        case .SQLITE_FULL:
            return TramaError(.storage, "the disk holding the store is full: nothing was written", fields: fields)
        default:
            return TramaError(.storage, "the store failed: \(db.message ?? db.resultCode.description)", fields: fields)
        }
    }

    static func seconds(_ t: TimeInterval) -> String { t == t.rounded() ? "\(Int(t)) seconds" : String(format: "%.1f seconds", t) }

    /// A number that changes whenever any connection other than the one that reads it
    /// commits a change to the file (SQLite's `data_version`, read on a connection of
    /// its own that never writes): what a long-running front end checks before it
    /// trusts what it cached.
    public func changeCounter() throws -> Int64 {
        do {
            return try watcher.inDatabase { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        } catch {
            throw Self.translate(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Runs `body` in one read transaction: everything it reads is one version of the store.
    public func read<T>(_ body: (StoreSnapshot) throws -> T) throws -> T {
        do {
            return try reader.read { db in try body(StoreSnapshot(db: db, store: self)) }
        } catch {
            throw Self.translate(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`).
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        guard let writer else {
            throw TramaError(.storage, "the store was opened for reading: it cannot be changed", fields: ["store": path])
        }
        do { return try writer.write(body) } catch { throw Self.translate(error, path: path, busyTimeout: busyTimeout) }
    }

    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        guard let writer else {
            throw TramaError(.storage, "the store was opened for reading: it cannot be changed", fields: ["store": path])
        }
        do { return try writer.writeWithoutTransaction(body) } catch { throw Self.translate(error, path: path, busyTimeout: busyTimeout) }
    }
}
