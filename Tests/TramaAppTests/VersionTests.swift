import Foundation
import GRDB
import Testing
import TramaApp
import TramaExchange
import TramaModel
import TramaTestSupport

struct MomentTests {
    @Test func momentsAreReadStrictly() throws {
        #expect(try Moment(parsing: "2026-11-30") == .day(year: 2026, month: 11, day: 30))
        #expect(try Moment(parsing: "2024-02-29") == .day(year: 2024, month: 2, day: 29))
        #expect(try Moment(parsing: "change:42") == .change(42))
        #expect(try Moment(parsing: "inizio-lab") == .snapshot("inizio-lab"))
        // The same instant, whatever zone it is written in.
        let utc = try Moment(parsing: "2026-11-30T09:15:00Z")
        #expect(try Moment(parsing: "2026-11-30T10:15:00+01:00") == utc)
        #expect(try Moment(parsing: "2026-11-30T10:15+0100") == utc)
        #expect(try Moment(parsing: "2026-11-30T04:15:00-05:00") == utc)
        #expect(try Moment(parsing: "2026-11-30T09:15:00.250Z") != utc)
        for bad in [
            "2026-13-45", "30/11/2026", "2026-02-30", "2025-02-29", "2026-11-30T10:15:00", "2026-11-30T25:00:00Z",
            "2026-11-30T10:15:00+25:00",
            "2026-11", "", "   ", "11/2026", "2026-11-30Tnoon", "2026-11-30T10:15:00Zulu",
        ] {
            let error = failure { _ = try Moment(parsing: bad) }
            #expect(error?.code == .invalidMoment && error?.fields["field"] == "as_of", "`\(bad)`")
            #expect(error?.message.contains("2026-11-30T10:15:00+01:00") == true, "the accepted forms are shown")
        }
    }

    @Test func aDateIsTheEndOfThatDayInTheStoresZone() throws {
        let f = try AppFixture.loadedIn(zone: TimeZone(identifier: "Europe/Rome")!)
        defer { f.cleanup() }
        _ = try f.app.addActor(ActorDraft(id: "late", fields: ActorFields(name: "Late", kind: "cooperative")), by: AppFixture.who)
        // The import at 23:30 in Rome on 30 November, the new actor half an hour past midnight there (23:30 UTC).
        try f.setTimes(["2026-11-30T22:30:00.000Z", "2026-11-30T23:30:00.000Z"])
        #expect(try f.app.storeTimeZone().identifier == "Europe/Rome")
        #expect(try f.app.actors(ActorQuery(asOf: Moment(parsing: "2026-11-30"))).actors.count == 6)
        #expect(try f.app.actors(ActorQuery(asOf: Moment(parsing: "2026-12-01"))).actors.count == 7)
        #expect(try f.app.actors(ActorQuery(asOf: Moment(parsing: "2026-11-30T23:29:59Z"))).actors.count == 6)
        #expect(try f.app.actors(ActorQuery(asOf: Moment(parsing: "2026-12-01T00:30:00+01:00"))).actors.count == 7)
        let early = failure { _ = try f.app.actors(ActorQuery(asOf: Moment(parsing: "2026-11-29"))) }
        #expect(early?.code == .beforeHistory && early?.message.contains("Europe/Rome") == true)
        #expect(early?.message.contains("2026-11-30T22:30:00.000Z") == true, "it says when the graph began")
    }
}

