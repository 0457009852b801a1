import Testing
import TramaModel

struct ValidationTests {
    let validator = Validator(vocabulary: .builtIn)

    @Test func kindRuleNamesBothEndsInPlainWords() {
        let kinds = ["coop-saigi": "cooperative", "p": "project"]
        let errors = validator.check(
            Relation(source: "coop-saigi", target: "p", type: "mentors"),
            at: SourceLocation(file: "relations.csv", line: 14)
        ) { kinds[$0] }
        #expect(errors.map(\.description) == ["relations.csv line 14: `mentors` must start at a mentor, but `coop-saigi` is a cooperative"])
        #expect(errors.first?.code == .kindRule)
    }

    @Test func targetRuleListsEveryAllowedKind() {
        let kinds = ["a": "cooperative", "b": "cooperative"]
        let errors = validator.check(Relation(source: "a", target: "b", type: "member_of")) { kinds[$0] }
        #expect(errors.map(\.message) == ["`member_of` must end at a consortium or a network, but `b` is a cooperative"])
    }

    @Test func unknownEndsAndTypesAreNamed() {
        let errors = validator.check(Relation(source: "x", target: "y", type: "partners_with")) { _ in nil }
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.code == .unknownActor })
        #expect(errors[0].message.contains("`x`") && errors[1].message.contains("`y`"))
        let type = validator.check(Relation(source: "x", target: "y", type: "loves")) { _ in "cooperative" }
        #expect(type.first?.code == .unknownRelationType)
        #expect(type.first?.message.contains("`partners_with`") == true)
    }

    @Test func actorsNeedAKnownKindAUsableIDAndAName() {
        #expect(validator.check(Actor(id: "a", name: "A", kind: "cooperative")).isEmpty)
        #expect(validator.check(Actor(id: "a", name: "A", kind: "spaceship")).first?.code == .unknownKind)
        #expect(validator.check(Actor(id: " a", name: "A", kind: "cooperative")).first?.code == .invalidValue)
        #expect(validator.check(Actor(id: "a|b", name: "A", kind: "cooperative")).first?.code == .invalidValue)
        #expect(validator.check(Actor(id: "a", name: "  ", kind: "cooperative")).first?.code == .invalidValue)
    }

    @Test func datesAndStrengthAreChecked() {
        let kinds: (String) -> String? = { _ in "cooperative" }
        #expect(validator.check(Relation(source: "a", target: "b", type: "partners_with", strength: -1), kindOf: kinds).count == 1)
        #expect(validator.check(Relation(source: "a", target: "b", type: "partners_with", since: "2021-13"), kindOf: kinds).count == 1)
        #expect(
            validator.check(Relation(source: "a", target: "b", type: "partners_with", since: "2022", until: "2021"), kindOf: kinds).count
                == 1)
        #expect(
            validator.check(Relation(source: "a", target: "b", type: "partners_with", since: "2021-03", until: "2021-03-05"), kindOf: kinds)
                .isEmpty)
    }

    @Test(arguments: [
        ("2024-02-29", true), ("2023-02-29", false), ("1900-02-29", false), ("2000-02-29", true), ("2021", true),
        ("2021-03", true), ("21-03-05", false), ("2021-3-5", false), ("2021-04-31", false), ("", false), ("2021-03-05T10:00", false),
    ])
    func partialDates(text: String, valid: Bool) {
        #expect(PartialDate.isValid(text) == valid)
    }

    @Test func ecosystemValidationFindsDuplicates() {
        let eco = Ecosystem(
            name: "g",
            actors: [
                Actor(id: "a", name: "A", kind: "cooperative"), Actor(id: "a", name: "A2", kind: "cooperative"),
                Actor(id: "b", name: "B", kind: "cooperative"),
            ],
            relations: [
                Relation(source: "a", target: "b", type: "partners_with"), Relation(source: "b", target: "a", type: "partners_with"),
            ])
        let codes = eco.validate().map(\.code)
        #expect(codes == [.duplicateID, .duplicateID])
    }
}

