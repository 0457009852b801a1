import Foundation
import Testing
import TramaApp
import TramaExchange
import TramaModel
import TramaTestSupport

// The application core called in process, one suite per concern: every entry
// point the command line and the HTTP service share, checked on the hand-made
// fixture ecosystem (TramaTestSupport), whose values are counted by hand.

struct GraphsContract {
    @Test func graphsAreCreatedListedSummarisedAndDeleted() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let created = try f.app.createGraph("empty")
        #expect(created.name == "empty" && created.actors == 0)
        #expect(try f.app.graphs().graphs.map(\.name) == ["empty", "fixture"])
        #expect(failure { _ = try f.app.createGraph("empty") }?.category == .conflict)
        let refused = failure { _ = try f.app.deleteGraph(GraphDeletion(graph: "fixture")) }
        #expect(refused?.code == .graphNotEmpty && refused?.fields["actors"] == "6")
        let summary = try f.app.summary(GraphRead())
        #expect(summary.actors == 6 && summary.relations == 7)
        #expect(summary.actorsByKind == ["cooperative": 2, "consortium": 1, "public_administration": 1, "mentor": 1, "project": 1])
        #expect(summary.relationsByStatus == ["active": 4, "ended": 1, "planned": 1, "potential": 1])
        #expect(summary.isolated.isEmpty)
        // A public reader does not see the private consortium, its membership or the private contract.
        let shared = try f.app.summary(GraphRead(public: true))
        #expect(shared.actors == 5 && shared.relations == 5)
        #expect(try f.app.deleteGraph(GraphDeletion(graph: "fixture", force: true)).deleted.relations == 7)
        #expect(failure { _ = try f.app.summary(GraphRead()) }?.fields["graph"] == "fixture")
    }
}

struct ActorsContract {
    @Test func territoriesAreFoundByPathOrByAUniqueLastPart() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        func ids(_ territory: String) throws -> [String] { try f.app.actors(ActorQuery(territory: territory)).actors.map(\.id) }
        #expect(try ids("Emilia-Romagna/Bologna") == ["coop-a", "coop-b", "pa-bo"])
        #expect(try ids("Bologna") == ["coop-a", "coop-b", "pa-bo"], "the last part of one known path")
        #expect(try ids("imola") == ["coop-b"], "case ignored")
        #expect(try ids("emilia-romagna") == ["cons", "coop-a", "coop-b", "pa-bo"])
        let unknown = failure { _ = try ids("Bolgna") }
        #expect(unknown?.code == .unknownTerritory && unknown?.category == .invalidInput)
        #expect(unknown?.message.contains("nearest known territories are `Emilia-Romagna/Bologna`") == true, "\(unknown?.message ?? "")")
    }

    @Test func actorsAreAddedPatchedShownAndRemoved() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let who = AppFixture.who
        let added = try f.app.addActor(
            ActorDraft(
                fields: ActorFields(
                    name: "Cooperativa Sociale Cooltour", kind: "Cooperativa",
                    territory: "Emilia-Romagna/Piacenza", themes: ["cultura"])), by: who)
        #expect(added.actorsAdded == 1 && added.change != nil)
        _ = try f.app.updateActor(
            ActorPatch(
                id: "cooperativa-sociale-cooltour",
                fields: ActorFields(
                    url: "http://www.cooltour.it/",
                    attributes: ["Category": "sociale"])), by: who)
        let shown = try f.app.actor(ActorLookup(id: "cooperativa-sociale-cooltour")).actor
        #expect(shown.kind == "cooperative" && shown.themes == ["cultura"] && shown.url == "http://www.cooltour.it/")
        #expect(shown.attributes == ["Category": "sociale"], "a patch leaves the fields it does not name")
        _ = try f.app.updateActor(
            ActorPatch(id: "cooperativa-sociale-cooltour", fields: ActorFields(url: "", attributes: ["Category": nil])), by: who)
        let cleared = try f.app.actor(ActorLookup(id: "cooperativa-sociale-cooltour")).actor
        #expect(cleared.url == nil && cleared.attributes.isEmpty && cleared.themes == ["cultura"])
        let detail = try f.app.actor(ActorLookup(id: "coop-a"))
        #expect(detail.relations.count == 6)
        #expect(
            detail.names == [
                "cons": "Consorzio & C.", "coop-b": "Coop B <b>", "pa-bo": "Comune di Bologna", "anna": "Anna Rossi", "proj": "Progetto Ü",
            ],
            "a panel names the other ends without one lookup each")
        let shared = try f.app.actor(ActorLookup(id: "coop-a", public: true))
        // Public: the private consortium and the private contract are gone, and so are their names.
        #expect(shared.relations.count == 4)
        #expect(shared.names == ["coop-b": "Coop B <b>", "anna": "Anna Rossi", "proj": "Progetto Ü"], "no name of the private")
        let refused = failure { _ = try f.app.removeActor(ActorRemoval(id: "coop-a"), by: who) }
        #expect(refused?.code == .hasRelations && refused?.fields["count"] == "6" && refused?.category == .conflict)
        let removed = try f.app.removeActor(ActorRemoval(id: "coop-a", cascade: true), by: who)
        #expect(removed.actorsRemoved == 1 && removed.relationsRemoved == 6)
        #expect(failure { _ = try f.app.actor(ActorLookup(id: "coop-a")) }?.category == .notFound)
        // Private actors do not exist for a public reader.
        #expect(failure { _ = try f.app.actor(ActorLookup(id: "cons", public: true)) }?.category == .notFound)
        #expect(failure { _ = try f.app.addActor(ActorDraft(fields: ActorFields(name: "X")), by: who) }?.fields["field"] == "kind")
    }
}

