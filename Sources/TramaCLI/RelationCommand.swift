import ArgumentParser
import TramaModel
import TramaStore

/// The fields of a relation that can be given on the command line.
struct RelationFields: ParsableArguments {
    @Option(help: "Strength (a number, 0 or more).") var strength: Double?
    @Option(help: "Since when: 2021, 2021-03 or 2021-03-05.") var since: String?
    @Option(help: "Until when.") var until: String?
    @Option(help: "active, planned, potential or ended.") var status: String?
    @Option(help: "Description or notes.") var description: String?
    @Option(help: "Where the relation was learned (a quote, a lab, an interview).") var evidence: String?
    @Option(help: "A tag (repeat for several).") var tag: [String] = []
    @Option(help: "Who asserted it.") var assertedBy: String?
    @Option(help: "In which lab or interview.") var assertedIn: String?
    @Option(help: "When it was asserted.") var assertedAt: String?
    @Option(help: "Mark private (yes) or public (no).") var `private`: Bool?

    func apply(to r: inout Relation) throws {
        if let strength { r.strength = strength }
        if let since { r.since = since.isEmpty ? nil : since }
        if let until { r.until = until.isEmpty ? nil : until }
        if let status {
            r.status = try RelationStatus(text: status).orThrow(
                TramaError(.invalidValue, "`--status` must be active, planned, potential or ended, not `\(status)`"))
        }
        if let description { r.description = description.isEmpty ? nil : description }
        if let evidence { r.evidence = evidence.isEmpty ? nil : evidence }
        if !tag.isEmpty { r.tags = tag.filter { !$0.isEmpty } }
        if let assertedBy { r.assertedBy = assertedBy.isEmpty ? nil : assertedBy }
        if let assertedIn { r.assertedIn = assertedIn.isEmpty ? nil : assertedIn }
        if let assertedAt { r.assertedAt = assertedAt.isEmpty ? nil : assertedAt }
        if let isPrivate = `private` { r.isPrivate = isPrivate }
    }
}

struct RelationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relation", abstract: "Add, change, remove and list relations.",
        subcommands: [Add.self, Update.self, Remove.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a relation FROM → TO of a type.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The source actor's id.") var from: String
        @Argument(help: "The target actor's id.") var to: String
        @Option(help: "The relation type (member_of, partners_with, co_designs_with, …).") var type: String
        @OptionGroup var fields: RelationFields
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let opened = try store.open(create: false)
            let vocabulary = try opened.vocabulary(of: store.graphName)
            var relation = Relation(source: from, target: to, type: vocabulary.resolveRelationType(type) ?? type)
            try fields.apply(to: &relation)
            try report(opened.addRelation(relation, to: store.graphName, context: store.context(typedCommand())), json: json)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a relation's fields; its ends and type stay.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The source actor's id.") var from: String
        @Argument(help: "The target actor's id.") var to: String
        @Option(help: "The relation type.") var type: String
        @OptionGroup var fields: RelationFields
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try report(store.open(create: false).updateRelation(source: from, target: to, type: type, in: store.graphName,
                                                                 context: store.context(typedCommand())) { try fields.apply(to: &$0) },
                       json: json)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a relation (its history stays in the change log).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The source actor's id.") var from: String
        @Argument(help: "The target actor's id.") var to: String
        @Option(help: "The relation type.") var type: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try report(store.open(create: false).removeRelation(source: from, target: to, type: type, from: store.graphName,
                                                                 context: store.context(typedCommand())), json: json)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List relations, optionally by type, actor kind, territory or actor.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only this relation type (repeat for several).") var type: [String] = []
        @Option(help: "Only relations between actors of this kind (repeat for several).") var kind: [String] = []
        @Option(help: "Only relations inside this territory (with its sub-territories).") var territory: String?
        @Option(help: "Only relations of this actor.") var actor: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let opened = try store.open(create: false)
            let vocabulary = try opened.vocabulary(of: store.graphName)
            let types = try type.map { text in
                try vocabulary.resolveRelationType(text).orThrow(TramaError(.unknownRelationType,
                    "unknown relation type `\(text)`: use one of \(vocabulary.relationTypeNames.joined(separator: ", "))"))
            }
            let kinds = try kind.map { text in
                try vocabulary.resolveKind(text).orThrow(Validator(vocabulary: vocabulary).unknownKind(text, at: nil))
            }
            let relations = try opened.relations(in: store.graphName, filter: StoreFilter(
                kinds: kinds, territory: territory.flatMap(Territory.init), relationTypes: types, actor: actor))
            if json { try Console.json(["relations": relations]); return }
            var table = Table(["from", "type", "to", "strength", "status", "since", "until"])
            for r in relations {
                table.add([r.source, r.type, r.target, r.strength.map { "\($0)" } ?? "", r.status.rawValue, r.since ?? "", r.until ?? ""])
            }
            Console.print(table.text)
            Console.note("\(relations.count) relation\(relations.count == 1 ? "" : "s")")
        }
    }
}
