import Testing
import TramaInsight
import TramaModel

/// Small ecosystems where each gap is planted on purpose, and absent on purpose.
struct GapTests {
    static func actor(_ id: String, _ kind: String, _ territory: String, themes: [String] = []) -> Actor {
        Actor(id: id, name: id.uppercased(), kind: kind, territory: Territory(territory), themes: themes)
    }

    /// A complete, well-tied alliance in Bologna: nothing to report there.
    static let healthy: [Actor] = [
        actor("pa", "public_administration", "ER/Bologna", themes: ["welfare"]),
        actor("c1", "cooperative", "ER/Bologna", themes: ["welfare"]),
        actor("c2", "cooperative", "ER/Bologna", themes: ["welfare"]),
        actor("cons", "consortium", "ER/Bologna", themes: ["welfare"]),
        actor("bank", "partner", "ER/Bologna", themes: ["welfare"]),
    ]
    static let healthyTies: [Relation] = [
        Relation(source: "pa", target: "c1", type: "co_designs_with"), Relation(source: "pa", target: "c2", type: "co_programs_with"),
        Relation(source: "c1", target: "c2", type: "partners_with"), Relation(source: "c1", target: "cons", type: "member_of"),
        Relation(source: "c2", target: "cons", type: "member_of"), Relation(source: "bank", target: "cons", type: "funds"),
        Relation(source: "bank", target: "c1", type: "funds"), Relation(source: "cons", target: "pa", type: "co_designs_with"),
    ]

    func findings(_ actors: [Actor], _ relations: [Relation], territory: String? = nil, staleAfter: String? = nil) -> [Finding] {
        GapDetector(
            Ecosystem(name: "t", actors: actors, relations: relations), rules: .standard,
            options: GapOptions(territory: territory.flatMap(Territory.init), staleAfter: staleAfter, today: "2026-11-26")
        ).run()
    }

    @Test func aHealthyAllianceHasNoGaps() {
        #expect(findings(Self.healthy, Self.healthyTies).isEmpty)
    }

    @Test func missingKindsNameTheTerritoryAndTheKind() {
        // Modena: one cooperative and a consortium, no administration, no funder.
        let actors = Self.healthy + [Self.actor("m1", "cooperative", "ER/Modena"), Self.actor("m2", "consortium", "ER/Modena")]
        let ties =
            Self.healthyTies + [
                Relation(source: "m1", target: "m2", type: "member_of"), Relation(source: "m1", target: "c1", type: "partners_with"),
            ]
        let missing = findings(actors, ties).filter { $0.code == "missing-kind" }
        #expect(missing.map(\.subject.territory) == ["ER/Modena", "ER/Modena", "ER/Modena"])
        #expect(missing.map(\.severity) == [.high, .medium, .medium])
        #expect(missing[0].reason == "The alliance of ER/Modena has no public administration: 1 needed")
        #expect(missing.contains { $0.reason.contains("cooperative") } && missing.contains { $0.reason.contains("funder or partner") })
    }

    @Test func aRegionalAdministrationCountsOnlyWhereItHasTies() {
        let region = Self.actor("regione", "public_administration", "ER")
        let actors = Self.healthy.filter { $0.id != "pa" } + [region]
        var ties = Self.healthyTies.filter { $0.source != "pa" && $0.target != "pa" }
        #expect(findings(actors, ties).contains { $0.code == "missing-kind" && $0.severity == .high })
        ties.append(Relation(source: "regione", target: "c1", type: "co_programs_with"))
        #expect(!findings(actors, ties).contains { $0.code == "missing-kind" })
    }

    @Test func contractOnlyAdministrations() {
        var ties = Self.healthyTies.filter { $0.source != "pa" && $0.target != "pa" }
        ties += [
            Relation(source: "pa", target: "c1", type: "contracts_with"), Relation(source: "pa", target: "c2", type: "contracts_with"),
        ]
        let found = findings(Self.healthy, ties).filter { $0.code == "contract-only-administration" }
        #expect(found.count == 1)
        #expect(found.first?.subject.actors == ["pa", "c1", "c2"] && found.first?.subject.relations.count == 2)
        // One co-design tie and it is no longer contract-only.
        ties.append(Relation(source: "pa", target: "cons", type: "co_designs_with"))
        #expect(!findings(Self.healthy, ties).contains { $0.code == "contract-only-administration" })
    }

    @Test func isolatesPendantsAndSinglePointsOfFailure() {
        // A chain hanging off c1: c1 – x1 – x2 – x3, and an isolated x4.
        let extra = ["x1", "x2", "x3", "x4"].map { Self.actor($0, "association", "ER/Bologna", themes: ["welfare"]) }
        let ties =
            Self.healthyTies + [
                Relation(source: "c1", target: "x1", type: "partners_with"),
                Relation(source: "x1", target: "x2", type: "partners_with"),
                Relation(source: "x2", target: "x3", type: "partners_with"),
            ]
        let all = findings(Self.healthy + extra, ties)
        #expect(all.filter { $0.code == "isolate" }.map(\.subject.actors) == [["x4"]])
        #expect(all.filter { $0.code == "pendant" }.map(\.subject.actors) == [["x3", "x2"]])
        // Losing c1 cuts off x1, x2, x3; losing x1 cuts off x2, x3; the ties c1–x1 and x1–x2 are bridges for 3 and 2.
        let failures = all.filter { $0.code == "single-point-of-failure" }
        let byActor = failures.filter { $0.subject.relations.isEmpty }.map { $0.subject.actors[0] }.sorted()
        #expect(byActor == ["c1", "x1"])
        #expect(failures.first { $0.subject.actors == ["c1"] }?.reason.contains("3 actors") == true)
        let bridges = failures.filter { !$0.subject.relations.isEmpty }.map { Set($0.subject.actors) }
        #expect(bridges.count == 2 && bridges.contains(["c1", "x1"]) && bridges.contains(["x1", "x2"]))
    }