struct RelationsContract {
    @Test func relationsKeepTheirIdThroughEditsAndLoseItWhenRemoved() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let who = AppFixture.who
        let added = try f.app.addRelation(
            RelationDraft(from: "coop-b", to: "pa-bo", type: "partner", fields: RelationFields(since: "2024")), by: who)
        let id = try #require(added.relation)
        let record = try f.app.relation(RelationLookup(id: id))
        #expect(record.relation.type == "partners_with" && record.relation.since == "2024", "the type alias is resolved")
        let edited = try f.app.updateRelation(
            RelationPatch(relation: RelationReference(id: id), fields: RelationFields(until: "2025", status: "conclusa")),
            by: who)
        #expect(edited.relation == id && edited.relationsUpdated == 1)
        let after = try f.app.relation(RelationLookup(id: id)).relation
        #expect(after.status == .ended && after.until == "2025" && after.since == "2024")
        // The same relation named by its ends, the other way round (partners_with is undirected).
        _ = try f.app.updateRelation(
            RelationPatch(
                relation: RelationReference(from: "pa-bo", to: "coop-b", type: "partners_with"),
                fields: RelationFields(strength: 3)), by: who)
        #expect(try f.app.relation(RelationLookup(id: id)).relation.strength == 3)
        // As of the moment it was added, it had neither an end nor a strength.
        let then = try f.app.relation(RelationLookup(asOf: .change(added.change!), id: id)).relation
        #expect(then.status == .active && then.strength == nil)
        _ = try f.app.removeRelation(RelationRemoval(relation: RelationReference(id: id)), by: who)
        #expect(failure { _ = try f.app.relation(RelationLookup(id: id)) }?.category == .notFound)
        let again = try f.app.addRelation(RelationDraft(from: "coop-b", to: "pa-bo", type: "partners_with"), by: who)
        #expect(again.relation != id, "a relation added again is a new relation")
        // Listing: ids, filters, privacy.
        let all = try f.app.relations(RelationQuery()).relations
        #expect(Set(all.map(\.id)).count == all.count)
        #expect(try f.app.relations(RelationQuery(types: ["co-progettazione"])).relations.map(\.relation.source) == ["coop-a"])
        #expect(
            try f.app.relations(RelationQuery(public: true)).relations.allSatisfy { !$0.relation.isPrivate && $0.relation.target != "cons" }
        )
        let duplicate = failure { _ = try f.app.addRelation(RelationDraft(from: "coop-a", to: "coop-b", type: "partners_with"), by: who) }
        #expect(duplicate?.category == .conflict && duplicate?.fields["relation"] != nil)
        let wrongKind = failure { _ = try f.app.addRelation(RelationDraft(from: "coop-b", to: "proj", type: "mentors"), by: who) }
        #expect(wrongKind?.code == .kindRule)
    }
}

