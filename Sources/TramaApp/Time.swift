import Foundation
import TramaInsight
import TramaModel
import TramaStore

// Time: named moments (snapshots), the change log with what each change did,
// undo, and what differs between two versions or two dates.

public typealias SnapshotRecord = TramaStore.SnapshotRecord
public typealias ChangeDetail = TramaStore.ChangeDetail
public typealias UndoSummary = TramaStore.UndoSummary
public typealias RevertedEdit = TramaStore.RevertedEdit

/// Names a moment of a graph: now, or the moment `as_of` gives.
public struct SnapshotRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var name: String
    public var asOf: Moment?
    public var note: String?

    public init(graph: String? = nil, name: String, asOf: Moment? = nil, note: String? = nil) {
        self.graph = graph
        self.name = name
        self.asOf = asOf
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case graph, name
        case asOf = "as_of"
        case note
    }
}

public struct SnapshotList: Codable, Sendable {
    public var graph: String
    public var snapshots: [SnapshotRecord]
}

/// The change log, each change set with what it did.
public struct LogRequest: Codable, Sendable, Hashable {
    public var graph: String?
    /// Up to this moment.
    public var asOf: Moment?
    /// Only this change set.
    public var change: Int64?
    /// Only the last N change sets.
    public var last: Int?
    /// At most this many actors and relations listed per change set (nil: all).
    public var limit: Int?
    public var `public`: Bool?

    public init(
        graph: String? = nil, asOf: Moment? = nil, change: Int64? = nil, last: Int? = nil, limit: Int? = nil, public: Bool? = nil
    ) {
        self.graph = graph
        self.asOf = asOf
        self.change = change
        self.last = last
        self.limit = limit
        self.public = `public`
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case change, last, limit, `public`
    }
}

public struct DetailedLog: Codable, Sendable {
    public var graph: String
    public var changes: [ChangeDetail]
}

/// Reverts change sets as a new change set.
public struct UndoRequest: Codable, Sendable, Hashable {
    public var graph: String?
    /// How many of the last change sets still in effect (default 1).
    public var count: Int?
    /// A given change set instead (an undo's id redoes what it undid).
    public var change: Int64?

    public init(graph: String? = nil, count: Int? = nil, change: Int64? = nil) {
        self.graph = graph
        self.count = count
        self.change = change
    }
}

/// Two states of a graph to compare: moments of the store (`from`, `to`, default
/// now) and, for either, a date in the world (`from_on`, `to_on`).
public struct DiffRequest: Codable, Sendable, Hashable {
    public var graph: String?
    public var from: Moment?
    public var to: Moment?
    public var fromOn: WorldDate?
    public var toOn: WorldDate?
    /// Who moved most: degree, betweenness, constraint, brokerage role and community
    /// on both sides (default: for graphs up to 5,000 actors).
    public var metrics: Bool?
    /// Gaps opened and closed (default: as `metrics`).
    public var gaps: Bool?
    /// At most this many actors in `metrics` (default 10).
    public var top: Int?
    public var lang: Language?
    public var `public`: Bool?

    public init(
        graph: String? = nil, from: Moment? = nil, to: Moment? = nil, fromOn: WorldDate? = nil, toOn: WorldDate? = nil,
        metrics: Bool? = nil, gaps: Bool? = nil, top: Int? = nil, lang: Language? = nil, public: Bool? = nil
    ) {
        self.graph = graph
        self.from = from
        self.to = to
        self.fromOn = fromOn
        self.toOn = toOn
        self.metrics = metrics
        self.gaps = gaps
        self.top = top
        self.lang = lang
        self.public = `public`
    }

    enum CodingKeys: String, CodingKey {
        case graph, from, to
        case fromOn = "from_on"
        case toOn = "to_on"
        case metrics, gaps, top, lang, `public`
    }
}

/// One side of a diff as it was read.
public struct DiffSide: Codable, Sendable, Hashable {
    /// The moment as asked (nil: now).
    public var asOf: String?
    /// The change it stands at.
    public var change: Int64?
    /// The date in the world, if any.
    public var on: String?

    enum CodingKeys: String, CodingKey {
        case asOf = "as_of"
        case change, on
    }
}

public struct ActorChanges: Codable, Sendable, Hashable {
    public var added: [ActorChange] = []
    public var removed: [ActorChange] = []
    public var changed: [ActorChange] = []
}

public struct RelationChanges: Codable, Sendable, Hashable {
    public var added: [RelationChange] = []
    public var removed: [RelationChange] = []
    public var changed: [RelationChange] = []
}

/// A value on both sides of a diff.
public struct Shift<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var old: Value?
    public var new: Value?
}

