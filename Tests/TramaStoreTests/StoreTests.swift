import Foundation
import GRDB
import Testing
import TramaModel
import TramaStore
import TramaTestSupport

/// A store in a fresh folder, removed afterwards.
func withStore(_ body: (Store, TemporaryFolder) throws -> Void) throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanup() }
    try body(try Store(path: folder.file("t.db"), create: true), folder)
}

func batch(_ eco: Ecosystem) -> ImportBatch {
    var b = ImportBatch()
    b.actors = eco.actors.map { Located($0, at: nil) }
    b.relations = eco.relations.map { Located($0, at: nil) }
    return b
}

let alice = WriteContext(author: "alice", command: "test")

struct StoreRoundTripTests {
    @Test func importedGraphReadsBackExactly() throws {
        try withStore { store, _ in
            let eco = fixtureEcosystem(name: "g")
            let summary = try store.importBatch(batch(eco), into: "g", context: alice)
            #expect(summary.createdGraph && summary.actorsAdded == 6 && summary.relationsAdded == 7)
            #expect(try store.ecosystem("g") == eco)
        }
    }

    @Test func reimportingNeverDuplicatesAndLogsNothing() throws {
        try withStore { store, _ in
            let eco = fixtureEcosystem(name: "g")
            _ = try store.importBatch(batch(eco), into: "g", context: alice)
            let again = try store.importBatch(batch(eco), into: "g", context: alice)
            #expect(again.change == nil && again.actorsUnchanged == 6 && again.relationsUnchanged == 7)
            // The same undirected relation written the other way round is the same relation.
            var flipped = eco
            flipped.relations = [Relation(source: "coop-b", target: "coop-a", type: "co_designs_with", strength: 3)]
            flipped.actors = []
            let update = try store.importBatch(batch(flipped), into: "g", context: alice)
            #expect(update.relationsUpdated == 1 && update.relationsAdded == 0)
            #expect(try store.graphInfo("g").relations == 7)
            #expect(try store.changes(in: "g").count == 2)
        }
    }

    @Test func severalGraphsLiveInOneFile() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem()), into: "one", context: alice)
            try store.createGraph("two")
            #expect(try store.graphs().map(\.name) == ["one", "two"])
            #expect(try store.graphInfo("two").actors == 0)
            #expect(throws: TramaError.self) { try store.createGraph("one") }
            #expect(throws: TramaError.self) { try store.createGraph("bad name!") }
            try store.deleteGraph("one")
            #expect(try store.graphs().map(\.name) == ["two"])
        }
    }

    @Test func filtersByKindTerritoryTypeAndActor() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem()), into: "g", context: alice)
            let bologna = try store.actors(in: "g", filter: StoreFilter(territory: Territory("emilia-romagna/bologna")))
            #expect(bologna.map(\.id) == ["coop-a", "coop-b", "pa-bo"])
            #expect(try store.actors(in: "g", filter: StoreFilter(kinds: ["mentor", "project"])).map(\.id) == ["anna", "proj"])
            #expect(try store.relations(in: "g", filter: StoreFilter(relationTypes: ["mentors"])).count == 1)
            #expect(try store.relations(in: "g", filter: StoreFilter(actor: "anna")).count == 2)
            // A territory filter keeps only relations with both ends inside.
            let inside = try store.relations(in: "g", filter: StoreFilter(territory: Territory("Emilia-Romagna/Bologna")))
            #expect(Set(inside.map(\.type)) == ["partners_with", "co_designs_with", "contracts_with"])
        }
    }
}

