import Foundation
import Testing
import TramaTestSupport

/// `trama analyze` through the real binary: the JSON shapes the HTTP API will
/// serve, ordering, filters and refusals. (The values themselves are checked
/// against networkx in TramaAnalysisTests.)
struct AnalyzeTests {
    @Test func perActorValuesComeSortedWithNamesAndRespectTop() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let all = try json(try ws.ok("analyze", "degree", "--graph", "fixture", "--json"))
        #expect(all["metric"] as? String == "degree")
        let values = try #require(all["values"] as? [[String: Any]])
        #expect(values.count == 6)
        let numbers = values.compactMap { $0["value"] as? Double }
        #expect(numbers == numbers.sorted(by: >))
        // The graph is directed; coop-a has 3 successors (cons, coop-b, proj) and 3 predecessors
        // (pa-bo, anna, coop-b by the undirected partnership): (3 + 3) / 5, as networkx on a DiGraph.
        #expect(values.first?["id"] as? String == "coop-a" && abs((values.first?["value"] as? Double ?? 0) - 1.2) < 1e-12)
        #expect(values.first?["name"] as? String == "Cooperativa A, \"la prima\"")
        let sampled = try json(try ws.ok("analyze", "betweenness", "--graph", "fixture", "--epsilon", "0.1", "--json"))
        let estimate = try #require(sampled["estimate"] as? [String: Any])
        #expect((estimate["samples"] as? Int ?? 0) > 0 && estimate["delta"] as? Double == 0.1)
        let wrong = try ws.trama("analyze", "pagerank", "--graph", "fixture", "--epsilon", "0.1")
        #expect(wrong.status != 0 && wrong.stderr.contains("--epsilon applies to betweenness only"))
        let top = try json(try ws.ok("analyze", "pagerank", "--graph", "fixture", "--json", "--top", "2"))
        #expect((top["values"] as? [Any])?.count == 2)
    }

    @Test func filtersNarrowTheGraph() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let bologna = try json(try ws.ok("analyze", "summary", "--graph", "fixture", "--territory", "Emilia-Romagna/Bologna", "--json"))
        #expect(bologna["actors"] as? Int == 3)
        // partners_with, co_designs_with (one pair, merged) and contracts_with; the undirected pair counts both ways.
        let typed = try json(try ws.ok("analyze", "summary", "--graph", "fixture", "--type", "partners_with", "--json"))
        #expect(typed["relations"] as? Int == 1 && typed["directed"] as? Bool == false)
        let ended = try json(try ws.ok("analyze", "summary", "--graph", "fixture", "--status", "ended", "--json"))
        #expect(ended["relations"] as? Int == 1)
        let badType = try ws.trama("analyze", "degree", "--graph", "fixture", "--type", "loves")
        #expect(badType.status != 0 && badType.stderr.contains("unknown relation type `loves`"))
    }

    @Test func networkShapes() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        try ws.loadFixture()
        let communities = try json(try ws.ok("analyze", "communities", "--graph", "fixture", "--json", "--seed", "3"))
        #expect(communities["algorithm"] as? String == "louvain" && communities["modularity"] is Double)
        let members = (communities["communities"] as? [[String]] ?? []).flatMap { $0 }
        #expect(Set(members) == ["anna", "coop-a", "coop-b", "cons", "pa-bo", "proj"] && members.count == 6)
        #expect(
            try ws.ok("analyze", "communities", "--graph", "fixture", "--json", "--seed", "3")
                == (try ws.ok("analyze", "communities", "--graph", "fixture", "--json", "--seed", "3")))
        // In the undirected view coop-a holds everything together: it is the only cut point, and its ties to
        // cons, coop-b (two relations, one tie) and pa-bo are bridges; anna, proj and coop-a form a cycle.
        let points = try json(try ws.ok("analyze", "articulation-points", "--graph", "fixture", "--json"))
        #expect(points["ids"] as? [String] == ["coop-a"])
        let bridges = try json(try ws.ok("analyze", "bridges", "--graph", "fixture", "--json"))
        #expect(bridges["bridges"] as? [[String]] == [["cons", "coop-a"], ["coop-a", "coop-b"], ["coop-a", "pa-bo"]])
        let summary = try json(try ws.ok("analyze", "summary", "--graph", "fixture", "--json"))
        #expect(summary["metric"] as? String == "summary" && summary["components"] as? Int == 1)
        // Brokerage by kind: coop-b → coop-a → proj is an open two-path A → A → B (coop-a represents the cooperatives).
        let brokerage = try json(try ws.ok("analyze", "brokerage", "--graph", "fixture", "--group-by", "kind", "--json"))
        let first = try #require((brokerage["values"] as? [[String: Any]])?.first)
        #expect(first["id"] as? String == "coop-a" && first["group"] as? String == "cooperative")
        #expect(((first["roles"] as? [String: Any])?["representative"] as? Double ?? 0) >= 1)
        #expect((brokerage["network"] as? [String: Any])?["z"] != nil)
        let ei = try json(try ws.ok("analyze", "ei-index", "--graph", "fixture", "--group-by", "kind", "--json"))
        #expect(ei["group_by"] as? String == "kind" && ei["groups"] as? Int == 5)
    }

    @Test func theSeedsBrokersAndCommunities() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        let brokers = try json(try ws.ok("analyze", "betweenness", "--graph", "talents4coop", "--undirected", "--json", "--top", "1"))
        // Every selected organisation, promoter and guest is tied to the programme: it brokers between them all.
        #expect((brokers["values"] as? [[String: Any]])?.first?["id"] as? String == "talents4coop")
        let table = try ws.ok("analyze", "communities", "--graph", "talents4coop", "--undirected")
        #expect(table.hasPrefix("louvain: ") && table.contains("modularity"))
        let leiden = try json(try ws.ok("analyze", "communities", "--algorithm", "leiden", "--graph", "talents4coop", "--json"))
        #expect(leiden["algorithm"] as? String == "leiden" && (leiden["communities"] as? [[String]])?.flatMap { $0 }.count == 41)
    }
}
