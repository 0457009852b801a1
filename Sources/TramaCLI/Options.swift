import ArgumentParser
import Foundation
import TramaApp
import TramaModel

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

    /// The application, configured from the flags and the environment: the only
    /// place below `main` where the command line reads either.
    var app: Trama { app() }

    /// As ``app``, keeping `cachedGraphs` graph versions in memory (a server does).
    func app(cachedGraphs: Int = 0) -> Trama {
        let env = ProcessInfo.processInfo.environment
        let configuration = AppConfiguration(
            storePath: storePath, defaultGraph: graphName, seedsFolders: Self.seedsFolders(env),
            profile: env["TRAMA_PROFILE"] != nil, timeZone: TimeZone.current, cachedGraphs: cachedGraphs)
        CLI.storePath = storePath
        return Trama(configuration)
    }

    /// `$TRAMA_SEEDS`, then `seeds/` beside the executable's package, then in the working folder.
    static func seedsFolders(_ env: [String: String]) -> [String] {
        var folders: [String] = []
        if let seeds = env["TRAMA_SEEDS"], !seeds.isEmpty { folders.append(seeds) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            folders.append(folder.appendingPathComponent("seeds").path)
            folder.deleteLastPathComponent()
        }
        folders.append(FileManager.default.currentDirectoryPath + "/seeds")
        return folders
    }

    /// Who writes, and the command line as typed, for the change log.
    var context: WriteContext { WriteContext(author: authorName, command: typedCommand()) }
}

/// Options of every read: the moment to read at, and public data only.
struct ReadOptions: ParsableArguments {
    @Option(
        name: .customLong("as-of"),
        help:
            "Read the graph as the store knew it then: a date (the end of that day in the store's time zone), a date and time with Z or an offset (2026-11-30T10:15:00+01:00), or change:ID."
    )
    var asOf: String?

    @Option(
        name: .customLong("on"),
        help:
            "Read the network as it was in the world on a date (2022-03-15), in a month (2022-03) or a year (2022): relations not in force then, by their since, until and status, are left out."
    )
    var on: String?

    @Flag(name: .customLong("public"), help: "Leave out private actors and relations (for sharing).")
    var publicOnly = false

    func moment() throws -> Moment? { try asOf.map { try Moment(parsing: $0) } }

    func date() throws -> WorldDate? { try on.map { try WorldDate(parsing: $0) } }

    /// For reads that do not depend on the world's dates (the log, the vocabulary, the rules).
    func noDate(_ what: String) throws {
        if on != nil { throw TramaError.invalidField("on", "does not apply to \(what): it reads relations on a date in the world") }
    }

    var `public`: Bool? { publicOnly ? true : nil }
}

/// The command line as typed, for the change log.
func typedCommand() -> String {
    (["trama"] + CommandLine.arguments.dropFirst()).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
}

/// Prints what a write did, or its JSON.
func report(_ summary: ChangeSummary, json: Bool) throws {
    if json {
        try Console.json(summary)
        return
    }
    if summary.createdGraph { Console.note("created graph `\(summary.graph)`") }
    Console.print("\(summary.graph): \(summary)")
}

extension Language: ExpressibleByArgument {}
extension MapLayout: ExpressibleByArgument {}
extension MapFormat: ExpressibleByArgument {}
extension Metric: ExpressibleByArgument {}
extension CommunityAlgorithm: ExpressibleByArgument {}
extension GroupBy: ExpressibleByArgument {}
extension ColorBy: ExpressibleByArgument {}
extension MapOverlay: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}

extension Language {
    /// The language a command speaks when `--lang` is not given: `TRAMA_LANG` (`it` or
    /// `en`), else English.
    static var preferred: Language {
        let asked = ProcessInfo.processInfo.environment["TRAMA_LANG"]?.lowercased().prefix(2)
        return asked.flatMap { Language(rawValue: String($0)) } ?? .en
    }
}

/// A yes or no as people type it: yes/no, sì/si/no, true/false, 1/0.
struct YesNo: ExpressibleByArgument {
    let value: Bool

    init?(argument: String) {
        switch argument.lowercased() {
        case "yes", "y", "sì", "si", "s", "true", "1", "vero": value = true
        case "no", "n", "false", "0", "falso": value = false
        default: return nil
        }
    }
}

/// `--lang` for commands whose output is text for people (tables, summaries).
struct LanguageOption: ParsableArguments {
    @Option(help: "Language of what is printed: en or it (default: TRAMA_LANG, else en).") var lang: Language?

    mutating func validate() throws { Console.language = lang ?? .preferred }
}

/// `english`, or `italiano` when the output speaks Italian.
func say(_ english: String, _ italiano: String) -> String { Console.language == .it ? italiano : english }
