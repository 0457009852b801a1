import Foundation
import TramaModel
import TramaStore

/// What a Trama application needs to know, filled by each front end from its own
/// sources (the command line from flags and the environment, the server from its
/// options). Nothing below the front end reads the environment.
public struct AppConfiguration: Sendable {
    /// The store file.
    public var storePath: String
    /// The graph a request without one works on.
    public var defaultGraph: String
    /// Folders that may hold the bundled seeds (`NAME/actors.csv`), first match wins.
    public var seedsFolders: [String]
    /// Phase timings on standard error.
    public var profile: Bool
    /// The zone a new store records; bare dates (`2026-11-30`) are read in a store's zone.
    public var timeZone: TimeZone
    /// Now, for gap staleness and map dates (a test can fix it).
    public var clock: @Sendable () -> Date
    /// How long a write waits for another writer before answering "busy".
    public var busyTimeout: TimeInterval
    /// Graph versions kept in memory for analyses (0: none, as a one-shot command needs).
    public var cachedGraphs: Int

    public init(
        storePath: String = "trama.db", defaultGraph: String = "default", seedsFolders: [String] = [], profile: Bool = false,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!, clock: @escaping @Sendable () -> Date = { Date() },
        busyTimeout: TimeInterval = 10, cachedGraphs: Int = 0
    ) {
        self.storePath = storePath
        self.defaultGraph = defaultGraph
        self.seedsFolders = seedsFolders
        self.profile = profile
        self.timeZone = timeZone
        self.clock = clock
        self.busyTimeout = busyTimeout
        self.cachedGraphs = cachedGraphs
    }
}

/// What a reader may see. A public reader gets the graph as `export --public`
/// shows it: private actors, the relations touching them and private relations
/// are absent from every answer (not masked: to such a reader they do not exist).
public enum Access: String, Sendable, Codable {
    case full
    case publicOnly = "public"

    public var publicOnly: Bool { self == .publicOnly }

    /// The narrower of this access and a request's own wish to see only public data.
    public func narrowed(public wanted: Bool?) -> Access { wanted == true ? .publicOnly : self }
}

/// The application core: one typed entry point per command, called by every
/// front end (the command line, the HTTP service, the worker that renders maps).
///
/// Each read pins one version of the store (one read transaction) for its
/// actors, relations, vocabulary and rules together, and may be asked for an
/// earlier version (`as_of`). Requests and results are `Codable` values: a
/// result is exactly the JSON that `trama … --json` prints and the API serves.
public final class Trama: @unchecked Sendable {
    public let configuration: AppConfiguration
    private let lock = NSLock()
    private var readStore: Store?
    private var writeStore: Store?
    let graphCache: GraphCache

    public init(_ configuration: AppConfiguration) {
        self.configuration = configuration
        graphCache = GraphCache(capacity: configuration.cachedGraphs)
        if configuration.profile { Profile.enabled = true }
    }

    /// The store, opened once: for reading (no write at all) unless it is already open for writing.
    func store(writing: Bool, create: Bool = false) throws -> Store {
        lock.lock()
        defer { lock.unlock() }
        if let writeStore { return writeStore }
        if !writing, let readStore { return readStore }
        let mode: Store.Mode = writing ? (create ? .create : .write) : .read
        let store = try Store(
            path: configuration.storePath, mode: mode, timeZone: configuration.timeZone,
            busyTimeout: configuration.busyTimeout)
        if writing { writeStore = store } else { readStore = store }
        return store
    }

    /// Opens the store for writing now (a server does this once, at start).
    public func openForWriting(create: Bool) throws {
        _ = try store(writing: true, create: create)
    }

    /// The graph a request names, or the configured default.
    public func graphName(_ name: String?) -> String {
        guard let name, !name.isEmpty else { return configuration.defaultGraph }
        return name
    }

    /// Runs `body` on one version of `graph`: the current one, or the one `asOf`
    /// names; with `on`, its relations as they stood in the world on that date.
    func read<T>(_ graph: String?, asOf: Moment?, on: WorldDate? = nil, _ body: (StoreSnapshot, GraphRef, Version) throws -> T) throws
        -> T
    {
        try store(writing: false).read { snapshot in
            let ref = try snapshot.graph(graphName(graph))
            return try body(snapshot, ref, try snapshot.version(asOf, on: on, of: ref))
        }
    }

    /// The store's time zone, in which bare dates are read.
    public func storeTimeZone() throws -> TimeZone { try store(writing: false).timeZone }

    /// The day a read is about, in the store's zone: the moment asked for (a date,
    /// the day of an instant, the day a change was made), else today.
    func day(of moment: Moment?, version: Version, in snapshot: StoreSnapshot, graph: GraphRef, zone: TimeZone) throws -> String {
        switch moment {
        case .day(let y, let m, let d): return String(format: "%04d-%02d-%02d", y, m, d)
        case .instant(let date): return Timestamp.day(date, in: zone)
        case .change, .snapshot:
            if let change = version.change, let at = try snapshot.changes(of: graph).first(where: { $0.id == change })?.at,
                let date = Timestamp.date(at)
            {
                return Timestamp.day(date, in: zone)
            }
            return Timestamp.day(configuration.clock(), in: zone)
        case nil: return Timestamp.day(configuration.clock(), in: zone)
        }
    }
}

/// Checks shared by the requests.
enum Check {
    static func positive(_ value: Int?, _ field: String) throws {
        if let value, value < 1 { throw TramaError.invalidField(field, "must be 1 or more, not \(value)") }
    }

    static func finite(_ value: Double?, _ field: String, above lower: Double, below upper: Double? = nil, inclusiveLower: Bool = false)
        throws
    {
        guard let value else { return }
        let okLower = inclusiveLower ? value >= lower : value > lower
        let okUpper = upper.map { value < $0 } ?? true
        if !value.isFinite || !okLower || !okUpper {
            let range =
                upper.map { "\(inclusiveLower ? "at least" : "above") \(format(lower)) and below \(format($0))" }
                ?? "\(inclusiveLower ? "at least" : "above") \(format(lower))"
            throw TramaError.invalidField(field, "must be a number \(range), not \(value)")
        }
    }

    static func format(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
