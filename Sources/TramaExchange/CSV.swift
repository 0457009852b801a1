import Foundation
import TramaModel

/// One record of a CSV file and the physical line it starts on (header = line 1).
public struct CSVRecord: Sendable {
    public var line: Int
    public var fields: [String]
}

/// A CSV file whose header is read and whose bytes are known to be UTF-8; its
/// records are parsed one at a time by ``forEachRecord(_:)``, so an import
/// never holds every cell of a large sheet at once.
public struct CSVTable: Sendable {
    public var file: String
    public var header: [String]
    public var delimiter: UInt8
    /// The file starts with a byte-order mark, as Excel's "CSV UTF-8" and Trama's
    /// `--excel` export write: a leading `'` that guards a formula start is not data.
    public var fromExcel: Bool = false
    let bytes: Data
    let bodyStart: Int
    let firstBodyLine: Int
    let maxCellBytes: Int
    let maxCells: Int

    /// Every record below the header (for small files and tests).
    public var records: [CSVRecord] {
        get throws {
            var all: [CSVRecord] = []
            try forEachRecord { all.append($0) }
            return all
        }
    }

    /// Calls `body` with each non-empty record, in order.
    /// - Complexity: O(n) in the size of the file.
    public func forEachRecord(_ body: (CSVRecord) throws -> Void) throws {
        try bytes.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            _ = try CSVReader.parse(
                UnsafeBufferPointer(rebasing: all[bodyStart...]), file: file, delimiter: delimiter,
                firstLine: firstBodyLine, maxCellBytes: maxCellBytes, maxCells: maxCells, header: header, limit: nil, body)
        }
    }
}

/// RFC 4180 CSV over raw bytes. Hand-written rather than SwiftCSV or CSV.swift
/// because an import error must name the physical line of a record (quoted cells
/// may span lines), bad UTF-8 must be reported with its line, a cell must be
/// refused past a size cap before it is copied, records must stream (a 500k-row
/// sheet is not held as cells), and Italian spreadsheets export with `;`: the
/// delimiter is detected from the header line.
public enum CSVReader {
    /// Cells larger than this are refused (a description longer than a book is a mistake).
    public static let defaultMaxCellBytes = 1 << 20
    /// Lines with more cells than this are refused, the header included: a
    /// line of 100 MB of commas would otherwise take 16 bytes per empty cell
    /// (2.3 GB) before anything could say it is wrong.
    public static let defaultMaxCells = 1_000

