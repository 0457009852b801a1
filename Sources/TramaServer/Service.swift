import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import TramaApp
import TramaModel

/// The HTTP service over the application core: each route turns its request into
/// the core's typed request, calls the same entry point the command line calls,
/// and answers the same JSON.
public struct TramaService: Sendable {
    public let app: Trama
    public let configuration: ServerConfiguration
    let renderer: RenderPool
    /// Answers to reads, by graph version and request.
    let answers: ByteCache
    /// Tokens and graph versions known since the store last changed.
    let freshness = Freshness()

    public init(app: Trama, configuration: ServerConfiguration) {
        self.app = app
        self.configuration = configuration
        renderer = RenderPool(
            executable: configuration.workerExecutable, workers: configuration.renderWorkers,
            queue: configuration.renderQueue, deadline: configuration.renderDeadline,
            memoryMB: configuration.renderMemoryMB)
        answers = ByteCache(budget: configuration.cacheBytes)
    }

    /// The router with every route, its middleware and the page.
    public func router() -> Router<TramaContext> {
        let router = Router(context: TramaContext.self)
        router.add(middleware: ErrorMiddleware<TramaContext>())
        if !configuration.allowOrigins.isEmpty { router.add(middleware: OriginMiddleware(origins: Set(configuration.allowOrigins))) }
        router.add(middleware: AuthMiddleware(app: app, freshness: freshness))
        addRoutes(to: router)
        return router
    }

    /// The application that listens on the configured address until SIGINT or SIGTERM,
    /// finishing the requests in flight.
    public func application(onRunning: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "trama")
        logger.logLevel = .notice
        return Application(
            router: router(),
            server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "trama",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
            onServerRunning: { channel in
                onRunning(channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? configuration.port)" } ?? "")
            },
            logger: logger)
    }
}

/// Runs core work (SQLite, analyses) off the server's event loops. Past `timeout`
/// the client is answered 503 (the work, which cannot be interrupted, ends on its own).
func blocking<T: Sendable>(timeout: TimeInterval = 60, _ work: @escaping @Sendable () throws -> T) async throws -> T {
    let once = Once()
    return try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            let result = Result { try work() }
            if once.claim() { continuation.resume(with: result) }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
            if once.claim() {
                continuation.resume(
                    throwing: TramaError(.busy, "the request took longer than \(Int(timeout)) seconds: narrow it, or try again later"))
            }
        }
    }
}

/// True for the first caller only.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}

extension TramaService {
    /// Core work with this service's request timeout.
    func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await TramaServer.blocking(timeout: configuration.requestTimeout, work)
    }
}

/// JSON as the command line's `--json` prints it: the same bytes.
func jsonData<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    var data = try encoder.encode(value)
    data.append(0x0A)
    return data
}

func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    Response(
        status: status, headers: [.contentType: "application/json; charset=utf-8"],
        body: .init(byteBuffer: ByteBuffer(bytes: try jsonData(value))))
}

func bytes(_ data: Data, type: String, headers extra: HTTPFields = [:]) -> Response {
    var headers: HTTPFields = [.contentType: type]
    headers.append(contentsOf: extra)
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// Reads the bearer token, if any, into the context; a token that is not valid is
/// refused at once (401), whatever the route.
struct AuthMiddleware: RouterMiddleware {
    let app: Trama
    let freshness: Freshness

    func handle(_ request: Request, context: TramaContext, next: (Request, TramaContext) async throws -> Response) async throws -> Response
    {
        var context = context
        try freshness.refresh(app)
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else {
                throw TramaError(.unauthorized, "the Authorization header must be `Bearer TOKEN`")
            }
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            context.principal = try freshness.principal(token, app)
        }
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        // A write: whatever it changed is seen by the very next request.
        defer { freshness.invalidate() }
        return try await next(request, context)
    }
}

/// CORS for the origins the server was started with (`--allow-origin`), and none
/// for any other: a browser on another site cannot use a token it finds.
struct OriginMiddleware: RouterMiddleware {
    let origins: Set<String>

    func handle(_ request: Request, context: TramaContext, next: (Request, TramaContext) async throws -> Response) async throws -> Response
    {
        guard let origin = request.headers[.origin], origins.contains(origin) else { return try await next(request, context) }
        let allow: HTTPFields = [
            .accessControlAllowOrigin: origin, .vary: "Origin",
            .accessControlAllowHeaders: "Authorization, Content-Type",
            .accessControlAllowMethods: "GET, POST, PATCH, DELETE, OPTIONS",
        ]
        if request.method == .options { return Response(status: .noContent, headers: allow) }
        var response = try await next(request, context)
        response.headers.append(contentsOf: allow)
        return response
    }
}

/// What the service may keep between requests while the store has not changed:
/// the principal of each token seen and the version of each graph. Any commit to
/// the file, by this process or another, changes SQLite's `data_version` and
/// clears both (a revoked token is refused at the next request).
final class Freshness: @unchecked Sendable {
    private let lock = NSLock()
    private var counter: Int64?
    private var principals: [String: Principal] = [:]
    private var versions: [String: Int64?] = [:]

    private var checked: UInt64 = 0

    /// Clears what was kept when the store changed since the last look: once per request,
    /// first. The look itself is made at most once a millisecond (a commit by another
    /// process is seen a millisecond late at worst, as if the request had come that much
    /// earlier); this service's own writes are seen at once (``invalidate()``).
    func refresh(_ app: Trama) throws {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        if counter != nil, now &- checked < 1_000_000 {
            lock.unlock()
            return
        }
        lock.unlock()
        let value = try app.changeCounter()
        lock.lock()
        defer { lock.unlock() }
        checked = now
        if value != counter {
            counter = value
            principals = [:]
            versions = [:]
        }
    }

    /// Forgets everything kept: after this service wrote.
    func invalidate() {
        lock.lock()
        defer { lock.unlock() }
        counter = nil
        principals = [:]
        versions = [:]
    }

    func principal(_ token: String, _ app: Trama) throws -> Principal {
        lock.lock()
        defer { lock.unlock() }
        if let known = principals[token], known.expires.map({ $0 > app.configuration.clock() }) ?? true { return known }
        let principal = try app.authenticate(token)
        if principals.count > 10_000 { principals = [:] }
        principals[token] = principal
        return principal
    }

    func version(_ graph: String, _ app: Trama) throws -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        if let known = versions[graph] { return known }
        let version = try app.version(of: graph)
        versions[graph] = version
        return version
    }
}
