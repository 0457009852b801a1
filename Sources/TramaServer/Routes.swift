import Foundation
import Hummingbird
import NIOCore
import TramaApp
import TramaModel

extension TramaService {
    /// What a reader of `graph` may see: a token's view, or the public view for an
    /// anonymous reader when the server is open for reading.
    func readAccess(_ context: TramaContext, _ graph: String) throws -> Access {
        if let principal = context.principal {
            guard let access = principal.access(on: graph) else {
                throw TramaError(.forbidden, "this token is for the graph `\(principal.graph)`, not `\(graph)`", fields: ["graph": graph])
            }
            return access
        }
        if configuration.openRead { return .publicOnly }
        throw TramaError(.unauthorized, "reading needs a token: send `Authorization: Bearer TOKEN`")
    }

    /// Refuses a request whose bearer lacks `role` on `graph`.
    func require(_ role: Role, _ context: TramaContext, _ graph: String) throws {
        guard let principal = context.principal else {
            throw TramaError(.unauthorized, "this needs a token with the \(role.rawValue) role: send `Authorization: Bearer TOKEN`")
        }
        guard let held = principal.role(on: graph), held >= role else {
            throw TramaError(.forbidden, "this needs the \(role.rawValue) role on the graph `\(graph)`", fields: ["graph": graph])
        }
    }

    /// Who writes, for the change log: the token, and the route.
    func writer(_ context: TramaContext, _ request: Request) -> WriteContext {
        WriteContext(
            author: context.principal.map { "token \($0.tokenID)" } ?? "anonymous",
            command: "\(request.method.rawValue) \(request.uri.path)")
    }

    func graphParameter(_ context: TramaContext) throws -> String { try pathParameter(context, "graph") }

