import ArgumentParser
import Foundation
import TramaApp
import TramaModel

/// The fields an actor can be given on the command line.
struct ActorOptions: ParsableArguments {
    @Option(help: "Display name.") var name: String?
    @Option(
        help: "Kind: cooperative, consortium, association, public_administration, mentor, partner, network, project, or one the graph adds."
    )
    var kind: String?
    @Option(help: "Territory path, e.g. Emilia-Romagna/Parma.") var territory: String?
    @Option(help: "A theme (repeat for several).") var theme: [String] = []
    @Option(help: "A tag (repeat for several).") var tag: [String] = []
    @Option(help: "Web address.") var url: String?
    @Option(help: "Description.") var description: String?
    @Option(help: "An attribute as NAME=VALUE (repeat; an empty VALUE removes it).") var attr: [String] = []
    @Option(help: "Mark private (yes, sì, true) or public (no, false).") var `private`: YesNo?

    /// The fields to set; lists are replaced when given (always, for a new actor).
    func fields(newActor: Bool) throws -> ActorFields {
        var attributes: [String: String?] = [:]
        for pair in attr {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--attr \(pair) must be written NAME=VALUE")
            }
            let value = String(pair[pair.index(after: eq)...])
            attributes[String(pair[..<eq])] = .some(value.isEmpty ? nil : value)
        }
        return ActorFields(
            name: name, kind: kind, territory: territory, themes: !theme.isEmpty || newActor ? theme : nil,
            tags: !tag.isEmpty || newActor ? tag : nil, url: url, description: description,
            attributes: attributes.isEmpty ? nil : attributes, private: `private`?.value)
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
        @OptionGroup var fields: ActorOptions
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if id == nil && fields.name == nil { throw ValidationError("give an id or a --name") }
            if fields.kind == nil { throw ValidationError("give the actor's --kind") }
        }

        func run() throws {
            try report(
                store.app.addActor(ActorDraft(graph: store.graph, id: id, fields: try fields.fields(newActor: true)), by: store.context),
                json: json)
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an actor's fields; fields not given stay as they are.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id.") var id: String
        @OptionGroup var fields: ActorOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try report(
                store.app.updateActor(
                    ActorPatch(graph: store.graph, id: id, fields: try fields.fields(newActor: false)), by: store.context),
                json: json)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an actor (its history stays in the change log).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id.") var id: String
        @Flag(help: "Also remove the actor's relations.") var cascade = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try report(store.app.removeActor(ActorRemoval(graph: store.graph, id: id, cascade: cascade), by: store.context), json: json)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List actors, optionally by kind and territory.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var read: ReadOptions
        @OptionGroup var language: LanguageOption
        @Option(help: "Only this kind (repeat for several).") var kind: [String] = []
        @Option(help: "Only this territory and the territories inside it.") var territory: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let list = try store.app.actors(
                ActorQuery(
                    graph: store.graph, asOf: try read.moment(), on: try read.date(), kinds: kind, territory: territory,
                    public: read.public))
            if json {
                try Console.json(list)
                return
            }
            var table = Table(["id", "name", "kind", "territory", "themes"])
            for a in list.actors { table.add([a.id, a.name, a.kind, a.territory?.path ?? "", a.themes.joined(separator: ", ")]) }
            Console.print(table.text)
            Console.note("\(list.actors.count) actor\(list.actors.count == 1 ? "" : "s")")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one actor and its relations.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var read: ReadOptions
        @OptionGroup var language: LanguageOption
        @Argument(help: "The actor's id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let detail = try store.app.actor(
                ActorLookup(graph: store.graph, asOf: try read.moment(), on: try read.date(), id: id, public: read.public))
            if json {
                try Console.json(detail)
                return
            }
            let actor = detail.actor
            var lines = ["\(actor.name) (\(actor.id))", say("kind:        ", "tipo:        ") + actor.kind]
            if let t = actor.territory { lines.append(say("territory:   ", "territorio:  ") + t.path) }
            if !actor.themes.isEmpty { lines.append(say("themes:      ", "temi:        ") + actor.themes.joined(separator: ", ")) }
            if !actor.tags.isEmpty { lines.append(say("tags:        ", "etichette:   ") + actor.tags.joined(separator: ", ")) }
            if let url = actor.url { lines.append(say("url:         ", "sito:        ") + url) }
            if let d = actor.description { lines.append(say("description: ", "descrizione: ") + d) }
            for key in actor.attributes.keys.sorted() { lines.append("\(key): \(actor.attributes[key]!)") }
            if actor.isPrivate { lines.append(say("private:     yes", "privato:     sì")) }
            Console.print(lines.joined(separator: "\n"))
            if !detail.relations.isEmpty {
                var table = Table(["id", "from", "type", "to", "status", "since"])
                for record in detail.relations {
                    let r = record.relation
                    table.add(["\(record.id)", r.source, r.type, r.target, r.status.rawValue, r.since ?? ""])
                }
                Console.print("\n" + table.text)
            }
        }
    }
}
