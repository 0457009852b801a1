import Foundation
import Testing
import TramaInsight
import TramaModel

struct RecommenderTests {
    static func actor(_ id: String, _ kind: String, _ territory: String, themes: [String] = []) -> Actor {
        Actor(id: id, name: id.uppercased(), kind: kind, territory: Territory(territory), themes: themes)
    }

    /// a (cooperative, ER/Bologna, welfare) is tied to b1 and b2. x shares both; y shares b1 and the theme;
    /// pa is an administration nearby with no ties; z a partner far away.
    static let eco = Ecosystem(
        name: "r",
        actors: [
            actor("a", "cooperative", "ER/Bologna", themes: ["welfare"]),
            actor("b1", "cooperative", "ER/Bologna"), actor("b2", "cooperative", "ER/Bologna"),
            actor("x", "cooperative", "ER/Modena"), actor("y", "cooperative", "ER/Bologna", themes: ["welfare"]),
            actor("pa", "public_administration", "ER/Bologna"), actor("z", "partner", "Lombardia/Lecco"),
        ],
        relations: [
            Relation(source: "a", target: "b1", type: "partners_with"), Relation(source: "a", target: "b2", type: "partners_with"),
            Relation(source: "x", target: "b1", type: "partners_with"), Relation(source: "x", target: "b2", type: "partners_with"),
            Relation(source: "y", target: "b1", type: "partners_with"),
        ])

    @Test func orderAndScoresFollowTheWeightsByHand() throws {
        // Adamic–Adar: x = 1/ln 3 + 1/ln 2 = 2.352934, y = 1/ln 3 = 0.910239 (b1 has 3 ties, b2 has 2).
        // x: 0.35·1 + 0.10 (broker) + 0.10·0.5 (same region) = 0.5
        // y: 0.35·0.3868528 + 0.10 + 0.15·1 (same themes) + 0.10 (same province) = 0.4853985 → 0.485398
        // pa: 0.20 (a lacks an administration) + 0.10 (same province) + 0.10 (constraint 0.50 → 0.33, the best relief) = 0.4
        // z: 0.20·0.5 (a lacks a partner: other kinds count half) + 0.10 (same relief) = 0.2; x and y raise a's constraint (0.77, 0.56), no relief.
        let candidates = try Recommender(Self.eco).recommend(for: "a")
        #expect(candidates.map(\.id) == ["x", "y", "pa", "z"])
        #expect(candidates.map(\.score) == [0.5, 0.485398, 0.4, 0.2])
        #expect(candidates[0].reasons == ["2 shared partners: B1, B2", "B1 can introduce you (tied to both)", "same region: ER"])
        #expect(
            candidates[1].reasons == [
                "1 shared partner: B1", "B1 can introduce you (tied to both)", "shares themes: welfare",
                "same territory: ER/Bologna",
            ])
        #expect(
            candidates[2].reasons == [
                "a public administration: you have none among your ties", "same territory: ER/Bologna",
                "would lower your constraint from 0.50 to 0.33 (more non-redundant contacts)",
            ])
    }

    @Test func everyReasonIsTrueOfTheGraph() throws {
        let ties: [String: Set<String>] = Self.eco.relations.reduce(into: [:]) { t, r in
            t[r.source, default: []].insert(r.target)
            t[r.target, default: []].insert(r.source)
        }
        let names = Dictionary(uniqueKeysWithValues: Self.eco.actors.map { ($0.name, $0.id) })
        for candidate in try Recommender(Self.eco).recommend(for: "a") {
            #expect(!(ties["a"] ?? []).contains(candidate.id), "recommended an existing partner")
            for reason in candidate.reasons where reason.contains("can introduce you") {
                let broker = names[String(reason.split(separator: " ")[0])]!
                #expect(ties[broker]!.contains("a") && ties[broker]!.contains(candidate.id))
            }
            for reason in candidate.reasons where reason.hasPrefix("same territory") {
                #expect(Self.eco.actors.first { $0.id == candidate.id }?.territory?.path.hasPrefix("ER/Bologna") == true)
            }
        }
    }

    @Test func kindFilterWeightsAndItalian() throws {
        #expect(try Recommender(Self.eco).recommend(for: "a", kind: "public_administration").map(\.id) == ["pa"])
        var onlyKind = try RecommendationWeights(parsing: "neighbours=0,broker=0,themes=0,territory=0,constraint=0,kind=1")
        #expect(try Recommender(Self.eco, weights: onlyKind).recommend(for: "a", top: 2).map(\.id) == ["pa", "z"])
        onlyKind.kind = 0
        #expect(throws: TramaError.self) { try RecommendationWeights(parsing: "charm=2") }
        #expect(throws: TramaError.self) { try Recommender(Self.eco).recommend(for: "nobody") }
        let italian = try Recommender(Self.eco, language: .it).recommend(for: "a", top: 1)
        #expect(italian[0].reasons[0] == "2 partner in comune: B1, B2")
    }

    @Test func onlyActiveTiesAreTiesByDefault() throws {
        // a's tie to b1 ended: a is tied to b2 only, so b1 (same province) is a candidate again.
        var relations = Self.eco.relations
        relations[0].status = .ended
        let eco = Ecosystem(name: "r", actors: Self.eco.actors, relations: relations)
        #expect(try Recommender(eco).recommend(for: "a").contains { $0.id == "b1" })
        // Counting ended ties too (--status active,ended), b1 is already a partner.
        #expect(try !Recommender(eco, statuses: [.active, .ended]).recommend(for: "a").contains { $0.id == "b1" })
    }
}

