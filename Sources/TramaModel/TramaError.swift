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
/// scripts can test, a category that each front end turns into its own answer
/// (an exit status, an HTTP status), a sentence that says what is wrong and
/// what to fix, where, and the structured fields a program needs (which graph,
/// actor, field). Messages never name a front end's flags or commands: the
/// command line adds those hints from the code and fields.
public struct TramaError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable, Codable {
        case invalidValue = "invalid-value"
        case invalidMoment = "invalid-moment"
        case unknownKind = "unknown-kind"
        case unknownRelationType = "unknown-relation-type"
        case unknownTerritory = "unknown-territory"
        case kindRule = "kind-rule"
        case unknownActor = "unknown-actor"
        case duplicateID = "duplicate-id"
        case missingColumn = "missing-column"
        case unreadableFile = "unreadable-file"
        case notUTF8 = "not-utf8"
        case emptyFile = "empty-file"
        case malformed = "malformed"
        case tooLarge = "too-large"
        case mapTooLarge = "map-too-large"
        case notFound = "not-found"
        case noStore = "no-store"
        case beforeHistory = "before-history"
        case conflict = "conflict"
        case hasRelations = "has-relations"
        case graphNotEmpty = "graph-not-empty"
        case needsConfirmation = "needs-confirmation"
        case storeUnreadable = "store-unreadable"
        case newerSchema = "newer-schema"
        case olderSchema = "older-schema"
        case storage = "storage"
        case busy = "busy"
        case forbidden = "forbidden"
        case unauthorized = "unauthorized"
        case deadline = "deadline"
        /// An undo that a later change depends on.
        case undoConflict = "undo-conflict"
        /// No change left to undo.
        case nothingToUndo = "nothing-to-undo"
        /// A strict import that would revert edits made since the sheet was last imported.
        case revertsEdits = "reverts-edits"
        /// An erasure made, whose bytes stay in the file until another reader lets go of an earlier version.
        case erasurePending = "erasure-pending"
    }

    /// What kind of failure this is, for front ends that answer by category
    /// (HTTP: 404, 409, 422, 413, 403, 503, 500, 504, 401).
    public enum Category: String, Sendable, Codable, CaseIterable {
        case notFound = "not-found"
        case conflict
        case invalidInput = "invalid-input"
        case tooLarge = "too-large"
        case forbidden
        case unauthorized
        case busy
        case storage
        case deadline
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    /// Structured context: `graph`, `actor`, `relation`, `field`, `value`, `count`, …
    public var fields: [String: String]

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil, fields: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.location = location
        self.fields = fields
    }

    /// An input field with a bad value: the message is "`field` problem", and the
    /// field's name is kept so a front end can say it its own way (`--top`, `?top=`).
    public static func invalidField(_ field: String, _ problem: String, code: Code = .invalidValue) -> TramaError {
        TramaError(code, "`\(field)` \(problem)", fields: ["field": field, "problem": problem])
    }

    public var category: Category {
        switch code {
        case .invalidValue, .invalidMoment, .unknownKind, .unknownRelationType, .unknownTerritory, .kindRule, .unknownActor,
            .duplicateID, .missingColumn, .unreadableFile, .notUTF8, .emptyFile, .malformed, .mapTooLarge:
            return .invalidInput
        case .tooLarge: return .tooLarge
        case .notFound, .noStore, .beforeHistory, .nothingToUndo: return .notFound
        case .conflict, .hasRelations, .graphNotEmpty, .needsConfirmation, .undoConflict, .revertsEdits: return .conflict
        case .storeUnreadable, .newerSchema, .olderSchema, .storage: return .storage
        case .busy, .erasurePending: return .busy
        case .forbidden: return .forbidden
        case .unauthorized: return .unauthorized
        case .deadline: return .deadline
        }
    }

    public var description: String {
        if let location { return "\(location.description): \(message)" }
        return message
    }
}

extension TramaError: Codable {
    enum CodingKeys: String, CodingKey { case code, category, message, location, fields }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(category, forKey: .category)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(location, forKey: .location)
        if !fields.isEmpty { try c.encode(fields, forKey: .fields) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(Code.self, forKey: .code)
        message = try c.decode(String.self, forKey: .message)
        location = try c.decodeIfPresent(SourceLocation.self, forKey: .location)
        fields = try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
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

    /// The category of the whole: the first error's (an import's problems are all invalid input).
    public var category: TramaError.Category { errors.first?.category ?? .invalidInput }
}
