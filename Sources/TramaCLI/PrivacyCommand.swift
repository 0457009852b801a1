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
            abstract: "Erase a person (an actor), its relations and every past version of them, from every graph that holds them.",
            discussion: """
                Without --confirm, lists what would go and each other record that would be rewritten, with the text \
                around the mention: only whole-word mentions of the person's names, id and contact strings are \
                replaced. This cannot be undone: export first with `trama privacy export ID` if the person wants a copy.
                """)
        @OptionGroup var store: StoreOptions
        @Argument(help: "The actor's id.") var id: String
        @Flag(help: "Confirm the erasure.") var confirm = false
        @Flag(help: "Print what would be (or was) erased as JSON.") var json = false

        func run() throws {
            let app = store.app
            if !confirm {
                let plan = try app.erasurePlan(PersonRequest(graph: store.graph, id: id))
                if json { try Console.json(plan) } else { Console.print(Self.describe(plan)) }
            }
            let result = try app.erase(
                ErasureRequest(graph: store.graph, id: id, confirm: confirm),
                by: WriteContext(author: store.authorName, command: "trama privacy erase"))
            if json {
                try Console.json(result)
                return
            }
            if result.finished {
                Console.print("\(result.graph): the erasure is finished: the file no longer holds the erased bytes")
                return
            }
            let graphs = result.plan?.graphs.map(\.graph) ?? [result.graph]
            Console.print(
                "\(graphs.joined(separator: ", ")): erased \(result.actorVersions) actor version(s), \(result.relationVersions) relation version(s) and \(result.mentions) mention(s) in other records; the change log no longer names them, and the file no longer holds their bytes"
            )
        }

        static func describe(_ plan: ErasurePlan) -> String {
            var lines = ["erasing `\(plan.id)` would remove:"]
            for graph in plan.graphs {
                lines.append("  \(graph.graph): \(graph.actorVersions) actor version(s), \(graph.relationVersions) relation version(s)")
            }
            if plan.mentions.isEmpty {
                lines.append("no other record names them")
            } else {
                lines.append("and write [erased] where other records name them (whole words only):")
                for m in plan.mentions {
                    let versions = m.versions == 1 ? "" : " (\(m.versions) versions)"
                    lines.append("  \(m.graph) · \(m.record) · \(m.field)\(versions): “\(m.excerpt)”")
                }
            }
            if plan.logEntries > 0 {
                lines.append(
                    "and scrub \(plan.logEntries) change-log entr\(plan.logEntries == 1 ? "y" : "ies") whose author or command names them")
            }
            for note in plan.notes { lines.append("left alone: \(note)") }
            return lines.joined(separator: "\n")
        }
    }
}
