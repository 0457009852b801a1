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
        // Proximity is graded: same province 2/3, same region 1/3 (a is in the province ER/Bologna).
        // x: 0.35·1 + 0.10 (broker) + 0.10·1/3 (same region) = 0.4833333 → 0.483333
        // y: 0.35·0.3868528 + 0.10 + 0.15·1 (same themes) + 0.10·2/3 (same province) = 0.4520651 → 0.452065
        // pa: 0.20 (a's alliance, a, b1, b2, lacks an administration) + 0.10·2/3 + 0.10 (constraint 0.50 → 0.33, the best relief)
        //     = 0.3666667 → 0.366667
        // z: 0.20·0.5 (it lacks a partner: other kinds count half) + 0.10 (same relief) = 0.2; x and y raise a's constraint (0.77, 0.56), no relief.
        let candidates = try Recommender(Self.eco).recommend(for: "a")
        #expect(candidates.map(\.id) == ["x", "y", "pa", "z"])
        #expect(candidates.map(\.score) == [0.483333, 0.452065, 0.366667, 0.2])
        #expect(candidates[0].reasons == ["2 shared partners: B1, B2", "B1 can introduce you (tied to both)", "same region: ER"])
        #expect(
            candidates[1].reasons == [
                "1 shared partner: B1", "B1 can introduce you (tied to both)", "shares themes: welfare",
                "same province: ER/Bologna",
            ])
        #expect(
            candidates[2].reasons == [
                "public administration: none among you and your ties (the alliance rules ask for 1)",
                "same province: ER/Bologna",
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
            for reason in candidate.reasons where reason.hasPrefix("same province") {
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

    @Test func theKindBonusServesWhatTheAllianceLacksNeverTheActorsOwnKind() throws {
        // pa (an administration) co-designs with c1 (a cooperative); zc, a cooperative, partners with c1.
        // pa's alliance: pa and c1. An administration is its own kind: no bonus for pa2. It has 1 of the 2
        // cooperatives the rules ask for (zc: half), 0 consortium or network (cons: half), 0 partner.
        // With the kind weight only: zc 0.5, cons 0.5, pa2 0; zc and cons tie, zc shares a partner (c1) with pa.
        let eco = Ecosystem(
            name: "k",
            actors: [
                Self.actor("pa", "public_administration", "ER/Bologna"), Self.actor("c1", "cooperative", "ER/Bologna"),
                Self.actor("pa2", "public_administration", "ER/Bologna"), Self.actor("cons", "consortium", "ER/Bologna"),
                Self.actor("zc", "cooperative", "ER/Bologna"),
            ],
            relations: [
                Relation(source: "pa", target: "c1", type: "co_designs_with"), Relation(source: "zc", target: "c1", type: "partners_with"),
            ])
        let onlyKind = try RecommendationWeights(parsing: "neighbours=0,broker=0,themes=0,territory=0,constraint=0,kind=1")
        let candidates = try Recommender(eco, weights: onlyKind).recommend(for: "pa")
        #expect(candidates.map(\.id) == ["zc", "cons", "pa2"])
        #expect(candidates.map(\.score) == [0.5, 0.5, 0])
        #expect(!candidates[2].reasons.contains { $0.contains("public administration") })
        #expect(candidates[0].reasons.contains("cooperative: 1 among you and your ties (the alliance rules ask for 2)"))
        let italian = try Recommender(eco, weights: onlyKind, language: .it).recommend(for: "pa")
        #expect(
            italian[1].reasons.first == "consorzio: non ce n'è tra te e i tuoi legami (le regole dell'alleanza ne chiedono 1)")
    }

    @Test func proximityIsGradedAndTiesInScoreAreBrokenByWhatIsShared() throws {
        // a is in the municipality ER/Bologna/Imola and works on giovani. With the territory weight only:
        // m (same municipality) 3/3, p (ER/Bologna/Casalecchio, same province) 2/3, r and s (ER/Modena, same
        // region) 1/3 each, l (Lombardia) 0. r and s tie: s shares the theme giovani, so s comes first.
        let eco = Ecosystem(
            name: "p",
            actors: [
                Self.actor("a", "cooperative", "ER/Bologna/Imola", themes: ["giovani"]),
                Self.actor("m", "association", "ER/Bologna/Imola"), Self.actor("p", "association", "ER/Bologna/Casalecchio"),
                Self.actor("r", "association", "ER/Modena"), Self.actor("s", "association", "ER/Modena", themes: ["giovani"]),
                Self.actor("l", "association", "Lombardia/Lecco"),
            ])
        let onlyTerritory = try RecommendationWeights(parsing: "neighbours=0,broker=0,themes=0,kind=0,constraint=0,territory=1")
        let candidates = try Recommender(eco, weights: onlyTerritory).recommend(for: "a")
        #expect(candidates.map(\.id) == ["m", "p", "s", "r", "l"])
        #expect(candidates.map(\.score) == [1, 0.666667, 0.333333, 0.333333, 0])
        #expect(candidates[0].reasons == ["same municipality: ER/Bologna/Imola"])
        #expect(candidates[1].reasons == ["same province: ER/Bologna"])
        #expect(candidates[3].reasons == ["same region: ER"])
        let italian = try Recommender(eco, weights: onlyTerritory, language: .it).recommend(for: "a", top: 2)
        #expect(italian.map(\.reasons) == [["stesso comune: ER/Bologna/Imola"], ["stessa provincia: ER/Bologna"]])
    }

    @Test func aReasonThatChangesNothingIsLeftOut() throws {
        // hub is tied to 14 actors not tied to one another: constraint 14 · (1/14)² = 1/14 = 0.0714 → "0.07".
        // A tie to far (no ties) makes it 1/15 = 0.0667 → "0.07": the same figure, so no constraint reason.
        let spokes = (1...14).map { Self.actor("s\($0)", "cooperative", "ER/Bologna") }
        let eco = Ecosystem(
            name: "c", actors: [Self.actor("hub", "consortium", "ER/Bologna"), Self.actor("far", "partner", "Lombardia/Lecco")] + spokes,
            relations: spokes.map { Relation(source: $0.id, target: "hub", type: "member_of") })
        let far = try #require(try Recommender(eco).recommend(for: "hub", kind: "partner").first)
        #expect(far.id == "far")
        #expect(!far.reasons.contains { $0.contains("constraint") }, "\(far.reasons)")
    }

    @Test func projectsOnTheActorsThemesNearbyAreSuggested() throws {
        // a works on giovani in ER/Bologna/Imola. near: a project on giovani in ER/Bologna (suggested);
        // away: on giovani in Lombardia; other: on sport in ER/Bologna (neither, unless projects are asked for).
        let eco = Ecosystem(
            name: "j",
            actors: [
                Self.actor("a", "cooperative", "ER/Bologna/Imola", themes: ["giovani"]),
                Self.actor("near", "project", "ER/Bologna", themes: ["giovani"]),
                Self.actor("away", "project", "Lombardia/Lecco", themes: ["giovani"]),
                Self.actor("other", "project", "ER/Bologna", themes: ["sport"]),
            ])
        #expect(try Recommender(eco).recommend(for: "a").map(\.id) == ["near"])
        #expect(try Set(Recommender(eco).recommend(for: "a", kind: "project").map(\.id)) == ["near", "away", "other"])
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

    @Test func aGroupOverTheMaximumSizeIsTrimmedOrLeftOutWithWhy() throws {
        // pa, c1, c2, c3, a1, a2 all tied pairwise (K6), and a3 tied to a1, a2 and c1: m = 18 ties.
        // One group: the 7 together have modularity 0, and no split has more, e.g. {a1, a2, a3} and
        // {pa, c1, c2, c3}: 3/18 − (15/36)² + 6/18 − (21/36)² = −0.014 (checked over every split in 2 or 3).
        let actors = [
            Self.actor("pa", "public_administration", "ER/Bologna"), Self.actor("c1", "cooperative", "ER/Bologna"),
            Self.actor("c2", "cooperative", "ER/Bologna"), Self.actor("c3", "cooperative", "ER/Bologna"),
            Self.actor("a1", "association", "ER/Bologna"), Self.actor("a2", "association", "ER/Bologna"),
            Self.actor("a3", "association", "ER/Bologna"),
        ]
        let clique = ["pa", "c1", "c2", "c3", "a1", "a2"]
        var relations: [Relation] = []
        for (i, a) in clique.enumerated() {
            for b in clique[(i + 1)...] { relations.append(Relation(source: a, target: b, type: "partners_with")) }
        }
        for b in ["a1", "a2", "c1"] { relations.append(Relation(source: "a3", target: b, type: "partners_with")) }
        let eco = Ecosystem(name: "k", actors: actors, relations: relations)
        let requirements = [Requirement(kinds: ["public_administration"]), Requirement(kinds: ["cooperative"], count: 2)]
        // Max size 6: a3 has 3 ties inside the group, every other member 5 or 6: a3 goes, and the K6 left is complete.
        let six = CoalitionFinder(eco, requirements: requirements).search(maxSize: 6)
        #expect(six.coalitions.map(\.members) == [["a1", "a2", "c1", "c2", "c3", "pa"]])
        #expect(six.coalitions.first?.cohesion == 1 && six.coalitions.first?.missing == [])
        #expect(
            six.coalitions.first?.notes == ["part of a group of 7 actors, kept within the maximum size 6 by letting go the least tied: A3"])
        #expect(six.leftOut.isEmpty)
        // Max size 2: the composition needs 3 actors (an administration, two cooperatives): left out, and why.
        let two = CoalitionFinder(eco, requirements: requirements).search(maxSize: 2)
        #expect(two.coalitions.isEmpty)
        #expect(
            two.leftOut == [
                LeftOutGroup(
                    members: ["a1", "a2", "a3", "c1", "c2", "c3", "pa"],
                    reason:
                        "7 actors tied together, more than the maximum size 2, and no part of 2 or fewer keeps what the group has of the composition"
                )
            ])
    }

    @Test func groupsThatCompleteEachOtherAndCandidatesFromTheTerritoryFirst() {
        // Two groups: pa – x1 in Bologna (no cooperative: misses 2) and c1 – c2 in Modena (no
        // administration: misses 1); pm, Modena's administration, has no tie. Together the two groups
        // have an administration and two cooperatives: each is told so. Modena's group is offered
        // Modena's administration first, then Bologna's (same region), though pa comes first by name.
        let eco = Ecosystem(
            name: "j",
            actors: [
                Self.actor("pa", "public_administration", "ER/Bologna"), Self.actor("x1", "association", "ER/Bologna"),
                Self.actor("c1", "cooperative", "ER/Modena"), Self.actor("c2", "cooperative", "ER/Modena"),
                Self.actor("pm", "public_administration", "ER/Modena"),
            ],
            relations: [
                Relation(source: "pa", target: "x1", type: "partners_with"), Relation(source: "c1", target: "c2", type: "partners_with"),
            ])
        let requirements = [Requirement(kinds: ["public_administration"]), Requirement(kinds: ["cooperative"], count: 2)]
        let found = CoalitionFinder(eco, requirements: requirements).run()
        #expect(found.map(\.members) == [["c1", "c2"], ["pa", "x1"]])
        #expect(found[0].completeWith == ["pm", "pa"])
        #expect(found[0].notes == ["joined with the group of PA, X1, it would be complete: introduce the two groups"])
        #expect(found[1].notes == ["joined with the group of C1, C2, it would be complete: introduce the two groups"])
        // Within a maximum size of 3 the four together do not fit: no such note.
        #expect(CoalitionFinder(eco, requirements: requirements).run(maxSize: 3).allSatisfy { $0.notes.isEmpty })
        let italian = CoalitionFinder(eco, requirements: requirements, language: .it).run()
        #expect(italian[0].notes == ["unita al gruppo di PA, X1 sarebbe completa: far conoscere i due gruppi"])
        // No network in scope: each group is told nothing in scope can complete it.
        let network = CoalitionFinder(eco, requirements: [Requirement(kinds: ["network"])]).run()
        #expect(network.map(\.notes) == [["network: no one in scope can complete it"], ["network: no one in scope can complete it"]])
        #expect(network.allSatisfy { $0.completeWith.isEmpty })
    }

    @Test func compositionMaxSizeAndTerritory() throws {
        let three = try Requirement(parsing: "cooperative:3", vocabulary: .builtIn)
        let coalitions = CoalitionFinder(Self.eco, requirements: [three]).run()
        #expect(coalitions.allSatisfy { $0.missing == ["1 more cooperative"] })
        // Max size 3: Bologna's group of 5 is trimmed, never letting go of a cooperative (it has 2 of 3):
        // bank goes first (2 ties inside; pa 3, cons 4), then pa and cons tie (3 inside, 4 in all) and the
        // later id goes: c1, c2, cons (3 ties among 3: cohesion 1), like Modena's group; equal, by members.
        #expect(
            CoalitionFinder(Self.eco, requirements: [three]).run(maxSize: 3).map(\.members) == [["c1", "c2", "cons"], ["m1", "m2", "mc"]])
        let modena = CoalitionFinder(Self.eco, requirements: AllianceRules.standard.requirements, territory: Territory("ER/Modena")).run()
        #expect(modena.map(\.members) == [["m1", "m2", "mc"]])
        #expect(throws: TramaError.self) { try Requirement(parsing: "spaceship", vocabulary: .builtIn) }
        #expect(throws: TramaError.self) { try Requirement(parsing: "cooperative:0", vocabulary: .builtIn) }
        #expect(try Requirement(parsing: "consortium|network", vocabulary: .builtIn).kinds == ["consortium", "network"])
    }
}
