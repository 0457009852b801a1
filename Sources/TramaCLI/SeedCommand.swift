import ArgumentParser
import Foundation
import TramaApp
import TramaModel

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load a bundled seed ecosystem (talents4coop) into a graph of the same name.",
        discussion: "The seeds are the spreadsheets in seeds/NAME/ (actors.csv, relations.csv); $TRAMA_SEEDS names another folder.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The seed: talents4coop.") var name: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try report(store.app.seed(SeedRequest(name: name, graph: store.graph), by: store.context), json: json)
    }
}

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Summarise a graph: actors by kind and territory, relations by type and status.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var language: LanguageOption
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let summary = try store.app.summary(
            GraphRead(graph: store.graph, asOf: try read.moment(), on: try read.date(), public: read.public))
        if json {
            try Console.json(summary)
            return
        }
        // In Italian, kinds and relation types by their Italian labels.
        var labels: [String: String] = [:]
        if Console.language == .it,
            let vocabulary = try? store.app.vocabulary(GraphRead(graph: store.graph, asOf: try read.moment()))
        {
            for kind in vocabulary.kinds { labels[kind.name] = kind.labelIT }
            for type in vocabulary.relationTypes { labels[type.name] = type.labelIT }
            for status in ["active": "attiva", "planned": "prevista", "potential": "potenziale", "ended": "conclusa"] {
                labels[status.key] = status.value
            }
        }
        func counts(_ title: String, _ values: [String: Int]) -> String {
            var table = Table([title, "count"])
            for (key, value) in values.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                table.add([labels[key] ?? key, "\(value)"])
            }
            return table.text
        }
        Console.print(
            """
            \(summary.graph): \(summary.actors) \(say("actors", "attori")), \(summary.relations) \(say("relations", "relazioni"))

            \(counts("kind", summary.actorsByKind))

            \(counts("relation type", summary.relationsByType))

            \(counts("territory", summary.actorsByTerritory))

            \(counts("status", summary.relationsByStatus))

            \(say("isolated actors (no relation)", "attori isolati (nessuna relazione)")): \(summary.isolated.isEmpty ? say("none", "nessuno") : summary.isolated.joined(separator: ", "))
            """)
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show a graph's change log: when, who, which command, and each actor and relation it touched (old → new).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @Option(help: "Only this change set.") var change: Int64?
    @Option(help: "Only the last N change sets.") var last: Int?
    @Option(help: "List at most this many actors and relations per change set.") var limit: Int = 20
    @Flag(help: "List every actor and relation (no limit).") var all = false
    @Flag(help: "One line per change set, without what it touched.") var short = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try read.noDate("the change log")
        let log = try store.app.detailedLog(
            LogRequest(
                graph: store.graph, asOf: try read.moment(), change: change, last: last, limit: short ? 0 : all ? nil : limit,
                public: read.public))
        if json {
            try Console.json(log)
            return
        }
        if short {
            var table = Table(["#", "at", "author", "summary", "command"])
            for c in log.changes { table.add(["\(c.id)", c.at, c.author, c.summary, c.command]) }
            Console.print(table.text)
            return
        }
        Console.print(log.changes.map(ChangeText.detail).joined(separator: "\n\n"))
    }
}

struct VocabularyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocabulary", abstract: "Show a graph's kinds and relation types, or add new ones.",
        subcommands: [Show.self, AddKind.self, AddType.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "List kinds and relation types with their rules.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var read: ReadOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try read.noDate("the vocabulary")
            let vocabulary = try store.app.vocabulary(GraphRead(graph: store.graph, asOf: try read.moment()))
            if json {
                try Console.json(vocabulary)
                return
            }
            var kindTable = Table(["kind", "label", "italiano"])
            for k in vocabulary.kinds { kindTable.add([k.name, k.label, k.labelIT]) }
            var typeTable = Table(["relation type", "directed", "from", "to"])
            for t in vocabulary.relationTypes {
                typeTable.add([
                    t.name, t.directed ? "yes" : "no", t.sourceKinds?.joined(separator: ", ") ?? "any",
                    t.targetKinds?.joined(separator: ", ") ?? "any",
                ])
            }
            Console.print(kindTable.text + "\n\n" + typeTable.text)
        }
    }

    struct AddKind: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-kind", abstract: "Add an actor kind to the graph.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The kind's name (lower case, digits, _).") var name: String
        @Option(help: "English label.") var label: String?
        @Option(name: .customLong("label-it"), help: "Italian label.") var labelIT: String?
        @Flag(help: "The kind is a natural person (personal data).") var person = false

        func run() throws {
            _ = try store.app.addKind(
                KindDraft(graph: store.graph, name: name, label: label, labelIT: labelIT, person: person), by: store.context)
            Console.print("\(store.graphName): kind `\(name)` added")
        }
    }

    struct AddType: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-type", abstract: "Add a relation type to the graph.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The type's name (lower case, digits, _).") var name: String
        @Flag(help: "The type is undirected.") var undirected = false
        @Option(help: "A kind allowed at the start (repeat; none means any).") var from: [String] = []
        @Option(help: "A kind allowed at the end (repeat; none means any).") var to: [String] = []
        @Option(help: "English label.") var label: String?
        @Option(name: .customLong("label-it"), help: "Italian label.") var labelIT: String?

        func run() throws {
            _ = try store.app.addRelationType(
                RelationTypeDraft(
                    graph: store.graph, name: name, undirected: undirected, from: from, to: to,
                    label: label, labelIT: labelIT), by: store.context)
            Console.print("\(store.graphName): relation type `\(name)` added")
        }
    }
}