    /// Checks the encoding and reads the header; records are parsed later.
    /// - Complexity: O(n) in the size of `data` for the UTF-8 check.
    public static func read(
        _ data: Data, file: String, maxCellBytes: Int = defaultMaxCellBytes, maxCells: Int = defaultMaxCells
    ) throws -> CSVTable {
        try data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            var start = 0
            if all.count >= 3, all[0] == 0xEF, all[1] == 0xBB, all[2] == 0xBF { start = 3 }  // BOM from Excel
            if let bad = firstInvalidUTF8(all, from: start) {
                let line = 1 + all[start..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw TramaError(
                    .notUTF8,
                    "the file is not UTF-8 text (byte 0x\(String(all[bad], radix: 16, uppercase: true)) at offset \(bad)): save it again as \"CSV UTF-8\"",
                    at: SourceLocation(file: file, line: line))
            }
            let bytes = UnsafeBufferPointer(rebasing: all[start...])
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                throw TramaError(
                    .emptyFile, "the file is empty: a sheet needs a header line and one line per row", at: SourceLocation(file: file))
            }
            let delimiter = detectDelimiter(bytes)
            var header: CSVRecord?
            let (consumed, nextLine) = try parse(
                bytes, file: file, delimiter: delimiter, firstLine: 1, maxCellBytes: maxCellBytes, maxCells: maxCells, header: [],
                limit: 1
            ) {
                header = $0
            }
            guard let header else {
                throw TramaError(.emptyFile, "the file is empty: a sheet needs a header line", at: SourceLocation(file: file))
            }
            return CSVTable(
                file: file, header: header.fields.map { $0.trimmingSpaces() }, delimiter: delimiter, fromExcel: start == 3, bytes: data,
                bodyStart: start + consumed, firstBodyLine: nextLine, maxCellBytes: maxCellBytes, maxCells: maxCells)
        }
    }

    /// Parses records from `bytes`, at most `limit` of them; returns the bytes
    /// consumed and the line the next record starts on. A control character
    /// other than tab and line breaks is refused with its line and column
    /// (named from `header` when there is one).
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, delimiter: UInt8, firstLine: Int, maxCellBytes: Int, maxCells: Int,
        header: [String], limit: Int?, _ body: (CSVRecord) throws -> Void
    ) throws -> (Int, Int) {
        var fields: [String] = []
        var line = firstLine
        var recordLine = firstLine
        var count = 0
        var i = 0
        let n = bytes.count
        var quotedCell: [UInt8] = []
        while i < n {
            // One cell.
            if fields.count >= maxCells { throw tooManyCells(file: file, line: recordLine, max: maxCells) }
            if bytes[i] == 0x22 {
                let openLine = line
                quotedCell.removeAll(keepingCapacity: true)
                i += 1
                var closed = false
                while i < n {
                    let b = bytes[i]
                    if b == 0x22 {
                        if i + 1 < n, bytes[i + 1] == 0x22 {
                            quotedCell.append(0x22)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    if b == 0x0A { line += 1 }
                    if isRefusedControl(bytes, i) && b != 0x0A && b != 0x0D {
                        throw controlCharacter(bytes, i, file: file, line: line, column: fields.count, header: header)
                    }
                    quotedCell.append(b)
                    i += 1
                    if quotedCell.count > maxCellBytes {
                        throw cellTooLarge(file: file, line: openLine, column: fields.count, max: maxCellBytes)
                    }
                }
                if !closed {
                    throw TramaError(
                        .malformed, "a quoted cell opens here and is never closed: add the closing `\"`",
                        at: SourceLocation(file: file, line: openLine))
                }
                // Text after the closing quote up to the delimiter is kept, as spreadsheets do.
                var tail = i
                while tail < n, bytes[tail] != delimiter, bytes[tail] != 0x0A, bytes[tail] != 0x0D {
                    if isRefusedControl(bytes, tail) {
                        throw controlCharacter(bytes, tail, file: file, line: line, column: fields.count, header: header)
                    }
                    tail += 1
                }
                quotedCell.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<tail]))
                i = tail
                fields.append(String(decoding: quotedCell, as: UTF8.self))
            } else {
                var end = i
                while end < n, bytes[end] != delimiter, bytes[end] != 0x0A, bytes[end] != 0x0D {
                    if isRefusedControl(bytes, end) {
                        throw controlCharacter(bytes, end, file: file, line: line, column: fields.count, header: header)
                    }
                    end += 1
                }
                if end - i > maxCellBytes { throw cellTooLarge(file: file, line: line, column: fields.count, max: maxCellBytes) }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self))
                i = end
            }
            // What ends the cell.
            if i < n, bytes[i] == delimiter {
                i += 1
                if i < n { continue }
                if fields.count >= maxCells { throw tooManyCells(file: file, line: recordLine, max: maxCells) }
                fields.append("")
            }
            if i < n, bytes[i] == 0x0D { i += 1 }
            if i < n, bytes[i] == 0x0A { i += 1 }
            if !(fields.count == 1 && fields[0].isEmpty) {
                try body(CSVRecord(line: recordLine, fields: fields))
                count += 1
            }
            fields.removeAll(keepingCapacity: true)
            line += 1
            recordLine = line
            if let limit, count >= limit { break }
        }
        if !fields.isEmpty, !(fields.count == 1 && fields[0].isEmpty) {
            try body(CSVRecord(line: recordLine, fields: fields))
        }
        return (i, line)
    }

    /// A C0 control character other than tab, line feed and carriage return,
    /// DEL, or a C1 control character (0xC2 0x80...0x9F in UTF-8) at `i`;
    /// tab counts here only when it is not the delimiter, and is allowed.
    @inline(__always)
    static func isRefusedControl(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = bytes[i]
        if b < 0x20 { return b != 0x09 }
        if b == 0x7F { return true }
        return b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] < 0xA0
    }

    static func controlCharacter(
        _ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, file: String, line: Int, column: Int, header: [String]
    ) -> TramaError {
        let scalar = Unicode.Scalar(bytes[i] == 0xC2 ? bytes[i + 1] : bytes[i])
        let name = column < header.count && !header[column].isEmpty ? header[column] : nil
        return TramaError(
            .invalidValue,
            "cell \(column + 1) holds \(ControlCharacters.describe(scalar)): \(ControlCharacters.advice)",
            at: SourceLocation(file: file, line: line, column: name))
    }

    static func tooManyCells(file: String, line: Int, max: Int) -> TramaError {
        TramaError(
            .tooLarge,
            "this line has more than \(max) cells, the most a row may have: check the delimiter, or delete the empty cells at the end of the row",
            at: SourceLocation(file: file, line: line))
    }

    static func cellTooLarge(file: String, line: Int, column: Int, max: Int) -> TramaError {
        TramaError(
            .tooLarge,
            "cell \(column + 1) is larger than the \(max / 1024) KiB a cell may hold: shorten it or move the text to a linked document",
            at: SourceLocation(file: file, line: line))
    }

    /// `,`, `;` or tab, whichever occurs most in the first line outside quotes.
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        for b in bytes {
            if b == 0x22 { inQuotes.toggle() }
            if inQuotes { continue }
            if b == 0x0A { break }
            if counts[b] != nil { counts[b]! += 1 }
        }
        let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!
        return best.value == 0 ? 0x2C : best.key
    }

    /// The offset of the first byte that is not part of well-formed UTF-8, or nil.
    static func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var i = start
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            var need = 0
            var minimum: UInt32 = 0
            var scalar: UInt32 = 0
            switch c {
            case 0xC2...0xDF:
                need = 1
                scalar = UInt32(c & 0x1F)
                minimum = 0x80
            case 0xE0...0xEF:
                need = 2
                scalar = UInt32(c & 0x0F)
                minimum = 0x800
            case 0xF0...0xF4:
                need = 3
                scalar = UInt32(c & 0x07)
                minimum = 0x10000
            default: return i
            }
            guard i + need < n else { return i }
            for k in 1...need {
                let cc = b[i + k]
                guard cc & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(cc & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += need + 1
        }
        return nil
    }
}