struct ExchangeContract {
    @Test func importExportAndSeed() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let who = AppFixture.who
        let json = try f.app.export(ExportRequest(format: .json)).files[0].data
        #expect(json == (try JSONFormat.write(fixtureEcosystem())), "the graph reads back exactly")
        let again = try f.app.importData(ImportRequest(sources: [.bytes(json, named: "fixture.json")]), by: who)
        #expect(again.change == nil && again.actorsUnchanged == 6 && again.relationsUnchanged == 7)
        let sheets = try f.app.export(ExportRequest(format: .csv)).files
        #expect(sheets.map(\.name) == ["actors.csv", "relations.csv"])
        _ = try f.app.importData(ImportRequest(graph: "copy", sources: sheets.map { .bytes($0.data, named: $0.name) }), by: who)
        #expect(try f.app.summary(GraphRead(graph: "copy")).relations == 7)
        let shared =
            try JSONSerialization.jsonObject(with: f.app.export(ExportRequest(format: .json, public: true)).files[0].data) as? [String: Any]
        #expect(
            (shared?["actors"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["anna", "coop-a", "coop-b", "pa-bo", "proj"])
        let bad = failure {
            _ = try f.app.importData(
                ImportRequest(sources: [.bytes(Data("ID,Label,Type\na,A,robot\n".utf8), named: "actors.csv")]), by: who)
        }
        #expect(bad?.code == .unknownKind && bad?.location?.line == 2)
        #expect(try f.app.seed(SeedRequest(name: "talents4coop"), by: who).actorsAdded == 41)
        #expect(failure { _ = try f.app.seed(SeedRequest(name: "atlantis"), by: who) }?.category == .notFound)
    }
}

struct SettingsContract {
    @Test func vocabularyAndRulesAreVersionedWithTheGraph() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let who = AppFixture.who
        let start = try #require(try f.app.log(GraphRead()).changes.last?.id)
        _ = try f.app.addKind(KindDraft(name: "school", label: "School", labelIT: "Scuola"), by: who)
        _ = try f.app.setRules(RulesUpdate(require: ["school", "cooperative:2"]), by: who)
        #expect(try f.app.vocabulary(GraphRead()).kinds.contains { $0.name == "school" })
        #expect(try f.app.rules(GraphRead()).requirements.map(\.description) == ["school", "cooperative:2"])
        // As of the import, neither existed.
        #expect(!(try f.app.vocabulary(GraphRead(asOf: .change(start))).kinds.contains { $0.name == "school" }))
        #expect(try f.app.rules(GraphRead(asOf: .change(start))) == AllianceRules.standard)
        _ = try f.app.setRules(RulesUpdate(standard: true), by: who)
        #expect(try f.app.rules(GraphRead()) == AllianceRules.standard)
        #expect(
            try f.app.log(GraphRead()).changes.suffix(3).map(\.summary) == [
                "vocabulary extended", "alliance rules set",
                "alliance rules reset to the standard ones",
            ])
        let type = try f.app.addRelationType(RelationTypeDraft(name: "teaches", from: ["Scuola"], to: ["cooperativa"]), by: who)
        #expect(type.change != nil)
        let teaches = try #require(try f.app.vocabulary(GraphRead()).relationTypes.first { $0.name == "teaches" })
        #expect(teaches.sourceKinds == ["school"] && teaches.targetKinds == ["cooperative"] && teaches.directed)
    }
}

