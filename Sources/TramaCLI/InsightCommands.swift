import ArgumentParser
import Foundation
import TramaApp
import TramaModel

/// The actors a gap or coalition question is about: a territory (with the territories
/// inside it) and a theme.
struct ScopeOptions: ParsableArguments {
    @Option(help: "Only this territory (and the territories inside it): a path, or a unique last part such as Ivrea.") var territory:
        String?
    @Option(help: "Only actors working on this theme.") var theme: String?
}

/// A territory level by name or number: `region` (1), `province` (2), `municipality` (3), Italian too.
enum AllianceLevel: Int, ExpressibleByArgument {
    case region = 1
    case province, municipality

    init?(argument: String) {
        switch argument.lowercased() {
        case "1", "region", "regione": self = .region
        case "2", "province", "provincia": self = .province
        case "3", "municipality", "comune": self = .municipality
        default: return nil
        }
    }

    static var allValueStrings: [String] { ["region", "province", "municipality"] }
}

/// Which relations count as ties for gaps, recommendations and coalitions.
struct TieStatusOptions: ParsableArguments {
    @Option(
        help:
            "Relations with this status count as ties: active, planned, potential, ended (repeat, or a,b). Default: active only; planned and potential ties are then reported as opportunities, ended ones as losses."
    ) var status: [String] = []
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Show or set what a territorial alliance needs (used by gaps and coalitions).",
        subcommands: [Show.self, Set.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the graph's alliance rules.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var read: ReadOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try read.noDate("the alliance rules")
            let rules = try store.app.rules(GraphRead(graph: store.graph, asOf: try read.moment()))
            if json {
                try Console.json(rules)
                return
            }
            Console.print(rules.requirements.map { "at least \($0.count) × \($0.kinds.joined(separator: " or "))" }.joined(separator: "\n"))
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the alliance rules: each --require is KIND[|KIND…][:COUNT]; `funder` means any actor that funds another.",
            discussion:
                "Example: trama rules set --require public_administration --require cooperative:2 --require consortium|network --require funder|partner"
        )
        @OptionGroup var store: StoreOptions
        @Option(help: "A requirement, e.g. cooperative:2 (repeat).") var require: [String] = []
        @Flag(help: "Go back to the standard rules.") var standard = false

        func validate() throws {
            if require.isEmpty && !standard { throw ValidationError("give at least one --require, or --standard") }
        }

        func run() throws {
            let app = store.app
            _ = try app.setRules(RulesUpdate(graph: store.graph, require: require, standard: standard), by: store.context)
            if standard {
                Console.print("\(store.graphName): standard alliance rules")
            } else {
                let rules = try app.rules(GraphRead(graph: store.graph))
                Console.print("\(store.graphName): alliance rules set (\(rules.requirements.map(\.description).joined(separator: ", ")))")
            }
        }
    }
}

