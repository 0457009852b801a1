import ArgumentParser
import Foundation
import TramaInsight
import TramaModel
import TramaStore

extension Language: ExpressibleByArgument {}

/// The graph's alliance rules, or the standard ones.
func allianceRules(_ store: Store, _ graph: String) throws -> AllianceRules {
    guard let json = try store.rulesJSON(of: graph) else { return .standard }
    return try JSONDecoder().decode(AllianceRules.self, from: Data(json.utf8))
}

func today() -> String {
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyy-MM-dd"
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: Date())
}

/// The actors a gap or coalition question is about: a territory (with the territories
/// inside it) and a theme.
struct ScopeOptions: ParsableArguments {
    @Option(help: "Only this territory (and the territories inside it).") var territory: String?
    @Option(help: "Only actors working on this theme.") var theme: String?

    func parsedTerritory() throws -> Territory? {
        guard let territory else { return nil }
        return try Territory(territory).orThrow(TramaError(.invalidValue, "`--territory` is empty"))
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Show or set what a territorial alliance needs (used by gaps and coalitions).",
        subcommands: [Show.self, Set.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the graph's alliance rules.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let rules = try allianceRules(store.open(create: false), store.graphName)
            if json { try Console.json(rules); return }
            Console.print(rules.requirements.map { "at least \($0.count) × \($0.kinds.joined(separator: " or "))" }.joined(separator: "\n"))
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the alliance rules: each --require is KIND[|KIND…][:COUNT]; `funder` means any actor that funds another.",
            discussion: "Example: trama rules set --require public_administration --require cooperative:2 --require consortium|network --require funder|partner")
        @OptionGroup var store: StoreOptions
        @Option(help: "A requirement, e.g. cooperative:2 (repeat).") var require: [String] = []
        @Flag(help: "Go back to the standard rules.") var standard = false

        func run() throws {
            let opened = try store.open(create: false)
            if standard {
                try opened.setRulesJSON(nil, of: store.graphName, context: store.context(typedCommand()))
                Console.print("\(store.graphName): standard alliance rules")
                return
            }
            guard !require.isEmpty else { throw ValidationError("give at least one --require, or --standard") }
            let vocabulary = try opened.vocabulary(of: store.graphName)
            let rules = AllianceRules(requirements: try require.map { try Requirement(parsing: $0, vocabulary: vocabulary) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try opened.setRulesJSON(String(decoding: try encoder.encode(rules), as: UTF8.self), of: store.graphName,
                                    context: store.context(typedCommand()))
            Console.print("\(store.graphName): alliance rules set (\(rules.requirements.map(\.description).joined(separator: ", ")))")
        }
    }
}

struct GapsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
        abstract: "What territorial alliances lack: missing kinds, contract-only administrations, isolates, single points of failure, structural holes, theme gaps, silos, stale relations.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var scope: ScopeOptions
    @Option(name: .customLong("stale-after"), help: "Relations not confirmed since this date (YYYY[-MM[-DD]]) are stale.") var staleAfter: String?
    @Option(help: "Language of reasons and actions: en or it.") var lang: Language = .en
    @Option(help: "Show only the N most severe findings.") var top: Int?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if let top, top < 1 { throw ValidationError("--top must be 1 or more") }
        if let staleAfter, !PartialDate.isValid(staleAfter) { throw ValidationError("--stale-after must be a date written 2021, 2021-03 or 2021-03-05") }
    }

    func run() throws {
        let opened = try store.open(create: false)
        let territory = try scope.parsedTerritory()
        let ecosystem = try opened.insightEcosystem(store.graphName, relationsNear: territory)
        let findings = GapDetector(ecosystem, rules: try allianceRules(opened, store.graphName),
                                   options: GapOptions(territory: territory, theme: scope.theme, staleAfter: staleAfter,
                                                       today: today(), language: lang)).run().prefix(top ?? .max).map { $0 }
        if json { try Console.json(["findings": findings]); return }
        if findings.isEmpty { Console.print(lang == .it ? "nessuna lacuna trovata" : "no gaps found"); return }
        // One block per finding: the reason and the action are sentences, not cells to cut.
        Console.print(findings.map { f in
            "\(f.severity.rawValue.uppercased().padding(toLength: 6, withPad: " ", startingAt: 0))  \(f.code)\(f.subject.territory.map { "  (\($0))" } ?? "")\n"
                + "        \(f.reason)\n        → \(f.action)"
        }.joined(separator: "\n"))
    }
}

struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend", abstract: "Rank partners an actor is not tied to yet, with the reasons for each.",
        discussion: """
            Score = neighbours 0.35 (Adamic–Adar over shared neighbours) + broker 0.10 (someone can introduce) + kind 0.20
            (a kind the alliance rules need and the actor's ties lack: an administration fully, others half) + themes 0.15 (Jaccard) + territory 0.10 (same province 1,
            same region 0.5) + constraint 0.10 (how much the tie lowers the actor's Burt constraint). Override with --weights.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "The actor's id.") var actor: String
    @Option(help: "How many candidates.") var top: Int = 10
    @Option(help: "Only candidates of this kind.") var kind: String?
    @Option(help: "Weights as name=value,… (neighbours, broker, kind, themes, territory, constraint).") var weights: String?
    @Option(help: "Language of reasons: en or it.") var lang: Language = .en
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let opened = try store.open(create: false)
        // Actors only: the recommender asks the store's indexes for the few neighbourhoods it needs.
        let ecosystem = try opened.insightEcosystem(store.graphName, actorsOnly: true)
        let graphName = store.graphName
        let kindName = try kind.map { try ecosystem.vocabulary.resolveKind($0).orThrow(Validator(vocabulary: ecosystem.vocabulary).unknownKind($0, at: nil)) }
        let recommender = Recommender(ecosystem, rules: try allianceRules(opened, store.graphName),
                                      weights: try weights.map(RecommendationWeights.init(parsing:)) ?? RecommendationWeights(), language: lang,
                                      neighbourSource: { try opened.neighbours(of: $0, in: graphName) })
        let candidates = try recommender.recommend(for: actor, top: top, kind: kindName)
        if json {
            struct Shown: Encodable { var actor: String; var candidates: [Candidate] }
            try Console.json(Shown(actor: actor, candidates: candidates))
            return
        }
        var table = Table(["rank", "candidate", "kind", "score", "reasons"])
        table.maxWidth = 100
        for (i, c) in candidates.enumerated() { table.add(["\(i + 1)", c.name, c.kind, String(format: "%.3f", c.score), c.reasons.joined(separator: "; ")]) }
        Console.print(candidates.isEmpty ? "no candidates" : table.text)
    }
}

struct CoalitionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coalitions",
        abstract: "Groups already tied together (Leiden communities of the actors in view) that meet a composition, and what would complete the others.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var scope: ScopeOptions
    @Option(help: "A requirement KIND[|KIND…][:COUNT] (repeat); default: the graph's alliance rules.") var require: [String] = []
    @Option(name: .customLong("max-size"), help: "Leave out groups larger than this.") var maxSize: Int?
    @Option(help: "How many coalitions.") var top: Int = 10
    @Option(help: "Language: en or it.") var lang: Language = .en
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let opened = try store.open(create: false)
        let territory = try scope.parsedTerritory()
        let ecosystem = try opened.insightEcosystem(store.graphName, relationsNear: territory)
        let requirements = require.isEmpty ? try allianceRules(opened, store.graphName).requirements
            : try require.map { try Requirement(parsing: $0, vocabulary: ecosystem.vocabulary) }
        let coalitions = CoalitionFinder(ecosystem, requirements: requirements, territory: territory, theme: scope.theme, language: lang)
            .run(maxSize: maxSize, top: top)
        if json { try Console.json(["coalitions": coalitions]); return }
        if coalitions.isEmpty { Console.print(lang == .it ? "nessuna coalizione trovata" : "no coalitions found"); return }
        let names = Dictionary(uniqueKeysWithValues: ecosystem.actors.map { ($0.id, $0.name) })
        var table = Table(["#", "members", "cohesion", "missing", "complete with"])
        table.maxWidth = 80
        for (i, c) in coalitions.enumerated() {
            table.add(["\(i + 1)", c.members.map { names[$0] ?? $0 }.joined(separator: ", "), String(format: "%.2f", c.cohesion),
                       c.missing.isEmpty ? "-" : c.missing.joined(separator: "; "), c.completeWith.map { names[$0] ?? $0 }.joined(separator: ", ")])
        }
        Console.print(table.text)
    }
}
