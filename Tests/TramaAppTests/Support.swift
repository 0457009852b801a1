import Foundation
import Testing
import TramaAnalysis
import TramaApp
import TramaExchange
import TramaModel
import TramaTestSupport

/// An application over a store in a scratch folder.
struct AppFixture {
    let folder: TemporaryFolder
    let app: Trama
    var path: String { folder.file("trama.db") }
    static let who = WriteContext(author: "tester", command: "test")

    init(timeZone: TimeZone = TimeZone(identifier: "UTC")!, busyTimeout: TimeInterval = 10) throws {
        folder = try TemporaryFolder()
        app = Trama(
            AppConfiguration(
                storePath: folder.file("trama.db"), defaultGraph: "fixture",
                seedsFolders: [packageRoot + "/seeds"], timeZone: timeZone, busyTimeout: busyTimeout))
    }

    /// A fixture with the hand-made ecosystem of TramaTestSupport loaded as `fixture`.
    static func loaded() throws -> AppFixture {
        let fixture = try AppFixture()
        _ = try fixture.app.importData(
            ImportRequest(sources: [.bytes(try JSONFormat.write(fixtureEcosystem()), named: "fixture.json")]),
            by: who)
        return fixture
    }

    /// Another application over the same store file (another process, in effect).
    func another(busyTimeout: TimeInterval = 10) -> Trama {
        Trama(AppConfiguration(storePath: path, defaultGraph: "fixture", busyTimeout: busyTimeout))
    }

    func cleanup() { folder.cleanup() }
}

/// JSON text of a value, as the command line prints it.
func jsonText<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

/// Small graphs built by hand, as the benchmark builds them from an edge list.
enum AnalysisGraphFixture {
    /// a–b–c form a triangle, d hangs from c: core numbers 2, 2, 2, 1.
    static func triangleWithTail() -> (graph: AnalysisGraph, actors: ActorColumns) {
        let ids = ["a", "b", "c", "d"]
        return (AnalysisGraph(ids: ids, edges: [(0, 1, 1), (1, 2, 1), (0, 2, 1), (2, 3, 1)], directed: false), ActorColumns(ids: ids))
    }
}
