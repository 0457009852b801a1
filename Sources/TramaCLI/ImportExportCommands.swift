import ArgumentParser
import Foundation
import TramaApp
import TramaModel

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import spreadsheets (an actors and a relations CSV), JSON, GraphML or GEXF into a graph.",
        discussion: """
            CSV sheets are told apart by their headers. Re-importing updates actors by id \
            and relations by ends and type; it never duplicates. The whole import lands or \
            nothing does. Without --graph, a JSON document goes into the graph it names.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "The files: ACTORS.csv RELATIONS.csv, or one FILE.json / FILE.graphml / FILE.gexf.") var files: [String]
    @Flag(name: .customLong("dry-run"), help: "Say what the import would do, each actor and relation, and write nothing.")
    var dryRun = false
    @Flag(help: "List each actor and relation the import adds or changes.") var verbose = false
    @Flag(help: "Refuse the import when it would revert edits made since the graph's last import.") var strict = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name the files to import") }
    }

    func run() throws {
        let summary = try store.app.importData(
            ImportRequest(
                graph: store.graph, sources: files.map(ImportSource.file), dryRun: dryRun ? true : nil, strict: strict ? true : nil,
                details: verbose ? true : nil),
            by: store.context)
        if json { return try Console.json(summary) }
        for warning in summary.warnings ?? [] { Console.note("warning: " + warning) }
        if let edits = summary.revertedEdits { Console.note(ChangeText.reverted(edits, dryRun: summary.dryRun == true)) }
        if summary.dryRun == true {
            Console.print("\(summary.graph) (dry run, nothing written): \(summary)")
        } else {
            try report(summary, json: false)
        }
        if let detail = summary.detail {
            let lines = detail.actors.map { ChangeText.line($0) } + detail.relations.map { ChangeText.line($0) }
            if !lines.isEmpty { Console.print(lines.joined(separator: "\n")) }
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a graph as CSV sheets, JSON, GraphML, GEXF or DOT.",
        discussion:
            "Without -o the export goes to standard output; CSV then needs --sheet. With -o DIR, CSV writes actors.csv and relations.csv into DIR."
    )
    enum Sheet: String, ExpressibleByArgument, CaseIterable { case actors, relations }

    @OptionGroup var store: StoreOptions
    @OptionGroup var read: ReadOptions
    @Option(help: "csv, json, graphml, gexf or dot.") var format: ExportFormat = .json
    @Option(name: .shortAndLong, help: "Output file (or folder, for CSV).") var output: String?
    @Option(help: "With CSV to standard output: which sheet.") var sheet: Sheet?
    @Flag(
        help:
            "CSV for Excel in Italy: `;`, a byte-order mark, dates as dd/mm/yyyy, decimal commas, Italian headers (--lang en for English), and cells that would start a formula (=, +, -, @) guarded by a leading '."
    )
    var excel = false
    @Option(help: "With --excel: the headers' language, it (default) or en.") var lang: Language?

    func validate() throws {
        if excel && format != .csv { throw ValidationError("--excel is for CSV sheets: add --format csv") }
        if format == .csv && output == nil && sheet == nil {
            throw ValidationError("CSV to standard output needs --sheet actors or --sheet relations (or -o DIR for both)")
        }
    }

    func run() throws {
        let files = try store.app.export(
            ExportRequest(
                graph: store.graph, asOf: try read.moment(), on: try read.date(), format: format, public: read.public, excel: excel,
                lang: lang)
        )
        .files
        if format == .csv {
            if let output {
                try Output.makeFolder(output)
                for file in files { try Output.write(file.data, to: (output as NSString).appendingPathComponent(file.name)) }
                Console.note("wrote \(files.map { (output as NSString).appendingPathComponent($0.name) }.joined(separator: " and "))")
            } else {
                Console.write(files[sheet == .actors ? 0 : 1].data)
            }
            return
        }
        if let output {
            try Output.write(files[0].data, to: output)
            Console.note("wrote \(output)")
        } else {
            Console.write(files[0].data)
        }
    }
}

/// Files the command line writes.
enum Output {
    /// A regular file is replaced at once (a reader never sees half of it); a symbolic
    /// link is followed, and the file it points to replaced, the link kept; a device or
    /// a pipe (`/dev/null`, `/dev/stdout`) is written to as it is, never replaced.
    static func write(_ data: Data, to path: String) throws {
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists, info.st_mode & S_IFMT == S_IFDIR {
            throw TramaError(.unreadableFile, "`\(path)` is a folder: name a file", fields: ["file": path])
        }
        do {
            if exists, info.st_mode & S_IFMT != S_IFREG {
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                defer { try? handle.close() }
                try handle.write(contentsOf: data)
            } else {
                // Follow links (a link to a file not made yet too) to the file they name.
                var target = path
                for _ in 0..<40 {
                    guard let next = try? FileManager.default.destinationOfSymbolicLink(atPath: target) else { break }
                    target =
                        next.hasPrefix("/")
                        ? next : ((target as NSString).deletingLastPathComponent as NSString).appendingPathComponent(next)
                }
                try data.write(to: URL(fileURLWithPath: target), options: .atomic)
            }
        } catch {
            let reason = (error as NSError).localizedFailureReason.map { " (\($0))" } ?? ""
            throw TramaError(
                .unreadableFile,
                "cannot write `\(path)`\(reason): check that its folder exists and is writable, and that the disk has room",
                fields: ["file": path])
        }
    }

    static func makeFolder(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw TramaError(.unreadableFile, "cannot make the folder `\(path)`: check that its parent is writable", fields: ["file": path])
        }
    }
}