struct StoreTransactionTests {
    @Test func oneBadRowAndNothingIsWritten() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            let before = try store.ecosystem("g")
            var bad = ImportBatch()
            bad.actors = [
                Located(Actor(id: "new", name: "New", kind: "cooperative"), at: nil),
                Located(Actor(id: "coop-a", name: "Renamed", kind: "cooperative"), at: nil),
            ]
            bad.relations = [Located(Relation(source: "new", target: "nobody", type: "partners_with"), at: nil)]
            #expect(throws: TramaErrors.self) { try store.importBatch(bad, into: "g", context: alice) }
            #expect(try store.ecosystem("g") == before)
            #expect(try store.changes(in: "g").count == 1)
        }
    }

    @Test func changingAKindThatBreaksStoredRelationsIsRefused() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            #expect {
                try store.updateActor("anna", in: "g", context: alice) { $0.kind = "cooperative" }
            } throws: { error in
                "\(error)".contains("`mentors` must start at a mentor")
            }
            #expect(try store.actor("anna", in: "g")?.kind == "mentor")
        }
    }

    @Test func removingAnActorWithRelationsNeedsCascade() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            #expect { try store.removeActor("coop-a", from: "g", cascade: false, context: alice) } throws: { error in
                "\(error)".contains("still has 6 relations")
            }
            let removed = try store.removeActor("coop-a", from: "g", cascade: true, context: alice)
            #expect(removed.actorsRemoved == 1 && removed.relationsRemoved == 6)
            #expect(try store.graphInfo("g").relations == 1)
        }
    }

    @Test func singleEditsValidateAndRefuseDuplicates() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            #expect(throws: TramaError.self) {
                try store.addActor(Actor(id: "coop-a", name: "x", kind: "cooperative"), to: "g", context: alice)
            }
            #expect(throws: TramaErrors.self) {
                try store.addRelation(Relation(source: "coop-b", target: "proj", type: "mentors"), to: "g", context: alice)
            }
            #expect(throws: TramaError.self) {
                try store.addRelation(Relation(source: "coop-b", target: "coop-a", type: "partners_with"), to: "g", context: alice)
            }
            _ = try store.updateRelation(source: "coop-b", target: "coop-a", type: "partners_with", in: "g", context: alice) {
                $0.strength = 4
            }
            #expect(try store.relations(in: "g", filter: StoreFilter(relationTypes: ["partners_with"])).first?.strength == 4)
            _ = try store.removeRelation(source: "anna", target: "proj", type: "mentors", from: "g", context: alice)
            #expect(throws: TramaError.self) {
                try store.removeRelation(source: "anna", target: "proj", type: "mentors", from: "g", context: alice)
            }
        }
    }
}

struct StoreHistoryTests {
    @Test func everyWriteIsLoggedWithTimeAndAuthor() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            _ = try store.updateActor("coop-b", in: "g", context: WriteContext(author: "bob", command: "trama actor update coop-b")) {
                $0.name = "B!"
            }
            let log = try store.changes(in: "g")
            #expect(log.map(\.author) == ["alice", "bob"])
            #expect(log[1].command == "trama actor update coop-b")
            #expect(log[1].summary == "1 actor updated")
            #expect(log.allSatisfy { ISO8601DateFormatter.withFractions.date(from: $0.at) != nil })
        }
    }

    @Test func theGraphCanBeReadAsOfAnyChange() throws {
        try withStore { store, _ in
            let eco = fixtureEcosystem(name: "g")
            let first = try store.importBatch(batch(eco), into: "g", context: alice).change!
            // Times have millisecond resolution: keep the changes apart so each has its own.
            usleep(5000)
            _ = try store.updateActor("coop-b", in: "g", context: alice) { $0.name = "Renamed" }
            usleep(5000)
            _ = try store.removeActor("coop-a", from: "g", cascade: true, context: alice)
            #expect(try store.ecosystem("g", asOf: first) == eco)
            #expect(try store.ecosystem("g").actors.count == 5)
            let log = try store.changes(in: "g")
            #expect(try store.change(asOf: try Moment(parsing: log[1].at), in: "g") == log[1].id)
            // A moment written in another zone is the same instant.
            let instant = try #require(Timestamp.date(log[1].at))
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(secondsFromGMT: 3600)
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            #expect(try store.change(asOf: try Moment(parsing: formatter.string(from: instant)), in: "g") == log[1].id)
            #expect { try store.change(asOf: try Moment(parsing: "2000-01-01"), in: "g") } throws: {
                ($0 as? TramaError)?.code == .beforeHistory
            }
        }
    }
}

