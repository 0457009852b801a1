import Foundation
import TramaModel

/// The file formats Trama reads and writes.
public enum ExchangeFormat: String, CaseIterable, Sendable {
    case csv, json, graphml, gexf, dot

    /// The format a file name says, by its extension.
    public init?(fileName: String) {
        let ext = (fileName as NSString).pathExtension.lowercased()
        switch ext {
        case "csv", "tsv", "txt": self = .csv
        case "json": self = .json
        case "graphml", "xml": self = .graphml
        case "gexf": self = .gexf
        case "dot", "gv": self = .dot
        default: return nil
        }
    }
}

/// Reads import files into one batch, whatever their format.
public enum Importer {
    /// Largest file an import reads (a 1M-relation sheet is about 100 MB).
    public static let maxFileBytes = 1 << 30

    /// Reads `paths` (CSV sheets in any order, or one JSON/GraphML/GEXF file).
    /// The JSON document's graph name is returned when there is one.
    public static func read(paths: [String], vocabulary: Vocabulary) throws -> (batch: ImportBatch, graphName: String?) {
        for path in paths where ExchangeFormat(fileName: path) == nil || ExchangeFormat(fileName: path) == .dot {
            throw TramaError(
                .unreadableFile, "cannot import `\((path as NSString).lastPathComponent)`: name a .csv, .json, .graphml or .gexf file",
                fields: ["file": (path as NSString).lastPathComponent])
        }
        return try read(
            files: try paths.map { path in
                let file = (path as NSString).lastPathComponent
                let data = try load(path, file: file)
                Profile.mark("read \(file)")
                return (file, data)
            }, vocabulary: vocabulary)
    }

    /// Reads files already in memory, each named as it was uploaded (its extension
    /// tells its format).
    public static func read(files: [(name: String, data: Data)], vocabulary: Vocabulary) throws -> (batch: ImportBatch, graphName: String?)
    {
        var batch = ImportBatch()
        var graphName: String?
        var errors: [TramaError] = []
        var tables: [(Sheets.Kind, CSVTable)] = []
        for (file, data) in files {
            guard let format = ExchangeFormat(fileName: file), format != .dot else {
                throw TramaError(
                    .unreadableFile, "cannot import `\(file)`: name a .csv, .json, .graphml or .gexf file", fields: ["file": file])
            }
            if data.count > maxFileBytes {
                throw TramaError(
                    .tooLarge, "`\(file)` is \(data.count >> 20) MB, more than the \(maxFileBytes >> 20) MB an import reads: split it",
                    fields: ["file": file])
            }
            do {
                switch format {
                case .csv:
                    let table = try CSVReader.read(data, file: file)
                    tables.append((try Sheets.kind(of: table), table))
                case .json:
                    let (name, read) = try JSONFormat.read(data, file: file, vocabulary: vocabulary)
                    graphName = name
                    batch.append(read)
                case .graphml: batch.append(try GraphML.read(data, file: file, vocabulary: vocabulary))
                case .gexf: batch.append(try GEXF.read(data, file: file, vocabulary: vocabulary))
                case .dot: break
                }
            } catch let error as TramaError {
                errors.append(error)
            } catch let many as TramaErrors {
                errors += many.errors
            }
        }
        if !errors.isEmpty { throw TramaErrors(errors) }
        // Sheets are parsed concurrently (each on its own core); actors sheets
        // come first in the batch, so relations can refer to actors of any sheet.
        tables.sort { $0.0 == .actors && $1.0 == .relations }
        var parsed = [Result<ImportBatch, Error>?](repeating: nil, count: tables.count)
        parsed.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            let tables = tables
            DispatchQueue.concurrentPerform(iterations: tables.count) { index in
                let (kind, table) = tables[index]
                slots[index] = Result {
                    var part = ImportBatch()
                    part.warnings = Sheets.columnWarnings(table, kind: kind)
                    switch kind {
                    case .actors: part.actors = try Sheets.readActors(table, vocabulary: vocabulary)
                    case .relations: part.relations = try Sheets.readRelations(table, vocabulary: vocabulary)
                    }
                    return part
                }
            }
        }
        Profile.mark("parse \(tables.map(\.1.file).joined(separator: " and "))")
        for result in parsed {
            switch result! {
            case .success(let part): batch.append(part)
            case .failure(let error as TramaError): errors.append(error)
            case .failure(let many as TramaErrors): errors += many.errors
            case .failure(let error): throw error
            }
        }
        if !errors.isEmpty { throw TramaErrors(errors) }
        return (batch, graphName)
    }

    /// The bytes of the file at `path`, refused when missing, a folder or too large.
    public static func load(path: String) throws -> Data { try load(path, file: (path as NSString).lastPathComponent) }

    static func load(_ path: String, file: String) throws -> Data {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw TramaError(.unreadableFile, "cannot read `\(path)`: no such file", fields: ["file": file])
        }
        if (attributes[.type] as? FileAttributeType) == .typeDirectory {
            throw TramaError(.unreadableFile, "`\(path)` is a folder: name the files inside it", fields: ["file": file])
        }
        if let size = attributes[.size] as? Int, size > maxFileBytes {
            throw TramaError(.tooLarge, "`\(file)` is \(size >> 20) MB, more than the \(maxFileBytes >> 20) MB an import reads: split it")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TramaError(.unreadableFile, "cannot read `\(path)`: check its permissions", fields: ["file": file])
        }
        return data
    }
}

/// Writes a graph in any export format.
public enum Exporter {
    /// The bytes of `ecosystem` in `format`; CSV gives the two sheets.
    public static func write(_ ecosystem: Ecosystem, as format: ExchangeFormat, sheets style: Sheets.Style = .plain) throws -> [(
        name: String, data: Data
    )] {
        var eco = ecosystem
        eco.sort()
        switch format {
        case .csv:
            let italian = style.excel && style.language == .it
            return [
                (italian ? "attori.csv" : "actors.csv", Data(Sheets.writeActors(eco.actors, style: style).utf8)),
                (italian ? "relazioni.csv" : "relations.csv", Data(Sheets.writeRelations(eco.relations, style: style).utf8)),
            ]
        case .json: return [("\(eco.name).json", try JSONFormat.write(eco))]
        case .graphml: return [("\(eco.name).graphml", Data(GraphML.write(eco).utf8))]
        case .gexf: return [("\(eco.name).gexf", Data(GEXF.write(eco).utf8))]
        case .dot: return [("\(eco.name).dot", Data(DOT.write(eco).utf8))]
        }
    }
}
