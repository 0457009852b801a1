import Foundation
import Testing
import TramaApp
import TramaExchange
import TramaModel
import TramaTestSupport

// Time on hand-built histories: every answer below is worked out by hand from the
// fixture ecosystem (TramaTestSupport) and the edits each test makes.

/// The fixture, then a lab's edits: coop-b renamed, coop-b–pa-bo partners added,
/// anna–proj mentoring ended, coop-a–proj promotion removed.
private func edited() throws -> (AppFixture, start: Int64, edits: [Int64]) {
    let f = try AppFixture.loaded()
    let who = AppFixture.who
    let start = try #require(try f.app.log(GraphRead()).changes.last?.id)
    let renamed = try f.app.updateActor(ActorPatch(id: "coop-b", fields: ActorFields(name: "Coop B Imola")), by: who)
    let added = try f.app.addRelation(
        RelationDraft(from: "coop-b", to: "pa-bo", type: "partners_with", fields: RelationFields(since: "2024", evidence: "lab 3")), by: who
    )
    let ended = try f.app.updateRelation(
        RelationPatch(
            relation: RelationReference(from: "anna", to: "proj", type: "mentors"),
            fields: RelationFields(until: "2023-06", status: "ended")),
        by: who)
    let removed = try f.app.removeRelation(
        RelationRemoval(relation: RelationReference(from: "coop-a", to: "proj", type: "promotes")), by: who)
    return (f, start, [renamed, added, ended, removed].map { $0.change! })
}

private func exported(_ app: Trama, asOf: Moment? = nil) throws -> String {
    String(decoding: try app.export(ExportRequest(asOf: asOf, format: .json)).files[0].data, as: UTF8.self)
}

struct LogTests {
    @Test func eachChangeSetSaysWhatItTouchedFieldByField() throws {
        let (f, start, edits) = try edited()
        defer { f.cleanup() }
        let log = try f.app.detailedLog(LogRequest())
        #expect(log.changes.map(\.id) == [start] + edits)
        let first = log.changes[0]
        #expect(first.kind == "import" && first.actorsTotal == 6 && first.relationsTotal == 7)
        #expect(first.actors.allSatisfy { $0.action == .added } && first.relations.allSatisfy { $0.action == .added })
        let renamed = log.changes[1]
        #expect(renamed.kind == "edit" && renamed.author == "tester" && renamed.relations.isEmpty)
        #expect(
            renamed.actors == [ActorChangeMatch.changed("coop-b", [FieldChange(field: "name", old: "Coop B <b>", new: "Coop B Imola")])])
        let added = log.changes[2].relations
        #expect(added.count == 1 && added[0].action == .added && added[0].from == "coop-b" && added[0].to == "pa-bo")
        let ended = log.changes[3].relations
        #expect(
            ended.map(\.fields) == [
                [FieldChange(field: "until", old: nil, new: "2023-06"), FieldChange(field: "status", old: "active", new: "ended")]
            ])
        let removed = log.changes[4].relations
        #expect(removed.count == 1 && removed[0].action == .removed && removed[0].type == "promotes")
        // A limit cuts the lists, not the totals.
        let cut = try f.app.detailedLog(LogRequest(change: start, limit: 2))
        #expect(cut.changes[0].actors.count == 2 && cut.changes[0].actorsTotal == 6 && cut.changes[0].relations.count == 2)
        // A public reader does not see the private consortium nor the private contract in the log.
        let shared = try f.app.detailedLog(LogRequest(change: start, public: true))
        #expect(shared.changes[0].actorsTotal == 5 && shared.changes[0].relationsTotal == 5)
        #expect(!shared.changes[0].actors.contains { $0.id == "cons" })
    }
}

/// An actor change reduced to what a test compares.
enum ActorChangeMatch {
    static func changed(_ id: String, _ fields: [FieldChange]) -> ActorChangeKey {
        ActorChangeKey(id: id, action: .changed, fields: fields)
    }
}

struct ActorChangeKey: Equatable {
    var id: String
    var action: ChangeAction
    var fields: [FieldChange]
}

extension Array where Element == ActorChange {
    static func == (a: [ActorChange], b: [ActorChangeKey]) -> Bool {
        a.map { ActorChangeKey(id: $0.id, action: $0.action, fields: $0.fields) } == b
    }
}

