import Foundation
import Testing
import TramaTestSupport

/// gaps, recommend, coalitions and rules through the real binary, on the seed.
struct InsightCommandTests {
    @Test func gapsOnTheSeedFindTheReportsMissingAlliances() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        let findings = try #require(try json(try ws.ok("gaps", "--graph", "talents4coop", "--json"))["findings"] as? [[String: Any]])
        // The report: no territory brought a public partner, and the territories did not tie to one another.
        let missingPA = findings.filter {
            $0["code"] as? String == "missing-kind" && ($0["reason"] as? String)?.contains("public administration") == true
        }
        #expect(missingPA.count == 10)
        #expect(findings.filter { $0["code"] as? String == "silo-territory" }.count == 10)
        #expect(findings.allSatisfy { f in ["code", "severity", "subject", "reason", "action"].allSatisfy { f[$0] != nil } })
        #expect(findings.first?["severity"] as? String == "high")
        let bologna = try #require(
            try json(try ws.ok("gaps", "--graph", "talents4coop", "--territory", "Emilia-Romagna/Bologna", "--json"))["findings"]
                as? [[String: Any]])
        #expect(
            bologna.allSatisfy {
                ($0["subject"] as? [String: Any])?["territory"] as? String == "Emilia-Romagna/Bologna"
                    || ($0["subject"] as? [String: Any])?["territory"] == nil
            })
        let italian = try json(
            try ws.ok("gaps", "--graph", "talents4coop", "--territory", "Emilia-Romagna/Parma", "--lang", "it", "--json"))
        let reasons = (italian["findings"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        #expect(reasons.contains("L'alleanza di Emilia-Romagna/Parma non ha pubbliche amministrazioni: ne serve 1"))
    }

    @Test func rulesAreStoredWithTheGraphAndLogged() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        _ = try ws.ok("rules", "set", "--graph", "talents4coop", "--require", "cooperative:1", "--require", "partner")
        let rules = try json(try ws.ok("rules", "show", "--graph", "talents4coop", "--json"))
        #expect((rules["requirements"] as? [[String: Any]])?.count == 2)
        let findings = try #require(try json(try ws.ok("gaps", "--graph", "talents4coop", "--json"))["findings"] as? [[String: Any]])
        #expect(!findings.contains { ($0["reason"] as? String)?.contains("public administration") == true })
        let log = try json(try ws.ok("log", "--graph", "talents4coop", "--json"))["changes"] as? [[String: Any]]
        #expect(log?.last?["summary"] as? String == "alliance rules set")
        let bad = try ws.trama("rules", "set", "--graph", "talents4coop", "--require", "spaceship")
        #expect(bad.status != 0 && bad.stderr.contains("unknown kind `spaceship`"))
        _ = try ws.ok("rules", "set", "--graph", "talents4coop", "--standard")
        #expect(try ws.ok("rules", "show", "--graph", "talents4coop").contains("public_administration"))
    }

    @Test func recommendAndCoalitionsOnTheSeed() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        let recommended = try json(try ws.ok("recommend", "heron", "--graph", "talents4coop", "--json", "--top", "3"))
        #expect(recommended["actor"] as? String == "heron")
        let candidates = try #require(recommended["candidates"] as? [[String: Any]])
        #expect(candidates.count == 3 && candidates.allSatisfy { ($0["reasons"] as? [String])?.isEmpty == false })
        let scores = candidates.compactMap { $0["score"] as? Double }
        #expect(scores == scores.sorted(by: >))
        // Heron has no public partner: administrations come first (the Regione, reached through the programme).
        #expect(candidates.first?["id"] as? String == "regione-er")
        let administrations = try json(
            try ws.ok("recommend", "heron", "--graph", "talents4coop", "--kind", "public_administration", "--json"))
        #expect((administrations["candidates"] as? [[String: Any]])?.first?["id"] as? String == "regione-er")
        let unknown = try ws.trama("recommend", "nobody", "--graph", "talents4coop")
        #expect(unknown.status != 0 && unknown.stderr.contains("there is no actor `nobody`"))
        // The seed's programme ended in 2022: its groups are tied by ended relations, read on request.
        let coalitions = try #require(
            try json(try ws.ok("coalitions", "--graph", "talents4coop", "--status", "active,ended", "--json"))["coalitions"]
                as? [[String: Any]])
        #expect(
            !coalitions.isEmpty
                && coalitions.allSatisfy { ["members", "cohesion", "missing", "complete_with"].allSatisfy($0.keys.contains) })
        let withRequirement = try #require(
            try json(try ws.ok("coalitions", "--graph", "talents4coop", "--require", "cooperative:2", "--max-size", "6", "--json"))[
                "coalitions"] as? [[String: Any]])
        #expect(withRequirement.allSatisfy { ($0["members"] as? [String] ?? []).count <= 6 })
    }
}
