import Foundation

extension String {
    /// The string without leading and trailing white space. ASCII spaces and
    /// tabs are cut on the UTF-8 bytes (an import trims millions of cells);
    /// other Unicode white space (a no-break space from a spreadsheet) falls
    /// back to Foundation.
    /// - Complexity: O(1) for cells without surrounding white space, else O(n).
    public func trimmingSpaces() -> String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return self }
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return self }
        if first >= 0x80 || last >= 0x80 { return trimmingCharacters(in: .whitespacesAndNewlines) }
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start] == 0x20 || utf8[start] == 0x09 { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)] == 0x20 || utf8[utf8.index(before: end)] == 0x09 { end = utf8.index(before: end) }
        let trimmed = String(self[start..<end])
        if let f = trimmed.utf8.first, let l = trimmed.utf8.last, f >= 0x80 || l >= 0x80 {
            return trimmed.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return trimmed
    }
}