    @Test func themesCoveredByOneActorSilosAndStructuralHoles() {
        let themed = Self.healthy.map { a -> Actor in
            var a = a
            if a.id == "c2" { a.themes = ["welfare", "giovani"] }
            return a
        }
        let all = findings(themed, Self.healthyTies)
        #expect(all.filter { $0.code == "theme-gap" }.map(\.reason) == ["In ER/Bologna, only C2 works on giovani"])
        // A second province tied to Bologna only through c1.
        let modena = [Self.actor("m1", "cooperative", "ER/Modena"), Self.actor("m2", "cooperative", "ER/Modena")]
        let linked =
            Self.healthyTies + [
                Relation(source: "m1", target: "m2", type: "partners_with"),
                Relation(source: "m1", target: "c1", type: "partners_with"),
                Relation(source: "m2", target: "c1", type: "partners_with"),
            ]
        let withModena = findings(Self.healthy + modena, linked)
        #expect(withModena.filter { $0.code == "structural-hole" }.map(\.subject.actors) == [["c1"]])
        #expect(!withModena.contains { $0.code == "silo-territory" })
        let apart = findings(Self.healthy + modena, Self.healthyTies + [Relation(source: "m1", target: "m2", type: "partners_with")])
        #expect(apart.filter { $0.code == "silo-territory" }.compactMap(\.subject.territory).sorted() == ["ER/Bologna", "ER/Modena"])
        #expect(!apart.contains { $0.code == "structural-hole" })
    }

    @Test func staleRelations() {
        var ties = Self.healthyTies
        ties[2].until = "2024-06"
        ties[3].assertedAt = "2019-05-01"
        let untilPassed = findings(Self.healthy, ties).filter { $0.code == "stale-relation" }
        #expect(untilPassed.map(\.subject.relations) == [[["c1", "c2", "partners_with"]]])
        let old = findings(Self.healthy, ties, staleAfter: "2020").filter { $0.code == "stale-relation" }
        // Unconfirmed relations (no asserted_at, no since) count as stale too when --stale-after is given.
        #expect(old.count == Self.healthyTies.count)
        ties = ties.map {
            var r = $0
            if r.assertedAt == nil { r.assertedAt = "2025-01-01" }
            return r
        }
        #expect(findings(Self.healthy, ties, staleAfter: "2020").filter { $0.code == "stale-relation" }.count == 2)
    }

    @Test func reasonsInItalian() {
        let actors = [Self.actor("m1", "cooperative", "ER/Modena")]
        let found = GapDetector(
            Ecosystem(name: "t", actors: actors), rules: .standard,
            options: GapOptions(today: "2026-11-26", language: .it)
        ).run()
        #expect(found.first?.reason == "L'alleanza di ER/Modena non ha pubbliche amministrazioni: ne serve 1")
    }

    /// Italian as people write it: plurals that agree, no "0 dei 1 necessari".
    @Test func italianReasonsAgreeInNumber() {
        var rules = AllianceRules.standard
        rules.requirements = [Requirement(kinds: ["cooperative"], count: 2)]
        let found = GapDetector(
            Ecosystem(name: "t", actors: [Self.actor("m1", "cooperative", "ER/Modena")]), rules: rules,
            options: GapOptions(today: "2026-11-26", language: .it)
        ).run().filter { $0.code == "missing-kind" }
        #expect(found.map(\.reason) == ["L'alleanza di ER/Modena ha 1 cooperativa: ne servono 2"])
        let english = GapDetector(
            Ecosystem(name: "t", actors: [Self.actor("m1", "cooperative", "ER/Modena")]), rules: rules,
            options: GapOptions(today: "2026-11-26", language: .en)
        ).run().filter { $0.code == "missing-kind" }
        #expect(english.map(\.reason) == ["The alliance of ER/Modena has 1 cooperative: 2 needed"])
        #expect(Catalogue.kind("public_administration", .it, vocabulary: .builtIn, count: 2) == "pubbliche amministrazioni")
        #expect(Catalogue.kind("consortium", .it, vocabulary: .builtIn, count: 3) == "consorzi")
        #expect(Catalogue.kind("consortium", .en, vocabulary: .builtIn, count: 3) == "consortia")
        #expect(Catalogue.kind("partner", .it, vocabulary: .builtIn, count: 2) == "partner")
    }

    /// An administration serves its own territory: Lecco is not told to bring in the Emilia-Romagna region.
    @Test func anAdministrationOfAnotherRegionIsNoCandidate() {
        let actors = [
            Self.actor("lc", "cooperative", "Lombardia/Lecco"), Self.actor("rer", "public_administration", "Emilia-Romagna"),
            Self.actor("rl", "public_administration", "Lombardia"),
        ]
        let action = { (actors: [Actor]) in
            GapDetector(Ecosystem(name: "t", actors: actors), rules: .standard, options: GapOptions(today: "2026-11-26"))
                .run().first { $0.code == "missing-kind" && $0.subject.territory == "Lombardia/Lecco" }?.action
        }
        #expect(action(actors)?.hasSuffix("candidates: RL") == true, "\(action(actors) ?? "")")
        #expect(action(Array(actors.prefix(2)))?.contains("RER") == false)
    }
}