/// How an actor's place in the network moved between the two sides.
public struct Movement: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: String
    /// Its number of ties (read both ways).
    public var degree: Shift<Double>
    /// How many pairs of actors it lies between (shortest paths, ties read both ways).
    public var betweenness: Shift<Double>
    public var constraint: Shift<Double>
    /// The Gould–Fernandez role it plays most (by kind), `none` when none.
    public var role: Shift<String>
    /// Its community, named after the community's best-connected member on the old side.
    public var community: Shift<String>
}

public struct GapChanges: Codable, Sendable {
    public var opened: [Finding]
    public var closed: [Finding]
}

public struct DiffResult: Codable, Sendable {
    public var graph: String
    public var from: DiffSide
    public var to: DiffSide
    public var actors: ActorChanges
    public var relations: RelationChanges
    /// Who moved most (nil when not computed: see `note`).
    public var metrics: [Movement]?
    public var gaps: GapChanges?
    /// What was left out, and why.
    public var note: String?
    /// The names of the actors the relations name.
    public var names: [String: String]
}

extension Trama {
    // MARK: Snapshots

    public func createSnapshot(_ request: SnapshotRequest, by context: WriteContext) throws -> SnapshotRecord {
        if let note = request.note, note.count > 1000 { throw TramaError.invalidField("note", "is longer than 1000 characters") }
        return try store(writing: true).createSnapshot(
            request.name, of: graphName(request.graph), at: request.asOf, note: request.note, author: context.author)
    }

    /// The graph's snapshots; a public read shows hidden actors' names in their notes as `[private]`.
    public func snapshots(_ request: GraphRead, access: Access = .full) throws -> SnapshotList {
        let graph = graphName(request.graph)
        let access = access.narrowed(public: request.public)
        return SnapshotList(
            graph: graph,
            snapshots: try store(writing: false).read { snapshot in
                try snapshot.snapshots(of: try snapshot.graph(graph), publicOnly: access.publicOnly)
            })
    }

    public func deleteSnapshot(graph: String?, name: String) throws -> SnapshotRecord {
        try store(writing: true).deleteSnapshot(name, of: graphName(graph))
    }

    // MARK: The log

    /// The change log with what each change set did, oldest first.
    public func detailedLog(_ request: LogRequest, access: Access = .full) throws -> DetailedLog {
        try Check.positive(request.last, "last")
        if let limit = request.limit, limit < 0 { throw TramaError.invalidField("limit", "must be 0 or more, not \(limit)") }
        let access = access.narrowed(public: request.public)
        return try read(request.graph, asOf: request.asOf) { snapshot, graph, version in
            var records = try snapshot.changes(of: graph, upTo: version)
            if let change = request.change {
                records = records.filter { $0.id == change }
                if records.isEmpty {
                    throw TramaError(
                        .notFound, "the graph `\(graph.name)` has no change \(change)",
                        fields: ["graph": graph.name, "change": "\(change)"])
                }
            }
            if let last = request.last { records = Array(records.suffix(last)) }
            return DetailedLog(
                graph: graph.name,
                changes: try records.map {
                    try snapshot.detail(of: $0, in: graph, limit: request.limit, publicOnly: access.publicOnly)
                })
        }
    }

    // MARK: Undo

    public func undo(_ request: UndoRequest, by context: WriteContext) throws -> UndoSummary {
        try Check.positive(request.count, "count")
        if request.count != nil, request.change != nil {
            throw TramaError.invalidField("count", "goes with the last change sets, not with a given change: give one of them")
        }
        return try store(writing: true).undo(
            in: graphName(request.graph), ids: request.change.map { [$0] }, count: request.count ?? 1, context: context)
    }

    // MARK: Diff

