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
        router.add(middleware: AuthMiddleware(app: app))
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
                continuation.resume(throwing: TramaError(.busy, "the request took longer than \(Int(timeout)) seconds: narrow it, or try again later"))
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

    func handle(_ request: Request, context: TramaContext, next: (Request, TramaContext) async throws -> Response) async throws -> Response
    {
        var context = context
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else {
                throw TramaError(.unauthorized, "the Authorization header must be `Bearer TOKEN`")
            }
            let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
            let app = app
            context.principal = try await blocking { try app.authenticate(token) }
        }
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
