import ArgumentParser
import TramaApp
import TramaModel

/// The fields of a relation that can be given on the command line.
struct RelationOptions: ParsableArguments {
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
    @Option(help: "Mark private (yes, sì, true) or public (no, false).") var `private`: YesNo?

    var fields: RelationFields {
        RelationFields(
            strength: strength, since: since, until: until, status: status, description: description, evidence: evidence,
            tags: tag.isEmpty ? nil : tag, private: `private`?.value, assertedBy: assertedBy, assertedIn: assertedIn, assertedAt: assertedAt
        )
    }
}

/// A relation named by its ends and type, or by its id.
struct RelationArguments: ParsableArguments {
    @Argument(help: "The source actor's id (or the relation's id, alone).") var from: String
    @Argument(help: "The target actor's id.") var to: String?
    @Option(help: "The relation type.") var type: String?

    var reference: RelationReference {
        get throws {
            if to == nil, type == nil, let id = Int64(from) { return RelationReference(id: id) }
            guard let to, let type else { throw ValidationError("name the relation as FROM TO --type TYPE, or by its id alone") }
            return RelationReference(from: from, to: to, type: type)
        }
    }
}

struct RelationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relation", abstract: "Add, change, remove and list relations.",
        subcommands: [Add.self, Update.self, Remove.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a relation FROM → TO of a type.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The source actor's id.") var from: String
        @Argument(help: "The target actor's id.") var to: String
        @Option(help: "The relation type (member_of, partners_with, co_designs_with, …).") var type: String
        @OptionGroup var fields: RelationOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try report(
                store.app.addRelation(
                    RelationDraft(graph: store.graph, from: from, to: to, type: type, fields: fields.fields),
                    by: store.context), json: json)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a relation's fields; its ends and type stay.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var relation: RelationArguments
        @OptionGroup var fields: RelationOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try report(
                store.app.updateRelation(
                    RelationPatch(graph: store.graph, relation: try relation.reference, fields: fields.fields),
                    by: store.context), json: json)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a relation (its history stays in the change log).")
        @OptionGroup var store: StoreOptions
        @OptionGroup var relation: RelationArguments
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try report(
                store.app.removeRelation(RelationRemoval(graph: store.graph, relation: try relation.reference), by: store.context),
                json: json)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one relation by its id.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var read: ReadOptions
        @OptionGroup var language: LanguageOption
        @Argument(help: "The relation's id.") var id: Int64
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let record = try store.app.relation(
                RelationLookup(graph: store.graph, asOf: try read.moment(), on: try read.date(), id: id, public: read.public))
            if json {
                try Console.json(record)
                return
            }
            let r = record.relation
            var lines = [
                say("relation", "relazione") + " \(record.id): \(r.source) -[\(r.type)]- \(r.target)",
                say("status:   ", "stato:    ") + r.status.rawValue,
            ]
            if let s = r.strength { lines.append(say("strength: ", "intensità: ") + "\(s)") }
            if let since = r.since { lines.append(say("since:    ", "dal:      ") + since) }
            if let until = r.until { lines.append(say("until:    ", "al:       ") + until) }
            if let d = r.description { lines.append(say("description: ", "descrizione: ") + d) }
            if let e = r.evidence { lines.append(say("evidence: ", "fonte:    ") + e) }
            if r.isPrivate { lines.append(say("private:  yes", "privato:  sì")) }
            Console.print(lines.joined(separator: "\n"))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List relations, optionally by type, actor kind, territory or actor.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var read: ReadOptions
        @OptionGroup var language: LanguageOption
        @Option(help: "Only this relation type (repeat for several).") var type: [String] = []
        @Option(help: "Only relations between actors of this kind (repeat for several).") var kind: [String] = []
        @Option(help: "Only relations inside this territory (with its sub-territories).") var territory: String?
        @Option(help: "Only relations of this actor.") var actor: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let list = try store.app.relations(
                RelationQuery(
                    graph: store.graph, asOf: try read.moment(), on: try read.date(), types: type, kinds: kind,
                    territory: territory, actor: actor, public: read.public))
            if json {
                try Console.json(list)
                return
            }
            var table = Table(["id", "from", "type", "to", "strength", "status", "since", "until"])
            for record in list.relations {
                let r = record.relation
                table.add([
                    "\(record.id)", r.source, r.type, r.target, r.strength.map { "\($0)" } ?? "", r.status.rawValue, r.since ?? "",
                    r.until ?? "",
                ])
            }
            Console.print(table.text)
            Console.note("\(list.relations.count) relation\(list.relations.count == 1 ? "" : "s")")
        }
    }
}