    /// A path parameter, percent-decoded (`coop-citt%C3%A0` is `coop-città`).
    func pathParameter(_ context: TramaContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    /// A JSON body of at most the body limit, decoded as `T`.
    func body<T: Decodable>(_ request: Request, as type: T.Type) async throws -> T {
        let buffer = try await request.body.collect(upTo: configuration.bodyLimit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as TramaError {
            throw error
        } catch {
            throw APIError(.badRequest, code: "malformed", "the body is not the JSON this route takes: \(Self.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "`\(key.stringValue)` is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "`\(context.codingPath.map(\.stringValue).joined(separator: "."))` has the wrong type"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "it is not JSON" : "`\(context.codingPath.map(\.stringValue).joined(separator: "."))` is not valid"
        default: return "see /openapi.json"
        }
    }

    /// An answer to a read, from the cache when the graph has not changed since the
    /// same request was answered for a reader of the same access (reads `as_of` a
    /// moment are computed each time).
    func answer(
        _ request: Request, graph: String, access: Access, type: String = "application/json; charset=utf-8",
        _ make: @escaping @Sendable () async throws -> Data
    ) async throws -> Response {
        let query = Query(request)
        guard query.string("as_of") == nil else { return bytes(try await make(), type: type) }
        let version = try freshness.version(graph, app)
        let parameters = query.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.joined(separator: ","))" }
            .joined(separator: "&")
        let key = "\(graph)|\(version.map(String.init) ?? "-")|\(access.rawValue)|\(request.uri.path)|\(parameters)"
        if let cached = answers.get(key) { return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: cached)) }
        let buffer = ByteBuffer(data: try await make())
        answers.put(key, buffer)
        return Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: buffer))
    }

    func addRoutes(to router: Router<TramaContext>) {
        let app = app
        router.get("/health") { _, _ in try json(["status": "ok"]) }
        router.get("/openapi.json") { _, _ in
            guard let data = Embedded.file("openapi.json") else {
                throw APIError(.internalServerError, code: "internal", "the API document is missing")
            }
            return bytes(data, type: "application/json; charset=utf-8")
        }

        // The page, its files inside the binary.
        for (path, file, type) in [
            ("/", "index.html", "text/html; charset=utf-8"), ("/page/app.js", "app.js", "text/javascript; charset=utf-8"),
            ("/page/style.css", "style.css", "text/css; charset=utf-8"),
        ] {
            let data = Self.pageFile(file)
            router.get(RouterPath(path)) { _, _ in
                guard let data else {
                    throw APIError(.internalServerError, code: "internal", "the page's files are missing from this build")
                }
                return bytes(data, type: type, headers: [.cacheControl: "no-cache"])
            }
        }
        // Who the bearer of this token is (the page shows editing to editors).
        router.get("/v1/token") { _, context in
            guard let principal = context.principal else { throw TramaError(.unauthorized, "no token was sent") }
            struct Bearer: Encodable {
                var graph: String
                var role: String
                var seePrivate: Bool
                enum CodingKeys: String, CodingKey {
                    case graph, role
                    case seePrivate = "see_private"
                }
            }
            return try json(Bearer(graph: principal.graph, role: principal.role.rawValue, seePrivate: principal.seePrivate))
        }

        // Graphs.
        router.get("/v1/graphs") { _, context in
            let all = try await blocking { try app.graphs() }
            if let principal = context.principal {
                return try json(GraphList(graphs: all.graphs.filter { principal.role(on: $0.name) != nil }))
            }
            guard configuration.openRead else {
                throw TramaError(.unauthorized, "reading needs a token: send `Authorization: Bearer TOKEN`")
            }
            return try json(all)
        }
        router.post("/v1/graphs") { request, context in
            struct NewGraph: Decodable { var name: String }
            let name = try await body(request, as: NewGraph.self).name
            try require(.admin, context, name)
            return try json(try await blocking { try app.createGraph(name) }, status: .created)
        }
        router.delete("/v1/graphs/{graph}") { request, context in
            let graph = try graphParameter(context)
            try require(.admin, context, graph)
            let force = try Query(request).bool("force")
            return try json(try await blocking { try app.deleteGraph(GraphDeletion(graph: graph, force: force)) })
        }
        router.get("/v1/graphs/{graph}/summary") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let read = GraphRead(graph: graph, asOf: try query.moment(), on: try query.date(), public: try query.bool("public"))
            return try await answer(request, graph: graph, access: access) {
                try jsonData(try await blocking { try app.summary(read, access: access) })
            }
        }
        router.get("/v1/graphs/{graph}/log") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            if context.principal == nil { throw TramaError(.unauthorized, "the change log needs a token: it names who changed what") }
            let query = Query(request)
            let limit = try query.int("limit") ?? 50
            if limit > 1000 { throw TramaError.invalidField("limit", "must be at most 1000 (page with change and last)") }
            let read = LogRequest(
                graph: graph, asOf: try query.moment(), change: try query.int64("change"), last: try query.int("last"), limit: limit,
                public: try query.bool("public"))
            return try json(try await blocking { try app.detailedLog(read, access: access) })
        }
        router.get("/v1/graphs/{graph}/vocabulary") { request, context in
            let graph = try graphParameter(context)
            _ = try readAccess(context, graph)
            let read = GraphRead(graph: graph, asOf: try Query(request).moment())
            return try json(try await blocking { try app.vocabulary(read) })
        }
        router.get("/v1/graphs/{graph}/rules") { request, context in
            let graph = try graphParameter(context)
            _ = try readAccess(context, graph)
            let read = GraphRead(graph: graph, asOf: try Query(request).moment())
            return try json(try await blocking { try app.rules(read) })
        }

        addActorRoutes(to: router)
        addRelationRoutes(to: router)
        addExchangeRoutes(to: router)
        addAnalysisRoutes(to: router)
        addMapRoutes(to: router)
        addTimeRoutes(to: router)
    }

    static func pageFile(_ name: String) -> Data? {
        Embedded.file("page/" + name)
    }

    func addActorRoutes(to router: Router<TramaContext>) {
        let app = app
        router.get("/v1/graphs/{graph}/actors") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let actors = ActorQuery(
                graph: graph, asOf: try query.moment(), on: try query.date(), kinds: query.strings("kind"),
                territory: query.string("territory"),
                public: try query.bool("public"))
            return try json(try await blocking { try app.actors(actors, access: access) })
        }
        router.post("/v1/graphs/{graph}/actors") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            var draft = try await body(request, as: ActorDraft.self)
            draft.graph = graph
            let who = writer(context, request)
            let actor = draft
            return try json(try await blocking { try app.addActor(actor, by: who) }, status: .created)
        }
        router.get("/v1/graphs/{graph}/actors/{id}") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let lookup = ActorLookup(
                graph: graph, asOf: try query.moment(), on: try query.date(), id: try pathParameter(context, "id"),
                public: try query.bool("public"))
            return try json(try await blocking { try app.actor(lookup, access: access) })
        }
        router.patch("/v1/graphs/{graph}/actors/{id}") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            let patch = ActorPatch(
                graph: graph, id: try pathParameter(context, "id"), fields: try await body(request, as: ActorFields.self))
            let who = writer(context, request)
            return try json(try await blocking { try app.updateActor(patch, by: who) })
        }
        router.delete("/v1/graphs/{graph}/actors/{id}") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            let removal = ActorRemoval(graph: graph, id: try pathParameter(context, "id"), cascade: try Query(request).bool("cascade"))
            let who = writer(context, request)
            return try json(try await blocking { try app.removeActor(removal, by: who) })
        }
    }

    func relationID(_ context: TramaContext) throws -> Int64 {
        let text = try pathParameter(context, "id")
        guard let id = Int64(text.hasPrefix("r-") ? String(text.dropFirst(2)) : text) else {
            throw APIError(
                .badRequest, code: "malformed", "a relation's id is a number (or r-NUMBER), not `\(text.prefix(40))`",
                fields: ["field": "id"])
        }
        return id
    }

    func addRelationRoutes(to router: Router<TramaContext>) {
        let app = app
        router.get("/v1/graphs/{graph}/relations") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let relations = RelationQuery(
                graph: graph, asOf: try query.moment(), on: try query.date(), types: query.strings("type"), kinds: query.strings("kind"),
                territory: query.string("territory"), actor: query.string("actor"), public: try query.bool("public"))
            return try json(try await blocking { try app.relations(relations, access: access) })
        }
        router.post("/v1/graphs/{graph}/relations") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            var draft = try await body(request, as: RelationDraft.self)
            draft.graph = graph
            let who = writer(context, request)
            let relation = draft
            return try json(try await blocking { try app.addRelation(relation, by: who) }, status: .created)
        }
        router.get("/v1/graphs/{graph}/relations/{id}") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let lookup = RelationLookup(
                graph: graph, asOf: try query.moment(), on: try query.date(), id: try relationID(context), public: try query.bool("public"))
            return try json(try await blocking { try app.relation(lookup, access: access) })
        }
        router.patch("/v1/graphs/{graph}/relations/{id}") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            let patch = RelationPatch(
                graph: graph, relation: RelationReference(id: try relationID(context)),
                fields: try await body(request, as: RelationFields.self))
            let who = writer(context, request)
            return try json(try await blocking { try app.updateRelation(patch, by: who) })
        }
        router.delete("/v1/graphs/{graph}/relations/{id}") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            let removal = RelationRemoval(graph: graph, relation: RelationReference(id: try relationID(context)))
            let who = writer(context, request)
            return try json(try await blocking { try app.removeRelation(removal, by: who) })
        }
    }

    func addExchangeRoutes(to router: Router<TramaContext>) {
        let app = app
        router.post("/v1/graphs/{graph}/import") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            let sources = try await importSources(request)
            let who = writer(context, request)
            let query = Query(request)
            let limit = try query.int("limit") ?? 1000
            if limit > 10_000 || limit < 0 { throw TramaError.invalidField("limit", "must be between 0 and 10000") }
            let importing = ImportRequest(
                graph: graph, sources: sources, dryRun: try query.bool("dry_run"), strict: try query.bool("strict"),
                details: try query.bool("details"), limit: limit)
            return try json(try await blocking { try app.importData(importing, by: who) })
        }
        router.get("/v1/graphs/{graph}/export") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let format = try query.choice("format", ExportFormat.self) ?? .json
            let sheet = query.string("sheet")
            if format == .csv, sheet != "actors", sheet != "relations" {
                throw TramaError.invalidField("sheet", "must be actors or relations with format=csv: one sheet a request")
            }
            let export = ExportRequest(
                graph: graph, asOf: try query.moment(), on: try query.date(), format: format, public: try query.bool("public"),
                excel: try query.bool("excel"), lang: try query.choice("lang", Language.self))
            let files = try await blocking { try app.export(export, access: access) }.files
            let file = format == .csv && sheet == "relations" ? files[1] : files[0]
            let types: [ExportFormat: String] = [
                .csv: "text/csv; charset=utf-8", .json: "application/json; charset=utf-8", .graphml: "application/graphml+xml",
                .gexf: "application/gexf+xml", .dot: "text/vnd.graphviz; charset=utf-8",
            ]
            return bytes(file.data, type: types[format]!, headers: [.contentDisposition: "attachment; filename=\"\(file.name)\""])
        }
    }

    /// The files of an import: the parts of a multipart form (each named by its file
    /// name), or one JSON, GraphML or GEXF body.
    func importSources(_ request: Request) async throws -> [ImportSource] {
        let buffer = try await request.body.collect(upTo: configuration.importLimit)
        let data = Data(buffer: buffer)
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("multipart/form-data") {
            guard let boundary = type.components(separatedBy: "boundary=").last?.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")),
                !boundary.isEmpty, let original = request.headers[.contentType]
            else { throw APIError(.badRequest, code: "malformed", "a multipart body needs its boundary") }
            // The boundary as sent (its case matters).
            let exact = original.components(separatedBy: "boundary=").last!.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            return try Multipart.files(data, boundary: exact)
        }
        guard !data.isEmpty else { throw TramaError.invalidField("body", "is empty: send the files to import") }
        let head = String(decoding: data.prefix(2048), as: UTF8.self).lowercased()
        let name: String
        if type.contains("json") || head.drop(while: \.isWhitespace).first == "{" {
            name = "upload.json"
        } else if head.contains("<graphml") {
            name = "upload.graphml"
        } else if head.contains("<gexf") {
            name = "upload.gexf"
        } else if type.contains("csv") {
            name = "upload.csv"
        } else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported-media-type",
                "send the two CSV sheets as multipart/form-data, or one JSON, GraphML or GEXF document")
        }
        return [.bytes(data, named: name)]
    }

    func addAnalysisRoutes(to router: Router<TramaContext>) {
        let app = app
        router.get("/v1/graphs/{graph}/analyses/{metric}") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let name = try pathParameter(context, "metric")
            guard let metric = Metric(rawValue: name) else {
                throw TramaError(
                    .notFound,
                    "there is no analysis `\(name.prefix(40))`: the analyses are \(Metric.allCases.map(\.rawValue).joined(separator: ", "))",
                    fields: ["field": "metric"])
            }
            // The cache first: a request answered before for this version is not even parsed again.
            return try await answer(request, graph: graph, access: access) {
                let query = Query(request)
                let analysis = AnalysisRequest(
                    graph: graph, asOf: try query.moment(), on: try query.date(), metric: metric, filter: try query.filter(),
                    top: try query.int("top"),
                    alpha: try query.double("alpha"), tolerance: try query.double("tolerance"), epsilon: try query.double("epsilon"),
                    delta: try query.double("delta"), algorithm: try query.choice("algorithm", CommunityAlgorithm.self),
                    resolution: try query.double("resolution"), seed: try query.uint("seed"),
                    groupBy: try query.choice("group_by", GroupBy.self),
                    level: try query.int("level"), public: try query.bool("public"))
                return try jsonData(try await blocking { try app.analyze(analysis, access: access) })
            }
        }
        router.get("/v1/graphs/{graph}/gaps") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let gaps = GapsRequest(
                graph: graph, asOf: try query.moment(), on: try query.date(), territory: query.string("territory"),
                theme: query.string("theme"),
                staleAfter: query.string("stale_after"), lang: try query.choice("lang", Language.self), top: try query.int("top"),
                public: try query.bool("public"), status: query.strings("status"), level: try query.int("level"))
            return try await answer(request, graph: graph, access: access) {
                try jsonData(try await blocking { try app.gaps(gaps, access: access) })
            }
        }
        router.get("/v1/graphs/{graph}/recommendations/{actor}") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let recommend = RecommendRequest(
                graph: graph, asOf: try query.moment(), on: try query.date(), actor: try pathParameter(context, "actor"),
                top: try query.int("top"), kind: query.string("kind"), weights: query.string("weights"),
                lang: try query.choice("lang", Language.self), public: try query.bool("public"), status: query.strings("status"))
            return try await answer(request, graph: graph, access: access) {
                try jsonData(try await blocking { try app.recommend(recommend, access: access) })
            }
        }
        router.get("/v1/graphs/{graph}/coalitions") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            let coalitions = CoalitionsRequest(
                graph: graph, asOf: try query.moment(), on: try query.date(), territory: query.string("territory"),
                theme: query.string("theme"), require: query.strings("require"), maxSize: try query.int("max_size"),
                top: try query.int("top"), lang: try query.choice("lang", Language.self),
                public: try query.bool("public"), status: query.strings("status"))
            return try await answer(request, graph: graph, access: access) {
                try jsonData(try await blocking { try app.coalitions(coalitions, access: access) })
            }
        }
    }

    func addTimeRoutes(to router: Router<TramaContext>) {
        let app = app
        router.get("/v1/graphs/{graph}/snapshots") { _, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            return try json(try await blocking { try app.snapshots(GraphRead(graph: graph), access: access) })
        }
        router.post("/v1/graphs/{graph}/snapshots") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            var snapshot = try await body(request, as: SnapshotRequest.self)
            snapshot.graph = graph
            let who = writer(context, request)
            let taking = snapshot
            return try json(try await blocking { try app.createSnapshot(taking, by: who) }, status: .created)
        }
        router.delete("/v1/graphs/{graph}/snapshots/{name}") { _, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            let name = try pathParameter(context, "name")
            return try json(try await blocking { try app.deleteSnapshot(graph: graph, name: name) })
        }
        router.post("/v1/graphs/{graph}/undo") { request, context in
            let graph = try graphParameter(context)
            try require(.editor, context, graph)
            var undo = try await body(request, as: UndoRequest.self)
            undo.graph = graph
            let who = writer(context, request)
            let undoing = undo
            return try json(try await blocking { try app.undo(undoing, by: who) })
        }
        router.get("/v1/graphs/{graph}/diff") { request, context in
            let graph = try graphParameter(context)
            let access = try readAccess(context, graph)
            let query = Query(request)
            guard query.string("from") != nil || query.string("from_on") != nil else {
                throw TramaError.invalidField("from", "is missing: give from (a moment or snapshot) or from_on (a date in the world)")
            }
            let diff = DiffRequest(
                graph: graph, from: try query.string("from").map { try Moment(parsing: $0, field: "from") },
                to: try query.string("to").map { try Moment(parsing: $0, field: "to") },
                fromOn: try query.string("from_on").map { try WorldDate(parsing: $0, field: "from_on") },
                toOn: try query.string("to_on").map { try WorldDate(parsing: $0, field: "to_on") },
                metrics: try query.bool("metrics"), gaps: try query.bool("gaps"), top: try query.int("top"),
                lang: try query.choice("lang", Language.self), public: try query.bool("public"))
            return try await answer(request, graph: graph, access: access) {
                try jsonData(try await blocking { try app.diff(diff, access: access) })
            }
        }
    }

    func addMapRoutes(to router: Router<TramaContext>) {
        for format in [MapFormat.svg, .png, .pdf] {
            router.get("/v1/graphs/{graph}/map.\(format.rawValue)") { request, context in
                try await map(request, context, format: format)
            }
        }
    }

    /// A map: its request built from one graph version here, the bytes from the
    /// cache or from a worker process.
    func map(_ request: Request, _ context: TramaContext, format: MapFormat) async throws -> Response {
        let graph = try graphParameter(context)
        let access = try readAccess(context, graph)
        let query = Query(request)
        var map = MapQuery(
            graph: graph, asOf: try query.moment(), on: try query.date(), view: try query.string("view").map { try MapView(parsing: $0) },
            filter: try query.filter(),
            layout: try query.choice("layout", MapLayout.self), format: format, sizeBy: try query.choice("size_by", Metric.self),
            colorBy: try query.choice("color_by", ColorBy.self), clusters: try query.bool("clusters"),
            overlay: try query.choice("overlay", MapOverlay.self), lang: try query.choice("lang", Language.self),
            title: query.string("title"),
            date: query.string("date"), legend: try query.bool("legend"), lab: try query.bool("lab"), public: try query.bool("public"))
        map.compareFrom = try query.string("diff_from").map { try Moment(parsing: $0, field: "diff_from") }
        map.compareTo = try query.string("diff_to").map { try Moment(parsing: $0, field: "diff_to") }
        map.relayout = try query.bool("relayout")
        let drawn = map
        let app = app
        let renderer = renderer
        let types: [MapFormat: String] = [.svg: "image/svg+xml", .png: "image/png", .pdf: "application/pdf"]
        return try await answer(request, graph: graph, access: access, type: types[format]!) {
            let mapRequest = try await blocking { try app.mapRequest(drawn, access: access) }
            let (bytes, positions) = try await renderer.render(mapRequest)
            try await blocking { app.keepLayout(of: mapRequest, positions) }
            return bytes
        }
    }
}

