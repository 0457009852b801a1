import Foundation
import Testing
import TramaTestSupport

/// Where output goes: a full disk is an error, a link stays a link, a device is written to.
struct OutputTests {
    @Test func aFullDiskOnStandardOutputIsAClearErrorNotACrash() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: buildFolder + "/trama")
        process.arguments = ["export", "--format", "json", "--graph", "fixture", "--db", ws.db]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "exit code 1, not a signal")
        #expect(message.contains("cannot write to standard output") && message.contains("No space left"), "\(message)")
        #expect(!message.contains("Fatal error"))
    }

    @Test func outputThroughASymbolicLinkKeepsTheLinkAndADeviceIsWrittenTo() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let real = ws.folder.file("real.json")
        let link = ws.folder.file("link.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        _ = try ws.ok("export", "--format", "json", "--graph", "fixture", "-o", link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real, "the link is still a link")
        #expect(try String(contentsOfFile: real, encoding: .utf8).contains("\"coop-a\""))
        // A device is written to, never replaced (an atomic replace of /dev/stdout would need a file beside it).
        let out = try ws.trama("export", "--format", "json", "--graph", "fixture", "-o", "/dev/stdout")
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("\"coop-a\""))
        #expect(try ws.ok("export", "--format", "json", "--graph", "fixture", "-o", "/dev/null").isEmpty)
        let folder = try ws.trama("export", "--format", "json", "--graph", "fixture", "-o", ws.folder.path)
        #expect(folder.status != 0 && folder.stderr.contains("is a folder"))
    }

    /// A consortium with `spokes` member cooperatives, imported from two sheets.
    func star(_ ws: Workspace, spokes: Int) throws {
        var actors = "ID,Name,Kind\nhub,Hub,consortium\n"
        var relations = "From,To,Type\n"
        for i in 0..<spokes {
            actors += "c\(i),Coop \(i),cooperative\n"
            relations += "c\(i),hub,member_of\n"
        }
        try ws.folder.write("actors.csv", actors)
        try ws.folder.write("relations.csv", relations)
        _ = try ws.ok("import", "actors.csv", "relations.csv", "--graph", "star")
    }

    @Test func aRenderPastItsDeadlineStopsWithAClearErrorAndWritesNothing() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        // circo on a star of 60 spokes takes seconds (6.5 s measured), well past a 0.5 s deadline.
        try star(ws, spokes: 60)
        let out = ws.folder.file("star.svg")
        let slow = try ws.trama("render", "--graph", "star", "--layout", "circo", "--timeout", "0.5", "-o", out)
        #expect(slow.status == 1)
        #expect(slow.stderr.contains("longer than 0.5 seconds") && slow.stderr.contains("sfdp"), "\(slow.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
        let bad = try ws.trama("render", "--graph", "star", "--timeout", "0")
        #expect(bad.status != 0 && bad.stderr.contains("--timeout must be"))
    }

    @Test func circoIsRefusedWhereItWouldTakeMinutesNamingALayoutThatWorks() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try star(ws, spokes: 120)
        let refused = try ws.trama("render", "--graph", "star", "--layout", "circo", "-o", ws.folder.file("star.svg"))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("121 actors") && refused.stderr.contains("neato"), "\(refused.stderr)")
        _ = try ws.ok("render", "--graph", "star", "--layout", "twopi", "-o", ws.folder.file("star.svg"))
    }

    @Test func dotIsRefusedAboveTheRelationsWhereItTakesMinutes() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        // 900 spokes: 900 relations, above dot's 800.
        try star(ws, spokes: 900)
        let refused = try ws.trama("render", "--graph", "star", "--layout", "dot", "-o", ws.folder.file("star.svg"))
        #expect(refused.status != 0 && refused.stderr.contains("900 relations") && refused.stderr.contains("sfdp"), "\(refused.stderr)")
    }

    @Test func anExcelExportImportsBackToTheSameGraph() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        _ = try ws.ok("actor", "update", "solco", "--graph", "talents4coop", "--name", "=HYPERLINK(\"http://x\")")
        _ = try ws.ok("export", "--format", "csv", "--excel", "--graph", "talents4coop", "-o", ws.folder.file("xl"))
        let actors = try Data(contentsOf: URL(fileURLWithPath: ws.folder.file("xl/attori.csv")))
        #expect(actors.prefix(3) == Data([0xEF, 0xBB, 0xBF]), "a byte-order mark: Excel reads UTF-8")
        #expect(String(decoding: actors, as: UTF8.self).contains("\"'=HYPERLINK("), "a formula start is guarded")
        _ = try ws.ok("import", ws.folder.file("xl/attori.csv"), ws.folder.file("xl/relazioni.csv"), "--graph", "back")
        var original = try json(try ws.ok("export", "--format", "json", "--graph", "talents4coop"))
        var back = try json(try ws.ok("export", "--format", "json", "--graph", "back"))
        original["graph"] = nil
        back["graph"] = nil
        #expect(NSDictionary(dictionary: original) == NSDictionary(dictionary: back))
        let wrong = try ws.trama("export", "--format", "json", "--excel", "--graph", "talents4coop")
        #expect(wrong.status != 0 && wrong.stderr.contains("--excel is for CSV"))
    }
}