struct UndoTests {
    @Test func undoingEveryEditGivesBackTheEarlierExport() throws {
        let (f, start, edits) = try edited()
        defer { f.cleanup() }
        let before = try exported(f.app, asOf: .change(start))
        let undone = try f.app.undo(UndoRequest(count: 4), by: AppFixture.who)
        #expect(undone.undone.map(\.id) == edits.reversed())
        #expect(undone.change.actorsUpdated == 1 && undone.change.relationsRemoved == 1 && undone.change.relationsAdded == 1)
        #expect(try exported(f.app) == before, "undo, then export: the export before the edits")
        // History is not rewritten: the edits and the undo are all in the log.
        #expect(try f.app.log(GraphRead()).changes.count == 6)
        // The removed promotion came back with its old id.
        let promotion = try f.app.relations(RelationQuery(types: ["promotes"])).relations
        let earlier = try f.app.relations(RelationQuery(asOf: .change(start), types: ["promotes"])).relations
        #expect(promotion.map(\.id) == earlier.map(\.id))
    }

    @Test func undoingAnUndoRedoesAndTheNextUndoSkipsWhatIsUndone() throws {
        let (f, _, edits) = try edited()
        defer { f.cleanup() }
        let who = AppFixture.who
        let afterEdits = try exported(f.app)
        let first = try f.app.undo(UndoRequest(), by: who)
        #expect(first.undone.map(\.id) == [edits[3]])
        let second = try f.app.undo(UndoRequest(), by: who)
        #expect(second.undone.map(\.id) == [edits[2]], "an undo does not undo the undo before it")
        // Redo the first undo: the promotion is removed again.
        let redo = try f.app.undo(UndoRequest(change: first.change.change!), by: who)
        #expect(redo.undone.map(\.id) == [first.change.change!])
        #expect(try f.app.relations(RelationQuery(types: ["promotes"])).relations.isEmpty)
        // The next undo undoes the redo (it carries edit 4 now), then edit 2.
        let third = try f.app.undo(UndoRequest(), by: who)
        #expect(third.undone.map(\.id) == [redo.change.change!])
        #expect(try f.app.relations(RelationQuery(types: ["promotes"])).relations.count == 1)
        // Undo the second undo and the third: back to every edit in effect.
        _ = try f.app.undo(UndoRequest(change: third.change.change!), by: who)
        _ = try f.app.undo(UndoRequest(change: second.change.change!), by: who)
        #expect(try exported(f.app) == afterEdits)
    }

    @Test func anUndoThatALaterChangeDependsOnIsRefusedNamingIt() throws {
        let (f, _, edits) = try edited()
        defer { f.cleanup() }
        let who = AppFixture.who
        // The added partnership is changed later: undoing its addition alone would lose that.
        let later = try f.app.updateRelation(
            RelationPatch(
                relation: RelationReference(from: "coop-b", to: "pa-bo", type: "partners_with"), fields: RelationFields(strength: 3)),
            by: who)
        let refused = failure { _ = try f.app.undo(UndoRequest(change: edits[1]), by: who) }
        #expect(refused?.code == .undoConflict && refused?.fields["conflict"] == "\(later.change!)", "\(refused?.message ?? "")")
        #expect(refused?.message.contains("change \(later.change!)") == true)
        // An actor added then tied: undoing the addition would leave the tie without its end.
        let added = try f.app.addActor(ActorDraft(id: "new", fields: ActorFields(name: "New", kind: "cooperative")), by: who)
        let tie = try f.app.addRelation(RelationDraft(from: "new", to: "coop-a", type: "partners_with"), by: who)
        let orphan = failure { _ = try f.app.undo(UndoRequest(change: added.change!), by: who) }
        #expect(orphan?.code == .undoConflict && orphan?.fields["conflict"] == "\(tie.change!)", "\(orphan?.message ?? "")")
        #expect(try f.app.actor(ActorLookup(id: "new")).actor.name == "New", "nothing was undone")
    }

    @Test func vocabularyChangesAreUndoneAndNothingLeftIsSaid() throws {
        let f = try AppFixture()
        defer { f.cleanup() }
        let who = AppFixture.who
        #expect(failure { _ = try f.app.undo(UndoRequest(), by: who) }?.category == .notFound)
        _ = try f.app.createGraph("fixture")
        _ = try f.app.addKind(KindDraft(name: "foundation", label: "Foundation", labelIT: "Fondazione"), by: who)
        #expect(try f.app.vocabulary(GraphRead()).kinds.contains { $0.name == "foundation" })
        _ = try f.app.undo(UndoRequest(), by: who)
        #expect(try !f.app.vocabulary(GraphRead()).kinds.contains { $0.name == "foundation" })
        let nothing = failure { _ = try f.app.undo(UndoRequest(), by: who) }
        #expect(nothing?.code == .nothingToUndo)
    }
}