struct CoalitionTests {
    static func actor(_ id: String, _ kind: String, _ territory: String) -> Actor {
        Actor(id: id, name: id.uppercased(), kind: kind, territory: Territory(territory))
    }

    /// Two groups: a complete one in Bologna, and one in Modena lacking an administration and a funder,
    /// tied to the first only by pa – m1.
    static let eco = Ecosystem(
        name: "c",
        actors: GapTests.healthy + [
            actor("m1", "cooperative", "ER/Modena"), actor("m2", "cooperative", "ER/Modena"), actor("mc", "consortium", "ER/Modena"),
            actor("pa2", "public_administration", "ER/Parma"),
        ],
        relations: GapTests.healthyTies + [
            Relation(source: "m1", target: "m2", type: "partners_with"), Relation(source: "m1", target: "mc", type: "member_of"),
            Relation(source: "m2", target: "mc", type: "member_of"), Relation(source: "pa", target: "m1", type: "co_designs_with"),
        ])

    @Test func completeGroupsFirstThenWhatTheOthersLack() {
        let coalitions = CoalitionFinder(Self.eco, requirements: AllianceRules.standard.requirements).run()
        #expect(coalitions.map(\.members) == [["bank", "c1", "c2", "cons", "pa"], ["m1", "m2", "mc"]])
        #expect(coalitions[0].missing.isEmpty && coalitions[0].completeWith.isEmpty)
        // 8 ties among 5 members: 16 / 20.
        #expect(coalitions[0].cohesion == 0.8)
        #expect(coalitions[1].missing == ["1 more public administration", "1 more funder or partner"])
        // pa is tied to m1; pa2 is not; bank is the only funder or partner.
        #expect(coalitions[1].completeWith == ["pa", "pa2", "bank"])
        #expect(coalitions[1].cohesion == 1)
    }

    @Test func plannedTiesMakeNoCoalition() {
        // Every tie of Modena is only planned: by default m1, m2 and mc have no tie, and no group of
        // two or more forms there; Bologna's complete group stays. Counting planned ties, Modena's group is back.
        let relations = Self.eco.relations.map { r -> Relation in
            var r = r
            if r.source.hasPrefix("m") || r.target.hasPrefix("m") { r.status = .planned }
            return r
        }
        let eco = Ecosystem(name: "c", actors: Self.eco.actors, relations: relations)
        let requirements = AllianceRules.standard.requirements
        #expect(CoalitionFinder(eco, requirements: requirements).run().map(\.members) == [["bank", "c1", "c2", "cons", "pa"]])
        #expect(
            CoalitionFinder(eco, requirements: requirements, statuses: [.active, .planned]).run().map(\.members) == [
                ["bank", "c1", "c2", "cons", "pa"], ["m1", "m2", "mc"],
            ])
    }

    @Test func compositionMaxSizeAndTerritory() throws {
        let three = try Requirement(parsing: "cooperative:3", vocabulary: .builtIn)
        let coalitions = CoalitionFinder(Self.eco, requirements: [three]).run()
        #expect(coalitions.allSatisfy { $0.missing == ["1 more cooperative"] })
        #expect(CoalitionFinder(Self.eco, requirements: [three]).run(maxSize: 3).map(\.members) == [["m1", "m2", "mc"]])
        let modena = CoalitionFinder(Self.eco, requirements: AllianceRules.standard.requirements, territory: Territory("ER/Modena")).run()
        #expect(modena.map(\.members) == [["m1", "m2", "mc"]])
        #expect(throws: TramaError.self) { try Requirement(parsing: "spaceship", vocabulary: .builtIn) }
        #expect(throws: TramaError.self) { try Requirement(parsing: "cooperative:0", vocabulary: .builtIn) }
        #expect(try Requirement(parsing: "consortium|network", vocabulary: .builtIn).kinds == ["consortium", "network"])
    }
}