struct AnalysisContract {
    @Test func analysesAnswerTheShapesTheCommandLinePrints() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        guard case .perActor(let degree) = try f.app.analyze(AnalysisRequest(metric: .degree)) else {
            Issue.record("degree")
            return
        }
        // coop-a: 3 successors and 3 predecessors among 5 others, as networkx's DiGraph degree centrality.
        #expect(degree.values.first?.id == "coop-a" && abs((degree.values.first?.value ?? 0) - 1.2) < 1e-12)
        #expect(degree.values.first?.kind == "cooperative" && degree.values.first?.territory == "Emilia-Romagna/Bologna")
        guard case .perActor(let strength) = try f.app.analyze(AnalysisRequest(metric: .strength)) else {
            Issue.record("strength")
            return
        }
        // Strengths, in + out: coop-a 2 (cons) + 1.5 (coop-b, both ways, two relations) + 1 (proj) out, 1 + 1 + 1.5 in.
        #expect(strength.values.first { $0.id == "coop-a" }?.value == 8 && strength.values.first { $0.id == "cons" }?.value == 2)
        guard case .components(let components) = try f.app.analyze(AnalysisRequest(metric: .components)) else {
            Issue.record("components")
            return
        }
        #expect(components.components.count == 1 && components.names["coop-a"] == "Cooperativa A, \"la prima\"")
        guard case .summary(let summary) = try f.app.analyze(AnalysisRequest(metric: .summary, filter: ViewFilter(territory: "Bologna")))
        else {
            Issue.record("summary")
            return
        }
        #expect(summary.summary.actors == 3)
        // The undirected-view analyses give the same answer built either way.
        for metric in Metric.allCases where metric.readsUndirectedView {
            let directed = try f.app.analyze(AnalysisRequest(metric: metric))
            let undirected = try f.app.analyze(AnalysisRequest(metric: metric, filter: ViewFilter(undirected: true)))
            #expect(try jsonText(directed) == (try jsonText(undirected)), "\(metric)")
        }
        let bad = failure { _ = try f.app.analyze(AnalysisRequest(metric: .betweenness, epsilon: 1e-9)) }
        #expect(bad?.fields["field"] == "epsilon" && bad?.message.contains("sampled shortest paths") == true)
        for request in [
            AnalysisRequest(metric: .degree, top: -3), AnalysisRequest(metric: .communities, resolution: .nan),
            AnalysisRequest(metric: .communities, resolution: .infinity), AnalysisRequest(metric: .pagerank, alpha: 1),
            AnalysisRequest(metric: .pagerank, epsilon: 0.1), AnalysisRequest(metric: .brokerage, level: 0),
        ] {
            #expect(failure { _ = try f.app.analyze(request) }?.category == .invalidInput, "\(request)")
        }
    }

    @Test func aShortTopIsThePrefixOfTheWholeRanking() throws {
        let f = try AppFixture()
        defer { f.cleanup() }
        _ = try f.app.seed(SeedRequest(name: "talents4coop"), by: AppFixture.who)
        for metric in [Metric.degree, .core, .constraint, .betweenness] {
            guard case .perActor(let all) = try f.app.analyze(AnalysisRequest(graph: "talents4coop", metric: metric)),
                case .perActor(let top) = try f.app.analyze(AnalysisRequest(graph: "talents4coop", metric: metric, top: 7))
            else {
                Issue.record("\(metric)")
                continue
            }
            #expect(top.values == Array(all.values.prefix(7)), "\(metric)")
        }
    }

    @Test func theBenchmarkAndTheCoreShareOneDispatch() throws {
        // An edge list's graph, as trama-bench reads it, analysed by the same dispatch.
        let graph = AnalysisGraphFixture.triangleWithTail()
        guard case .perActor(let core) = try Analyses.compute(AnalysisRequest(metric: .core), graph.graph, actors: graph.actors) else {
            Issue.record("core")
            return
        }
        #expect(core.values.map(\.id) == ["a", "b", "c", "d"] && core.values.map(\.value) == [2, 2, 2, 1])
    }
}

struct InsightContract {
    @Test func gapsRecommendationsAndCoalitionsOnTheSeed() throws {
        let f = try AppFixture()
        defer { f.cleanup() }
        _ = try f.app.seed(SeedRequest(name: "talents4coop"), by: AppFixture.who)
        let gaps = try f.app.gaps(GapsRequest(graph: "talents4coop", territory: "Parma", lang: .it))
        #expect(gaps.findings.contains { $0.reason == "L'alleanza di Emilia-Romagna/Parma non ha pubbliche amministrazioni: ne serve 1" })
        // An action names what to do and whom, never a command.
        #expect(gaps.findings.allSatisfy { !$0.action.contains("trama ") && !$0.action.contains("--") })
        let missing = try #require(gaps.findings.first { $0.code == "missing-kind" && $0.reason.contains("pubbliche amministrazioni") })
        #expect(missing.action.contains("Regione Emilia-Romagna"), "the region's administration is the candidate: \(missing.action)")
        let partners = try f.app.recommend(RecommendRequest(graph: "talents4coop", actor: "heron", top: 3))
        #expect(partners.candidates.first?.id == "regione-er" && partners.candidates.count == 3)
        let coalitions = try f.app.coalitions(CoalitionsRequest(graph: "talents4coop", require: ["cooperative:2"], maxSize: 6))
        #expect(!coalitions.coalitions.isEmpty && coalitions.coalitions.allSatisfy { $0.members.count <= 6 })
        #expect(coalitions.coalitions.allSatisfy { $0.members.allSatisfy { coalitions.names[$0] != nil } })
        #expect(failure { _ = try f.app.gaps(GapsRequest(graph: "talents4coop", territory: "Ivrea")) }?.code == .unknownTerritory)
        #expect(failure { _ = try f.app.coalitions(CoalitionsRequest(graph: "talents4coop", maxSize: 0)) }?.fields["field"] == "max_size")
        #expect(
            failure { _ = try f.app.recommend(RecommendRequest(graph: "talents4coop", actor: "heron", top: -3)) }?.fields["field"] == "top")
    }
}

