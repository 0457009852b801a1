import Foundation

/// How `trama serve` runs: where it listens, who may read without a token, and the
/// bounds on every request. A value filled by the front end from its options.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Anonymous readers are let in, and see what a public export shows.
    public var openRead: Bool
    /// Origins a browser may call the API from (CORS); none: CORS off.
    public var allowOrigins: [String]
    /// Largest body of an import, in bytes (default 50 MiB).
    public var importLimit: Int
    /// Largest body of any other request, in bytes (default 1 MiB).
    public var bodyLimit: Int
    /// Longest a request may take before the answer is 503 (seconds).
    public var requestTimeout: TimeInterval
    /// How long an idle connection stays open (seconds).
    public var idleTimeout: TimeInterval
    /// Most connections at once; further ones wait to be accepted.
    public var maxConnections: Int
    /// Maps rendered at once (each in its own worker process).
    public var renderWorkers: Int
    /// Renders that may wait for a worker; one more is answered 503.
    public var renderQueue: Int
    /// A render past this is killed and answered 504 (seconds).
    public var renderDeadline: TimeInterval
    /// A worker's address-space limit (MiB).
    public var renderMemoryMB: Int
    /// Rendered maps kept for the same request (bytes).
    public var cacheBytes: Int
    /// Analysis graphs kept in memory per graph version.
    public var cachedGraphs: Int
    /// The `trama` executable the workers run (`trama render-worker`).
    public var workerExecutable: String

    public init(
        host: String = "127.0.0.1", port: Int = 8080, openRead: Bool = false, allowOrigins: [String] = [],
        importLimit: Int = 50 << 20, bodyLimit: Int = 1 << 20, requestTimeout: TimeInterval = 60, idleTimeout: TimeInterval = 30,
        maxConnections: Int = 512, renderWorkers: Int = 2, renderQueue: Int = 32, renderDeadline: TimeInterval = 20,
        renderMemoryMB: Int = 2048, cacheBytes: Int = 64 << 20, cachedGraphs: Int = 4, workerExecutable: String
    ) {
        self.host = host
        self.port = port
        self.openRead = openRead
        self.allowOrigins = allowOrigins
        self.importLimit = importLimit
        self.bodyLimit = bodyLimit
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.renderWorkers = renderWorkers
        self.renderQueue = renderQueue
        self.renderDeadline = renderDeadline
        self.renderMemoryMB = renderMemoryMB
        self.cacheBytes = cacheBytes
        self.cachedGraphs = cachedGraphs
        self.workerExecutable = workerExecutable
    }
}