/// Writes CSV that spreadsheets and ``CSVReader`` read back identically.
public struct CSVWriter {
    public private(set) var text = ""
    let delimiter: String
    /// Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula:
    /// such cells get a leading `'` (and the file a byte-order mark, which tells
    /// ``CSVReader`` to take the `'` off again).
    let guardFormulas: Bool

    public init(delimiter: String = ",", guardFormulas: Bool = false) {
        self.delimiter = delimiter
        self.guardFormulas = guardFormulas
        if guardFormulas { text = "\u{FEFF}" }
    }

    /// Whether a spreadsheet would read `cell` as a formula.
    static func looksLikeFormula(_ cell: Substring) -> Bool {
        guard let first = cell.unicodeScalars.first else { return false }
        return first == "=" || first == "+" || first == "-" || first == "@" || first == "\t" || first == "\r"
    }

    public mutating func row(_ fields: [String]) {
        var first = true
        for var field in fields {
            if !first { text.append(delimiter) }
            first = false
            if guardFormulas, Self.looksLikeFormula(field[...]) { field = "'" + field }
            // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
            // A `,` is left bare in a `;` file (a decimal comma stays a number for Excel).
            let comma: Unicode.Scalar = delimiter == ";" ? "\"" : ","
            if field.unicodeScalars.contains(where: { $0 == comma || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" || $0 == "\t" })
                || field.first == " " || field.last == " "
            {
                text.append("\"")
                text.append(field.replacingOccurrences(of: "\"", with: "\"\""))
                text.append("\"")
            } else {
                text.append(field)
            }
        }
        text.append("\n")
    }
}
