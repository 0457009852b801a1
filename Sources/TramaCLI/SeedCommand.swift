import ArgumentParser
import Foundation
import TramaExchange
import TramaModel
import TramaStore

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load a bundled seed ecosystem (talents4coop) into a graph of the same name.",
        discussion: "The seeds are the spreadsheets in seeds/NAME/ (actors.csv, relations.csv); $TRAMA_SEEDS names another folder.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The seed: talents4coop.") var name: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let folder = try Self.locate(name)
        let files = ["actors.csv", "relations.csv"].map { (folder as NSString).appendingPathComponent($0) }
        let opened = try store.open(create: true)
        let graph = store.graph ?? name
        let (batch, _) = try Importer.read(paths: files, vocabulary: .builtIn)
        try report(opened.importBatch(batch, into: graph, context: store.context(typedCommand())), json: json)
    }

    /// `$TRAMA_SEEDS/NAME`, else `seeds/NAME` beside the executable's package, else in the working folder.
    static func locate(_ name: String) throws -> String {
        guard Slug.isValidName(name.replacingOccurrences(of: "-", with: "_").lowercased()) else {
            throw TramaError(.notFound, "`\(name)` is not a seed name")
        }
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["TRAMA_SEEDS"] { candidates.append((env as NSString).appendingPathComponent(name)) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("seeds").appendingPathComponent(name).path)
            folder.deleteLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/seeds/" + name)
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate + "/actors.csv") { return candidate }
        throw TramaError(.notFound, "no seed `\(name)` found (looked in \(candidates.last!)): the bundled seed is talents4coop; set $TRAMA_SEEDS to the seeds folder")
    }
}

struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Summarise a graph: actors by kind and territory, relations by type and status.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    struct Summary: Encodable {
        var graph: String
        var actors: Int
        var relations: Int
        var actorsByKind: [String: Int]
        var actorsByTerritory: [String: Int]
        var relationsByType: [String: Int]
        var relationsByStatus: [String: Int]
        var isolated: [String]

        enum CodingKeys: String, CodingKey {
            case graph, actors, relations, isolated
            case actorsByKind = "actors_by_kind", actorsByTerritory = "actors_by_territory"
            case relationsByType = "relations_by_type", relationsByStatus = "relations_by_status"
        }
    }

    func run() throws {
        let eco = try store.open(create: false).ecosystem(store.graphName)
        var touched = Set<String>()
        for r in eco.relations { touched.insert(r.source); touched.insert(r.target) }
        let summary = Summary(
            graph: eco.name, actors: eco.actors.count, relations: eco.relations.count,
            actorsByKind: Dictionary(grouping: eco.actors, by: \.kind).mapValues(\.count),
            actorsByTerritory: Dictionary(grouping: eco.actors.filter { $0.territory != nil }, by: { $0.territory!.path }).mapValues(\.count),
            relationsByType: Dictionary(grouping: eco.relations, by: \.type).mapValues(\.count),
            relationsByStatus: Dictionary(grouping: eco.relations, by: \.status.rawValue).mapValues(\.count),
            isolated: eco.actors.map(\.id).filter { !touched.contains($0) })
        if json { try Console.json(summary); return }
        func counts(_ title: String, _ values: [String: Int]) -> String {
            var table = Table([title, "count"])
            for (key, value) in values.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { table.add([key, "\(value)"]) }
            return table.text
        }
        Console.print("""
            \(eco.name): \(eco.actors.count) actors, \(eco.relations.count) relations

            \(counts("kind", summary.actorsByKind))

            \(counts("relation type", summary.relationsByType))

            \(counts("territory", summary.actorsByTerritory))

            \(counts("status", summary.relationsByStatus))

            isolated actors (no relation): \(summary.isolated.isEmpty ? "none" : summary.isolated.joined(separator: ", "))
            """)
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Show a graph's change log: when, who, what.")
    @OptionGroup var store: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let changes = try store.open(create: false).changes(in: store.graphName)
        if json { try Console.json(["changes": changes]); return }
        var table = Table(["#", "at", "author", "summary", "command"])
        table.maxWidth = 60
        for c in changes { table.add(["\(c.id)", c.at, c.author, c.summary, c.command]) }
        Console.print(table.text)
    }
}

struct VocabularyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocabulary", abstract: "Show a graph's kinds and relation types, or add new ones.",
        subcommands: [Show.self, AddKind.self, AddType.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "List kinds and relation types with their rules.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        struct Shown: Encodable {
            var kinds: [KindDefinition]
            var relationTypes: [RelationTypeDefinition]
            enum CodingKeys: String, CodingKey { case kinds, relationTypes = "relation_types" }
        }

        func run() throws {
            let opened = try store.open(create: false)
            let vocabulary = try opened.graphs().contains { $0.name == store.graphName } ? try opened.vocabulary(of: store.graphName) : .builtIn
            let kinds = vocabulary.kindNames.map { vocabulary.kinds[$0]! }
            let types = vocabulary.relationTypeNames.map { vocabulary.relationTypes[$0]! }
            if json { try Console.json(Shown(kinds: kinds, relationTypes: types)); return }
            var kindTable = Table(["kind", "label", "italiano"])
            for k in kinds { kindTable.add([k.name, k.label, k.labelIT]) }
            var typeTable = Table(["relation type", "directed", "from", "to"])
            typeTable.maxWidth = 70
            for t in types {
                typeTable.add([t.name, t.directed ? "yes" : "no", t.sourceKinds?.joined(separator: ", ") ?? "any", t.targetKinds?.joined(separator: ", ") ?? "any"])
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
            try store.open(create: true).extendVocabulary(of: store.graphName, context: store.context(typedCommand())) {
                try $0.add(kind: KindDefinition(name: name, label: label ?? name, labelIT: labelIT ?? label ?? name, isPerson: person))
            }
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
            try store.open(create: true).extendVocabulary(of: store.graphName, context: store.context(typedCommand())) {
                try $0.add(relationType: RelationTypeDefinition(
                    name: name, directed: !undirected, sourceKinds: from.isEmpty ? nil : from, targetKinds: to.isEmpty ? nil : to,
                    label: label ?? name.replacingOccurrences(of: "_", with: " "), labelIT: labelIT ?? label ?? name))
            }
            Console.print("\(store.graphName): relation type `\(name)` added")
        }
    }
}
