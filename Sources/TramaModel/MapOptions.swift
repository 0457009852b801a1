/// How a map is laid out: Graphviz's layout engines.
public enum MapLayout: String, Sendable, Codable, CaseIterable {
    case sfdp, fdp, neato, dot, circo, twopi
}

/// What a map is written as.
public enum MapFormat: String, Sendable, Codable, CaseIterable {
    case svg, png, pdf, dot

    /// The format a file name says by its extension (`map.png` → png).
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), !fileName[dot...].contains("/") else { return nil }
        self.init(rawValue: fileName[fileName.index(after: dot)...].lowercased())
    }
}