struct VocabularyTests {
    @Test func builtInVocabularyMatchesTheDesign() {
        let v = Vocabulary.builtIn
        #expect(
            v.kindNames == ["association", "consortium", "cooperative", "mentor", "network", "partner", "project", "public_administration"])
        #expect(
            v.relationTypeNames == [
                "affiliated_with", "co_designs_with", "co_programs_with", "contracts_with", "funds", "member_of",
                "mentors", "participates_in", "partners_with", "promotes",
            ])
        #expect(v.relationTypes["partners_with"]?.directed == false)
        #expect(v.relationTypes["contracts_with"]?.sourceKinds == ["public_administration"])
        #expect(v.kinds["mentor"]?.isPerson == true)
    }

    @Test(arguments: [
        ("Cooperativa", "cooperative"), ("Public Administration", "public_administration"), ("PA", "public_administration"),
        ("Consorzio", "consortium"), ("pubblica amministrazione", "public_administration"), ("Progetto", "project"),
        ("MENTOR", "mentor"),
    ])
    func kindAliases(text: String, kind: String) {
        #expect(Vocabulary.builtIn.resolveKind(text) == kind)
    }

    @Test(arguments: [
        ("co-progettazione", "co_designs_with"), ("Co-programmazione", "co_programs_with"), ("partners with", "partners_with"),
        ("Partecipa a", "participates_in"), ("socio di", "member_of"),
    ])
    func relationAliases(text: String, type: String) {
        #expect(Vocabulary.builtIn.resolveRelationType(text) == type)
    }

    @Test func graphsCanExtendTheVocabulary() throws {
        var v = Vocabulary.builtIn
        try v.add(kind: KindDefinition(name: "school", label: "School", labelIT: "Scuola"))
        try v.add(
            relationType: RelationTypeDefinition(
                name: "hosts", directed: true, sourceKinds: ["school"], targetKinds: ["project"],
                label: "hosts", labelIT: "ospita"))
        #expect(v.resolveKind("Scuola") == "school")
        #expect(v.extensions.kinds.map(\.name) == ["school"])
        #expect(throws: TramaError.self) {
            try v.add(
                relationType: RelationTypeDefinition(
                    name: "x", directed: true, sourceKinds: ["ghost"], targetKinds: nil, label: "x", labelIT: "x"))
        }
        #expect(throws: TramaError.self) { try v.add(kind: KindDefinition(name: "Bad Name", label: "", labelIT: "")) }
    }
}

struct TerritoryAndSlugTests {
    @Test func territoriesAreHierarchical() throws {
        let region = try #require(Territory("Emilia-Romagna"))
        let imola = try #require(Territory("Emilia-Romagna › Bologna › Imola"))
        #expect(imola.path == "Emilia-Romagna/Bologna/Imola")
        #expect(region.contains(imola))
        #expect(try #require(Territory("emilia-romagna/bologna")).contains(imola))
        #expect(!imola.contains(region))
        let emilia = try #require(Territory("Emilia"))
        #expect(!emilia.contains(region))
        #expect(imola.rolledUp(to: 2).path == "Emilia-Romagna/Bologna")
        #expect(Territory(" / ") == nil)
    }

    @Test(arguments: [
        ("Coop. Soc. La Venenta", "coop-soc-la-venenta"), ("Consorzio di Solidarietà Sociale", "consorzio-di-solidarieta-sociale"),
        ("CoopCaffè!", "coopcaffe"), ("  SO.YOUZ.  ", "so-youz"),
    ])
    func slugs(name: String, slug: String) {
        #expect(Slug.make(name) == slug)
    }

    @Test func undirectedRelationsHaveOneKeyForBothDirections() {
        let ab = Relation(source: "a", target: "b", type: "partners_with")
        let ba = Relation(source: "b", target: "a", type: "partners_with")
        #expect(ab.key(directed: false) == ba.key(directed: false))
        #expect(ab.key(directed: true) != ba.key(directed: true))
    }
}

struct ImportBatchTests {
    @Test func relationsMayReferToActorsByLabel() throws {
        var batch = ImportBatch()
        batch.actors = [
            Located(Actor(id: "coop-saigi", name: "Saigi", kind: "cooperative"), at: nil),
            Located(Actor(id: "agrisensor", name: "Agrisensor", kind: "project"), at: nil),
        ]
        batch.relations = [Located(Relation(source: "saigi", target: "Agrisensor", type: "promotes"), at: nil)]
        let resolved = try batch.resolved(vocabulary: .builtIn, existing: [:])
        #expect(resolved.relations.map { "\($0.source)->\($0.target)" } == ["coop-saigi->agrisensor"])
    }

    @Test func storedActorsResolveToo() throws {
        var batch = ImportBatch()
        batch.relations = [Located(Relation(source: "Cooltour", target: "emotional-map", type: "promotes"), at: nil)]
        let existing = [
            "cooltour": Actor(id: "cooltour", name: "Cooltour", kind: "cooperative"),
            "emotional-map": Actor(id: "emotional-map", name: "Emotional Map", kind: "project"),
        ]
        #expect(try batch.resolved(vocabulary: .builtIn, existing: existing).relations.first?.source == "cooltour")
    }

    @Test func everyProblemIsReportedWithItsLine() {
        var batch = ImportBatch()
        let at = { (line: Int) in SourceLocation(file: "a.csv", line: line) }
        batch.actors = [
            Located(Actor(id: "a", name: "A", kind: "cooperative"), at: at(2)),
            Located(Actor(id: "a", name: "A again", kind: "cooperative"), at: at(3)),
            Located(Actor(id: "b", name: "B", kind: "robot"), at: at(4)),
        ]
        batch.relations = [
            Located(Relation(source: "a", target: "ghost", type: "partners_with"), at: SourceLocation(file: "r.csv", line: 2))
        ]
        do {
            _ = try batch.resolved(vocabulary: .builtIn, existing: [:])
            Issue.record("expected errors")
        } catch let errors as TramaErrors {
            #expect(
                errors.errors.map(\.description) == [
                    "a.csv line 3: the id `a` is already used at line 2: give each actor its own id",
                    "a.csv line 4: " + Validator(vocabulary: .builtIn).unknownKind("robot", at: nil).message,
                    "r.csv line 2: `ghost` is not an actor of this graph: add it to the actors sheet or fix the `To` id",
                ])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
