/// One field of an actor or relation that differs between two versions.
public struct FieldChange: Sendable, Codable, Hashable {
    /// The field's name as the JSON of an actor or relation writes it
    /// (`name`, `status`, `attributes.Category`).
    public var field: String
    public var old: String?
    public var new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// Whether an item was added, removed or changed between two versions.
public enum ChangeAction: String, Sendable, Codable, Hashable {
    case added, removed, changed
}

/// An actor that differs between two versions (a change set, or a diff).
public struct ActorChange: Sendable, Codable, Hashable {
    public var id: String
    /// Its name in the later version (the earlier one when it was removed).
    public var name: String
    public var kind: String
    public var action: ChangeAction
    /// For a changed actor, each field with its old and new value.
    public var fields: [FieldChange]

    public init(old: Actor?, new: Actor?) {
        let shown = (new ?? old)!
        id = shown.id
        name = shown.name
        kind = shown.kind
        action = old == nil ? .added : new == nil ? .removed : .changed
        fields = old.flatMap { old in new.map { $0.fieldChanges(from: old) } } ?? []
    }
}

/// A relation that differs between two versions.
public struct RelationChange: Sendable, Codable, Hashable {
    /// The relation's stable id.
    public var id: Int64
    public var from: String
    public var to: String
    public var type: String
    public var action: ChangeAction
    public var fields: [FieldChange]

    public init(id: Int64, old: Relation?, new: Relation?) {
        let shown = (new ?? old)!
        self.id = id
        from = shown.source
        to = shown.target
        type = shown.type
        action = old == nil ? .added : new == nil ? .removed : .changed
        fields = old.flatMap { old in new.map { $0.fieldChanges(from: old) } } ?? []
    }
}

extension FieldChange {
    /// The differing fields of two field lists, attributes one by one.
    static func compare(
        _ old: [(String, String?)], _ new: [(String, String?)], oldAttributes: [String: String], newAttributes: [String: String]
    ) -> [FieldChange] {
        var out: [FieldChange] = []
        for ((name, a), (_, b)) in zip(old, new) where a != b { out.append(FieldChange(field: name, old: a, new: b)) }
        for key in Set(oldAttributes.keys).union(newAttributes.keys).sorted() where oldAttributes[key] != newAttributes[key] {
            out.append(FieldChange(field: "attributes." + key, old: oldAttributes[key], new: newAttributes[key]))
        }
        return out
    }

    static func list(_ items: [String]) -> String? { items.isEmpty ? nil : items.joined(separator: ", ") }

    static func number(_ x: Double?) -> String? {
        guard let x else { return nil }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

extension Actor {
    var comparable: [(String, String?)] {
        [
            ("name", name), ("kind", kind), ("territory", territory?.path), ("themes", FieldChange.list(themes)),
            ("tags", FieldChange.list(tags)), ("url", url), ("description", description), ("private", isPrivate ? "true" : "false"),
        ]
    }

    /// The fields in which this actor differs from `old`.
    public func fieldChanges(from old: Actor) -> [FieldChange] {
        FieldChange.compare(old.comparable, comparable, oldAttributes: old.attributes, newAttributes: attributes)
    }
}

extension Relation {
    var comparable: [(String, String?)] {
        [
            ("strength", FieldChange.number(strength)), ("since", since), ("until", until), ("status", status.rawValue),
            ("description", description), ("evidence", evidence), ("tags", FieldChange.list(tags)),
            ("private", isPrivate ? "true" : "false"), ("asserted_by", assertedBy), ("asserted_in", assertedIn),
            ("asserted_at", assertedAt),
        ]
    }

    /// The fields in which this relation differs from `old` (its ends and type are its identity).
    public func fieldChanges(from old: Relation) -> [FieldChange] {
        FieldChange.compare(old.comparable, comparable, oldAttributes: old.attributes, newAttributes: attributes)
    }
}
