import ArgumentParser
import TramaModel
import TramaStore

struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "Answer a person's requests about their data: export it, or erase it with its history.",
        subcommands: [Export.self, Erase.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print, as JSON, every version of an actor and of its relations, and the log entries that name it.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id (a mentor, or any actor).") var id: String

        func run() throws {
            try Console.json(store.open(create: false).personalData(of: id, in: store.graphName))
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase an actor, its relations and every past version of them; scrub its id and names from the change log.",
            discussion: "This cannot be undone: export first with `trama privacy export ID` if the person wants a copy.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id.") var id: String
        @Flag(help: "Confirm the erasure.") var confirm = false

        func run() throws {
            let opened = try store.open(create: false)
            let data = try opened.personalData(of: id, in: store.graphName)
            guard confirm else {
                throw TramaError(.conflict,
                    "erasing `\(id)` removes \(data.actor.count) version(s) of it and \(data.relations.count) version(s) of its relations for good: pass --confirm")
            }
            let (actors, relations, mentions) = try opened.erase(id, in: store.graphName, context: store.context("trama privacy erase"))
            Console.print("\(store.graphName): erased \(actors) actor version(s), \(relations) relation version(s) and \(mentions) mention(s) in other records; the change log no longer names them")
        }
    }
}