/// Reasons are what a user came for: tables wrap them to the terminal, never cut them.
struct TableTests {
    @Test func longReasonsWrapToTheTerminalAndStayWholeInAPipe() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        let first = try #require(
            (try json(try ws.ok("recommend", "solco", "--graph", "talents4coop", "--json"))["candidates"] as? [[String: Any]])?.first)
        let reasons = try #require(first["reasons"] as? [String]).joined(separator: "; ")
        #expect(reasons.count > 80, "a reason long enough to wrap")
        // Piped: the row holds the whole reason on one line.
        let piped = try ws.ok("recommend", "solco", "--graph", "talents4coop")
        #expect(piped.contains(reasons))
        // On a 70-column terminal: no line is wider, and the words of the reason all come, in order.
        let narrow = try run(
            buildFolder + "/trama", ["recommend", "solco", "--graph", "talents4coop", "--db", ws.db], in: ws.folder.path,
            environment: ["COLUMNS": "70", "TRAMA_SEEDS": packageRoot + "/seeds"]
        ).stdout
        let lines = narrow.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 70 }, "\(lines.map(\.count).max() ?? 0) columns")
        let column = try #require(lines.first?.range(of: "reasons")?.lowerBound.utf16Offset(in: String(lines[0])))
        let rowLines = lines.dropFirst(2).prefix { line in line.hasPrefix("1 ") || line.hasPrefix("  ") }
        let rejoined = rowLines.map { line in
            String(line).count > column ? String(String(line).dropFirst(column)) : ""
        }.joined(separator: " ")
        // (A word longer than the column is broken inside it: compare without the spaces.)
        #expect(rejoined.filter { !$0.isWhitespace } == reasons.filter { !$0.isWhitespace })
    }
}

/// A private person is never named in a shared output.
struct PublicOutputTests {
    @Test func publicGapsRecommendationsCoalitionsAndMapsLeaveAPrivatePersonOut() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        _ = try ws.ok("actor", "update", "anna-riva", "--graph", "talents4coop", "--private", "yes")
        let g = ["--graph", "talents4coop"]
        // Without --public she is named (so the checks below can fail)…
        #expect(try ws.tramaArgs(["gaps", "--status", "active,ended"] + g).stdout.contains("Anna Riva"))
        // …with it, nowhere.
        for command in [
            ["gaps", "--status", "active,ended", "--public"], ["gaps", "--status", "active,ended", "--public", "--json"],
            ["coalitions", "--status", "active,ended", "--public", "--json"], ["recommend", "consolida-lecco", "--public", "--json"],
            ["render", "--public"], ["export", "--format", "json", "--public"],
        ] {
            let out = try ws.tramaArgs(command + g)
            #expect(out.status == 0, "\(command): \(out.stderr)")
            #expect(!out.stdout.contains("Anna Riva") && !out.stdout.contains("anna-riva"), "\(command.joined(separator: " ")) names her")
        }
        let asked = try ws.tramaArgs(["recommend", "anna-riva", "--public"] + g)
        #expect(asked.status != 0 && asked.stderr.contains("no actor `anna-riva`"), "hidden is not found, never 'private'")
    }
}

/// Italian users read Italian: `--lang it`, or `TRAMA_LANG=it` for every command.
struct ItalianOutputTests {
    @Test func summaryAnalysesActorsAndGapsSpeakItalian() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        let g = ["--graph", "talents4coop"]
        let summary = try ws.tramaArgs(["summary", "--lang", "it"] + g).stdout
        // The seed: 41 actors and 44 relations (its two sheets), 13 of them projects.
        #expect(summary.hasPrefix("talents4coop: 41 attori, 44 relazioni"))
        #expect(summary.contains("Progetto") && summary.contains("attori isolati"))
        let italian = ["TRAMA_LANG": "it", "TRAMA_SEEDS": packageRoot + "/seeds"]
        func trama(_ arguments: [String]) throws -> String {
            try run(buildFolder + "/trama", arguments + g + ["--db", ws.db], in: ws.folder.path, environment: italian).stdout
        }
        #expect(try trama(["analyze", "summary"]).contains("densità"))
        #expect(try trama(["analyze", "degree", "--top", "1"]).hasPrefix("pos.  attore"))
        #expect(try trama(["actor", "show", "solco"]).contains("territorio:  Emilia-Romagna/Bologna/Imola"))
        let gaps = try trama(["gaps", "--status", "active,ended"])
        #expect(gaps.hasPrefix("ALTA    tipo mancante [missing-kind]"), "\(gaps.prefix(80))")
        #expect(!gaps.contains("HIGH") && !gaps.contains("dei 1 necessari"))
        // --lang wins over TRAMA_LANG.
        #expect(try trama(["summary", "--lang", "en"]).hasPrefix("talents4coop: 41 actors, 44 relations"))
    }
}

struct FormatFromExtensionTests {
    @Test func theOutputsExtensionChoosesTheFormat() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        for (file, magic) in [("mappa.png", [0x89, 0x50, 0x4E, 0x47]), ("mappa.pdf", [0x25, 0x50, 0x44, 0x46]), ("mappa.svg", [0x3C])] {
            _ = try ws.ok("render", "--graph", "fixture", "-o", ws.folder.file(file))
            let bytes = try Data(contentsOf: URL(fileURLWithPath: ws.folder.file(file)))
            #expect(Array(bytes.prefix(magic.count)) == magic.map(UInt8.init), "\(file) starts as its format does")
        }
    }
}
