/// Where a piece of input came from: a file and a line (CSV), an element
/// (GraphML/GEXF) or a JSON path. Errors carry it so a person can find the row.
public struct SourceLocation: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int?
    public var column: String?
    public var element: String?

    public init(file: String, line: Int? = nil, column: String? = nil, element: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.element = element
    }

    /// `relations.csv line 14`, `graph.graphml line 3 (edge e7)`.
    public var description: String {
        var text = file
        if let line { text += " line \(line)" }
        if let element { text += " (\(element))" }
        if let column { text += ", column `\(column)`" }
        return text
    }
}

/// The one error type of the model and the layers around it: a code that
/// scripts can test, a sentence that says what is wrong and what to fix,
/// and where. The command line prints `message`; JSON answers carry `code`.
public struct TramaError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable, Codable {
        case invalidValue = "invalid-value"
        case unknownKind = "unknown-kind"
        case unknownRelationType = "unknown-relation-type"
        case kindRule = "kind-rule"
        case unknownActor = "unknown-actor"
        case duplicateID = "duplicate-id"
        case missingColumn = "missing-column"
        case unreadableFile = "unreadable-file"
        case notUTF8 = "not-utf8"
        case emptyFile = "empty-file"
        case malformed = "malformed"
        case tooLarge = "too-large"
        case notFound = "not-found"
        case conflict = "conflict"
        case storeUnreadable = "store-unreadable"
        case newerSchema = "newer-schema"
        case storage = "storage"
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location.description): \(message)" }
        return message
    }
}

/// Several errors found in one pass (an import reports every bad row, not just the first).
public struct TramaErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [TramaError]
    public init(_ errors: [TramaError]) { self.errors = errors }

    /// At most `limit` lines, then a count of the rest.
    public func description(limit: Int) -> String {
        var lines = errors.prefix(limit).map(\.description)
        if errors.count > limit { lines.append("… and \(errors.count - limit) more errors") }
        return lines.joined(separator: "\n")
    }

    public var description: String { description(limit: 20) }
}
