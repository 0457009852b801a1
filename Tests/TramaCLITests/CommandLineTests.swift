import Foundation
import Testing
import TramaTestSupport

struct EditingTests {
    @Test func addUpdateShowListAndRemoveActors() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let added = try ws.trama(
            "actor", "add", "--name", "Cooperativa Sociale Cooltour", "--kind", "Cooperativa",
            "--territory", "Emilia-Romagna/Piacenza", "--theme", "cultura", "--theme", "educazione", "--attr", "Category=sociale")
        #expect(added.status == 0 && added.stdout == "default: 1 actor added\n")
        #expect(added.stderr.contains("created graph `default`"))
        _ = try ws.ok("actor", "add", "emotional-map", "--name", "Emotional Map", "--kind", "project")
        _ = try ws.ok(
            "relation", "add", "cooperativa-sociale-cooltour", "emotional-map", "--type", "promotes", "--since", "2021", "--strength", "2")
        _ = try ws.ok("actor", "update", "cooperativa-sociale-cooltour", "--url", "http://www.cooltour.it/")

        let shown = try json(try ws.ok("actor", "show", "cooperativa-sociale-cooltour", "--json"))
        let actor = try #require(shown["actor"] as? [String: Any])
        #expect(actor["kind"] as? String == "cooperative")
        #expect(actor["themes"] as? [String] == ["cultura", "educazione"])
        #expect(actor["url"] as? String == "http://www.cooltour.it/")
        #expect(actor["attributes"] as? [String: String] == ["Category": "sociale"])
        #expect((shown["relations"] as? [[String: Any]])?.first?["since"] as? String == "2021")

        let table = try ws.ok("actor", "list", "--territory", "Emilia-Romagna")
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("id  ") && lines[0].contains("territory"))
        #expect(lines[1].allSatisfy { $0 == "-" || $0 == " " })
        #expect(lines.count == 3, "only the cooperative has a territory")
        // Columns line up: every row starts its `kind` column where the header does.
        let kindColumn = try #require(lines[0].range(of: "kind")).lowerBound.utf16Offset(in: lines[0])
        #expect(lines[2].dropFirst(kindColumn).hasPrefix("cooperative"))

        let refusal = try ws.trama("actor", "remove", "cooperativa-sociale-cooltour")
        #expect(refusal.status != 0 && refusal.stderr.contains("still has 1 relation: pass --cascade"))
        #expect(
            try ws.ok("actor", "remove", "cooperativa-sociale-cooltour", "--cascade") == "default: 1 actor removed, 1 relation removed\n")
        #expect(try json(try ws.ok("actor", "list", "--json"))["actors"] as? [[String: Any]] == nil ? false : true)
        let log = try json(try ws.ok("log", "--json"))["changes"] as? [[String: Any]]
        #expect(log?.count == 5)
        #expect(log?.allSatisfy { $0["author"] as? String == "tester" } == true)
        #expect(log?.last?["command"] as? String == "trama actor remove cooperativa-sociale-cooltour --cascade --db \(ws.db)")
    }

    @Test func relationsAreUpdatedListedAndRemovedByEndsAndType() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        _ = try ws.ok(
            "relation", "update", "coop-b", "coop-a", "--type", "partners_with", "--graph", "fixture", "--status", "active", "--strength",
            "3")
        let listed = try json(try ws.ok("relation", "list", "--graph", "fixture", "--type", "partner", "--json"))
        let relation = try #require((listed["relations"] as? [[String: Any]])?.first)
        #expect(relation["status"] as? String == "active" && relation["strength"] as? Double == 3)
        #expect(relation["description"] as? String == "quoted \"text\"", "fields not given stay as they were")
        let byKind = try json(try ws.ok("relation", "list", "--graph", "fixture", "--kind", "cooperative", "--json"))
        #expect((byKind["relations"] as? [[String: Any]])?.count == 2)
        _ = try ws.ok("relation", "remove", "coop-a", "coop-b", "--type", "co_designs_with", "--graph", "fixture")
        let missing = try ws.trama("relation", "remove", "coop-a", "coop-b", "--type", "co_designs_with", "--graph", "fixture")
        #expect(missing.status != 0 && missing.stderr.contains("there is no relation"))
        let wrongKind = try ws.trama("relation", "add", "coop-b", "proj", "--type", "mentors", "--graph", "fixture")
        #expect(wrongKind.status != 0 && wrongKind.stderr.contains("`mentors` must start at a mentor, but `coop-b` is a cooperative"))
    }

    @Test func graphsAreListedCreatedAndDeleted() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        _ = try ws.ok("graph", "create", "empty")
        let graphs = try json(try ws.ok("graph", "list", "--json"))["graphs"] as? [[String: Any]]
        #expect(graphs?.map { $0["name"] as? String } == ["empty", "fixture"])
        #expect(graphs?.last?["actors"] as? Int == 6 && graphs?.last?["relations"] as? Int == 7)
        let guarded = try ws.trama("graph", "delete", "fixture")
        #expect(guarded.status != 0 && guarded.stderr.contains("still holds 6 actors") && guarded.stderr.contains("--force"))
        _ = try ws.ok("graph", "delete", "fixture", "--force")
        _ = try ws.ok("graph", "delete", "empty")
        #expect(try ws.ok("graph", "list") == "no graphs in \(ws.db)\n")
        for command in [
            ["actor", "list"], ["actor", "show", "x"], ["relation", "list"], ["export"], ["log"], ["summary"],
            ["relation", "add", "a", "b", "--type", "partners_with"], ["actor", "remove", "x"], ["graph", "delete", "nowhere"],
        ] {
            let unknown = try ws.tramaArgs(command + ["--graph", "nowhere"])
            #expect(
                unknown.status == 1 && unknown.stderr.contains("there is no graph `nowhere`"), "\(command): \(unknown.stderr.prefix(300))")
        }
    }

    @Test func readCommandsNeedAStore() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        let result = try ws.trama("actor", "list")
        #expect(result.status != 0 && result.stderr.contains("there is no store at"))
        #expect(!FileManager.default.fileExists(atPath: ws.db))
    }
}

