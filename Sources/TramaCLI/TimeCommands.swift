import ArgumentParser
import Foundation
import TramaApp
import TramaModel

/// How the command line writes what changed: one line per actor or relation.
enum ChangeText {
    static func value(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "∅" }
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 60 ? String(flat.prefix(59)) + "…" : flat
    }

    static func fields(_ fields: [FieldChange]) -> String {
        fields.map { "\($0.field): \(value($0.old)) → \(value($0.new))" }.joined(separator: "; ")
    }

    static func mark(_ action: ChangeAction) -> String {
        switch action {
        case .added: return "+"
        case .removed: return "-"
        case .changed: return "~"
        }
    }

    static func line(_ change: ActorChange) -> String {
        let head = "  \(mark(change.action)) actor \(change.id) (\(change.name), \(change.kind))"
        return change.fields.isEmpty ? head : head + ": " + fields(change.fields)
    }

    static func line(_ change: RelationChange, names: [String: String] = [:]) -> String {
        func named(_ id: String) -> String { names[id].map { "\(id) (\($0))" } ?? id }
        let head = "  \(mark(change.action)) relation \(change.id) \(named(change.from)) -[\(change.type)]- \(named(change.to))"
        return change.fields.isEmpty ? head : head + ": " + fields(change.fields)
    }

    /// A change set: its header, then each actor and relation it touched.
    static func detail(_ detail: ChangeDetail) -> String {
        var lines = [
            "change \(detail.id)  \(detail.at)  \(detail.author)\(detail.kind.map { "  [\($0)]" } ?? "")  \(detail.summary)",
            "  command: \(value(detail.command))",
        ]
        if !detail.reverts.isEmpty { lines.append("  undoes change \(detail.reverts.map(String.init).joined(separator: ", "))") }
        if !detail.revertedBy.isEmpty {
            lines.append("  undone by change \(detail.revertedBy.map(String.init).joined(separator: ", "))")
        }
        lines += detail.actors.map { line($0) }
        lines += detail.relations.map { line($0) }
        for setting in detail.settings { lines.append("  ~ \(setting)") }
        let more = (detail.actorsTotal - detail.actors.count) + (detail.relationsTotal - detail.relations.count)
        if more > 0 { lines.append("  … and \(more) more (trama log --change \(detail.id) --all)") }
        return lines.joined(separator: "\n")
    }

    static func reverted(_ edits: [RevertedEdit], dryRun: Bool) -> String {
        let verb = dryRun ? "would revert" : "reverts"
        var lines = ["this import \(verb) \(edits.count) edit\(edits.count == 1 ? "" : "s") made since the graph's last import:"]
        for edit in edits {
            let head = "  \(edit.item) \(edit.id): \(edit.action) by change \(edit.change) (\(edit.author), \(edit.at))"
            lines.append(edit.fields.isEmpty ? head : head + "; edited → the sheet: " + fields(edit.fields))
        }
        return lines.joined(separator: "\n")
    }
}

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Name a moment of a graph (the start of a lab, its end) to read, compare or draw later.",
        subcommands: [Create.self, List.self, Delete.self], defaultSubcommand: List.self)

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Name the graph's current moment (or an earlier one with --as-of); the name then works wherever a moment does.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The snapshot's name: a letter, then letters, digits, -, _ or .") var name: String
        @Option(help: "A note: what this moment is.") var note: String?
        @Option(name: .customLong("as-of"), help: "Name an earlier moment instead of now.") var asOf: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let record = try store.app.createSnapshot(
                SnapshotRequest(graph: store.graph, name: name, asOf: try asOf.map { try Moment(parsing: $0) }, note: note),
                by: store.context)
            if json { return try Console.json(record) }
            Console.print(
                "\(store.graphName): snapshot `\(record.name)` at \(record.change.map { "change \($0)" } ?? "the empty graph")"
                    + " (read it with --as-of \(record.name), compare with trama diff \(record.name))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a graph's snapshots.")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let list = try store.app.snapshots(GraphRead(graph: store.graph))
            if json { return try Console.json(list) }
            if list.snapshots.isEmpty {
                Console.print("\(list.graph) has no snapshots (trama snapshot create NAME)")
                return
            }
            var table = Table(["name", "change", "taken", "by", "note"])
            for s in list.snapshots {
                table.add([s.name, s.change.map(String.init) ?? "–", s.createdAt, s.author, s.note ?? ""])
            }
            Console.print(table.text)
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a snapshot (the graph stays as it is).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The snapshot's name.") var name: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let record = try store.app.deleteSnapshot(graph: store.graph, name: name)
            if json { return try Console.json(record) }
            Console.print("\(store.graphName): snapshot `\(record.name)` deleted")
        }
    }
}

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo the last change sets (or a given one) as a new change set: history is never rewritten.",
        discussion: """
            trama undo undoes the last change set still in effect; trama undo 3 the last three. \
            --change ID undoes a given one; undoing an undo redoes what it undid. When a later \
            change depends on what would be undone, nothing is undone and the later change is named.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "How many of the last change sets (default 1).") var count: Int?
    @Option(help: "Undo this change set instead (see trama log).") var change: Int64?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let result = try store.app.undo(UndoRequest(graph: store.graph, count: count, change: change), by: store.context)
        if json { return try Console.json(result) }
        for undone in result.undone {
            Console.print("undid change \(undone.id) (\(undone.author), \(undone.at)): \(undone.summary)")
        }
        Console.print("\(result.change.graph): \(result.change) — as change \(result.change.change.map(String.init) ?? "–")")
    }
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two moments (or, with --on, two dates in the world): actors, relations, who moved, gaps.",
        discussion: """
            FROM and TO are moments of the store (a snapshot's name, a date, a date and time, change:ID); \
            TO is now when omitted. With --on they are dates in the world (2021, 2022-03, 2022-03-15): \
            the network as it stood then by its relations' since, until and status, read at --as-of.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "The earlier side.") var from: String
    @Argument(help: "The later side (default: now).") var to: String?
    @Flag(name: .customLong("on"), help: "FROM and TO are dates in the world, not moments of the store.") var onDates = false
    @Option(name: .customLong("as-of"), help: "With --on: read the store as it was then.") var asOf: String?
    @Flag(inversion: .prefixedNo, help: "Who moved most and the gaps opened and closed (default: up to 5,000 actors).")
    var metrics: Bool?
    @Option(help: "How many actors in who moved most.") var top: Int?
    @Option(help: "Language of the gaps: en or it.") var lang: Language = .preferred
    @Flag(name: .customLong("public"), help: "Leave out private actors and relations.") var publicOnly = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        var request = DiffRequest(
            graph: store.graph, metrics: metrics, gaps: metrics, top: top, lang: lang, public: publicOnly ? true : nil)
        if onDates {
            request.fromOn = try WorldDate(parsing: from, field: "from")
            request.toOn = try to.map { try WorldDate(parsing: $0, field: "to") } ?? WorldDate(parsing: Self.today(), field: "to")
            let moment = try asOf.map { try Moment(parsing: $0) }
            (request.from, request.to) = (moment, moment)
        } else {
            if asOf != nil { throw TramaError.invalidField("as-of", "goes with --on: without it FROM and TO are already moments") }
            request.from = try Moment(parsing: from, field: "from")
            request.to = try to.map { try Moment(parsing: $0, field: "to") }
        }
        let diff = try store.app.diff(request)
        if json { return try Console.json(diff) }
        Console.print(Self.text(diff))
    }

    static func today() -> String {
        let now = Date()
        return Timestamp.day(now, in: TimeZone.current)
    }

    static func side(_ side: DiffSide) -> String {
        var parts: [String] = []
        if let on = side.on { parts.append("on \(on)") }
        parts.append(side.asOf.map { "as of \($0)" } ?? "now")
        if let change = side.change { parts.append("change \(change)") }
        return parts.joined(separator: ", ")
    }

    static func text(_ diff: DiffResult) -> String {
        var lines = ["\(diff.graph): from \(side(diff.from)) to \(side(diff.to))"]
        let a = diff.actors
        let r = diff.relations
        lines.append(
            "actors: \(a.added.count) added, \(a.removed.count) removed, \(a.changed.count) changed; "
                + "relations: \(r.added.count) added, \(r.removed.count) removed, \(r.changed.count) changed")
        for change in a.added + a.removed + a.changed { lines.append(ChangeText.line(change)) }
        for change in r.added + r.removed + r.changed { lines.append(ChangeText.line(change, names: diff.names)) }
        if let metrics = diff.metrics {
            lines.append("")
            if metrics.isEmpty {
                lines.append("Nobody moved: every actor's degree, betweenness, constraint, role and community are the same.")
            } else {
                lines.append("Who moved most (ties read both ways; between: pairs of actors it lies between):")
                var table = Table(["actor", "ties", "between", "constraint", "brokerage role", "community"])
                func number(_ x: Shift<Double>, _ format: String = "%.0f") -> String {
                    func f(_ v: Double?) -> String { v.map { String(format: format, $0) } ?? "–" }
                    return f(x.old) == f(x.new) ? f(x.new) : "\(f(x.old)) → \(f(x.new))"
                }
                func words(_ x: Shift<String>) -> String { x.old == x.new ? (x.new ?? "–") : "\(x.old ?? "–") → \(x.new ?? "–")" }
                for m in metrics {
                    table.add([
                        m.name, number(m.degree), number(m.betweenness, "%.1f"), number(m.constraint, "%.3f"), words(m.role),
                        words(m.community),
                    ])
                }
                lines.append(table.text)
            }
        }
        if let gaps = diff.gaps {
            lines.append("")
            lines.append("Gaps: \(gaps.opened.count) opened, \(gaps.closed.count) closed")
            for f in gaps.opened { lines.append("  + [\(f.severity.rawValue)] \(f.reason)") }
            for f in gaps.closed { lines.append("  - [\(f.severity.rawValue)] \(f.reason)") }
        }
        if let note = diff.note { lines.append("(\(note))") }
        return lines.joined(separator: "\n")
    }
}