    /// What differs between two states of a graph: actors and relations added,
    /// removed and changed (field by field), who moved most, gaps opened and closed.
    public func diff(_ request: DiffRequest, access: Access = .full) throws -> DiffResult {
        try Check.positive(request.top, "top")
        let access = access.narrowed(public: request.public)
        // Both sides read in one transaction, each pinned to a change for what follows.
        var (from, to, sides, actors, relations, size, names) = try store(writing: false).read {
            snapshot -> (Version, Version, (DiffSide, DiffSide), ActorChanges, RelationChanges, Int, [String: String]) in
            let graph = try snapshot.graph(graphName(request.graph))
            let from = try snapshot.version(request.from, on: request.fromOn, of: graph)
            let to = try snapshot.version(request.to, on: request.toOn, of: graph)
            var rows: RowDiff
            if from.on == nil && to.on == nil {
                rows = try snapshot.rowDiff(graph, from: from, to: to, publicOnly: access.publicOnly)
            } else {
                rows = try Self.fullDiff(snapshot, graph, from, to, publicOnly: access.publicOnly)
            }
            var actors = ActorChanges()
            for change in rows.actors {
                switch change.action {
                case .added: actors.added.append(change)
                case .removed: actors.removed.append(change)
                case .changed: actors.changed.append(change)
                }
            }
            var relations = RelationChanges()
            for change in rows.relations {
                switch change.action {
                case .added: relations.added.append(change)
                case .removed: relations.removed.append(change)
                case .changed: relations.changed.append(change)
                }
            }
            // Names for the relations' ends, from either side.
            var names: [String: String] = [:]
            let ends = Set(rows.relations.flatMap { [$0.from, $0.to] })
            for id in ends {
                names[id] =
                    try snapshot.actor(id, in: graph, at: to, publicOnly: access.publicOnly)?.name
                    ?? snapshot.actor(id, in: graph, at: from, publicOnly: access.publicOnly)?.name
            }
            let size = try snapshot.relationTable(graph, at: to, publicOnly: access.publicOnly).actorIDs.count
            func side(_ moment: Moment?, _ on: WorldDate?, _ version: Version) -> DiffSide {
                DiffSide(asOf: moment?.text, change: version.change, on: on?.text)
            }
            return (
                from, to, (side(request.from, request.fromOn, from), side(request.to, request.toOn, to)), actors, relations, size,
                names
            )
        }
        from.isCurrent = false
        to.isCurrent = false
        let graph = graphName(request.graph)
        let withMetrics = request.metrics ?? (size <= 5_000)
        let withGaps = request.gaps ?? (size <= 5_000)
        var note: String?
        if request.metrics == nil && !withMetrics {
            note = "who moved most and the gaps are left out above 5,000 actors (\(size) here): ask for them with metrics and gaps"
        }
        let fromMoment = from.change.map(Moment.change)
        let toMoment = to.change.map(Moment.change)
        let metrics =
            withMetrics
            ? try movements(graph, (fromMoment, from.on), (toMoment, to.on), top: request.top ?? 10, access: access) : nil
        var gaps: GapChanges?
        if withGaps {
            let old = try self.gaps(GapsRequest(graph: graph, asOf: fromMoment, on: from.on, lang: request.lang), access: access)
            let new = try self.gaps(GapsRequest(graph: graph, asOf: toMoment, on: to.on, lang: request.lang), access: access)
            func key(_ f: Finding) -> String {
                [
                    f.code, f.subject.territory ?? "", f.subject.actors.sorted().joined(separator: ","),
                    f.subject.relations.map { $0.joined(separator: ">") }.sorted().joined(separator: ";"),
                ].joined(separator: "|")
            }
            let oldKeys = Set(old.findings.map(key))
            let newKeys = Set(new.findings.map(key))
            gaps = GapChanges(
                opened: new.findings.filter { !oldKeys.contains(key($0)) }, closed: old.findings.filter { !newKeys.contains(key($0)) })
        }
        return DiffResult(
            graph: graph, from: sides.0, to: sides.1, actors: actors, relations: relations, metrics: metrics, gaps: gaps, note: note,
            names: names)
    }

    /// Every actor and relation of both sides compared (for sides read on a date in the world).
    static func fullDiff(_ snapshot: StoreSnapshot, _ graph: GraphRef, _ from: Version, _ to: Version, publicOnly: Bool) throws -> RowDiff {
        var diff = RowDiff()
        let oldActors = Dictionary(uniqueKeysWithValues: try snapshot.actors(graph, at: from, publicOnly: publicOnly).map { ($0.id, $0) })
        let newActors = Dictionary(uniqueKeysWithValues: try snapshot.actors(graph, at: to, publicOnly: publicOnly).map { ($0.id, $0) })
        for id in Set(oldActors.keys).union(newActors.keys).sorted() where oldActors[id] != newActors[id] {
            diff.actors.append(ActorChange(old: oldActors[id], new: newActors[id]))
        }
        let oldVocabulary = try snapshot.vocabulary(of: graph, at: from)
        let newVocabulary = try snapshot.vocabulary(of: graph, at: to)
        func keyed(_ records: [RelationRecord], _ vocabulary: Vocabulary) -> [RelationKey: RelationRecord] {
            Dictionary(
                records.map { ($0.relation.key(directed: vocabulary.relationTypes[$0.relation.type]?.directed ?? true), $0) },
                uniquingKeysWith: { a, _ in a })
        }
        let old = keyed(try snapshot.relations(graph, at: from, publicOnly: publicOnly), oldVocabulary)
        let new = keyed(try snapshot.relations(graph, at: to, publicOnly: publicOnly), newVocabulary)
        for key in Set(old.keys).union(new.keys).sorted() where old[key]?.relation != new[key]?.relation {
            diff.relations.append(RelationChange(id: (new[key] ?? old[key])!.id, old: old[key]?.relation, new: new[key]?.relation))
        }
        return diff
    }

