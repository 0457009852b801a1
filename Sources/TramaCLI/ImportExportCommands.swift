import ArgumentParser
import Foundation
import TramaExchange
import TramaModel
import TramaStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import spreadsheets (an actors and a relations CSV), JSON, GraphML or GEXF into a graph.",
        discussion: """
            CSV sheets are told apart by their headers. Re-importing updates actors by id
            and relations by ends and type; it never duplicates. The whole import lands or
            nothing does. Without --graph, a JSON document goes into the graph it names.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "The files: ACTORS.csv RELATIONS.csv, or one FILE.json / FILE.graphml / FILE.gexf.") var files: [String]
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name the files to import") }
    }

    func run() throws {
        Profile.mark("start")
        let opened = try store.open(create: true)
        Profile.mark("open store")
        var graph = store.graphName
        let exists = try opened.graphs().contains { $0.name == graph }
        // The vocabulary only resolves aliases here; the store validates against the target graph's own.
        let (batch, documentGraph) = try Importer.read(paths: files, vocabulary: exists ? try opened.vocabulary(of: graph) : .builtIn)
        if store.graph == nil, let documentGraph { graph = documentGraph }
        let summary = try opened.importBatch(batch, into: graph, context: store.context(typedCommand()))
        Profile.mark("commit")
        try report(summary, json: json)
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a graph as CSV sheets, JSON, GraphML, GEXF or DOT.",
        discussion: "Without -o the export goes to standard output; CSV then needs --sheet. With -o DIR, CSV writes actors.csv and relations.csv into DIR.")
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, graphml, gexf, dot }
    enum Sheet: String, ExpressibleByArgument, CaseIterable { case actors, relations }

    @OptionGroup var store: StoreOptions
    @Option(help: "csv, json, graphml, gexf or dot.") var format: Format = .json
    @Option(name: .shortAndLong, help: "Output file (or folder, for CSV).") var output: String?
    @Option(help: "With CSV to standard output: which sheet.") var sheet: Sheet?
    @Option(help: "The graph as it was at this date or time (ISO 8601), from the change log.") var asOf: String?
    @Flag(help: "Leave out private actors and relations (for sharing).") var `public` = false

    func run() throws {
        let opened = try store.open(create: false)
        var asOfChange: Int64?
        if let asOf {
            asOfChange = try opened.change(asOf: asOf, in: store.graphName)
            if asOfChange == nil { throw TramaError(.notFound, "the graph `\(store.graphName)` had no changes yet at \(asOf)") }
        }
        var ecosystem = try opened.ecosystem(store.graphName, asOf: asOfChange)
        if `public` {
            ecosystem.actors.removeAll(where: \.isPrivate)
            let visible = Set(ecosystem.actors.map(\.id))
            ecosystem.relations.removeAll { $0.isPrivate || !visible.contains($0.source) || !visible.contains($0.target) }
        }
        let files = try Exporter.write(ecosystem, as: ExchangeFormat(rawValue: format.rawValue)!)
        if format == .csv {
            if let output {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for file in files { try write(file.data, to: (output as NSString).appendingPathComponent(file.name)) }
                Console.note("wrote \(files.map { (output as NSString).appendingPathComponent($0.name) }.joined(separator: " and "))")
            } else {
                guard let sheet else {
                    throw ValidationError("CSV to standard output needs --sheet actors or --sheet relations (or -o DIR for both)")
                }
                FileHandle.standardOutput.write(files[sheet == .actors ? 0 : 1].data)
            }
            return
        }
        if let output {
            try write(files[0].data, to: output)
            Console.note("wrote \(output)")
        } else {
            FileHandle.standardOutput.write(files[0].data)
        }
    }

    func write(_ data: Data, to path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw TramaError(.unreadableFile, "cannot write `\(path)`: check that its folder exists and is writable")
        }
    }
}