struct StoreFileTests {
    @Test func theStoreIsWALWithForeignKeysAndNamedMigrations() throws {
        try withStore { _, folder in
            let queue = try DatabaseQueue(path: folder.file("t.db"))
            let (mode, migrations) = try queue.read { db in
                (
                    try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
                )
            }
            #expect(mode == "wal")
            #expect(
                migrations == [
                    "2026-11-25-graphs-actors-relations-changes", "2026-11-26-graph-alliance-rules",
                    "2026-11-30-versioned-settings-relation-ids-images", "2026-11-30-access-tokens",
                    "2026-11-30-time-snapshots-undo-layouts", "2026-11-30-snapshot-images",
                ])
        }
    }

    @Test func aFileThatIsNotSQLiteIsRefusedUntouched() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = try folder.write("notes.db", "these are my notes, not a database\n")
        #expect { try Store(path: path, create: true) } throws: { error in
            (error as? TramaError)?.code == .storeUnreadable
        }
        #expect(try folder.read("notes.db") == "these are my notes, not a database\n")
    }

    @Test func anotherApplicationsDatabaseIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try DatabaseQueue(path: folder.file("other.db")).write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        #expect { try Store(path: folder.file("other.db"), create: true) } throws: { error in
            (error as? TramaError)?.code == .storeUnreadable && "\(error)".contains("invoices")
        }
    }

    @Test func aStoreFromANewerTramaIsRefusedUntouched() throws {
        try withStore { store, folder in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            try DatabaseQueue(path: folder.file("t.db")).write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01-hyperedges')")
            }
            #expect { try Store(path: folder.file("t.db"), create: false) } throws: { error in
                (error as? TramaError)?.code == .newerSchema && "\(error)".contains("2099-01-01-hyperedges")
            }
        }
    }

    @Test func readCommandsDoNotCreateAStore() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        #expect { try Store(path: folder.file("missing.db"), create: false) } throws: { ($0 as? TramaError)?.category == .notFound }
        #expect { try Store(path: folder.file("missing.db"), mode: .read) } throws: { ($0 as? TramaError)?.code == .noStore }
        #expect(!FileManager.default.fileExists(atPath: folder.file("missing.db")))
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFractions: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
}

struct RelationTableTests {
    /// The store's direct read for analyses gives the same graph as the full model does.
    @Test func theStoresColumnarReadMatchesTheModel() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            let direct = try store.relationTable("g")
            let model = RelationTable(try store.ecosystem("g"))
            #expect(direct.actorIDs == model.actorIDs && direct.actorNames == model.actorNames && direct.actorKinds == model.actorKinds)
            #expect(direct.actorTerritories == model.actorTerritories)
            func rows(_ t: RelationTable) -> [String] {
                (0..<t.relationCount).map { r in
                    "\(t.actorIDs[Int(t.source[r])])>\(t.actorIDs[Int(t.target[r])]) \(t.typeNames[Int(t.type[r])]) \(t.strength[r].isNaN ? "-" : "\(t.strength[r])") \(t.status[r])"
                }.sorted()
            }
            #expect(rows(direct) == rows(model))
            #expect(rows(direct).count == 7)
        }
    }
}

