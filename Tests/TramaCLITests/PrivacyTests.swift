import Foundation
import Testing
import TramaTestSupport

/// Mentors are people: what the store holds about one can be exported, and
/// erased so that no byte of it is left in the file.
struct PrivacyTests {
    func fileBytes(_ ws: Workspace) throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: ws.db))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: ws.db + "-wal")) { data.append(wal) }
        return data
    }

    @Test func exportGivesEveryVersionAndErasureLeavesNoTrace() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        let g = "talents4coop"
        _ = try ws.ok(
            "actor", "update", "anna-riva", "--graph", g, "--description", "Mentor for networks, Lecco", "--attr", "Email=anna@example.org")
        _ = try ws.ok("relation", "add", "anna-riva", "solco", "--type", "mentors", "--graph", g, "--asserted-by", "Anna Riva")
        _ = try ws.ok("relation", "remove", "anna-riva", "solco", "--type", "mentors", "--graph", g)
        // Maps keep where they drew her; a snapshot's note names her.
        _ = try ws.ok("render", "--graph", g, "-o", ws.folder.file("whole.svg"))
        _ = try ws.ok("render", "--graph", g, "--view", "ego:anna-riva", "-o", ws.folder.file("anna.svg"))
        _ = try ws.ok("snapshot", "create", "after-lab", "--graph", g, "--note", "Anna Riva joined")

        let export = try json(try ws.ok("privacy", "export", "anna-riva", "--graph", g))
        #expect((export["actor"] as? [Any])?.count == 2, "the seeded version and the updated one")
        #expect((export["relations"] as? [[String: Any]])?.count == 3, "affiliated_with, mentors, and the removed mentors relation")
        #expect((export["changes"] as? [Any])?.count == 3, "the update, the add and the remove name her")
        #expect(try fileBytes(ws).range(of: Data("Anna Riva".utf8)) != nil)

        let unconfirmed = try ws.trama("privacy", "erase", "anna-riva", "--graph", g)
        #expect(unconfirmed.status != 0 && unconfirmed.stderr.contains("pass --confirm"))
        let erased = try ws.ok("privacy", "erase", "anna-riva", "--graph", g, "--confirm")
        #expect(erased.contains("erased 2 actor version(s), 3 relation version(s)"))

        let bytes = try fileBytes(ws)
        for trace in ["Anna Riva", "anna-riva", "anna@example.org"] {
            #expect(bytes.range(of: Data(trace.utf8)) == nil, "`\(trace)` is still in the store file")
        }
        let gone = try ws.trama("privacy", "export", "anna-riva", "--graph", g)
        #expect(gone.status != 0 && gone.stderr.contains("holds nothing about `anna-riva`"))
        // Everyone else is untouched.
        #expect(try ws.ok("actor", "show", "consolida-lecco", "--graph", g).contains("Consorzio Consolida Lecco"))
        let log = try json(try ws.ok("log", "--graph", g, "--json"))["changes"] as? [[String: Any]]
        // Two mentions by hand: Consorzio Consolida Lecco's description and its source quote.
        #expect(
            log?.last?["summary"] as? String == "personal data erased on request: 2 actor version(s), 3 relation version(s), 3 mention(s)")
        #expect(log?.allSatisfy { !(($0["command"] as? String) ?? "").contains("example.org") } == true)
    }
}
