import ArgumentParser
import Foundation
import TramaModel
import TramaStore

/// The fields an actor can be given on the command line.
struct ActorFields: ParsableArguments {
    @Option(help: "Display name.") var name: String?
    @Option(help: "Kind: cooperative, consortium, association, public_administration, mentor, partner, network, project, or one the graph adds.")
    var kind: String?
    @Option(help: "Territory path, e.g. Emilia-Romagna/Parma.") var territory: String?
    @Option(help: "A theme (repeat for several).") var theme: [String] = []
    @Option(help: "A tag (repeat for several).") var tag: [String] = []
    @Option(help: "Web address.") var url: String?
    @Option(help: "Description.") var description: String?
    @Option(help: "An attribute as NAME=VALUE (repeat; an empty VALUE removes it).") var attr: [String] = []
    @Option(help: "Mark private (yes) or public (no).") var `private`: Bool?

    func apply(to actor: inout Actor, vocabulary: Vocabulary, replaceLists: Bool) throws {
        if let name { actor.name = name }
        if let kind { actor.kind = vocabulary.resolveKind(kind) ?? kind }
        if let territory {
            actor.territory = territory.isEmpty ? nil : try Territory(territory).orThrow(TramaError(.invalidValue, "`--territory` is empty"))
        }
        if !theme.isEmpty || replaceLists { actor.themes = theme.filter { !$0.isEmpty } }
        if !tag.isEmpty || replaceLists { actor.tags = tag.filter { !$0.isEmpty } }
        if let url { actor.url = url.isEmpty ? nil : url }
        if let description { actor.description = description.isEmpty ? nil : description }
        for pair in attr {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw TramaError(.invalidValue, "`--attr \(pair)` must be written NAME=VALUE")
            }
            let value = String(pair[pair.index(after: eq)...])
            actor.attributes[String(pair[..<eq])] = value.isEmpty ? nil : value
        }
        if let isPrivate = `private` { actor.isPrivate = isPrivate }
    }
}

extension Optional {
    func orThrow(_ error: Error) throws -> Wrapped {
        guard let value = self else { throw error }
        return value
    }
}

struct ActorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actor", abstract: "Add, change, remove, list and show actors.",
        subcommands: [Add.self, Update.self, Remove.self, List.self, Show.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an actor.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id (a slug such as coop-saigi); made from --name when omitted.") var id: String?
        @OptionGroup var fields: ActorFields
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if id == nil && fields.name == nil { throw ValidationError("give an id or a --name") }
            if fields.kind == nil { throw ValidationError("give the actor's --kind") }
        }

        func run() throws {
            let opened = try store.open(create: true)
            let vocabulary = try opened.graphs().contains { $0.name == store.graphName } ? try opened.vocabulary(of: store.graphName) : .builtIn
            let actorID = id ?? Slug.make(fields.name ?? "")
            var actor = Actor(id: actorID, name: fields.name ?? actorID, kind: "")
            try fields.apply(to: &actor, vocabulary: vocabulary, replaceLists: true)
            try report(opened.addActor(actor, to: store.graphName, context: store.context(typedCommand())), json: json)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an actor's fields; fields not given stay as they are.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id.") var id: String
        @OptionGroup var fields: ActorFields
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let opened = try store.open(create: false)
            let vocabulary = try opened.vocabulary(of: store.graphName)
            try report(opened.updateActor(id, in: store.graphName, context: store.context(typedCommand())) { actor in
                try fields.apply(to: &actor, vocabulary: vocabulary, replaceLists: false)
            }, json: json)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an actor (its history stays in the change log).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id.") var id: String
        @Flag(help: "Also remove the actor's relations.") var cascade = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try report(store.open(create: false).removeActor(id, from: store.graphName, cascade: cascade, context: store.context(typedCommand())),
                       json: json)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List actors, optionally by kind and territory.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Only this kind (repeat for several).") var kind: [String] = []
        @Option(help: "Only this territory and the territories inside it.") var territory: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let opened = try store.open(create: false)
            let vocabulary = try opened.vocabulary(of: store.graphName)
            let kinds = try kind.map { text in
                try vocabulary.resolveKind(text).orThrow(Validator(vocabulary: vocabulary).unknownKind(text, at: nil))
            }
            let filter = StoreFilter(kinds: kinds, territory: territory.flatMap(Territory.init))
            let actors = try opened.actors(in: store.graphName, filter: filter)
            if json { try Console.json(["actors": actors]); return }
            var table = Table(["id", "name", "kind", "territory", "themes"])
            for a in actors { table.add([a.id, a.name, a.kind, a.territory?.path ?? "", a.themes.joined(separator: ", ")]) }
            Console.print(table.text)
            Console.note("\(actors.count) actor\(actors.count == 1 ? "" : "s")")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one actor and its relations.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        struct Shown: Encodable {
            var actor: Actor
            var relations: [Relation]
        }

        func run() throws {
            let opened = try store.open(create: false)
            guard let actor = try opened.actor(id, in: store.graphName) else {
                throw TramaError(.notFound, "there is no actor `\(id)` in the graph `\(store.graphName)`: list them with `trama actor list`")
            }
            let relations = try opened.relations(in: store.graphName, filter: StoreFilter(actor: id))
            if json { try Console.json(Shown(actor: actor, relations: relations)); return }
            var lines = ["\(actor.name) (\(actor.id))", "kind:        \(actor.kind)"]
            if let t = actor.territory { lines.append("territory:   \(t.path)") }
            if !actor.themes.isEmpty { lines.append("themes:      \(actor.themes.joined(separator: ", "))") }
            if !actor.tags.isEmpty { lines.append("tags:        \(actor.tags.joined(separator: ", "))") }
            if let url = actor.url { lines.append("url:         \(url)") }
            if let d = actor.description { lines.append("description: \(d)") }
            for key in actor.attributes.keys.sorted() { lines.append("\(key): \(actor.attributes[key]!)") }
            if actor.isPrivate { lines.append("private:     yes") }
            Console.print(lines.joined(separator: "\n"))
            if !relations.isEmpty {
                var table = Table(["from", "type", "to", "status", "since"])
                for r in relations { table.add([r.source, r.type, r.target, r.status.rawValue, r.since ?? ""]) }
                Console.print("\n" + table.text)
            }
        }
    }
}