extension InsightContract {
    /// The fixture (TramaTestSupport): the administration pa-bo's only tie is a *planned* contract with
    /// coop-a; coop-a *potentially* promotes proj; coop-a and coop-b partnered until 2022 (ended) and co-design (active).
    @Test func activeTiesByDefaultAndStatusChoosesOtherwise() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let byDefault = try f.app.gaps(GapsRequest())
        // No active tie: pa-bo is isolated in Bologna's alliance (coop-a, coop-b of Imola, pa-bo), and not contract-only.
        #expect(byDefault.findings.contains { $0.code == "isolate" && $0.subject.actors == ["pa-bo"] })
        #expect(!byDefault.findings.contains { $0.code == "contract-only-administration" })
        #expect(
            byDefault.findings.filter { $0.code == "opportunity" }.map(\.reason).sorted() == [
                "Comune di Bologna contracts with Cooperativa A, \"la prima\": tie planned, not started",
                "Cooperativa A, \"la prima\" promotes Progetto Ü: a potential tie, not agreed yet",
            ])
        // The ended partnership is no loss: coop-a and coop-b still co-design.
        #expect(!byDefault.findings.contains { $0.code == "lost-tie" })
        // Counting planned ties, the contract is pa-bo's one tie to the third sector.
        let planned = try f.app.gaps(GapsRequest(status: ["active,planned"]))
        #expect(
            planned.findings.first { $0.code == "contract-only-administration" }?.reason
                == "Comune di Bologna has only contracts (contracts_with) with 1 actor of the third sector, never a co-design or co-programming"
        )
        // Recommendations read the same ties through the store's indexes: coop-a is a partner to suggest only by default.
        #expect(try f.app.recommend(RecommendRequest(actor: "pa-bo")).candidates.contains { $0.id == "coop-a" })
        #expect(
            try !f.app.recommend(RecommendRequest(actor: "pa-bo", status: ["active", "pianificata"])).candidates.contains {
                $0.id == "coop-a"
            })
        #expect(failure { _ = try f.app.gaps(GapsRequest(status: ["dormant"])) }?.fields["field"] == "status")
        #expect(failure { _ = try f.app.coalitions(CoalitionsRequest(status: ["dormant"])) }?.fields["field"] == "status")
        #expect(failure { _ = try f.app.gaps(GapsRequest(level: 4)) }?.fields["field"] == "level")
    }
}

struct MapContract {
    @Test func aMapSizedByStrengthReadsStrengths() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let request = try f.app.mapRequest(MapQuery(sizeBy: .strength))
        let size = Dictionary(uniqueKeysWithValues: request.nodes.map { ($0.id, $0.size) })
        // Strength of cons 2, of coop-a 8 (the largest): cons is drawn a quarter of coop-a's size.
        #expect(size["coop-a"] == 1 && size["cons"] == 0.25, "\(size)")
        // With --weighted a path measure reads strengths too: the map's sizes are the analysis's values.
        let weighted = try f.app.mapRequest(MapQuery(filter: ViewFilter(weighted: true), sizeBy: .closeness))
        guard case .perActor(let closeness) = try f.app.analyze(AnalysisRequest(metric: .closeness, filter: ViewFilter(weighted: true)))
        else {
            Issue.record("closeness")
            return
        }
        let best = closeness.values.compactMap(\.value).max()!
        for value in closeness.values {
            #expect(abs((weighted.nodes.first { $0.id == value.id }?.size ?? -1) - (value.value ?? 0) / best) < 1e-12, "\(value.id)")
        }
        // Every drawn relation carries its stable id.
        let ids = Set(try f.app.relations(RelationQuery()).relations.map(\.id))
        #expect(request.edges.count == 7 && request.edges.allSatisfy { $0.id.map(ids.contains) == true })
        let svg = String(decoding: try f.app.map(MapQuery(view: try MapView(parsing: "ego:anna"), date: "2026-11-30")).bytes, as: UTF8.self)
        // The subtitle says the view in words (Graphviz writes `-` as `&#45;`).
        #expect(svg.contains("Neighbourhood of Anna Rossi (radius 1) · 2026&#45;11&#45;30"))
        // A map request travels as JSON and renders the same from it.
        let decoded = try JSONDecoder().decode(MapRequest.self, from: JSONEncoder().encode(request))
        #expect(decoded == request)
        #expect(failure { _ = try f.app.mapRequest(MapQuery(sizeBy: .components)) }?.fields["field"] == "size_by")
        #expect(failure { _ = try MapView(parsing: "ego:anna:99") }?.fields["field"] == "view")
        #expect(failure { _ = try f.app.mapRequest(MapQuery(view: .territory("Ivrea"))) }?.code == .unknownTerritory)
    }
}

