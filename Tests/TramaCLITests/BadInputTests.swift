import Foundation
import GRDB
import Testing
import TramaTestSupport

/// Every bad input of the foundation issue, through the real binary: a non-zero
/// exit, a message naming the file, the line (or element) and the fix, and a
/// store exactly as it was.
struct BadInputTests {
    /// Imports `files` (name → bytes) into the fixture store and checks the refusal.
    func refuse(_ files: [(String, [UInt8])], mentions expected: [String]) throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let before = try ws.snapshot()
        for (name, bytes) in files { try ws.folder.write(name, bytes: bytes) }
        let result = try ws.tramaArgs(["import", "--graph", "fixture"] + files.map(\.0))
        #expect(result.status != 0)
        for text in expected { #expect(result.stderr.contains(text), "stderr was: \(result.stderr.prefix(600))") }
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack"))
        #expect(try ws.snapshot() == before, "the store changed")
    }

    func text(_ s: String) -> [UInt8] { Array(s.utf8) }

    let actors = "ID,Label,Type\nnew-coop,New Coop,cooperative\n"

    @Test func notUTF8() throws {
        try refuse(
            [("actors.csv", text("ID,Label,Type\nx,Caf") + [0xE8] + text(",cooperative\n"))],
            mentions: ["actors.csv line 2:", "not UTF-8", "CSV UTF-8"])
    }

    @Test func missingRequiredColumn() throws {
        try refuse(
            [("actors.csv", text(actors)), ("relations.csv", text("From,To\nnew-coop,coop-a\n"))],
            mentions: ["relations.csv line 1:", "needs a `Type` column"])
    }

    @Test func unknownKind() throws {
        try refuse(
            [("actors.csv", text("ID,Label,Type\nnew-coop,New,cooperative\nufo,UFO,spaceship\n"))],
            mentions: ["actors.csv line 3:", "unknown kind `spaceship`", "`cooperative`"])
    }

    @Test func unknownRelationType() throws {
        try refuse(
            [("actors.csv", text(actors)), ("relations.csv", text("From,To,Type\nnew-coop,coop-a,loves\n"))],
            mentions: ["relations.csv line 2:", "unknown relation type `loves`", "`partners_with`"])
    }

    @Test func relationToAMissingActor() throws {
        try refuse(
            [
                ("actors.csv", text(actors)),
                ("relations.csv", text("From,To,Type\nnew-coop,coop-a,partners_with\nnew-coop,nobody,partners_with\n")),
            ],
            mentions: ["relations.csv line 3:", "`nobody` is not an actor of this graph"])
    }

    @Test func duplicateIDInOneSheet() throws {
        try refuse(
            [("actors.csv", text("ID,Label,Type\nx,X,cooperative\ny,Y,cooperative\nx,X again,consortium\n"))],
            mentions: ["actors.csv line 4:", "the id `x` is already used at line 2"])
    }

    @Test func kindRuleBroken() throws {
        try refuse(
            [("actors.csv", text(actors)), ("relations.csv", text("From,To,Type\n\nnew-coop,proj,mentors\n"))],
            mentions: ["relations.csv line 3: `mentors` must start at a mentor, but `new-coop` is a cooperative"])
    }

    @Test func emptyFile() throws {
        try refuse([("actors.csv", [])], mentions: ["actors.csv:", "empty"])
    }

    @Test func tenMegabyteCell() throws {
        let big = String(repeating: "x", count: 10 << 20)
        try refuse(
            [("actors.csv", text("ID,Label,Type,Description\nnew-coop,New,cooperative,\(big)\n"))],
            mentions: ["actors.csv line 2:", "larger than the 1024 KiB a cell may hold"])
    }

    @Test func malformedJSON() throws {
        try refuse(
            [("graph.json", text("{\"graph\": \"fixture\",\n \"actors\": [\n {\"id\": \"a\" \"kind\": \"x\"}\n]}"))],
            mentions: ["graph.json", "not valid JSON"])
        try refuse([("graph.json", text("{\"actors\": [{\"id\": \"a\", \"kind\": 3}]}"))], mentions: ["graph.json (actors[0].kind)"])
    }

    @Test func malformedGraphML() throws {
        try refuse(
            [("g.graphml", text("<graphml>\n<graph>\n<node id=\"a\">\n</graph>"))], mentions: ["g.graphml line 4:", "not well-formed XML"])
    }

    @Test func malformedGEXF() throws {
        try refuse(
            [("g.gexf", text("<gexf version=\"1.2\">\n<graph>\n<nodes>\n<node id=\"a\" label=\"A & B\"/>\n</nodes></graph></gexf>"))],
            mentions: ["g.gexf line 4:", "escape `&` as `&amp;`"])
    }

    @Test func storeThatIsNotSQLite() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.folder.write("trama.db", "name,amount\nrent,100\n")
        try ws.folder.write("actors.csv", actors)
        for args in [["import", "actors.csv"], ["actor", "list"], ["graph", "list"]] {
            let result = try ws.tramaArgs(args)
            #expect(result.status != 0)
            #expect(result.stderr.contains("is not a Trama store"))
        }
        #expect(try ws.folder.read("trama.db") == "name,amount\nrent,100\n")
    }

    @Test func storeWrittenByANewerSchema() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let queue = try DatabaseQueue(path: ws.db)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01-future')") }
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let size = try FileManager.default.attributesOfItem(atPath: ws.db)[.size] as? Int
        try ws.folder.write("actors.csv", actors)
        for args in [["import", "--graph", "fixture", "actors.csv"], ["actor", "list", "--graph", "fixture"]] {
            let result = try ws.tramaArgs(args)
            #expect(result.status != 0)
            #expect(result.stderr.contains("written by a newer Trama") && result.stderr.contains("2099-01-01-future"))
        }
        #expect(try FileManager.default.attributesOfItem(atPath: ws.db)[.size] as? Int == size)
        let count = try DatabaseQueue(path: ws.db).read { try Int.fetchOne($0, sql: "SELECT count(*) FROM actors") }
        #expect(count == 6)
    }

    @Test func everyBadRowIsListedNotJustTheFirst() throws {
        try refuse(
            [
                ("actors.csv", text("ID,Label,Type\na,A,robot\nb,B,cooperative\nc,C,alien\n")),
                ("relations.csv", text("From,To,Type\nb,zz,partners_with\n")),
            ],
            mentions: ["actors.csv line 2:", "actors.csv line 4:", "relations.csv line 2:", "3 problems; nothing was written"])
    }
}
