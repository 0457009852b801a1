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
        var headerIT: String {
            switch self {
            case .id: "ID"
            case .name: "Nome"
            case .kind: "Tipo"
            case .territory: "Territorio"
            case .themes: "Temi"
            case .tags: "Etichette"
            case .url: "Sito"
            case .description: "Descrizione"
            case .isPrivate: "Privato"
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
        var headerIT: String {
            switch self {
            case .from: "Da"
            case .to: "A"
            case .type: "Tipo"
            case .strength: "Intensità"
            case .since: "Dal"
            case .until: "Al"
            case .status: "Stato"
            case .description: "Descrizione"
            case .evidence: "Fonte"
            case .tags: "Etichette"
            case .isPrivate: "Privato"
            case .assertedBy: "Rilevato da"
            case .assertedIn: "Rilevato in"
            case .assertedAt: "Rilevato il"
            }
        }
        var aliases: [String] {
            switch self {
            case .from: ["from", "da", "source", "origine"]
            case .to: ["to", "a", "target", "destinazione", "verso"]
            case .type: ["type", "tipo", "relation", "relazione"]
            case .strength: ["strength", "weight", "peso", "forza", "intensita"]
            case .since: ["since", "dal", "inizio", "start", "from_date", "data_inizio", "data_di_inizio", "inizio_rapporto"]
            case .until: ["until", "al", "fine", "end", "to_date", "data_fine", "data_di_fine", "fine_rapporto"]
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
                attributes.append((attributeAliases[key] ?? header, index))
            }
        }
        return (map, attributes)
    }

    /// Attribute columns that other spellings name (`Categoria` is `Category`).
    static let attributeAliases = ["categoria": "Category", "category": "Category", "ruolo": "Role"]

    /// Columns an unknown header may have meant to be, when it is a small edit away
    /// from one: said as a warning, the column kept as an attribute.
    public static func columnWarnings(_ table: CSVTable, kind: Kind) -> [String] {
        let known: [(header: String, aliases: [String])] =
            kind == .actors
            ? ActorColumn.allCases.map { ($0.header, $0.aliases) } : RelationColumn.allCases.map { ($0.header, $0.aliases) }
        let recognised = Set(known.flatMap(\.aliases)).union(attributeAliases.keys)
        var warnings: [String] = []
        for header in table.header where !header.isEmpty {
            let key = normalise(header)
            guard !recognised.contains(key), key.count >= 4 else { continue }
            var best: (header: String, alias: String, distance: Int)?
            for column in known {
                for alias in column.aliases where alias.count >= 4 {
                    let d = TerritoryCheck.distance(key, alias)
                    if d <= (alias.count >= 8 ? 2 : 1), d < (best?.distance ?? .max) { best = (column.header, alias, d) }
                }
            }
            if let best {
                let meant = normalise(best.header) == best.alias ? "`\(best.header)`" : "`\(best.alias.capitalized)` (\(best.header))"
                warnings.append(
                    "\(table.file): the column `\(header)` is kept as an attribute; did you mean \(meant)? Rename it to read it as such")
            }
        }
        return warnings
    }

    /// The values of a multi-value cell (themes, tags), trimmed, empty ones dropped:
    /// `|` separates them, and in a `;` or tab sheet commas too (`digitale, inclusione`),
    /// as Italian spreadsheets write lists.
    static func splitList(_ cell: String, _ table: CSVTable) -> [String] {
        guard table.delimiter != 0x2C, cell.utf8.contains(0x2C) else { return split(cell) }
        return cell.split(whereSeparator: { $0 == "|" || $0 == "," }).map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
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
                return unguard(record.fields[index].trimmingSpaces(), table)
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
                let value = unguard(record.fields[index].trimmingSpaces(), table)
                if !value.isEmpty { attributes[header] = value }
            }
            if attributes["Category"] == nil, let category = Vocabulary.impliedCategory(kindText) {
                attributes["Category"] = category
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
                    territory: territory, themes: splitList(cell(.themes), table), tags: splitList(cell(.tags), table),
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
                return unguard(record.fields[index].trimmingSpaces(), table)
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
                let value = unguard(record.fields[index].trimmingSpaces(), table)
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
                                since: cell(.since).nilIfEmpty.map(PartialDate.normalise),
                                until: cell(.until).nilIfEmpty.map(PartialDate.normalise), status: status,
                                description: cell(.description).nilIfEmpty, evidence: cell(.evidence).nilIfEmpty,
                                tags: splitList(cell(.tags), table), attributes: attributes, isPrivate: isPrivate,
                                assertedBy: cell(.assertedBy).nilIfEmpty, assertedIn: cell(.assertedIn).nilIfEmpty,
                                assertedAt: cell(.assertedAt).nilIfEmpty.map(PartialDate.normalise)), at: location))
                }
            }
        }
        if !errors.all.isEmpty { throw TramaErrors(errors.all) }
        return relations
    }

    /// How a sheet is written: plain CSV (`,`, English headers, ISO dates: exact
    /// round trips), or for Excel in Italy (`;`, a byte-order mark, dates as
    /// `dd/mm/yyyy`, decimal commas, formula starts guarded by `'`, headers in the
    /// language asked for). Both import back to the same graph.
    public struct Style: Sendable, Hashable {
        public var excel: Bool
        public var language: Language

        public init(excel: Bool = false, language: Language = .en) {
            self.excel = excel
            self.language = language
        }

        public static let plain = Style()

        var italian: Bool { language == .it }

        func writer() -> CSVWriter { excel ? CSVWriter(delimiter: ";", guardFormulas: true) : CSVWriter() }

        func date(_ text: String?) -> String {
            guard let text else { return "" }
            return excel ? PartialDate.italian(text) : text
        }

        func number(_ value: Double?) -> String {
            guard let value else { return "" }
            let text = formatNumber(value)
            return excel ? text.replacingOccurrences(of: ".", with: ",") : text
        }

        func flag(_ value: Bool) -> String { value ? (italian ? "sì" : "yes") : "" }
    }

    /// A cell of an Excel-flavoured file without the `'` that guarded a formula start.
    static func unguard(_ cell: String, _ table: CSVTable) -> String {
        guard table.fromExcel, cell.utf8.first == 0x27, CSVWriter.looksLikeFormula(cell.dropFirst()) else { return cell }
        return String(cell.dropFirst())
    }

    /// The actors sheet: known columns first, then one column per attribute name, sorted.
    public static func writeActors(_ actors: [Actor], style: Style = .plain) -> String {
        let attributeNames = Set(actors.flatMap(\.attributes.keys)).sorted()
        var writer = style.writer()
        writer.row(ActorColumn.allCases.map { style.italian ? $0.headerIT : $0.header } + attributeNames)
        for a in actors {
            writer.row(
                [
                    a.id, a.name, a.kind, a.territory?.path ?? "", a.themes.joined(separator: "|"), a.tags.joined(separator: "|"),
                    a.url ?? "", a.description ?? "", style.flag(a.isPrivate),
                ] + attributeNames.map { a.attributes[$0] ?? "" })
        }
        return writer.text
    }

    /// The relations sheet, one row per relation.
    public static func writeRelations(_ relations: [Relation], style: Style = .plain) -> String {
        let attributeNames = Set(relations.flatMap(\.attributes.keys)).sorted()
        var writer = style.writer()
        writer.row(RelationColumn.allCases.map { style.italian ? $0.headerIT : $0.header } + attributeNames)
        for r in relations {
            writer.row(
                [
                    r.source, r.target, r.type, style.number(r.strength), style.date(r.since), style.date(r.until), r.status.rawValue,
                    r.description ?? "", r.evidence ?? "", r.tags.joined(separator: "|"), style.flag(r.isPrivate),
                    r.assertedBy ?? "", r.assertedIn ?? "", style.date(r.assertedAt),
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