struct DiffTests {
    /// The diff of two versions against one computed here from two JSON exports.
    @Test func theDiffIsTheDifferenceOfTwoExports() throws {
        let (f, start, _) = try edited()
        defer { f.cleanup() }
        let diff = try f.app.diff(DiffRequest(from: .change(start)))
        func document(_ moment: Moment?) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(try exported(f.app, asOf: moment).utf8)) as! [String: Any]
        }
        let (old, new) = (try document(.change(start)), try document(nil))
        func keyed(_ doc: [String: Any], _ list: String, _ key: ([String: Any]) -> String) -> [String: NSDictionary] {
            Dictionary(uniqueKeysWithValues: (doc[list] as! [[String: Any]]).map { (key($0), $0 as NSDictionary) })
        }
        let actorKey: ([String: Any]) -> String = { $0["id"] as! String }
        let relationKey: ([String: Any]) -> String = { "\($0["from"]!)>\($0["to"]!)>\($0["type"]!)" }
        for (list, key, changes) in [
            ("actors", actorKey, [diff.actors.added.map(\.id), diff.actors.removed.map(\.id), diff.actors.changed.map(\.id)]),
            (
                "relations", relationKey,
                [
                    diff.relations.added.map { "\($0.from)>\($0.to)>\($0.type)" },
                    diff.relations.removed.map { "\($0.from)>\($0.to)>\($0.type)" },
                    diff.relations.changed.map { "\($0.from)>\($0.to)>\($0.type)" },
                ]
            ),
        ] {
            let (a, b) = (keyed(old, list, key), keyed(new, list, key))
            let added = Set(b.keys).subtracting(a.keys)
            let removed = Set(a.keys).subtracting(b.keys)
            let changed = Set(a.keys).intersection(b.keys).filter { a[$0] != b[$0] }
            #expect(Set(changes[0]) == added && Set(changes[1]) == removed && Set(changes[2]) == changed, "\(list)")
        }
        #expect(diff.actors.changed.first?.fields == [FieldChange(field: "name", old: "Coop B <b>", new: "Coop B Imola")])
        // Small graph: who moved and the gaps come with it. coop-b gained a tie (to pa-bo): 1 → 2 ties read both ways
        // (its two ties to coop-a are one neighbour), pa-bo 1 → 2.
        let coopB = try #require(diff.metrics?.first { $0.id == "coop-b" })
        #expect(coopB.degree.old == 1 && coopB.degree.new == 2)
        #expect(diff.gaps != nil)
    }

    @Test func snapshotsNameMomentsWhereverAMomentGoes() throws {
        let (f, start, _) = try edited()
        defer { f.cleanup() }
        let who = AppFixture.who
        let taken = try f.app.createSnapshot(SnapshotRequest(name: "inizio-lab", asOf: .change(start), note: "prima del lab"), by: who)
        #expect(taken.change == start && taken.note == "prima del lab")
        _ = try f.app.createSnapshot(SnapshotRequest(name: "fine-lab"), by: who)
        #expect(try f.app.snapshots(GraphRead()).snapshots.map(\.name) == ["inizio-lab", "fine-lab"])
        #expect(failure { _ = try f.app.createSnapshot(SnapshotRequest(name: "fine-lab"), by: who) }?.category == .conflict)
        #expect(failure { _ = try f.app.createSnapshot(SnapshotRequest(name: "2024 lab"), by: who) }?.category == .invalidInput)
        // A snapshot reads as its change does, and a diff between two snapshots is the lab's.
        #expect(try exported(f.app, asOf: .snapshot("inizio-lab")) == exported(f.app, asOf: .change(start)))
        let lab = try f.app.diff(DiffRequest(from: .snapshot("inizio-lab"), to: .snapshot("fine-lab"), metrics: false))
        #expect(lab.relations.added.count == 1 && lab.relations.removed.count == 1 && lab.relations.changed.count == 1)
        let unknown = failure { _ = try f.app.summary(GraphRead(asOf: .snapshot("fine"))) }
        #expect(unknown?.code == .invalidMoment && unknown?.message.contains("inizio-lab, fine-lab") == true, "\(unknown?.message ?? "")")
        #expect(try f.app.deleteSnapshot(graph: nil, name: "fine-lab").name == "fine-lab")
        #expect(try f.app.snapshots(GraphRead()).snapshots.count == 1)
    }
}

