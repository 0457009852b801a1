import ArgumentParser
import Foundation
import TramaModel

/// `trama`: map the alliance networks of a territory's social economy.
public struct TramaCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "trama",
        abstract: "Map the alliance networks of a territory's social economy.",
        discussion: """
            The store is one SQLite file: --db PATH, else $TRAMA_DB, else ./trama.db.
            It holds several graphs: --graph NAME, else `default`.
            Every write is recorded with its time and author (--author, else your login name).
            """,
        subcommands: [ImportCommand.self, ExportCommand.self, SeedCommand.self, SummaryCommand.self, AnalyzeCommand.self,
                      GraphCommand.self, ActorCommand.self, RelationCommand.self, VocabularyCommand.self, LogCommand.self,
                      PrivacyCommand.self, GapsCommand.self, RecommendCommand.self, CoalitionsCommand.self, RulesCommand.self,
                      RenderCommand.self])

    public init() {}

    /// Runs the command; Trama's own errors are printed as sentences, never as a trace.
    public static func main(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch let error as TramaError {
            Console.error(error.description)
            Foundation.exit(1)
        } catch let errors as TramaErrors {
            Console.error(errors.description(limit: 30))
            if errors.errors.count > 1 { Console.error("\(errors.errors.count) problems; nothing was written") }
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}

/// Where output goes: data to standard output, messages to standard error.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("error: " + text.replacingOccurrences(of: "\n", with: "\nerror: ") + "\n").utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
