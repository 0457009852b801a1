import Foundation
import GRDB
import Testing
import TramaApp
import TramaModel

/// Erasing one person erases that person only: whole-word mentions of their names,
/// id and contacts in other records, never a word that merely contains them; and
/// "erased" is said only when the file no longer holds their bytes.
struct ErasureTests {
    static let who = AppFixture.who

    /// The bytes of the store file and its write-ahead log.
    func fileBytes(_ f: AppFixture) throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: f.path))
        if let wal = try? Data(contentsOf: URL(fileURLWithPath: f.path + "-wal")) { data.append(wal) }
        return data
    }

    func description(_ f: AppFixture, _ id: String, graph: String? = nil) throws -> String? {
        try f.app.actor(ActorLookup(graph: graph, id: id)).actor.description
    }

    func add(_ f: AppFixture, _ id: String, _ fields: ActorFields, graph: String? = nil, author: String = "tester") throws {
        _ = try f.app.addActor(ActorDraft(graph: graph, id: id, fields: fields), by: WriteContext(author: author, command: "test"))
    }

    @Test func erasingMarcoLeavesMarconiAndMarcoliniAndErasingRoLeavesPromoter() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        try add(f, "marco", ActorFields(name: "Marco", kind: "mentor"))
        try add(f, "ro", ActorFields(name: "Ro", kind: "mentor"))
        let text = "via Marconi 12, presidente Marcolini; Marco segue il consorzio, marco-bis no; promoter ro."
        _ = try f.app.updateActor(ActorPatch(id: "coop-a", fields: ActorFields(description: text)), by: Self.who)

        // Before confirming, the plan shows the one record that would change and where.
        let plan = try f.app.erasurePlan(PersonRequest(id: "marco"))
        #expect(plan.graphs.map(\.graph) == ["fixture"])
        #expect(plan.mentions.map(\.record) == ["actor `coop-a`"])
        #expect(plan.mentions.first?.excerpt.contains("Marco segue") == true)
        #expect(try description(f, "coop-a") == text, "a plan changes nothing")

        _ = try f.app.erase(ErasureRequest(id: "marco", confirm: true), by: Self.who)
        // By hand: only the standalone word "Marco" is his; "Marconi", "Marcolini" and
        // the hyphenated "marco-bis" are other words.
        let afterMarco = "via Marconi 12, presidente Marcolini; [erased] segue il consorzio, marco-bis no; promoter ro."
        #expect(try description(f, "coop-a") == afterMarco)

        // An id of two letters would be found in others' words by chance: it is not looked for, and the plan says so.
        #expect(try f.app.erasurePlan(PersonRequest(id: "ro")).notes.contains { $0.contains("`ro`") && $0.contains("too short") })
        _ = try f.app.erase(ErasureRequest(id: "ro", confirm: true), by: Self.who)
        #expect(try description(f, "coop-a") == afterMarco, "promoter, and the word ro, stay")
        // Everyone else's names are as they were.
        #expect(try f.app.actor(ActorLookup(id: "coop-a")).actor.name == "Cooperativa A, \"la prima\"")
    }

    @Test func authorsContactsAndOtherSpellingsAreScrubbedEverywhere() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        try add(
            f, "marco-rossi",
            ActorFields(name: "Marco Rossi", kind: "mentor", attributes: ["Email": "m.rossi@esempio.it", "Telefono": "+39 333 123 4567"]),
            author: "Marco Rossi")
        // Another record names him in lower case and by his e-mail and phone.
        _ = try f.app.updateActor(
            ActorPatch(id: "coop-b", fields: ActorFields(description: "referente marco rossi (m.rossi@esempio.it, +39 333 123 4567)")),
            by: Self.who)
        _ = try f.app.erase(ErasureRequest(id: "marco-rossi", confirm: true), by: Self.who)

        #expect(try description(f, "coop-b") == "referente [erased] ([erased], [erased])")
        let log = try f.app.log(GraphRead())
        #expect(log.changes.allSatisfy { $0.author != "Marco Rossi" }, "the author column no longer names him")
        let bytes = try fileBytes(f)
        for trace in ["Marco Rossi", "marco rossi", "m.rossi@esempio.it", "333 123 4567", "marco-rossi"] {
            #expect(bytes.range(of: Data(trace.utf8)) == nil, "`\(trace)` is still in the store file")
        }
    }

    @Test func anotherReaderHoldingAnEarlierVersionMakesTheErasurePendingNotDone() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        try add(f, "lucia-neri", ActorFields(name: "Lucia Neri", kind: "mentor", description: "contatto: lucia.neri@esempio.it"))
        // Another program reads the store and keeps its read transaction open.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: f.path, configuration: configuration)
        try reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN DEFERRED")
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM actors")
        }
        let impatient = f.another(busyTimeout: 0.3)
        do {
            _ = try impatient.erase(ErasureRequest(id: "lucia-neri", confirm: true), by: Self.who)
            Issue.record("an erasure whose bytes are still in the file must not answer as done")
        } catch let error as TramaError {
            #expect(error.code == .erasurePending)
            #expect(error.message.contains("erased from every answer"))
        }
        // She is gone from every answer already…
        #expect(throws: TramaError.self) { try impatient.actor(ActorLookup(id: "lucia-neri")) }
        // …and once the reader lets go, asking again finishes the erasure.
        try reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try reader.close()
        let finished = try impatient.erase(ErasureRequest(id: "lucia-neri", confirm: true), by: Self.who)
        #expect(finished.finished)
        let bytes = try fileBytes(f)
        for trace in ["Lucia Neri", "lucia.neri@esempio.it"] {
            #expect(bytes.range(of: Data(trace.utf8)) == nil, "`\(trace)` is still in the store file")
        }
    }

    @Test func theSamePersonIsErasedFromEveryGraphAndAnotherWithTheSameIdIsNamedNotTouched() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        _ = try f.app.createGraph("lab-2025")
        _ = try f.app.createGraph("altro")
        try add(f, "giulia", ActorFields(name: "Giulia Verdi", kind: "mentor"))
        try add(f, "giulia", ActorFields(name: "giulia verdi", kind: "mentor"), graph: "lab-2025")
        try add(f, "giulia", ActorFields(name: "Giulia Bianchi", kind: "mentor"), graph: "altro")

        let plan = try f.app.erasurePlan(PersonRequest(id: "giulia"))
        #expect(plan.graphs.map(\.graph) == ["fixture", "lab-2025"])
        #expect(plan.notes.count == 1 && plan.notes[0].contains("`altro`") && plan.notes[0].contains("Giulia Bianchi"))
        _ = try f.app.erase(ErasureRequest(id: "giulia", confirm: true), by: Self.who)
        #expect(throws: TramaError.self) { try f.app.actor(ActorLookup(graph: "lab-2025", id: "giulia")) }
        #expect(try f.app.actor(ActorLookup(graph: "altro", id: "giulia")).actor.name == "Giulia Bianchi")
    }

    @Test func aPublicExportAsOfAnEarlierMomentLeavesOutWhoIsPrivateNow() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        try add(f, "paolo", ActorFields(name: "Paolo Blu", kind: "mentor"))
        let before = try f.app.log(GraphRead()).changes.last!.id
        _ = try f.app.updateActor(ActorPatch(id: "paolo", fields: ActorFields(private: true)), by: Self.who)
        let export = try f.app.export(
            ExportRequest(asOf: try Moment(parsing: "change:\(before)"), format: .json, public: true))
        let text = String(decoding: export.files[0].data, as: UTF8.self)
        #expect(!text.contains("Paolo Blu"), "privacy is decided by the current state, for every moment")
    }

    /// What a review found: other people's dates, amounts and e-mails in the person's own
    /// description are not theirs to erase; a command that only mentions their id keeps
    /// its other arguments; colliding attribute keys keep both values.
    @Test func onlyThePersonsOwnContactsAreErasedAndOthersDataStays() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        try add(
            f, "marco-rossi",
            ActorFields(
                name: "Marco Rossi", kind: "mentor", description: "assistente anna@example.org; budget 1.200.000",
                attributes: ["joined": "2021-03-15", "Email": "marco@esempio.it"]))
        _ = try f.app.updateActor(
            ActorPatch(
                id: "coop-a",
                fields: ActorFields(
                    description: "since 2021-03-15, budget 1.200.000, write to anna@example.org or marco@esempio.it",
                    attributes: ["marco rossi": "1", "Marco Rossi": "2"])),
            by: Self.who)
        _ = try f.app.erase(ErasureRequest(id: "marco-rossi", confirm: true), by: Self.who)
        let coopA = try f.app.actor(ActorLookup(id: "coop-a")).actor
        // By hand: only his own e-mail goes; the date, the amount and Anna's e-mail stay.
        #expect(coopA.description == "since 2021-03-15, budget 1.200.000, write to anna@example.org or [erased]")
        #expect(Set(coopA.attributes.values).isSuperset(of: ["1", "2"]), "\(coopA.attributes)")
    }

    @Test func decomposedAndUnaccentedSpellingsAreHisTooAndAMistypedIdIsNotFinished() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        try add(f, "nicolo", ActorFields(name: "Nicolò Bianchi", kind: "mentor"))
        let decomposed = "Nicolo\u{300} Bianchi"  // ò as o + combining grave
        _ = try f.app.updateActor(
            ActorPatch(id: "coop-b", fields: ActorFields(description: "\(decomposed) and Nicolo Bianchi met")), by: Self.who)
        _ = try f.app.createSnapshot(
            SnapshotRequest(name: "lab-end", note: "with Nicolò"), by: WriteContext(author: "Nicolò Bianchi", command: "test"))
        _ = try f.app.mapRequest(MapQuery(view: .actors(["coop-a", "nicolo"])))
        _ = try f.app.erase(ErasureRequest(id: "nicolo", confirm: true), by: Self.who)
        #expect(try description(f, "coop-b") == "[erased] and [erased] met")
        #expect(try f.app.snapshots(GraphRead()).snapshots.first?.author == "[erased]")
        // A mistyped id after an erasure is not "finished": it was never there.
        #expect(throws: TramaError.self) { try f.app.erase(ErasureRequest(id: "nicolo-x", confirm: true), by: Self.who) }
    }

    /// A public read never names a hidden person: not in a relation, the log, a diff or a snapshot's note.
    @Test func publicReadsOfRelationsLogAndSnapshotsShowHiddenNamesAsPrivate() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        _ = try f.app.createSnapshot(SnapshotRequest(name: "before"), by: Self.who)
        try add(f, "paola", ActorFields(name: "Paola Neri", kind: "mentor", private: true))
        try add(f, "coop-z", ActorFields(name: "Coop Z", kind: "cooperative"))
        _ = try f.app.addRelation(
            RelationDraft(from: "coop-z", to: "coop-a", type: "partners_with", fields: RelationFields(evidence: "Paola Neri said so")),
            by: Self.who)
        _ = try f.app.createSnapshot(SnapshotRequest(name: "after", note: "Paola Neri joined"), by: Self.who)
        let id = try #require(try f.app.relations(RelationQuery()).relations.first { $0.relation.evidence?.contains("Paola") == true }?.id)
        let shown = try f.app.relation(RelationLookup(id: id, public: true)).relation
        #expect(shown.evidence == "[private] said so")
        let log = try JSONEncoder().encode(try f.app.detailedLog(LogRequest(public: true)))
        #expect(String(decoding: log, as: UTF8.self).range(of: "Paola") == nil)
        let diff = try JSONEncoder().encode(try f.app.diff(DiffRequest(from: try Moment(parsing: "before"), public: true)))
        #expect(String(decoding: diff, as: UTF8.self).range(of: "Paola") == nil)
        #expect(try f.app.snapshots(GraphRead(public: true)).snapshots.last?.note == "[private] joined")
    }
}