struct ExportImportTests {
    @Test func jsonThroughTheStoreIsLossless() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let exported = try ws.ok("export", "--graph", "fixture", "--format", "json")
        #expect(exported == (try ws.folder.read("fixture.json")))
        try ws.folder.write("again.json", exported)
        let reimport = try ws.trama("import", "again.json")
        #expect(reimport.stdout == "fixture: nothing changed (13 already up to date)\n")
    }

    @Test func csvSheetsGraphmlAndGexfReimportToTheSameGraph() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let original = try ws.ok("export", "--graph", "fixture", "--format", "json").replacingOccurrences(
            of: "\"graph\" : \"fixture\"", with: "")
        _ = try ws.ok("export", "--graph", "fixture", "--format", "csv", "-o", "sheets")
        _ = try ws.ok("export", "--graph", "fixture", "--format", "graphml", "-o", "g.graphml")
        _ = try ws.ok("export", "--graph", "fixture", "--format", "gexf", "-o", "g.gexf")
        for (graph, files) in [
            ("from-csv", ["sheets/relations.csv", "sheets/actors.csv"]), ("from-graphml", ["g.graphml"]), ("from-gexf", ["g.gexf"]),
        ] {
            _ = try ws.tramaArgs(["import", "--graph", graph] + files)
            let back = try ws.ok("export", "--graph", graph, "--format", "json").replacingOccurrences(
                of: "\"graph\" : \"\(graph)\"", with: "")
            #expect(back == original, "\(graph) differs")
        }
        #expect(
            try ws.ok("export", "--graph", "fixture", "--format", "csv", "--sheet", "actors") == (try ws.folder.read("sheets/actors.csv")))
        let noSheet = try ws.trama("export", "--graph", "fixture", "--format", "csv")
        #expect(noSheet.status != 0 && noSheet.stderr.contains("--sheet"))
    }

    @Test func publicExportLeavesPrivateDataOut() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let shared = try json(try ws.ok("export", "--graph", "fixture", "--format", "json", "--public"))
        let ids = (shared["actors"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(ids == ["anna", "coop-a", "coop-b", "pa-bo", "proj"])
        let relations = try #require(shared["relations"] as? [[String: Any]])
        #expect(relations.count == 5 && relations.allSatisfy { $0["private"] as? Bool == false })
    }

    @Test func exportAsOfADate() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let before = try ws.ok("export", "--graph", "fixture", "--format", "json")
        let log = try json(try ws.ok("log", "--graph", "fixture", "--json"))["changes"] as? [[String: Any]]
        let firstAt = try #require(log?.first?["at"] as? String)
        _ = try ws.ok("actor", "remove", "proj", "--graph", "fixture", "--cascade")
        #expect(try ws.ok("export", "--graph", "fixture", "--format", "json", "--as-of", firstAt) == before)
        let tooEarly = try ws.trama("export", "--graph", "fixture", "--as-of", "1999-12-31")
        #expect(tooEarly.status != 0 && tooEarly.stderr.contains("did not exist yet at the end of 1999-12-31"))
    }

    @Test func dotExportIsGraphvizText() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let dot = try ws.ok("export", "--graph", "fixture", "--format", "dot")
        #expect(dot.hasPrefix("digraph \"fixture\" {\n") && dot.hasSuffix("}\n"))
        #expect(dot.components(separatedBy: " -> ").count - 1 == 7)
    }
}

