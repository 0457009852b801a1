import ArgumentParser
import Foundation
import TramaModel
import TramaStore

/// --db, --graph and --author, shared by every command that touches the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store file (default: $TRAMA_DB, else ./trama.db).")
    var db: String?

    @Option(name: .long, help: "The graph to work on (default: `default`).")
    var graph: String?

    @Option(name: .long, help: "Who makes this change, for the change log (default: your login name).")
    var author: String?

    var storePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["TRAMA_DB"], !env.isEmpty { return env }
        return "trama.db"
    }

    var graphName: String { graph ?? "default" }

    var authorName: String {
        if let author, !author.isEmpty { return author }
        let env = ProcessInfo.processInfo.environment
        return env["USER"] ?? env["LOGNAME"] ?? "unknown"
    }

    /// Opens the store; read commands do not create one.
    func open(create: Bool) throws -> Store { try Store(path: storePath, create: create) }

    func context(_ command: String) -> WriteContext { WriteContext(author: authorName, command: command) }
}

/// The command line as typed, for the change log.
func typedCommand() -> String {
    (["trama"] + CommandLine.arguments.dropFirst()).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
}

/// Prints what a write did, or its JSON.
func report(_ summary: ChangeSummary, json: Bool) throws {
    if json { try Console.json(summary); return }
    if summary.createdGraph { Console.note("created graph `\(summary.graph)`") }
    Console.print("\(summary.graph): \(summary)")
}
