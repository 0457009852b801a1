import Foundation
import GRDB
import TramaModel

/// One SQLite file holding several graphs, their history and their vocabulary.
///
/// Rows are versioned rather than overwritten: every write opens a change
/// (time, author, command) and each actor or relation row carries the change
/// that made it (`valid_from`) and the one that replaced or removed it
/// (`valid_to`, NULL while current). Reading as of a change, comparing two
/// changes and undoing one are queries over the same rows; nothing is lost.
public final class Store: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// Opens the store at `path`, creating it when `create` is true, and brings
    /// its schema up to date. Refuses files that are not Trama stores and stores
    /// written by a newer Trama.
    public init(path: String, create: Bool) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard create else {
                throw TramaError(.notFound, "there is no store at `\(path)`: import a graph first (`trama import …`, `trama seed talents4coop`) or pass --db")
            }
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                throw TramaError(.notFound, "the folder `\(folder)` of the store `\(path)` does not exist: create it or pass another --db")
            }
        }
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(10)
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in
            // 16 KiB pages for new stores (ignored for existing ones): measured 20%
            // less B-tree work than 4 KiB on a 500k-relation import.
            try db.execute(sql: "PRAGMA page_size = 16384")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 64 MiB of page cache (the default is 2 MiB): a 500k-relation import
            // otherwise re-reads index pages from the WAL thousands of times.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if !tables.isEmpty, !tables.contains("grdb_migrations") {
                    throw TramaError(.storeUnreadable,
                        "`\(path)` is a SQLite database but not a Trama store (it has tables \(tables.prefix(3).joined(separator: ", ")) and no Trama schema): pass another --db")
                }
                if try Self.migrator.hasBeenSuperseded(db) {
                    let unknown = try Self.migrator.appliedIdentifiers(db).subtracting(Self.migrator.migrations).sorted()
                    throw TramaError(.newerSchema,
                        "`\(path)` was written by a newer Trama (schema steps \(unknown.joined(separator: ", ")) are unknown to this version): upgrade trama to read it; the file was not changed")
                }
            }
            try Self.migrator.migrate(queue)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Named, append-only schema steps. Never edit one that has shipped: add a new one.
    /// (Indexes on `valid_from`/`valid_to` for diffs and undo come with those
    /// commands: each costs every import a fifth more B-tree work.)
    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-25-graphs-actors-relations-changes") { db in
            try db.execute(sql: """
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
        return migrator
    }()

    /// Every SQLite failure becomes a ``TramaError`` that says what to do.
    static func translate(_ error: Error, path: String) -> Error {
        if error is TramaError || error is TramaErrors { return error }
        guard let db = error as? DatabaseError else { return error }
        switch db.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return TramaError(.storeUnreadable, "`\(path)` is not a Trama store (not a SQLite database, or damaged): pass another --db")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return TramaError(.storage, "the store `\(path)` is busy: another trama is writing to it; try again in a moment")
        case .SQLITE_CANTOPEN:
            return TramaError(.storage, "cannot open the store `\(path)`: check that its folder exists and is writable")
        case .SQLITE_READONLY, .SQLITE_PERM:
            return TramaError(.storage, "the store `\(path)` is read-only: check its permissions")
        case .SQLITE_FULL:
            return TramaError(.storage, "the disk holding `\(path)` is full: nothing was written")
        default:
            return TramaError(.storage, "the store `\(path)` failed: \(db.message ?? db.resultCode.description)")
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch { throw Self.translate(error, path: path) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.write(body) } catch { throw Self.translate(error, path: path) }
    }
}