struct WorldDateTests {
    /// The fixture's relations by their dates: member_of since 2019 (active), partners_with
    /// 2020-03 to 2022-12-31 (ended), co_designs_with and affiliated_with and mentors with no
    /// dates (active), contracts_with planned, promotes potential.
    @Test func theNetworkOnADateHoldsTheRelationsInForceThen() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        func relations(_ on: String) throws -> [String] {
            try f.app.relations(RelationQuery(on: WorldDate(parsing: on))).relations.map(\.relation.type).sorted()
        }
        let undated = ["affiliated_with", "co_designs_with", "mentors"]
        #expect(try relations("2018") == undated, "before member_of began")
        #expect(try relations("2019-06") == (undated + ["member_of"]).sorted())
        #expect(try relations("2021") == (undated + ["member_of", "partners_with"]).sorted())
        #expect(try relations("2022-12-31") == (undated + ["member_of", "partners_with"]).sorted(), "until is inclusive")
        #expect(try relations("2023-01-01") == (undated + ["member_of"]).sorted())
        #expect(try relations("31/12/2022") == relations("2022-12-31"), "the Italian way of writing it")
        // Actors stay; a summary on a date lists those with no tie in force as isolated.
        let summary = try f.app.summary(GraphRead(on: WorldDate(parsing: "2018")))
        #expect(summary.actors == 6 && summary.relations == 3 && summary.isolated == ["cons", "pa-bo"])
        let bad = failure { _ = try WorldDate(parsing: "ieri") }
        #expect(bad?.category == .invalidInput && bad?.fields["field"] == "on")
        #expect(failure { _ = try WorldDate(parsing: "2023-02-30") }?.category == .invalidInput)
    }

    @Test func anEndedRelationWithoutUntilEndedWhenTheStoreWasToldSo() {
        let date = try! WorldDate(parsing: "2024")
        #expect(date.holds(since: "2020", until: nil, status: .ended, endedBy: "2024-03-01"))
        #expect(!date.holds(since: "2020", until: nil, status: .ended, endedBy: "2023-12-31"))
        #expect(!date.holds(since: nil, until: nil, status: .planned, endedBy: nil))
        #expect(!date.holds(since: "2025-01", until: nil, status: .active, endedBy: nil))
        #expect(date.holds(since: "2024-12-31", until: nil, status: .active, endedBy: nil))
    }
}

struct ImportHistoryTests {
    @Test func aReimportSaysWhichEditsItRevertsAndADryRunWritesNothing() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let who = AppFixture.who
        let sheet = ImportRequest(sources: [.bytes(try JSONFormat.write(fixtureEcosystem()), named: "fixture.json")])
        let renamed = try f.app.updateActor(ActorPatch(id: "coop-b", fields: ActorFields(name: "Coop B Imola")), by: who)
        let removed = try f.app.removeRelation(
            RelationRemoval(relation: RelationReference(from: "anna", to: "proj", type: "mentors")), by: who)
        let changes = try f.app.log(GraphRead()).changes.count
        var dry = sheet
        dry.dryRun = true
        let would = try f.app.importData(dry, by: who)
        #expect(would.dryRun == true && would.change == nil && would.actorsUpdated == 1 && would.relationsAdded == 1)
        #expect(would.detail?.actors.map(\.id) == ["coop-b"] && would.detail?.relations.map(\.type) == ["mentors"])
        #expect(try f.app.log(GraphRead()).changes.count == changes, "a dry run writes nothing")
        #expect(try f.app.actor(ActorLookup(id: "coop-b")).actor.name == "Coop B Imola")
        let edits = try #require(would.revertedEdits)
        #expect(edits.map(\.change) == [renamed.change!, removed.change!])
        #expect(edits[0].fields == [FieldChange(field: "name", old: "Coop B Imola", new: "Coop B <b>")] && edits[1].action == "removed")
        var strict = sheet
        strict.strict = true
        let refused = failure { _ = try f.app.importData(strict, by: who) }
        #expect(refused?.code == .revertsEdits && refused?.fields["count"] == "2")
        let done = try f.app.importData(sheet, by: who)
        #expect(done.revertedEdits?.count == 2 && done.actorsUpdated == 1)
        #expect(try f.app.actor(ActorLookup(id: "coop-b")).actor.name == "Coop B <b>")
        // Imported again: nothing to revert.
        #expect(try f.app.importData(sheet, by: who).revertedEdits == nil)
    }
}

