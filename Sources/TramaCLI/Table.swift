import Foundation

/// Aligned text tables for people; long cells are cut with `…`.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    var maxWidth = 48

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    var text: String {
        let cells = ([headers] + rows).map { row in
            row.map { cell -> String in
                let flat = cell.replacingOccurrences(of: "\n", with: " ")
                return flat.count > maxWidth ? String(flat.prefix(maxWidth - 1)) + "…" : flat
            }
        }
        var widths = [Int](repeating: 0, count: headers.count)
        for row in cells { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        var lines: [String] = []
        for (index, row) in cells.enumerated() {
            let padded = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }
            lines.append(padded.joined(separator: "  "))
            if index == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        return lines.joined(separator: "\n")
    }
}
