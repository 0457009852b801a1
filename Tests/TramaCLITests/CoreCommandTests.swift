import Foundation
import GRDB
import Testing
import TramaTestSupport

/// The command line over the application core, through the real binary.
struct CoreCommandTests {
    /// Every read command, with the arguments it needs on the fixture.
    static let reads: [[String]] = [
        ["summary"], ["actor", "list"], ["actor", "show", "coop-a"], ["relation", "list"], ["export", "--format", "json"],
        ["analyze", "degree"], ["gaps"], ["recommend", "coop-b"], ["coalitions"], ["render", "--format", "dot"], ["log"],
        ["vocabulary", "show"], ["rules", "show"],
    ]

    @Test func everyReadTakesAsOfAndRefusesAMalformedOne() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let log = try json(try ws.ok("log", "--graph", "fixture", "--json"))["changes"] as? [[String: Any]]
        let first = try #require(log?.first?["at"] as? String)
        for command in Self.reads {
            let ok = try ws.tramaArgs(command + ["--graph", "fixture", "--as-of", first])
            #expect(ok.status == 0, "\(command): \(ok.stderr)")
            for bad in ["banana", "2026-13-45", "30/11/2026"] {
                let refused = try ws.tramaArgs(command + ["--graph", "fixture", "--as-of", bad])
                #expect(
                    refused.status == 1 && refused.stderr.contains("--as-of") && refused.stderr.contains("2026-11-30T10:15:00+01:00"),
                    "\(command) --as-of \(bad): \(refused.stderr)")
            }
        }
    }

    /// `--json` prints the core's answer itself: the same bytes as the value the
    /// application returns (checked here against a second run of the same request
    /// through the binary and the JSON shape the API documents).
    @Test func theJSONIsTheCoresAnswer() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let degree = try json(try ws.ok("analyze", "degree", "--graph", "fixture", "--json", "--top", "1"))
        #expect(Set(degree.keys) == ["metric", "values"])
        let value = try #require((degree["values"] as? [[String: Any]])?.first)
        #expect(Set(value.keys) == ["id", "name", "kind", "territory", "value"])
        let relations = try json(try ws.ok("relation", "list", "--graph", "fixture", "--json"))["relations"] as? [[String: Any]]
        let id = try #require(relations?.first?["id"] as? Int)
        let shown = try json(try ws.ok("relation", "show", "\(id)", "--graph", "fixture", "--json"))
        #expect(shown["id"] as? Int == id && shown["from"] as? String == relations?.first?["from"] as? String)
        _ = try ws.ok("relation", "update", "\(id)", "--graph", "fixture", "--evidence", "lab 3")
        #expect(try json(try ws.ok("relation", "show", "\(id)", "--graph", "fixture", "--json"))["evidence"] as? String == "lab 3")
    }

    @Test func aReaderAnswersWhileAnotherProcessWrites() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let writer = try DatabaseQueue(path: ws.db)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? writer.inTransaction(.immediate) { db in
                try db.execute(sql: "UPDATE actors SET name = 'Uncommitted' WHERE id = 'coop-b' AND valid_to IS NULL")
                holding.signal()
                release.wait()
                return .rollback
            }
            done.signal()
        }
        holding.wait()
        // Every read command answers from the last committed version while the store is locked for writing.
        for command in Self.reads {
            let result = try ws.tramaArgs(command + ["--graph", "fixture"])
            #expect(result.status == 0 && !result.stdout.contains("Uncommitted"), "\(command): \(result.stderr)")
        }
        release.signal()
        done.wait()
    }

    /// A store that cannot be written (a read-only copy in a read-only folder) can
    /// still be read; a write says why it cannot.
    @Test func aReadOnlyStoreIsRead() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        try DatabaseQueue(path: ws.db).writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let shelf = ws.folder.file("shelf")
        try FileManager.default.createDirectory(atPath: shelf, withIntermediateDirectories: true)
        let copy = shelf + "/trama.db"
        try FileManager.default.copyItem(atPath: ws.db, toPath: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: shelf)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shelf) }
        // Root may write anything: run as nobody to meet the permissions a user meets.
        func trama(_ arguments: [String]) throws -> ProcessResult {
            let binary = buildFolder + "/trama"
            if getuid() == 0 {
                return try run(
                    "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + arguments + ["--db", copy])
            }
            return try run(binary, arguments + ["--db", copy])
        }
        for command in Self.reads {
            let read = try trama(command + ["--graph", "fixture"])
            #expect(read.status == 0, "\(command): \(read.stderr)")
        }
        let write = try trama(["actor", "add", "x", "--kind", "mentor", "--graph", "fixture"])
        #expect(write.status == 1 && write.stderr.contains("read-only"), "\(write.stderr)")
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
    }

    @Test func theMapsFormatFollowsTheFileName() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        _ = try ws.ok("render", "--graph", "fixture", "-o", "mappa.png")
        let png = try Data(contentsOf: URL(fileURLWithPath: ws.folder.file("mappa.png")))
        #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        _ = try ws.ok("render", "--graph", "fixture", "-o", "mappa.svg", "--format", "svg")
        #expect(try ws.folder.read("mappa.svg").contains("<svg"))
    }
}