struct MapsOverTimeTests {
    /// Each actor's label position in an SVG map (its first text), by actor id.
    static func labels(_ svg: String) -> [String: (Double, Double)] {
        var out: [String: (Double, Double)] = [:]
        for part in svg.replacingOccurrences(of: "&#45;", with: "-").components(separatedBy: "<g id=\"a-").dropFirst() {
            let id = String(part.prefix { $0 != "\"" })
            guard let text = part.range(of: "<text"), let end = part[text.upperBound...].range(of: ">") else { continue }
            let tag = String(part[text.upperBound..<end.lowerBound])
            func number(_ name: String) -> Double? {
                guard let r = tag.range(of: " \(name)=\"") else { return nil }
                return Double(tag[r.upperBound...].prefix { $0 != "\"" })
            }
            if let x = number("x"), let y = number("y") { out[id] = (x, y) }
        }
        return out
    }

    @Test func aComparingMapMarksWhatWasAddedRemovedAndChanged() throws {
        let (f, start, _) = try edited()
        defer { f.cleanup() }
        var query = MapQuery(format: .svg, lang: .it)
        query.compareFrom = .change(start)
        let map = try f.app.map(query)
        let svg = String(decoding: map.bytes, as: UTF8.self).replacingOccurrences(of: "&#45;", with: "-")
        func classes(_ id: String) -> String? {
            guard let r = svg.range(of: "<g id=\"\(id)\" class=\"") else { return nil }
            return String(svg[r.upperBound...].prefix { $0 != "\"" })
        }
        #expect(classes("a-coop-b")?.split(separator: " ").contains("changed") == true, "renamed: \(classes("a-coop-b") ?? "none")")
        let added = try #require(map.request.edges.first { $0.type == "partners_with" && $0.state == .added })
        #expect(classes("r-\(added.id!)")?.split(separator: " ").contains("added") == true)
        let removed = try #require(map.request.edges.first { $0.type == "promotes" })
        #expect(removed.state == .removed && classes("r-\(removed.id!)")?.split(separator: " ").contains("removed") == true)
        let ended = try #require(map.request.edges.first { $0.type == "mentors" })
        #expect(ended.state == .changed)
        #expect(svg.contains("svg.before .added, svg.after .removed { display: none; }"), "the style that shows either state alone")
        #expect(map.request.legendNotes.first == "verde: aggiunto dopo change:\(start)")
        // Both states are on the one layout: the earlier map's actors are all there.
        #expect(Set(map.request.nodes.map(\.id)) == ["coop-a", "coop-b", "pa-bo", "cons", "anna", "proj"])
    }

    @Test func aViewKeepsItsShapeFromOneMapToTheNext() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let who = AppFixture.who
        let first = try f.app.map(MapQuery(format: .svg))
        #expect(first.request.known == nil)
        let second = try f.app.map(MapQuery(format: .svg))
        #expect(second.request.known?.count == 8, "six actors and the layout's box were kept")
        #expect(first.bytes == second.bytes, "on kept positions the same map comes back")
        _ = try f.app.addActor(ActorDraft(id: "new", fields: ActorFields(name: "Nuova", kind: "cooperative")), by: who)
        _ = try f.app.addRelation(RelationDraft(from: "new", to: "coop-a", type: "partners_with"), by: who)
        let third = try f.app.map(MapQuery(format: .svg))
        let (a, b) = (Self.labels(String(decoding: first.bytes, as: UTF8.self)), Self.labels(String(decoding: third.bytes, as: UTF8.self)))
        #expect(b["new"] != nil && a.count == 6)
        // Every old actor stands where it stood relative to the others (the drawing may shift as a whole).
        let anchor = "coop-a"
        for id in a.keys {
            let was = (a[id]!.0 - a[anchor]!.0, a[id]!.1 - a[anchor]!.1)
            let now = (b[id]!.0 - b[anchor]!.0, b[id]!.1 - b[anchor]!.1)
            #expect(abs(was.0 - now.0) < 0.6 && abs(was.1 - now.1) < 0.6, "\(id) moved: \(was) → \(now)")
        }
        // A different view has its own shape.
        #expect(try f.app.map(MapQuery(view: .territory("Bologna"), format: .svg)).request.known == nil)
    }
}