    /// Degree, betweenness, constraint, brokerage role and community on both sides,
    /// for the actors that moved most (by betweenness, then degree).
    func movements(
        _ graph: String, _ from: (Moment?, WorldDate?), _ to: (Moment?, WorldDate?), top: Int, access: Access
    ) throws -> [Movement] {
        struct Side {
            var degree: [String: Double] = [:]
            var betweenness: [String: Double] = [:]
            var constraint: [String: Double] = [:]
            var role: [String: String] = [:]
            var community: [String: Int] = [:]
            var communities: [[String]] = []
            var actors: [String: ActorValue] = [:]
        }
        func side(_ moment: Moment?, _ on: WorldDate?) throws -> Side {
            var side = Side()
            let undirected = ViewFilter(undirected: true)
            func values(_ metric: Metric) throws -> [ActorValue] {
                guard
                    case .perActor(let result) = try analyze(
                        AnalysisRequest(graph: graph, asOf: moment, on: on, metric: metric, filter: undirected), access: access)
                else { return [] }
                return result.values
            }
            // Counts, not shares: a normalised value moves when anyone joins the graph.
            // Degree is the number of ties; betweenness the number of pairs of actors
            // whose shortest paths it lies on (networkx's value × (n−1)(n−2)/2).
            let degrees = try values(.degree)
            let n = Double(degrees.count)
            for value in degrees {
                side.degree[value.id] = value.value.map { ($0 * (n - 1)).rounded() }
                side.actors[value.id] = value
            }
            for value in try values(.betweenness) { side.betweenness[value.id] = value.value.map { $0 * (n - 1) * (n - 2) / 2 } }
            for value in try values(.constraint) { side.constraint[value.id] = value.value }
            if case .brokerage(let result) = try analyze(
                AnalysisRequest(graph: graph, asOf: moment, on: on, metric: .brokerage, filter: undirected, groupBy: .kind),
                access: access)
            {
                for entry in result.values { side.role[entry.id] = entry.role ?? "none" }
            }
            if case .communities(let result) = try analyze(
                AnalysisRequest(graph: graph, asOf: moment, on: on, metric: .communities, filter: undirected, algorithm: .leiden, seed: 1),
                access: access)
            {
                side.communities = result.communities
                for (i, members) in result.communities.enumerated() { for id in members { side.community[id] = i } }
            }
            return side
        }
        let old = try side(from.0, from.1)
        let new = try side(to.0, to.1)
        // Communities named after their best-connected member on the old side; a new
        // community takes the name of the old one it shares most members with.
        func anchor(_ members: [String], _ side: Side) -> String {
            let best = members.max { (side.degree[$0] ?? 0, $1) < (side.degree[$1] ?? 0, $0) } ?? ""
            return side.actors[best]?.name ?? best
        }
        let oldNames = old.communities.map { anchor($0, old) }
        var newNames: [String] = []
        var taken = Set<Int>()
        for members in new.communities {
            var overlap: [Int: Int] = [:]
            for id in members { if let c = old.community[id] { overlap[c, default: 0] += 1 } }
            if let (c, _) = overlap.filter({ !taken.contains($0.key) }).max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
                taken.insert(c)
                newNames.append(oldNames[c])
            } else {
                newNames.append(anchor(members, new))
            }
        }
        var moved: [(Double, Double, Movement)] = []
        for id in Set(old.actors.keys).union(new.actors.keys) {
            let shown = new.actors[id] ?? old.actors[id]!
            let movement = Movement(
                id: id, name: shown.name, kind: shown.kind,
                degree: Shift(old: old.degree[id], new: new.degree[id]),
                betweenness: Shift(old: old.betweenness[id], new: new.betweenness[id]),
                constraint: Shift(old: old.constraint[id], new: new.constraint[id]),
                role: Shift(
                    old: old.actors[id] == nil ? nil : old.role[id] ?? "none", new: new.actors[id] == nil ? nil : new.role[id] ?? "none"),
                community: Shift(
                    old: old.community[id].map { "community of \(oldNames[$0])" },
                    new: new.community[id].map { "community of \(newNames[$0])" }))
            let db = abs((new.betweenness[id] ?? 0) - (old.betweenness[id] ?? 0))
            let dd = abs((new.degree[id] ?? 0) - (old.degree[id] ?? 0))
            let changed =
                db > 1e-12 || dd > 1e-12 || movement.role.old != movement.role.new || movement.community.old != movement.community.new
                || movement.constraint.old != movement.constraint.new
            if changed { moved.append((db, dd, movement)) }
        }
        moved.sort { ($0.0, $0.1, $1.2.id) > ($1.0, $1.1, $0.2.id) }
        return moved.prefix(top).map(\.2)
    }
}