struct GapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
        abstract:
            "What territorial alliances lack: missing kinds, contract-only administrations, isolates, single points of failure, structural holes, theme gaps, silos, stale relations."
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var scope: ScopeOptions
    @OptionGroup var ties: TieStatusOptions
    @Option(name: .customLong("stale-after"), help: "Relations not confirmed since this date (YYYY[-MM[-DD]]) are stale.") var staleAfter:
        String?
    @Option(help: "Read alliances at this territory level: region, province (default) or municipality (or 1, 2, 3).") var level:
        AllianceLevel?
    @Option(help: "Language of reasons and actions: en or it.") var lang: Language = .preferred
    @Option(help: "Show only the N most severe findings.") var top: Int?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        Console.language = lang
        let result = try store.app.gaps(
            GapsRequest(
                graph: store.graph, asOf: try read.moment(), on: try read.date(), territory: scope.territory, theme: scope.theme,
                staleAfter: staleAfter, lang: lang, top: top, public: read.public, status: ties.status, level: level?.rawValue))
        if json {
            try Console.json(result)
            return
        }
        if result.findings.isEmpty {
            Console.print(lang == .it ? "nessuna lacuna trovata" : "no gaps found")
            return
        }
        // One block per finding: the reason and the action are sentences, not cells to cut.
        Console.print(
            result.findings.map { f in
                "\(Catalogue.severityName(f.severity.rawValue, lang).uppercased().padding(toLength: 6, withPad: " ", startingAt: 0))  \(Catalogue.findingName(f.code, lang))\(lang == .it ? " [\(f.code)]" : "")\(f.subject.territory.map { "  (\($0))" } ?? "")\n"
                    + "        \(f.reason)\n        → \(f.action)"
            }.joined(separator: "\n"))
    }
}

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend", abstract: "Rank partners an actor is not tied to yet, with the reasons for each.",
        discussion: """
            Score = neighbours 0.35 (Adamic–Adar over shared neighbours) + broker 0.10 (someone can introduce) + kind 0.20 \
            (a kind the alliance rules need and the actor with its ties lacks, never its own: an administration fully, others half) \
            + themes 0.15 (Jaccard) + territory 0.10 (same municipality 1, same province 2/3, same region 1/3) + constraint 0.10 \
            (how much the tie lowers the actor's Burt constraint). Equal scores: more shared partners, then themes, then nearer first. \
            Projects on the actor's themes in its province are suggested too; --kind project for all. Override with --weights.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @Argument(help: "The actor's id.") var actor: String
    @Option(help: "How many candidates.") var top: Int = 10
    @Option(help: "Only candidates of this kind.") var kind: String?
    @Option(help: "Weights as name=value,… (neighbours, broker, kind, themes, territory, constraint).") var weights: String?
    @OptionGroup var ties: TieStatusOptions
    @Option(help: "Language of reasons: en or it.") var lang: Language = .preferred
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        Console.language = lang
        let result = try store.app.recommend(
            RecommendRequest(
                graph: store.graph, asOf: try read.moment(), on: try read.date(), actor: actor, top: top, kind: kind,
                weights: weights, lang: lang, public: read.public, status: ties.status))
        if json {
            try Console.json(result)
            return
        }
        var table = Table(["rank", "candidate", "kind", "score", "reasons"])
        for (i, c) in result.candidates.enumerated() {
            table.add(["\(i + 1)", c.name, c.kind, String(format: "%.3f", c.score), c.reasons.joined(separator: "; ")])
        }
        Console.print(result.candidates.isEmpty ? "no candidates" : table.text)
    }
}

struct CoalitionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coalitions",
        abstract:
            "Groups already tied together (Leiden communities of the actors in view) that meet a composition, and what would complete the others."
    )
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var scope: ScopeOptions
    @Option(help: "A requirement KIND[|KIND…][:COUNT] (repeat); default: the graph's alliance rules.") var require: [String] = []
    @Option(name: .customLong("max-size"), help: "Leave out groups larger than this.") var maxSize: Int?
    @Option(help: "How many coalitions.") var top: Int = 10
    @OptionGroup var ties: TieStatusOptions
    @Option(help: "Language: en or it.") var lang: Language = .preferred
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        Console.language = lang
        let result = try store.app.coalitions(
            CoalitionsRequest(
                graph: store.graph, asOf: try read.moment(), on: try read.date(), territory: scope.territory,
                theme: scope.theme, require: require, maxSize: maxSize, top: top, lang: lang,
                public: read.public, status: ties.status))
        if json {
            try Console.json(result)
            return
        }
        let names = result.names
        // Groups left out, each with why: never dropped without a word.
        let leftOut = result.leftOut.map { group in
            "- " + group.members.map { names[$0] ?? $0 }.joined(separator: ", ") + ": " + group.reason
        }
        let leftOutText =
            leftOut.isEmpty ? "" : "\n" + (lang == .it ? "gruppi esclusi:" : "groups left out:") + "\n" + leftOut.joined(separator: "\n")
        if result.coalitions.isEmpty {
            Console.print((lang == .it ? "nessuna coalizione trovata" : "no coalitions found") + leftOutText)
            return
        }
        var table = Table(["#", "members", "cohesion", "missing", "complete with", "notes"])
        for (i, c) in result.coalitions.enumerated() {
            table.add([
                "\(i + 1)", c.members.map { names[$0] ?? $0 }.joined(separator: ", "), String(format: "%.2f", c.cohesion),
                c.missing.isEmpty ? "-" : c.missing.joined(separator: "; "), c.completeWith.map { names[$0] ?? $0 }.joined(separator: ", "),
                c.notes.joined(separator: "; "),
            ])
        }
        Console.print(table.text + leftOutText)
    }
}
