import ArgumentParser
import Foundation
import TramaApp
import TramaModel

/// `trama`: map the alliance networks of a territory's social economy.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct TramaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trama",
        abstract: "Map the alliance networks of a territory's social economy.",
        discussion: """
            The store is one SQLite file: --db PATH, else $TRAMA_DB, else ./trama.db.
            It holds several graphs: --graph NAME, else `default`.
            Every write is recorded with its time and author (--author, else your login name);
            every read can look at an earlier moment with --as-of.
            """,
        subcommands: [
            ImportCommand.self, ExportCommand.self, SeedCommand.self, SummaryCommand.self, AnalyzeCommand.self,
            GraphCommand.self, ActorCommand.self, RelationCommand.self, VocabularyCommand.self, LogCommand.self,
            PrivacyCommand.self, GapsCommand.self, RecommendCommand.self, CoalitionsCommand.self, RulesCommand.self,
            SnapshotCommand.self, DiffCommand.self, UndoCommand.self, RenderCommand.self, ServeCommand.self, TokenCommand.self,
            RenderWorkerCommand.self,
        ])

    public init() {}

    /// Runs the command; Trama's own errors are printed as sentences with the
    /// command line's hints, never as a trace.
    public static func start(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var serving = command as? any AsyncParsableCommand {
                try await serving.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch let error as TramaError {
            Console.error(CLI.phrase(error))
            Foundation.exit(1)
        } catch let errors as TramaErrors {
            Console.error(
                TramaErrors(
                    errors.errors.map { error in
                        var phrased = error
                        phrased.message = CLI.phrase(TramaError(error.code, error.message, fields: error.fields))
                        return phrased
                    }
                ).description(limit: 30))
            if errors.errors.count > 1 { Console.error("\(errors.errors.count) problems; nothing was written") }
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// How the command line says what the core reports: option names as flags, and
/// the commands or flags that fix the problem.
enum CLI {
    nonisolated(unsafe) static var storePath = "trama.db"

    /// Fields of requests that are options of the command line, as they are typed there.
    static let flags: [String: String] = [
        "as_of": "--as-of", "top": "--top", "alpha": "--alpha", "tolerance": "--tolerance", "epsilon": "--epsilon", "delta": "--delta",
        "resolution": "--resolution", "level": "--level", "max_size": "--max-size", "stale_after": "--stale-after", "size_by": "--size-by",
        "view": "--view", "require": "--require", "weights": "--weights", "territory": "--territory", "status": "--status",
        "strength": "--strength", "title": "--title", "date": "--date", "kind": "--kind", "type": "--type", "graph": "--graph",
        "attributes": "--attr",
    ]

    static func phrase(_ error: TramaError) -> String {
        var message = error.message
        if let field = error.fields["field"], let flag = flags[field], message.hasPrefix("`\(field)`") {
            message = flag + message.dropFirst(field.count + 2)
        }
        let store = error.fields["store"] ?? storePath
        let f = error.fields
        switch error.code {
        case .noStore:
            if let folder = f["folder"] {
                return "the folder `\(folder)` of the store `\(store)` does not exist: create it or pass another --db"
            }
            return "there is no store at `\(store)`: import a graph first (`trama import …`, `trama seed talents4coop`) or pass --db"
        case .storeUnreadable: return "`\(store)`: \(message): pass another --db"
        case .newerSchema, .storage, .busy: return "`\(store)`: \(message)"
        case .notFound:
            if f["actor"] != nil, f["field"] == nil, !message.contains("holds nothing") {
                return message + ": list them with `trama actor list`"
            }
            if let from = f["from"] { return message + ": list them with `trama relation list --actor \(from)`" }
            if f["relation"] != nil { return message + ": list them with `trama relation list --json`" }
            if f["graph"] != nil, f.count == 1 { return message + ": pass --graph NAME or import one" }
            return message
        case .conflict:
            if let actor = f["actor"] { return message + ": change it with `trama actor update \(actor)`" }
            if f["relation"] != nil { return message + ": change it with `trama relation update`" }
            if let graph = f["graph"] { return message + ": pick another name, or import into it with --graph \(graph)" }
            return message
        case .hasRelations:
            let one = f["count"] == "1"
            return message + ": pass --cascade to remove \(one ? "it" : "them") with the actor"
        case .graphNotEmpty:
            let graph = f["graph"] ?? "NAME"
            return message + ": export it first (`trama export --graph \(graph) --format json -o \(graph).json`), then pass --force"
        case .needsConfirmation: return message + ": pass --confirm"
        default: return message
        }
    }
}

/// Where output goes: data to standard output, messages to standard error.
enum Console {
    /// The language of text printed for people (`--lang`, `TRAMA_LANG`).
    nonisolated(unsafe) static var language: Language = .preferred

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("error: " + text.replacingOccurrences(of: "\n", with: "\nerror: ") + "\n").utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func print(_ text: String) {
        write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Bytes to standard output. A write that fails (a full disk, a closed pipe
    /// with SIGPIPE ignored) is a clear error and exit code 1, never a crash.
    static func write(_ data: Data) {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    error("cannot write to standard output: \(reason)")
                    exit(1)
                }
                offset += n
            }
        }
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