struct PrivacyContract {
    @Test func personalDataIsExportedAndErasedOnlyWhenConfirmed() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let data = try f.app.personalData(PersonRequest(id: "anna"))
        #expect(data.actor.count == 1 && data.relations.count == 2)
        let unconfirmed = failure { _ = try f.app.erase(ErasureRequest(id: "anna"), by: AppFixture.who) }
        #expect(unconfirmed?.code == .needsConfirmation && unconfirmed?.category == .conflict)
        let erased = try f.app.erase(ErasureRequest(id: "anna", confirm: true), by: AppFixture.who)
        #expect(erased.actorVersions == 1 && erased.relationVersions == 2)
        #expect(try f.app.actors(ActorQuery()).actors.map(\.id) == ["cons", "coop-a", "coop-b", "pa-bo", "proj"])
    }
}

/// Texts below the front end never name a flag or a command: the command line and
/// the HTTP service each add their own hints.
struct ErrorContract {
    @Test func errorsCarryACategoryAndFieldsAndNameNoFlag() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let who = AppFixture.who
        let failures: [TramaError?] = [
            failure { _ = try f.app.summary(GraphRead(graph: "nowhere")) },
            failure { _ = try f.app.actor(ActorLookup(id: "nobody")) },
            failure { _ = try f.app.removeActor(ActorRemoval(id: "coop-a"), by: who) },
            failure { _ = try f.app.addActor(ActorDraft(id: "coop-a", fields: ActorFields(kind: "cooperative")), by: who) },
            failure {
                _ = try f.app.removeRelation(
                    RelationRemoval(relation: RelationReference(from: "a", to: "b", type: "partners_with")), by: who)
            },
            failure { _ = try f.app.deleteGraph(GraphDeletion(graph: "fixture")) },
            failure { _ = try f.app.createGraph("fixture") },
            failure { _ = try f.app.erase(ErasureRequest(id: "anna"), by: who) },
            failure { _ = try f.app.analyze(AnalysisRequest(metric: .degree, top: 0)) },
            failure { _ = try f.app.analyze(AnalysisRequest(metric: .degree, filter: ViewFilter(types: ["loves"]))) },
            failure { _ = try f.app.analyze(AnalysisRequest(asOf: try Moment(parsing: "2001-01-01"), metric: .degree)) },
            failure { _ = try f.app.analyze(AnalysisRequest(asOf: try Moment(parsing: "banana"), metric: .degree)) },
            failure { _ = try f.app.gaps(GapsRequest(staleAfter: "yesterday")) },
            failure { _ = try f.app.recommend(RecommendRequest(actor: "coop-a", weights: "love=1")) },
            failure { _ = try f.app.setRules(RulesUpdate(require: ["spaceship"]), by: who) },
            failure { _ = try f.app.mapRequest(MapQuery(view: .actors(["nobody"]))) },
            failure { _ = try Trama(AppConfiguration(storePath: f.folder.file("missing.db"))).graphs() },
        ]
        for error in failures {
            let error = try #require(error, "every call above fails")
            #expect(!error.message.contains("--") && !error.message.contains("`trama"), "\(error.message)")
            #expect(!error.message.contains(f.folder.path), "no path of the disk: \(error.message)")
        }
        #expect(
            failures.compactMap { $0?.category } == [
                .notFound, .notFound, .conflict, .conflict, .notFound, .conflict, .conflict, .conflict,
                .invalidInput, .invalidInput, .notFound, .invalidInput, .invalidInput, .invalidInput,
                .invalidInput, .notFound, .notFound,
            ])
    }
}
