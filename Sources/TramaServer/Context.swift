import Foundation
import Hummingbird
import NIOCore
import TramaApp
import TramaModel

/// What a request carries through the service: who is asking.
public struct TramaContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The bearer of a valid token, or nil for an anonymous reader.
    public var principal: Principal?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
    }

    /// Bodies are read by each route with its own limit.
    public var maxUploadSize: Int { 50 << 20 }
}

/// An error as the service answers it: `{"error": {"code", "message", …fields}}`
/// with the status its category calls for. Nothing else reaches a client: no
/// stack trace, no SQL, no path on the server's disk.
struct APIError: HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var fields: [String: String]

    init(_ status: HTTPResponse.Status, code: String, _ message: String, fields: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// The fields a client may see (never the store's path).
    static let publicFields: Set<String> = [
        "graph", "actor", "relation", "field", "value", "problem", "count", "from", "to", "type", "actors", "relations", "as_of",
        "file", "seed", "token",
    ]

    init(_ error: TramaError) {
        var fields = error.fields.filter { Self.publicFields.contains($0.key) }
        if let location = error.location {
            fields["file"] = location.file
            if let line = location.line { fields["line"] = "\(line)" }
            if let column = location.column { fields["column"] = column }
            if let element = location.element { fields["element"] = element }
        }
        var message = error.description
        if error.code == .busy || error.category == .storage {
            // Storage failures are said in the service's words: their details name the server's files.
            message =
                error.code == .busy
                ? "the store is busy: another write is in progress; try again in a moment"
                : "the store failed to answer; the service's log has the details"
        }
        self.init(Self.status(error.category, error.code), code: error.code.rawValue, message, fields: fields)
    }

    static func status(_ category: TramaError.Category, _ code: TramaError.Code) -> HTTPResponse.Status {
        switch category {
        case .notFound: return .notFound
        case .conflict: return .conflict
        case .invalidInput: return .unprocessableContent
        case .tooLarge: return .contentTooLarge
        case .forbidden: return .forbidden
        case .unauthorized: return .unauthorized
        case .busy: return .serviceUnavailable
        case .storage: return .internalServerError
        case .deadline: return .gatewayTimeout
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: String] = fields
        body["code"] = code
        body["message"] = message
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(["error": body])
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"trama\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error a route throws into an ``APIError`` answer.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as TramaError {
            return try APIError(error).response(from: request, context: context)
        } catch let errors as TramaErrors {
            var first = APIError(errors.errors.first ?? TramaError(.invalidValue, "the input is not valid"))
            first.message = errors.description(limit: 30)
            first.fields["count"] = "\(errors.errors.count)"
            return try first.response(from: request, context: context)
        } catch let error as HTTPError {
            let code: String =
                switch error.status {
                case .notFound: "not-found"
                case .contentTooLarge: "too-large"
                case .methodNotAllowed: "method-not-allowed"
                default: "bad-request"
                }
            let message = error.body ?? (error.status == .notFound ? "there is nothing at this address" : error.status.reasonPhrase)
            return try APIError(error.status, code: code, message).response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try APIError(
                .contentTooLarge, code: "too-large", "the body is larger than this route takes (1 MiB; an import 50 MiB by default)"
            )
            .response(from: request, context: context)
        } catch is DecodingError {
            return try APIError(.badRequest, code: "malformed", "the body is not the JSON this route takes: see /openapi.json")
                .response(from: request, context: context)
        } catch {
            context.logger.error("unexpected error: \(String(reflecting: error))")
            return try APIError(.internalServerError, code: "internal", "the service failed to answer; its log has the details")
                .response(from: request, context: context)
        }
    }
}