/// The image each graph keeps for analyses is always the graph's current rows,
/// whether a write patched it or built it anew.
struct GraphImageTests {
    /// A seeded generator, so a failing sequence of edits can be replayed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func everyKindOfWriteLeavesTheImageEqualToTheRows(seed: UInt64) throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            #expect(try store._imageMatchesRows("g") == true)
            var rng = Seeded(state: seed)
            var ids = fixtureEcosystem().actors.map(\.id)
            // 60 random edits of every kind: adds, renames, kind-preserving updates, removals, relations added and removed.
            for step in 0..<60 {
                switch Int.random(in: 0..<5, using: &rng) {
                case 0:
                    let id = "new-\(step)"
                    _ = try store.addActor(
                        Actor(
                            id: id, name: "New \(step)", kind: "cooperative", territory: Territory("Emilia-Romagna/Parma"),
                            isPrivate: step % 3 == 0), to: "g", context: alice)
                    ids.append(id)
                case 1:
                    let id = ids.randomElement(using: &rng)!
                    _ = try store.updateActor(id, in: "g", context: alice) {
                        $0.name += " ·"
                        $0.isPrivate.toggle()
                    }
                case 2:
                    let cooperatives = try store.actors(in: "g", filter: StoreFilter(kinds: ["cooperative"])).map(\.id)
                    guard cooperatives.count >= 2 else { continue }
                    let pair = cooperatives.shuffled(using: &rng).prefix(2)
                    _ = try? store.addRelation(
                        Relation(source: pair.first!, target: pair.last!, type: "partners_with", strength: Double(step)),
                        to: "g", context: alice)
                case 3:
                    guard let relation = try store.relations(in: "g").randomElement(using: &rng) else { continue }
                    _ = try store.removeRelation(
                        source: relation.source, target: relation.target, type: relation.type, from: "g", context: alice)
                default:
                    guard ids.count > 3, let id = ids.filter({ $0.hasPrefix("new-") }).randomElement(using: &rng) else { continue }
                    _ = try store.removeActor(id, from: "g", cascade: true, context: alice)
                    ids.removeAll { $0 == id }
                }
                #expect(try store._imageMatchesRows("g") == true, "after step \(step)")
            }
            // The analyses' read from the image equals the read from the model.
            let table = try store.relationTable("g")
            let model = RelationTable(try store.ecosystem("g"))
            #expect(table.actorIDs == model.actorIDs && table.actorNames == model.actorNames && table.relationCount == model.relationCount)
        }
    }

    @Test func aStoreFromAnEarlierTramaIsReadWithoutBeingWritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = folder.file("old.db")
        try Store._makeStore(at: path, upTo: "2026-11-26-graph-alliance-rules")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO graphs (id, name, vocabulary, created_at, rules) VALUES (1, 'g', '{"kinds":[{"name":"school","label":"School","label_it":"Scuola","person":false}],"relation_types":[]}', '2026-11-01T00:00:00.000Z', '{"requirements":[{"count":1,"kinds":["school"]}]}');
                    INSERT INTO changes (id, graph_id, at, author, command, summary) VALUES (1, 1, '2026-11-01T00:00:00.000Z', 'old', 'trama import', '');
                    INSERT INTO actors (graph_id, id, name, kind, private, valid_from) VALUES (1, 'a', 'A', 'school', 0, 1), (1, 'b', 'B', 'cooperative', 0, 1);
                    INSERT INTO relations (graph_id, key, source, target, type, status, private, valid_from)
                      VALUES (1, 'partners_with' || char(31) || 'a' || char(31) || 'b', 'a', 'b', 'partners_with', 'active', 0, 1);
                    """)
        }
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let store = try Store(path: path, mode: .read)
        let (eco, table, rules) = try store.read { s in
            let g = try s.graph("g")
            return (try s.ecosystem(g), try s.relationTable(g), try s.rulesJSON(of: g))
        }
        #expect(eco.actors.map(\.id) == ["a", "b"] && eco.relations.count == 1 && eco.vocabulary.kinds["school"] != nil)
        #expect(table.relationCount == 1 && rules?.contains("school") == true)
        // Time reads work on it too: the log with details, no snapshots, no layouts.
        try store.read { s in
            let g = try s.graph("g")
            let log = try s.changes(of: g)
            #expect(log.count == 1 && log[0].kind == nil)
            let detail = try s.detail(of: log[0], in: g, limit: nil, publicOnly: false)
            #expect(detail.actorsTotal == 2 && detail.relationsTotal == 1 && detail.reverts.isEmpty)
            #expect(try s.snapshots(of: g).isEmpty && (try s.layout(g, view: "view=whole")) == nil)
            #expect(throws: TramaError.self) { try s.version(.snapshot("start"), on: nil, of: g) }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "reading an older store writes nothing")
        // The first write brings it up to date and keeps what it held.
        let writer = try Store(path: path, mode: .write)
        #expect(try writer.vocabulary(of: "g").kinds["school"] != nil && (try writer.rulesJSON(of: "g"))?.contains("school") == true)
        _ = try writer.addActor(Actor(id: "c", name: "C", kind: "school"), to: "g", context: alice)
        #expect(try writer._imageMatchesRows("g") == true)
        #expect(try writer.relationTable("g").actorIDs == ["a", "b", "c"])
    }
}

struct EarlierVersionTests {
    /// Every earlier version read through the current image (rows made since left
    /// out, rows closed since put back) is the version read from its own rows.
    @Test func earlierVersionsFromTheImageEqualTheRows() throws {
        try withStore { store, _ in
            _ = try store.importBatch(batch(fixtureEcosystem(name: "g")), into: "g", context: alice)
            _ = try store.updateActor("coop-b", in: "g", context: alice) { $0.name = "Coop B Imola" }
            _ = try store.addRelation(Relation(source: "coop-b", target: "pa-bo", type: "partners_with"), to: "g", context: alice)
            _ = try store.updateRelation(source: "anna", target: "proj", type: "mentors", in: "g", context: alice) { $0.status = .ended }
            let mentoring = try store.changes(in: "g").last!.id
            _ = try store.removeActor("anna", from: "g", cascade: true, context: alice)
            // A snapshot keeps its own image of that moment (read instead of rewinding).
            _ = try store.createSnapshot("mid", of: "g", at: .change(mentoring), note: nil, author: "alice")
            _ = try store.addActor(Actor(id: "zeta", name: "Zeta", kind: "cooperative"), to: "g", context: alice)
            _ = try store.undo(in: "g", ids: nil, count: 2, context: alice)
            _ = try store.addRelation(Relation(source: "coop-a", target: "pa-bo", type: "partners_with"), to: "g", context: alice)
            let matches = try store._rewoundMatchesRows("g")
            #expect(matches.count == 8 && matches.values.allSatisfy { $0 }, "\(matches.sorted { $0.key < $1.key })")
        }
    }
}
