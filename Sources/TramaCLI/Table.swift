import Foundation

/// Aligned text tables for people. Nothing is cut: on a terminal, the widest
/// columns are narrowed to fit its width and their cells wrap onto more lines
/// (at spaces where there are any); piped into a file or another program, each
/// row stays on one line whole.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// The width to fit; nil: as wide as the cells are.
    var width: Int? = Table.terminalWidth

    init(_ headers: [String]) { self.headers = Console.language == .it ? headers.map { Self.italian[$0] ?? $0 } : headers }

    /// Column headers in Italian.
    static let italian: [String: String] = [
        "name": "nome", "kind": "tipo", "territory": "territorio", "themes": "temi", "from": "da", "type": "tipo", "to": "a",
        "status": "stato", "since": "dal", "until": "al", "strength": "intensità", "rank": "pos.", "actor": "attore",
        "actors": "attori", "members": "membri", "shared projects": "progetti in comune", "candidate": "candidato",
        "score": "punteggio", "reasons": "motivi", "cohesion": "coesione", "missing": "mancano", "complete with": "completare con",
        "notes": "note", "graph": "grafo", "relations": "relazioni", "changes": "modifiche", "last change": "ultima modifica",
        "count": "numero", "relation type": "tipo di relazione", "at": "quando", "author": "autore", "summary": "sintesi",
        "command": "comando", "label": "etichetta", "directed": "orientata", "change": "modifica", "taken": "presa", "by": "da chi",
        "note": "nota", "ties": "legami", "between": "intermediazione", "constraint": "vincolo",
        "brokerage role": "ruolo di intermediazione", "community": "comunità", "role": "ruolo", "private": "privato",
        "created": "creato", "expires": "scade", "revoked": "revocato", "degree": "grado", "betweenness": "intermediazione",
        "closeness": "vicinanza", "pagerank": "pagerank", "eigenvector": "autovettore", "coordinator": "coordinatore",
        "itinerant": "itinerante", "representative": "rappresentante", "gatekeeper": "guardiano", "liaison": "collegamento",
        "z (total)": "z (totale)",
    ]

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The terminal's width when standard output is one (`COLUMNS` overrides it).
    static var terminalWidth: Int? {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        guard isatty(1) == 1 else { return nil }
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Column widths that fit `width`: the widest columns give up room first, none below `floor`.
    static func fit(_ natural: [Int], into width: Int?, gap: Int = 2, floor: Int = 12) -> [Int] {
        guard let width else { return natural }
        var widths = natural
        let available = width - gap * max(0, natural.count - 1)
        guard widths.reduce(0, +) > available else { return widths }
        // Mostly one long column (reasons, names): it alone wraps, when that leaves it room.
        if let widest = widths.indices.max(by: { widths[$0] < widths[$1] }) {
            let others = widths.reduce(0, +) - widths[widest]
            if available - others >= 24 {
                widths[widest] = available - others
                return widths
            }
        }
        while widths.reduce(0, +) > available {
            guard let widest = widths.indices.max(by: { widths[$0] < widths[$1] }), widths[widest] > floor else { break }
            let second = widths.enumerated().filter { $0.offset != widest }.map(\.element).max() ?? 0
            let excess = widths.reduce(0, +) - available
            widths[widest] = max(floor, max(second, widths[widest] - excess))
            if widths[widest] == second, second > floor { widths[widest] -= 1 }
        }
        return widths
    }

    /// `text` broken into lines of at most `width` characters, at spaces where possible.
    static func wrap(_ text: String, _ width: Int) -> [String] {
        guard text.count > width, width > 0 else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            while word.count > width {
                if !line.isEmpty {
                    lines.append(line)
                    line = ""
                }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if line.isEmpty {
                line = word
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    var text: String {
        let cells = ([headers] + rows).map { row in row.map { $0.replacingOccurrences(of: "\n", with: " ") } }
        var natural = [Int](repeating: 0, count: headers.count)
        for row in cells { for (i, cell) in row.enumerated() where i < natural.count { natural[i] = max(natural[i], cell.count) } }
        let widths = Self.fit(natural, into: width)
        var lines: [String] = []
        for (index, row) in cells.enumerated() {
            let wrapped = row.enumerated().map { i, cell in i < widths.count ? Self.wrap(cell, widths[i]) : [cell] }
            let height = wrapped.map(\.count).max() ?? 1
            for lineIndex in 0..<height {
                var parts: [String] = []
                for (i, column) in wrapped.enumerated() {
                    let cell = lineIndex < column.count ? column[lineIndex] : ""
                    parts.append(i == wrapped.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[i] - cell.count)))
                }
                var line = parts.joined(separator: "  ")
                while line.hasSuffix(" ") { line.removeLast() }
                lines.append(line)
            }
            if index == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return lines.joined(separator: "\n")
    }
}
