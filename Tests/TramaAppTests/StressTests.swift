import Foundation
import Testing
import TramaApp
import TramaModel

/// Two writers and eight readers on one store at once, each with its own
/// connection (as separate processes would have): every write that was answered
/// "done" is stored, and no reader ever gets an error or sees the graph go back
/// in time. Runs for `TRAMA_STRESS_SECONDS` (5 in the test command;
/// `scripts/stress` runs it for 60).
struct StressTests {
    final class Tally: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var written: [String] = []
        private(set) var writeErrors: [String] = []
        private(set) var answers = 0
        private(set) var readErrors: [String] = []
        private(set) var wentBack: [String] = []

        func wrote(_ id: String) { lock.withLock { written.append(id) } }
        func writeFailed(_ error: Error) { lock.withLock { writeErrors.append("\(error)") } }
        func answered() { lock.withLock { answers += 1 } }
        func readFailed(_ error: Error) { lock.withLock { readErrors.append("\(error)") } }
        func backwards(_ what: String) { lock.withLock { wentBack.append(what) } }
    }

    static var seconds: Double {
        ProcessInfo.processInfo.environment["TRAMA_STRESS_SECONDS"].flatMap(Double.init) ?? 5
    }

    @Test func twoWritersAndEightReadersLoseNothingAndNeverFailAReader() throws {
        let f = try AppFixture.loaded()
        defer { f.cleanup() }
        let start = try f.app.summary(GraphRead()).actors
        let tally = Tally()
        let deadline = Date().addingTimeInterval(Self.seconds)
        let group = DispatchGroup()
        for w in 1...2 {
            let app = f.another()
            group.enter()
            Thread {
                defer { group.leave() }
                var n = 0
                while Date() < deadline {
                    n += 1
                    let id = "w\(w)-\(n)"
                    do {
                        _ = try app.addActor(
                            ActorDraft(id: id, fields: ActorFields(name: "Writer \(w) #\(n)", kind: "cooperative")),
                            by: WriteContext(author: "writer \(w)", command: "stress"))
                        // Every other write also ties the new actor to the last one: a relation write too.
                        if n > 1, n % 2 == 0 {
                            _ = try app.addRelation(
                                RelationDraft(from: id, to: "w\(w)-\(n - 1)", type: "partners_with"),
                                by: WriteContext(author: "writer \(w)", command: "stress"))
                        }
                        tally.wrote(id)
                    } catch {
                        tally.writeFailed(error)
                    }
                }
            }.start()
        }
        for r in 1...8 {
            let app = f.another()
            group.enter()
            Thread {
                defer { group.leave() }
                var seen = 0
                while Date() < deadline {
                    do {
                        let actors: Int
                        switch r % 3 {
                        case 0: actors = try app.summary(GraphRead()).actors
                        case 1: actors = try app.actors(ActorQuery()).actors.count
                        default:
                            guard case .perActor(let result) = try app.analyze(AnalysisRequest(metric: .degree)) else { continue }
                            actors = result.values.count
                        }
                        if actors < seen { tally.backwards("reader \(r): \(seen) actors, then \(actors)") }
                        seen = actors
                        tally.answered()
                    } catch {
                        tally.readFailed(error)
                    }
                }
            }.start()
        }
        group.wait()

        #expect(tally.writeErrors.isEmpty, "\(tally.writeErrors.prefix(3))")
        #expect(tally.readErrors.isEmpty, "\(tally.readErrors.prefix(3))")
        #expect(tally.wentBack.isEmpty, "\(tally.wentBack.prefix(3))")
        // Every write answered "done" is stored, and nothing else was.
        let stored = Set(try f.another().actors(ActorQuery()).actors.map(\.id).filter { $0.hasPrefix("w1-") || $0.hasPrefix("w2-") })
        #expect(stored == Set(tally.written), "lost: \(Set(tally.written).subtracting(stored).sorted().prefix(5))")
        #expect(try f.another().summary(GraphRead()).actors == start + tally.written.count)
        #expect(tally.written.count > 0 && tally.answers > 0)
        print("stress: \(Self.seconds) s, \(tally.written.count) writes stored, \(tally.answers) reader answers, 0 errors")
    }
}
