import Foundation
import TramaModel

/// The two spreadsheets facilitators keep for Kumu: an actors sheet and a
/// relations sheet. Headers match case-insensitively, Italian aliases included;
/// which sheet is which is told by its headers.
public enum Sheets {
    public enum Kind: String, Sendable { case actors, relations }

    enum ActorColumn: String, CaseIterable {
        case id, name, kind, territory, themes, tags, url, description, isPrivate
        var header: String {
            switch self {
            case .id: "ID"
            case .name: "Label"
            case .kind: "Type"
            case .territory: "Territory"
            case .themes: "Themes"
            case .tags: "Tags"
            case .url: "URL"
            case .description: "Description"
            case .isPrivate: "Private"
            }
        }
        var aliases: [String] {
            switch self {
            case .id: ["id", "slug", "codice"]
            case .name: ["label", "name", "nome", "denominazione", "etichetta"]
            case .kind: ["type", "kind", "tipo", "tipologia"]
            case .territory: ["territory", "territorio"]
            case .themes: ["themes", "theme", "temi", "tema"]
            case .tags: ["tags", "tag", "etichette"]
            case .url: ["url", "website", "web", "sito", "sito_web"]
            case .description: ["description", "descrizione"]
            case .isPrivate: ["private", "privato", "riservato"]
            }
        }
    }

    enum RelationColumn: String, CaseIterable {
        case from, to, type, strength, since, until, status, description, evidence, tags, isPrivate, assertedBy, assertedIn, assertedAt
        var header: String {
            switch self {
            case .from: "From"
            case .to: "To"
            case .type: "Type"
            case .strength: "Strength"
            case .since: "Since"
            case .until: "Until"
            case .status: "Status"
            case .description: "Description"
            case .evidence: "Evidence"
            case .tags: "Tags"
            case .isPrivate: "Private"
            case .assertedBy: "Asserted By"
            case .assertedIn: "Asserted In"
            case .assertedAt: "Asserted At"
            }
        }
        var aliases: [String] {
            switch self {
            case .from: ["from", "da", "source", "origine"]
            case .to: ["to", "a", "target", "destinazione", "verso"]
            case .type: ["type", "tipo", "relation", "relazione"]
            case .strength: ["strength", "weight", "peso", "forza", "intensita"]
            case .since: ["since", "dal", "inizio", "start", "from_date"]
            case .until: ["until", "al", "fine", "end", "to_date"]
            case .status: ["status", "stato"]
            case .description: ["description", "descrizione", "notes", "note"]
            case .evidence: ["evidence", "fonte", "evidenza", "provenance", "provenienza"]
            case .tags: ["tags", "tag", "etichette"]
            case .isPrivate: ["private", "privato", "riservato"]
            case .assertedBy: ["asserted_by", "rilevato_da", "dichiarato_da"]
            case .assertedIn: ["asserted_in", "lab", "laboratorio", "rilevato_in"]
            case .assertedAt: ["asserted_at", "rilevato_il", "data_rilevazione"]
            }
        }
    }

    static func normalise(_ header: String) -> String {
        let folded = header.trimmingCharacters(in: .whitespaces).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        return String(folded.map { $0 == " " || $0 == "-" ? "_" : $0 })
    }

    /// Which sheet a header line belongs to.
    public static func kind(of table: CSVTable) throws -> Kind {
        let headers = Set(table.header.map(normalise))
        let has = { (aliases: [String]) in aliases.contains(where: headers.contains) }
        if has(RelationColumn.from.aliases) && has(RelationColumn.to.aliases) { return .relations }
        if has(ActorColumn.id.aliases) || has(ActorColumn.name.aliases) { return .actors }
        throw TramaError(
            .missingColumn,
            "cannot tell which sheet this is: an actors sheet needs an `ID` or `Label` column, a relations sheet `From` and `To` columns",
            at: SourceLocation(file: table.file, line: 1))
    }

    /// Maps each header to a known column or to an attribute, refusing duplicates.
    static func columns<C: RawRepresentable & CaseIterable>(_ table: CSVTable, known: (C) -> [String]) throws -> (
        known: [C: Int], attributes: [(String, Int)]
    ) where C.RawValue == String {
        var map: [C: Int] = [:]
        var attributes: [(String, Int)] = []
        var seen: [String: Int] = [:]
        for (index, header) in table.header.enumerated() {
            let key = normalise(header)
            if header.isEmpty { continue }
            if let other = seen[key] {
                throw TramaError(
                    .malformed, "the column `\(header)` appears twice (columns \(other + 1) and \(index + 1)): rename or remove one",
                    at: SourceLocation(file: table.file, line: 1))
            }
            seen[key] = index
            if let column = C.allCases.first(where: { known($0).contains(key) }), map[column] == nil {
                map[column] = index
            } else {
                attributes.append((header, index))
            }
        }
        return (map, attributes)
    }

