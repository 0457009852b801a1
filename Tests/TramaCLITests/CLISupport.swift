import Foundation
import Testing
import TramaExchange
import TramaModel
import TramaTestSupport

/// A scratch folder with a store, driven through the real `trama` binary.
struct Workspace {
    let folder: TemporaryFolder
    var db: String { folder.file("trama.db") }

    init() throws { folder = try TemporaryFolder() }

    /// Runs `trama ARGS --db STORE` in the scratch folder.
    @discardableResult
    func trama(_ arguments: String..., db useDB: Bool = true) throws -> ProcessResult {
        try tramaArgs(arguments, db: useDB)
    }

    func tramaArgs(_ arguments: [String], db useDB: Bool = true) throws -> ProcessResult {
        try run(
            buildFolder + "/trama", arguments + (useDB ? ["--db", db] : []), in: folder.path,
            environment: ["USER": "tester", "TRAMA_SEEDS": packageRoot + "/seeds"])
    }

    /// Runs and requires success, returning standard output.
    func ok(_ arguments: String...) throws -> String {
        let result = try tramaArgs(arguments)
        #expect(result.status == 0, "trama \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result.stdout
    }

    /// Everything a user could lose: the graph's full JSON export and its change log.
    func snapshot(_ graph: String = "fixture") throws -> String {
        try ok("export", "--graph", graph, "--format", "json") + (try ok("log", "--graph", graph, "--json"))
    }

    /// A store holding the fixture graph, imported from its JSON export.
    func loadFixture() throws {
        try folder.write("fixture.json", String(decoding: try JSONFormat.write(fixtureEcosystem()), as: UTF8.self))
        _ = try ok("import", "fixture.json")
    }

    func cleanup() { folder.cleanup() }
}

func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}
