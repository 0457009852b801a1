import ArgumentParser
import TramaModel
import TramaStore

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "List, create and delete the graphs of a store.",
        subcommands: [List.self, Create.self, Delete.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the graphs with their size and last change.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let graphs = try store.open(create: false).graphs()
            if json { try Console.json(["graphs": graphs]); return }
            if graphs.isEmpty { Console.print("no graphs in \(store.storePath)"); return }
            var table = Table(["graph", "actors", "relations", "changes", "last change"])
            for g in graphs { table.add([g.name, "\(g.actors)", "\(g.relations)", "\(g.changes)", g.lastChangeAt ?? "-"]) }
            Console.print(table.text)
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty graph.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The new graph's name.") var name: String

        func run() throws {
            try store.open(create: true).createGraph(name)
            Console.print("created graph `\(name)`")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a graph and its history.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The graph to delete.") var name: String
        @Flag(help: "Delete it even if it still holds actors.") var force = false

        func run() throws {
            let opened = try store.open(create: false)
            let info = try opened.graphInfo(name)
            if info.actors > 0 && !force {
                throw TramaError(.conflict,
                    "the graph `\(name)` still holds \(info.actors) actors and \(info.relations) relations: export it first (`trama export --graph \(name) --format json -o \(name).json`), then pass --force")
            }
            try opened.deleteGraph(name)
            Console.print("deleted graph `\(name)` (\(info.actors) actors, \(info.relations) relations, \(info.changes) changes)")
        }
    }
}