    /// The values of a `|`-separated cell, trimmed, empty ones dropped.
    static func split(_ cell: String) -> [String] {
        if cell.isEmpty { return [] }
        if !cell.utf8.contains(0x7C) {
            let trimmed = cell.trimmingSpaces()
            return trimmed.isEmpty ? [] : [trimmed]
        }
        return cell.split(separator: "|").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    static func flag(_ cell: String, at location: SourceLocation) throws -> Bool {
        if cell.isEmpty { return false }
        switch normalise(cell) {
        case "", "no", "false", "0", "falso", "n": return false
        case "yes", "true", "1", "si", "sì", "vero", "x", "y", "s": return true
        default:
            throw TramaError(.invalidValue, "`Private` must be yes or no (sì/no), not `\(cell.prefix(40))`", at: location)
        }
    }

    /// Reads an actors sheet. Kinds are resolved through `vocabulary` (`Cooperativa` → `cooperative`).
    /// - Complexity: O(cells).
    public static func readActors(_ table: CSVTable, vocabulary: Vocabulary) throws -> [Located<Actor>] {
        let (map, attributeColumns) = try columns(table) { (c: ActorColumn) in c.aliases }
        guard map[.id] != nil || map[.name] != nil else {
            throw TramaError(
                .missingColumn, "the actors sheet needs an `ID` or a `Label` column", at: SourceLocation(file: table.file, line: 1))
        }
        guard map[.kind] != nil else {
            throw TramaError(
                .missingColumn,
                "the actors sheet needs a `Type` column (the kind: \(vocabulary.kindNames.joined(separator: ", ")))",
                at: SourceLocation(file: table.file, line: 1))
        }
        var errors = RowErrors(file: table.file)
        var actors: [Located<Actor>] = []
        // Spreadsheets repeat kinds and territories on every row: resolve each text once.
        var kinds: [String: String] = [:]
        var territories: [String: Territory?] = [:]
        try table.forEachRecord { record in
            let location = SourceLocation(file: table.file, line: record.line)
            func cell(_ column: ActorColumn) -> String {
                guard let index = map[column], index < record.fields.count else { return "" }
                return record.fields[index].trimmingSpaces()
            }
            let name = cell(.name)
            let id = cell(.id).isEmpty ? Slug.make(name) : cell(.id)
            if id.isEmpty {
                try errors.add(TramaError(.invalidValue, "this row has neither an `ID` nor a `Label`: give the actor a name", at: location))
                return
            }
            let kindText = cell(.kind)
            if kindText.isEmpty {
                try errors.add(
                    TramaError(
                        .invalidValue, "actor `\(id)` has no `Type`: use one of \(vocabulary.kindNames.joined(separator: ", "))",
                        at: location))
                return
            }
            var attributes: [String: String] = [:]
            for (header, index) in attributeColumns where index < record.fields.count {
                let value = record.fields[index].trimmingSpaces()
                if !value.isEmpty { attributes[header] = value }
            }
            let territoryText = cell(.territory)
            let kind =
                kinds[kindText]
                ?? {
                    let resolved = vocabulary.resolveKind(kindText) ?? kindText
                    kinds[kindText] = resolved
                    return resolved
                }()
            let territory =
                territories[territoryText]
                ?? {
                    let parsed = Territory(territoryText)
                    territories[territoryText] = parsed
                    return parsed
                }()
            do {
                let actor = Actor(
                    id: id, name: name.isEmpty ? id : name, kind: kind,
                    territory: territory, themes: split(cell(.themes)), tags: split(cell(.tags)),
                    url: cell(.url).nilIfEmpty, description: cell(.description).nilIfEmpty,
                    attributes: attributes, isPrivate: try flag(cell(.isPrivate), at: location))
                actors.append(Located(actor, at: location))
            } catch let error as TramaError {
                try errors.add(error)
            }
        }
        if !errors.all.isEmpty { throw TramaErrors(errors.all) }
        return actors
    }

    /// Reads a relations sheet; several ids in `To` (or `From`) separated by `|` give one relation each.
    /// - Complexity: O(cells).
    public static func readRelations(_ table: CSVTable, vocabulary: Vocabulary) throws -> [Located<Relation>] {
        let (map, attributeColumns) = try columns(table) { (c: RelationColumn) in c.aliases }
        for required in [RelationColumn.from, .to, .type] where map[required] == nil {
            throw TramaError(
                .missingColumn, "the relations sheet needs a `\(required.header)` column",
                at: SourceLocation(file: table.file, line: 1))
        }
        var errors = RowErrors(file: table.file)
        var relations: [Located<Relation>] = []
        var types: [String: String] = [:]
        var statuses: [String: RelationStatus?] = [:]
        try table.forEachRecord { record in
            let location = SourceLocation(file: table.file, line: record.line)
            func cell(_ column: RelationColumn) -> String {
                guard let index = map[column], index < record.fields.count else { return "" }
                return record.fields[index].trimmingSpaces()
            }
            let sources = split(cell(.from))
            let targets = split(cell(.to))
            let typeText = cell(.type)
            if sources.isEmpty || targets.isEmpty {
                try errors.add(TramaError(.invalidValue, "this relation needs both `From` and `To`", at: location))
                return
            }
            if typeText.isEmpty {
                try errors.add(
                    TramaError(
                        .invalidValue,
                        "this relation has no `Type`: use one of \(vocabulary.relationTypeNames.joined(separator: ", "))", at: location))
                return
            }
            var strength: Double?
            let strengthText = cell(.strength)
            if !strengthText.isEmpty {
                guard let value = Double(strengthText) ?? Double(strengthText.replacingOccurrences(of: ",", with: ".")) else {
                    try errors.add(TramaError(.invalidValue, "`Strength` must be a number, not `\(strengthText.prefix(40))`", at: location))
                    return
                }
                strength = value
            }
            var status = RelationStatus.active
            let statusText = cell(.status)
            if !statusText.isEmpty {
                let parsed =
                    statuses[statusText]
                    ?? {
                        let parsed = RelationStatus(text: statusText)
                        statuses[statusText] = parsed
                        return parsed
                    }()
                guard let parsed else {
                    try errors.add(
                        TramaError(
                            .invalidValue,
                            "`Status` must be active, planned, potential or ended, not `\(statusText.prefix(40))`", at: location))
                    return
                }
                status = parsed
            }
            let isPrivate: Bool
            do { isPrivate = try flag(cell(.isPrivate), at: location) } catch let error as TramaError {
                try errors.add(error)
                return
            }
            var attributes: [String: String] = [:]
            for (header, index) in attributeColumns where index < record.fields.count {
                let value = record.fields[index].trimmingSpaces()
                if !value.isEmpty { attributes[header] = value }
            }
            let type =
                types[typeText]
                ?? {
                    let resolved = vocabulary.resolveRelationType(typeText) ?? typeText
                    types[typeText] = resolved
                    return resolved
                }()
            for source in sources {
                for target in targets {
                    relations.append(
                        Located(
                            Relation(
                                source: source, target: target, type: type, strength: strength,
                                since: cell(.since).nilIfEmpty, until: cell(.until).nilIfEmpty, status: status,
                                description: cell(.description).nilIfEmpty, evidence: cell(.evidence).nilIfEmpty,
                                tags: split(cell(.tags)), attributes: attributes, isPrivate: isPrivate,
                                assertedBy: cell(.assertedBy).nilIfEmpty, assertedIn: cell(.assertedIn).nilIfEmpty,
                                assertedAt: cell(.assertedAt).nilIfEmpty), at: location))
                }
            }
        }
        if !errors.all.isEmpty { throw TramaErrors(errors.all) }
        return relations
    }

    /// The actors sheet: known columns first, then one column per attribute name, sorted.
    public static func writeActors(_ actors: [Actor]) -> String {
        let attributeNames = Set(actors.flatMap(\.attributes.keys)).sorted()
        var writer = CSVWriter()
        writer.row(ActorColumn.allCases.map(\.header) + attributeNames)
        for a in actors {
            writer.row(
                [
                    a.id, a.name, a.kind, a.territory?.path ?? "", a.themes.joined(separator: "|"), a.tags.joined(separator: "|"),
                    a.url ?? "", a.description ?? "", a.isPrivate ? "yes" : "",
                ] + attributeNames.map { a.attributes[$0] ?? "" })
        }
        return writer.text
    }

    /// The relations sheet, one row per relation.
    public static func writeRelations(_ relations: [Relation]) -> String {
        let attributeNames = Set(relations.flatMap(\.attributes.keys)).sorted()
        var writer = CSVWriter()
        writer.row(RelationColumn.allCases.map(\.header) + attributeNames)
        for r in relations {
            writer.row(
                [
                    r.source, r.target, r.type, r.strength.map(formatNumber) ?? "", r.since ?? "", r.until ?? "", r.status.rawValue,
                    r.description ?? "", r.evidence ?? "", r.tags.joined(separator: "|"), r.isPrivate ? "yes" : "",
                    r.assertedBy ?? "", r.assertedIn ?? "", r.assertedAt ?? "",
                ] + attributeNames.map { r.attributes[$0] ?? "" })
        }
        return writer.text
    }
}

/// The problems of a sheet's rows, at most ``limit``: past it the reading
/// stops, so a file of a million bad rows does not hold a million errors.
struct RowErrors {
    static let limit = 1_000
    let file: String
    private(set) var all: [TramaError] = []

    init(file: String) { self.file = file }

    mutating func add(_ error: TramaError) throws {
        all.append(error)
        if all.count >= Self.limit {
            all.append(
                TramaError(
                    .invalidValue, "\(Self.limit) rows have problems: the sheet was read no further; fix these and import it again",
                    at: SourceLocation(file: file, line: error.location?.line)))
            throw TramaErrors(all)
        }
    }
}

/// `2` rather than `2.0`; shortest form that reads back to the same Double.
func formatNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