struct AsOfTests {
    /// Every read answers, as of the first change, exactly what it answered then.
    @Test func everyReadAnswersAsItDidThen() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let app = f.app
        func answers(_ asOf: Moment?) throws -> [String] {
            [
                try jsonText(app.summary(GraphRead(asOf: asOf))),
                try jsonText(app.actors(ActorQuery(asOf: asOf, territory: "Bologna"))),
                try jsonText(app.actor(ActorLookup(asOf: asOf, id: "coop-b"))),
                try jsonText(app.relations(RelationQuery(asOf: asOf))),
                String(decoding: try app.export(ExportRequest(asOf: asOf, format: .json)).files[0].data, as: UTF8.self),
                try jsonText(app.analyze(AnalysisRequest(asOf: asOf, metric: .betweenness))),
                try jsonText(app.analyze(AnalysisRequest(asOf: asOf, metric: .communities))),
                try jsonText(app.gaps(GapsRequest(asOf: asOf))),
                try jsonText(app.recommend(RecommendRequest(asOf: asOf, actor: "coop-b"))),
                try jsonText(app.coalitions(CoalitionsRequest(asOf: asOf))),
                try jsonText(app.mapRequest(MapQuery(asOf: asOf, sizeBy: .degree, date: "2026-11-30"))),
                try jsonText(app.vocabulary(GraphRead(asOf: asOf))),
                try jsonText(app.rules(GraphRead(asOf: asOf))),
                try jsonText(app.log(GraphRead(asOf: asOf))),
            ]
        }
        let before = try answers(nil)
        let first = try #require(try app.log(GraphRead()).changes.first?.id)
        let who = AppFixture.who
        _ = try app.removeActor(ActorRemoval(id: "proj", cascade: true), by: who)
        _ = try app.updateActor(ActorPatch(id: "coop-b", fields: ActorFields(name: "Renamed", themes: ["giovani"])), by: who)
        _ = try app.addActor(
            ActorDraft(id: "pa-fe", fields: ActorFields(name: "Comune di Ferrara", kind: "PA", territory: "Emilia-Romagna/Ferrara")),
            by: who)
        _ = try app.addRelation(RelationDraft(from: "pa-fe", to: "cons", type: "co_designs_with"), by: who)
        _ = try app.addKind(KindDraft(name: "school"), by: who)
        _ = try app.setRules(RulesUpdate(require: ["cooperative:3"]), by: who)
        let now = try answers(nil)
        let then = try answers(.change(first))
        for (i, (a, b)) in zip(before, then).enumerated() { #expect(a == b, "answer \(i) as of the first change") }
        #expect(zip(before, now).filter { $0 != $1 }.count == before.count, "every answer changed since")
    }

    @Test func staleRelationsAreJudgedAtTheMomentRead() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        _ = try f.app.addRelation(
            RelationDraft(from: "coop-b", to: "pa-bo", type: "co_designs_with", fields: RelationFields(until: "2026-06")),
            by: AppFixture.who)
        try f.setTimes(["2026-01-10T09:00:00.000Z", "2026-05-02T09:00:00.000Z"])
        func stale(_ asOf: Moment?) throws -> [String] {
            try f.app.gaps(GapsRequest(asOf: asOf)).findings.filter { $0.code == "stale-relation" }.map(\.reason)
        }
        // Today (the application's clock is the real one, after June 2026) the tie has run out; in May it had not.
        #expect(try stale(nil).contains { $0.contains("ended on 2026-06") })
        let may = try stale(Moment(parsing: "2026-05-15"))
        #expect(may.isEmpty, "\(may)")
    }
}

struct ConcurrencyTests {
    /// A reader answers from the last committed version while a writer holds the
    /// store, and a second writer is told it is busy instead of waiting forever.
    @Test func readersNeverWaitForAWriter() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let writer = try DatabaseQueue(path: f.path)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? writer.inTransaction(.immediate) { db in
                try db.execute(
                    sql: "INSERT INTO changes (graph_id, at, author, command) VALUES (1, '2026-11-30T00:00:00.000Z', 'other', 'import')")
                try db.execute(sql: "UPDATE actors SET name = 'Uncommitted' WHERE id = 'coop-b' AND valid_to IS NULL")
                holding.signal()
                release.wait()
                return .commit
            }
            done.signal()
        }
        holding.wait()
        let reader = f.another()
        #expect(try reader.actor(ActorLookup(id: "coop-b")).actor.name == "Coop B <b>", "the last committed version")
        #expect(try reader.analyze(AnalysisRequest(metric: .degree)).perActorCount == 6)
        let busy = failure {
            _ = try f.another(busyTimeout: 0.2).addActor(ActorDraft(id: "x", fields: ActorFields(kind: "mentor")), by: AppFixture.who)
        }
        #expect(busy?.code == .busy && busy?.category == .busy)
        release.signal()
        done.wait()
        #expect(try f.another().actor(ActorLookup(id: "coop-b")).actor.name == "Uncommitted")
    }
}

extension AnalysisResult {
    var perActorCount: Int? {
        if case .perActor(let r) = self { return r.values.count }
        return nil
    }
}

extension AppFixture {
    static func loadedIn(zone: TimeZone) throws -> AppFixture {
        let fixture = try AppFixture(timeZone: zone)
        _ = try fixture.app.importData(
            ImportRequest(sources: [.bytes(try JSONFormat.write(fixtureEcosystem()), named: "fixture.json")]),
            by: who)
        return fixture
    }

    /// Sets the times of the graph's changes, oldest first (tests of time need known times).
    func setTimes(_ times: [String]) throws {
        try DatabaseQueue(path: path).write { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM changes ORDER BY id")
            for (id, at) in zip(ids, times) { try db.execute(sql: "UPDATE changes SET at = ? WHERE id = ?", arguments: [at, id]) }
        }
    }
}
