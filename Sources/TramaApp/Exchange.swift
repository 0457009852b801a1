import Foundation
import TramaExchange
import TramaModel
import TramaStore

/// One file to import: a path the core reads, or bytes already in memory
/// (an upload), named so that its extension tells its format.
public struct ImportSource: Codable, Sendable, Hashable {
    public var name: String
    public var path: String?
    public var data: Data?

    public static func file(_ path: String) -> ImportSource {
        ImportSource(name: (path as NSString).lastPathComponent, path: path, data: nil)
    }

    public static func bytes(_ data: Data, named name: String) -> ImportSource {
        ImportSource(name: name, path: nil, data: data)
    }
}

/// Spreadsheets (an actors and a relations sheet), or one JSON, GraphML or GEXF document.
public struct ImportRequest: Codable, Sendable, Hashable {
    /// The graph to import into; without one, a JSON document goes into the graph
    /// it names, anything else into the default graph.
    public var graph: String?
    public var sources: [ImportSource]
    /// Say what the import would do and write nothing.
    public var dryRun: Bool?
    /// Refuse when the import would revert edits made since the graph's last import.
    public var strict: Bool?
    /// List each actor and relation the import touches (at most `limit` of each; nil: all).
    public var details: Bool?
    public var limit: Int?

    public init(
        graph: String? = nil, sources: [ImportSource], dryRun: Bool? = nil, strict: Bool? = nil, details: Bool? = nil, limit: Int? = nil
    ) {
        self.graph = graph
        self.sources = sources
        self.dryRun = dryRun
        self.strict = strict
        self.details = details
        self.limit = limit
    }

    enum CodingKeys: String, CodingKey {
        case graph, sources
        case dryRun = "dry_run"
        case strict, details, limit
    }
}

public enum ExportFormat: String, Codable, Sendable, CaseIterable { case csv, json, graphml, gexf, dot }

public struct ExportRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var format: ExportFormat
    /// Leave out private actors and relations (for sharing).
    public var `public`: Bool?
    /// CSV sheets for Excel in Italy: `;`, a byte-order mark, `dd/mm/yyyy` dates,
    /// decimal commas, cells that would start a formula guarded by `'`.
    public var excel: Bool?
    /// The sheets' headers: Italian by default for `excel`, English otherwise.
    public var lang: Language?

    public init(
        graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, format: ExportFormat, public: Bool? = nil, excel: Bool? = nil,
        lang: Language? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.format = format
        self.public = `public`
        self.excel = excel
        self.lang = lang
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case format, `public`, excel, lang
    }
}

public struct ExportFile: Codable, Sendable, Hashable {
    public var name: String
    public var data: Data
}

/// What an export wrote: one file, or the two sheets for CSV.
public struct ExportResult: Codable, Sendable {
    public var files: [ExportFile]
}

/// A bundled seed ecosystem loaded into a graph of its name.
public struct SeedRequest: Codable, Sendable, Hashable {
    public var name: String
    public var graph: String?

    public init(name: String, graph: String? = nil) {
        self.name = name
        self.graph = graph
    }
}

extension Trama {
    /// Imports files into a graph: all of it lands or none of it, and every bad row is reported.
    public func importData(_ request: ImportRequest, by context: WriteContext) throws -> ChangeSummary {
        guard !request.sources.isEmpty else { throw TramaError.invalidField("sources", "is empty: name the files to import") }
        Profile.mark("start")
        let store = try store(writing: true, create: true)
        Profile.mark("open store")
        var graph = graphName(request.graph)
        // The vocabulary only resolves aliases here; the store validates against the target graph's own.
        let vocabulary = try store.vocabulary(of: graph)
        let files = try request.sources.map { source -> (name: String, data: Data) in
            if let data = source.data { return (source.name, data) }
            guard let path = source.path else { throw TramaError.invalidField("sources", "has a file with neither a path nor bytes") }
            return (source.name, try Importer.load(path: path))
        }
        let (batch, documentGraph) = try Importer.read(files: files, vocabulary: vocabulary)
        if request.graph == nil, let documentGraph { graph = documentGraph }
        let options = ImportOptions(
            dryRun: request.dryRun ?? false, strict: request.strict ?? false,
            detailLimit: request.details == true || request.dryRun == true ? .some(request.limit) : .none)
        // Slips worth a word (a column near a known one, a territory near another, a path not starting at a region).
        let known = (try? store.read { snapshot in try snapshot.territories(try snapshot.graph(graph)) }) ?? []
        var summary = try store.importBatch(batch, into: graph, context: context, options: options)
        Profile.mark("commit")
        let warnings = batch.warnings + TerritoryCheck.warnings(new: batch.actors.compactMap(\.value.territory), known: known)
        if !warnings.isEmpty { summary.warnings = warnings }
        return summary
    }

    /// A graph version written as CSV sheets, JSON, GraphML, GEXF or DOT.
    public func export(_ request: ExportRequest, access: Access = .full) throws -> ExportResult {
        let access = access.narrowed(public: request.public)
        let ecosystem = try read(request.graph, asOf: request.asOf, on: request.on) { snapshot, graph, version in
            try snapshot.ecosystem(graph, at: version, publicOnly: access.publicOnly)
        }
        let excel = request.excel ?? false
        let style = Sheets.Style(excel: excel, language: request.lang ?? (excel ? .it : .en))
        let files = try Exporter.write(ecosystem, as: ExchangeFormat(rawValue: request.format.rawValue)!, sheets: style)
        return ExportResult(files: files.map { ExportFile(name: $0.name, data: $0.data) })
    }

    /// The folder of a bundled seed, among the configured seed folders.
    func seedFolder(_ name: String) throws -> String {
        guard Slug.isValidName(name.replacingOccurrences(of: "-", with: "_").lowercased()) else {
            throw TramaError(.notFound, "`\(name)` is not a seed name", fields: ["seed": name])
        }
        for folder in configuration.seedsFolders {
            let candidate = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate + "/actors.csv") { return candidate }
        }
        throw TramaError(.notFound, "no seed `\(name)` found: the bundled seed is talents4coop", fields: ["seed": name])
    }

    /// Loads a bundled seed (its two sheets) into the graph of its name.
    public func seed(_ request: SeedRequest, by context: WriteContext) throws -> ChangeSummary {
        let folder = try seedFolder(request.name)
        return try importData(
            ImportRequest(
                graph: request.graph ?? request.name,
                sources: ["actors.csv", "relations.csv"].map { .file((folder as NSString).appendingPathComponent($0)) }),
            by: context)
    }
}