/// The files of a multipart/form-data body (RFC 7578).
///
/// Written here rather than taken from multipart-kit: its parser (4.7.1) traps on a
/// header name with a byte above 127, which brought the whole service down in the
/// schemathesis run. This one only slices the body and never traps.
enum Multipart {
    static func files(_ data: Data, boundary: String) throws -> [ImportSource] {
        let malformed = APIError(.badRequest, code: "malformed", "the multipart body could not be read: check its boundary and parts")
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else { throw malformed }
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        let blank = Data("\r\n\r\n".utf8)
        guard var cursor = data.range(of: delimiter)?.upperBound else { throw malformed }
        var files: [ImportSource] = []
        while true {
            // After a delimiter: `--` ends the body, CRLF starts a part.
            if data[cursor...].starts(with: Data("--".utf8)) { break }
            guard data[cursor...].starts(with: crlf) else { throw malformed }
            cursor += 2
            guard let headersEnd = data.range(of: blank, in: cursor..<data.endIndex) else { throw malformed }
            let headers = String(decoding: data[cursor..<headersEnd.lowerBound], as: UTF8.self)
            let contentStart = headersEnd.upperBound
            guard let next = data.range(of: crlf + delimiter, in: contentStart..<data.endIndex) else { throw malformed }
            files.append(.bytes(Data(data[contentStart..<next.lowerBound]), named: fileName(headers)))
            cursor = next.upperBound
            guard files.count <= 16 else { throw TramaError.invalidField("body", "has more than 16 parts: send the two sheets") }
        }
        guard !files.isEmpty else {
            throw TramaError.invalidField("body", "has no files: send the actors and relations sheets as form fields")
        }
        return files
    }

    /// The file a part's `Content-Disposition` names (its `filename`, else its `name`), as a plain file name.
    static func fileName(_ headers: String) -> String {
        var name: String?
        for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            for part in line.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                let value = part.split(separator: "=", maxSplits: 1).last.map {
                    $0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
                if part.lowercased().hasPrefix("filename=") {
                    name = value
                } else if part.lowercased().hasPrefix("name="), name == nil {
                    name = value
                }
            }
        }
        var file = (name ?? "upload").split(separator: "/").last.map(String.init) ?? "upload"
        if file.isEmpty { file = "upload" }
        if !file.contains(".") { file += ".csv" }
        return file
    }
}
