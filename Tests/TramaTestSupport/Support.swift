import Foundation
import TramaModel

/// A fresh folder under the system's temporary folder, removed by `cleanup()`.
public struct TemporaryFolder: Sendable {
    public let path: String

    public init() throws {
        path = NSTemporaryDirectory() + "trama-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }

    public func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: file(name))), as: UTF8.self)
    }

    public func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// What a process printed and how it ended.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs `executable` with `arguments` in `directory`, without a shell.
public func run(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String] = [:]
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "TRAMA_DB")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes while the process runs, so a large output cannot block it.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    process.waitUntilExit()
    group.wait()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// The folder the test binary was built into (`.build/debug`), where `trama` is too.
public var buildFolder: String {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var url = URL(fileURLWithPath: exe)
    while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("trama").path) {
        url.deleteLastPathComponent()
    }
    return url.path
}

/// The package's root folder (where `seeds/` and `scripts/` are).
public var packageRoot: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}

/// The first `python3` on PATH that can import networkx, if any.
public var pythonWithNetworkx: String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let candidate = "\(folder)/python3"
        guard FileManager.default.isExecutableFile(atPath: candidate),
            let result = try? run(candidate, ["-c", "import networkx"]), result.status == 0
        else { continue }
        return candidate
    }
    return nil
}

/// A small ecosystem that uses every field: hand-made, so tests know what it holds.
public func fixtureEcosystem(name: String = "fixture") -> Ecosystem {
    let actors = [
        Actor(
            id: "coop-a", name: "Cooperativa A, \"la prima\"", kind: "cooperative", territory: Territory("Emilia-Romagna/Bologna"),
            themes: ["giovani", "welfare"], tags: ["t4c"], url: "https://a.example", description: "Line one\nline two; with ; and ,",
            attributes: ["Category": "social", "Founded": "1990"]),
        Actor(id: "coop-b", name: "Coop B <b>", kind: "cooperative", territory: Territory("Emilia-Romagna/Bologna/Imola")),
        Actor(id: "pa-bo", name: "Comune di Bologna", kind: "public_administration", territory: Territory("Emilia-Romagna/Bologna")),
        Actor(id: "cons", name: "Consorzio & C.", kind: "consortium", territory: Territory("Emilia-Romagna/Ferrara"), isPrivate: true),
        Actor(id: "anna", name: "Anna Rossi", kind: "mentor", attributes: ["Role": "mentor"]),
        Actor(id: "proj", name: "Progetto Ü", kind: "project", themes: ["giovani"]),
    ]
    let relations = [
        Relation(source: "coop-a", target: "cons", type: "member_of", strength: 2, since: "2019", status: .active, evidence: "lab 1"),
        Relation(
            source: "coop-a", target: "coop-b", type: "partners_with", strength: 0.5, since: "2020-03", until: "2022-12-31",
            status: .ended, description: "quoted \"text\"", tags: ["x", "y"], attributes: ["Channel": "email"]),
        Relation(source: "coop-a", target: "coop-b", type: "co_designs_with"),
        Relation(
            source: "pa-bo", target: "coop-a", type: "contracts_with", status: .planned, isPrivate: true,
            assertedBy: "facilitator", assertedIn: "lab 2", assertedAt: "2021-03-05"),
        Relation(source: "anna", target: "proj", type: "mentors"),
        Relation(source: "anna", target: "coop-a", type: "affiliated_with"),
        Relation(source: "coop-a", target: "proj", type: "promotes", status: .potential),
    ]
    var eco = Ecosystem(name: name, actors: actors, relations: relations)
    eco.sort()
    return eco
}

/// The error a call throws (the first of several), for checks on its code, category,
/// message and fields; nil when it succeeds or throws something else.
public func failure(_ body: () throws -> Void) -> TramaError? {
    do {
        try body()
        return nil
    } catch let error as TramaError {
        return error
    } catch let errors as TramaErrors {
        return errors.errors.first
    } catch {
        return nil
    }
}