/// The bundled seed holds what the Talents4coop report states.
struct SeedTests {
    @Test func theSeedHoldsTheReportsFacts() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        #expect(try ws.ok("seed", "talents4coop") == "talents4coop: 41 actors added, 44 relations added\n")
        let actors = try #require(try json(try ws.ok("actor", "list", "--graph", "talents4coop", "--json"))["actors"] as? [[String: Any]])
        let relations = try #require(
            try json(try ws.ok("relation", "list", "--graph", "talents4coop", "--json"))["relations"] as? [[String: Any]])
        func tagged(_ tag: String) -> [[String: Any]] { actors.filter { ($0["tags"] as? [String])?.contains(tag) == true } }

        // «11 organizzazioni» selected, from «9 territori» (Bologna, Piacenza, Parma, Reggio Emilia, Ravenna, Rimini, Ferrara, Forlì, Modena).
        let selected = relations.filter { $0["to"] as? String == "talents4coop" && $0["type"] as? String == "participates_in" }
            .compactMap { $0["from"] as? String }
        let organisations = actors.filter {
            selected.contains($0["id"] as! String) && ["cooperative", "consortium", "association"].contains($0["kind"] as! String)
        }
        #expect(organisations.count == 11)
        #expect(tagged("organizzazione selezionata").count == 11)
        let provinces = Set(
            organisations.compactMap { ($0["territory"] as? String)?.split(separator: "/").dropFirst().first.map(String.init) })
        #expect(provinces == ["Bologna", "Piacenza", "Parma", "Reggio Emilia", "Ravenna", "Rimini", "Ferrara", "Forlì", "Modena"])
        // «1 ass.ne»: one association.
        #expect(organisations.filter { $0["kind"] as? String == "association" }.count == 1)
        // «8 progettualità emerse»: 4 services, 2 community-engagement concepts, 2 open-innovation teams.
        #expect(tagged("progettualità emersa").count == 8)
        #expect(tagged("servizio").count == 4 && tagged("community engagement").count == 2 && tagged("team di open innovation").count == 2)
        // The promoters.
        let promoters = Set(
            relations.filter { $0["to"] as? String == "talents4coop" && $0["type"] as? String == "promotes" }.compactMap {
                $0["from"] as? String
            })
        #expect(promoters == ["confcooperative-er", "irecoop-er", "social-seed"])
        // The three mentors of the final event's tables, with the organisations they come from.
        let affiliations = Dictionary(
            uniqueKeysWithValues: relations.filter { $0["type"] as? String == "affiliated_with" }
                .map { ($0["from"] as! String, $0["to"] as! String) })
        #expect(
            affiliations["gianluca-fabbri"] == "gencom" && affiliations["anna-riva"] == "consolida-lecco"
                && affiliations["sergio-galasso"] == "itinerari-paralleli")
        #expect(actors.contains { $0["id"] as? String == "regione-er" && $0["kind"] as? String == "public_administration" })
        // Every relation says where in the report it comes from.
        #expect(relations.allSatisfy { !(($0["evidence"] as? String) ?? "").isEmpty })
    }

    @Test func seedingTwiceChangesNothing() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        #expect(try ws.ok("seed", "talents4coop") == "talents4coop: nothing changed (85 already up to date)\n")
        let unknown = try ws.trama("seed", "atlantis")
        #expect(unknown.status != 0 && unknown.stderr.contains("no seed `atlantis`"))
    }
}
