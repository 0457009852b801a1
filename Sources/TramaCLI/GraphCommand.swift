import ArgumentParser
import TramaApp
import TramaModel

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph", abstract: "List, create and delete the graphs of a store.",
        subcommands: [List.self, Create.self, Delete.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the graphs with their size and last change.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let app = store.app
            let graphs = try app.graphs()
            if json {
                try Console.json(graphs)
                return
            }
            if graphs.graphs.isEmpty {
                Console.print("no graphs in \(store.storePath)")
                return
            }
            var table = Table(["graph", "actors", "relations", "changes", "last change"])
            for g in graphs.graphs { table.add([g.name, "\(g.actors)", "\(g.relations)", "\(g.changes)", g.lastChangeAt ?? "-"]) }
            Console.print(table.text)
            Console.note("times are UTC; a bare date in --as-of is read in the store's zone, \(try app.storeTimeZone().identifier)")
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty graph.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The new graph's name.") var name: String

        func run() throws {
            _ = try store.app.createGraph(name)
            Console.print("created graph `\(name)`")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a graph and its history.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The graph to delete.") var name: String
        @Flag(help: "Delete it even if it still holds actors.") var force = false

        func run() throws {
            let info = try store.app.deleteGraph(GraphDeletion(graph: name, force: force)).deleted
            Console.print("deleted graph `\(name)` (\(info.actors) actors, \(info.relations) relations, \(info.changes) changes)")
        }
    }
}
