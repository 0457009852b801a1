import ArgumentParser
import TramaApp
import TramaModel

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
            try Console.json(store.app.personalData(PersonRequest(graph: store.graph, id: id)))
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
            let result = try store.app.erase(
                ErasureRequest(graph: store.graph, id: id, confirm: confirm),
                by: WriteContext(author: store.authorName, command: "trama privacy erase"))
            Console.print(
                "\(result.graph): erased \(result.actorVersions) actor version(s), \(result.relationVersions) relation version(s) and \(result.mentions) mention(s) in other records; the change log no longer names them"
            )
        }
    }
}
