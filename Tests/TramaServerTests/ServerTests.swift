import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TramaApp
import TramaExchange
import TramaModel
import TramaServer
import TramaTestSupport

/// A store with the Talents4coop seed and the fixture, tokens of every role, and
/// a service over them (its render workers are the `trama` binary built beside the tests).
struct ServiceFixture {
    let folder: TemporaryFolder
    let app: Trama
    let viewer: String, editor: String, admin: String, other: String, privateViewer: String
    static let who = WriteContext(author: "tester", command: "test")

    init() throws {
        folder = try TemporaryFolder()
        app = Trama(AppConfiguration(storePath: folder.file("trama.db"), seedsFolders: [packageRoot + "/seeds"], cachedGraphs: 4))
        try app.openForWriting(create: true)
        _ = try app.seed(SeedRequest(name: "talents4coop"), by: Self.who)
        _ = try app.importData(
            ImportRequest(graph: "fixture", sources: [.bytes(try JSONFormat.write(fixtureEcosystem()), named: "f.json")]),
            by: Self.who)
        viewer = try app.createToken(TokenDraft(graph: "fixture", role: .viewer)).token
        privateViewer = try app.createToken(TokenDraft(graph: "fixture", role: .viewer, seePrivate: true)).token
        editor = try app.createToken(TokenDraft(graph: "fixture", role: .editor)).token
        admin = try app.createToken(TokenDraft(graph: "*", role: .admin)).token
        other = try app.createToken(TokenDraft(graph: "talents4coop", role: .editor)).token
    }

    func configuration(
        openRead: Bool = false, renderWorkers: Int = 2, renderQueue: Int = 32, renderDeadline: TimeInterval = 20,
        importLimit: Int = 50 << 20
    ) -> ServerConfiguration {
        ServerConfiguration(
            openRead: openRead, importLimit: importLimit, renderWorkers: renderWorkers, renderQueue: renderQueue,
            renderDeadline: renderDeadline, workerExecutable: buildFolder + "/trama")
    }

    func application(_ configuration: ServerConfiguration? = nil) -> some ApplicationProtocol {
        TramaService(app: app, configuration: configuration ?? self.configuration()).application()
    }

    func cleanup() { folder.cleanup() }
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

func object(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}

/// The error of an error response: its code, and no trace of the server's disk.
func errorCode(_ response: TestResponse, _ fixture: ServiceFixture) throws -> String? {
    let text = String(buffer: response.body)
    #expect(!text.contains(fixture.folder.path) && !text.contains("SQLITE") && !text.contains(".swift"), "\(text)")
    return (try object(response)["error"] as? [String: Any])?["code"] as? String
}

struct RouteTests {
    /// A route's path with its parameters unnamed (`{graph}` and `:graph` alike).
    static func normal(_ path: String) -> String {
        path.replacingOccurrences(of: "\\{[a-z_]+\\}", with: "{}", options: .regularExpression)
            .replacingOccurrences(of: ":[a-z_]+", with: "{}", options: .regularExpression)
    }

    /// Every read route answers the JSON the command line prints for the same request.
    @Test func everyReadAnswersWhatTheCoreAnswers() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        let app = f.app
        func same<T: Encodable>(_ uri: String, _ expected: T) async throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let text = String(decoding: try encoder.encode(expected), as: UTF8.self) + "\n"
            try await f.application().test(.router) { client in
                try await client.execute(uri: uri, method: .get, headers: bearer(f.editor)) { response in
                    #expect(response.status == .ok, "\(uri): \(String(buffer: response.body))")
                    #expect(String(buffer: response.body) == text, "\(uri)")
                }
            }
        }
        try await same("/v1/graphs/fixture/summary", try app.summary(GraphRead(graph: "fixture")))
        try await same("/v1/graphs/fixture/actors?territory=Bologna", try app.actors(ActorQuery(graph: "fixture", territory: "Bologna")))
        try await same("/v1/graphs/fixture/actors/coop-a", try app.actor(ActorLookup(graph: "fixture", id: "coop-a")))
        try await same("/v1/graphs/fixture/relations?type=partner", try app.relations(RelationQuery(graph: "fixture", types: ["partner"])))
        try await same(
            "/v1/graphs/fixture/analyses/betweenness?undirected=true&top=3",
            try app.analyze(AnalysisRequest(graph: "fixture", metric: .betweenness, filter: ViewFilter(undirected: true), top: 3)))
        try await same(
            "/v1/graphs/fixture/analyses/communities?algorithm=leiden&seed=2",
            try app.analyze(AnalysisRequest(graph: "fixture", metric: .communities, algorithm: .leiden, seed: 2)))
        try await same("/v1/graphs/fixture/gaps?lang=it", try app.gaps(GapsRequest(graph: "fixture", lang: .it)))
        try await same(
            "/v1/graphs/fixture/recommendations/coop-b?top=2",
            try app.recommend(RecommendRequest(graph: "fixture", actor: "coop-b", top: 2)))
        try await same(
            "/v1/graphs/fixture/coalitions?require=cooperative:2&require=mentor",
            try app.coalitions(CoalitionsRequest(graph: "fixture", require: ["cooperative:2", "mentor"])))
        try await same("/v1/graphs/fixture/log", try app.detailedLog(LogRequest(graph: "fixture", limit: 50)))
        let firstChange = try #require(try app.log(GraphRead(graph: "fixture")).changes.first?.id)
        try await same(
            "/v1/graphs/fixture/log?change=\(firstChange)&limit=2",
            try app.detailedLog(LogRequest(graph: "fixture", change: firstChange, limit: 2)))
        try await same(
            "/v1/graphs/fixture/diff?from=change:\(firstChange)&lang=it",
            try app.diff(DiffRequest(graph: "fixture", from: .change(firstChange), lang: .it)))
        try await same(
            "/v1/graphs/fixture/diff?from_on=2019&to_on=2021",
            try app.diff(DiffRequest(graph: "fixture", fromOn: WorldDate(parsing: "2019"), toOn: WorldDate(parsing: "2021"))))
        try await same("/v1/graphs/fixture/snapshots", try app.snapshots(GraphRead(graph: "fixture")))
        try await same(
            "/v1/graphs/fixture/summary?on=2021-06", try app.summary(GraphRead(graph: "fixture", on: WorldDate(parsing: "2021-06"))))
        try await same("/v1/graphs/fixture/vocabulary", try app.vocabulary(GraphRead(graph: "fixture")))
        try await same("/v1/graphs/fixture/rules", try app.rules(GraphRead(graph: "fixture")))
        let first = try #require(try app.log(GraphRead(graph: "fixture")).changes.first?.at)
        try await same(
            "/v1/graphs/fixture/summary?as_of=\(first)", try app.summary(GraphRead(graph: "fixture", asOf: Moment(parsing: first))))
    }

    /// What a browser sends: spaces as `+` in the query, accented ids percent-encoded in the path.
    @Test func spacesAndAccentsReachTheCoreAsTyped() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        let who = ServiceFixture.who
        _ = try f.app.addActor(
            ActorDraft(
                graph: "fixture", id: "coop-città",
                fields: ActorFields(name: "Coop Città", kind: "cooperative", territory: "Emilia-Romagna/Reggio Emilia")), by: who)
        // partners_with is undirected: stored with its ends in order (coop-a first), asked for as typed.
        let tie = try f.app.addRelation(RelationDraft(graph: "fixture", from: "coop-città", to: "coop-a", type: "partners_with"), by: who)
        try await f.application().test(.router) { client in
            try await client.execute(uri: "/v1/graphs/fixture/actors?territory=Reggio+Emilia", method: .get, headers: bearer(f.editor)) {
                response in
                let ids = (try object(response)["actors"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(response.status == .ok && ids == ["coop-città"], "\(String(buffer: response.body))")
            }
            try await client.execute(uri: "/v1/graphs/fixture/actors/coop-citt%C3%A0", method: .get, headers: bearer(f.editor)) {
                response in
                let actor = try object(response)["actor"] as? [String: Any]
                #expect(response.status == .ok && actor?["name"] as? String == "Coop Città")
            }
            try await client.execute(
                uri: "/v1/graphs/fixture/relations/\(tie.relation!)", method: .patch,
                headers: [.authorization: "Bearer \(f.editor)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"status": "ended", "until": "2026-11"}"#)
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            // A literal plus is %2B.
            try await client.execute(uri: "/v1/graphs/fixture/actors?territory=Reggio%2BEmilia", method: .get, headers: bearer(f.editor)) {
                response in
                #expect(response.status == .unprocessableContent, "`Reggio+Emilia` is no territory")
            }
        }
        #expect(try f.app.relation(RelationLookup(graph: "fixture", id: tie.relation!)).relation.status == .ended)
        let selfTie = failure {
            _ = try f.app.addRelation(RelationDraft(graph: "fixture", from: "coop-a", to: "coop-a", type: "partners_with"), by: who)
        }
        #expect(selfTie?.message.contains("two different actors") == true)
    }

    @Test func errorsAnswerTheirStatusAsJSON() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        try await f.application().test(.router) { client in
            func expect(
                _ uri: String, _ method: HTTPRequest.Method = .get, token: String? = nil, body: String? = nil,
                status: HTTPResponse.Status, code: String
            ) async throws {
                try await client.execute(
                    uri: uri, method: method, headers: token.map(bearer) ?? [:],
                    body: body.map { ByteBuffer(string: $0) }
                ) { response in
                    #expect(response.status == status, "\(method) \(uri): \(String(buffer: response.body))")
                    let found = try errorCode(response, f)
                    #expect(found == code, "\(method) \(uri)")
                }
            }
            try await expect("/v1/graphs/fixture/analyses/degree?top=abc", token: f.viewer, status: .badRequest, code: "malformed")
            try await expect(
                "/v1/graphs/fixture/actors", .post, token: f.editor, body: "{\"name\": ", status: .badRequest, code: "malformed")
            try await expect("/v1/graphs/fixture/summary", status: .unauthorized, code: "unauthorized")
            try await expect("/v1/graphs/fixture/summary", token: "trama_not-a-token", status: .unauthorized, code: "unauthorized")
            try await expect(
                "/v1/graphs/fixture/actors", .post, token: f.viewer, body: "{\"id\": \"x\", \"kind\": \"mentor\"}", status: .forbidden,
                code: "forbidden")
            try await expect("/v1/graphs/fixture/summary", token: f.other, status: .forbidden, code: "forbidden")
            try await expect("/v1/graphs/fixture", .delete, token: f.editor, status: .forbidden, code: "forbidden")
            try await expect("/v1/graphs/nowhere/summary", token: f.admin, status: .notFound, code: "not-found")
            try await expect("/v1/graphs/fixture/actors/nobody", token: f.viewer, status: .notFound, code: "not-found")
            // A private actor is not forbidden to a public viewer: it does not exist.
            try await expect("/v1/graphs/fixture/actors/cons", token: f.viewer, status: .notFound, code: "not-found")
            try await expect("/v1/graphs/fixture/nothing-here", token: f.viewer, status: .notFound, code: "not-found")
            try await expect("/v1/graphs/fixture/analyses/popularity", token: f.viewer, status: .notFound, code: "not-found")
            try await expect(
                "/v1/graphs/fixture/relations", .post, token: f.editor,
                body: "{\"from\": \"coop-a\", \"to\": \"coop-b\", \"type\": \"partners_with\"}",
                status: .conflict, code: "conflict")
            try await expect("/v1/graphs/fixture/actors/coop-a", .delete, token: f.editor, status: .conflict, code: "has-relations")
            try await expect("/v1/graphs/fixture", .delete, token: f.admin, status: .conflict, code: "graph-not-empty")
            try await expect(
                "/v1/graphs/fixture/actors", .post, token: f.editor,
                body: "{\"id\": \"x\", \"kind\": \"mentor\", \"description\": \"\(String(repeating: "a", count: 1_100_000))\"}",
                status: .contentTooLarge, code: "too-large")
            try await expect(
                "/v1/graphs/fixture/analyses/degree?top=-3", token: f.viewer, status: .unprocessableContent, code: "invalid-value")
            try await expect(
                "/v1/graphs/fixture/summary?as_of=30/11/2026", token: f.viewer, status: .unprocessableContent, code: "invalid-moment")
            try await expect(
                "/v1/graphs/fixture/gaps?territory=Ivrea", token: f.viewer, status: .unprocessableContent, code: "unknown-territory")
            try await expect("/v1/graphs/fixture/relations/abc", token: f.viewer, status: .badRequest, code: "malformed")
            try await expect("/v1/graphs/fixture/export?format=csv", token: f.viewer, status: .unprocessableContent, code: "invalid-value")
        }
    }

    /// A map above the size a map can hold is refused as invalid input, before any worker starts.
    @Test func aMapAboveTheCapIsRefusedBeforeGraphviz() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        let actors = "ID,Label,Type\n" + (0...3000).map { "m\($0),Mentor \($0),mentor" }.joined(separator: "\n") + "\n"
        _ = try f.app.importData(
            ImportRequest(graph: "crowd", sources: [.bytes(Data(actors.utf8), named: "a.csv")]), by: ServiceFixture.who)
        // The workers are a program that does not exist: a render that reached them would fail otherwise.
        var configuration = f.configuration()
        configuration.workerExecutable = "/nonexistent/trama"
        try await f.application(configuration).test(.router) { client in
            try await client.execute(uri: "/v1/graphs/crowd/map.svg", method: .get, headers: bearer(f.admin)) { response in
                let code = try errorCode(response, f)
                #expect(response.status == .unprocessableContent && code == "map-too-large")
            }
        }
    }

    /// A browser on another site gets no CORS headers unless the server was started with its origin.
    @Test func crossOriginCallsOnlyFromOriginsAllowed() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        try await f.application().test(.router) { client in
            try await client.execute(
                uri: "/v1/graphs/fixture/summary", method: .get,
                headers: [.authorization: "Bearer \(f.viewer)", .origin: "https://lab.example"]
            ) { response in
                #expect(response.status == .ok && response.headers[.accessControlAllowOrigin] == nil)
            }
        }
        var configuration = f.configuration()
        configuration.allowOrigins = ["https://lab.example"]
        try await f.application(configuration).test(.router) { client in
            try await client.execute(uri: "/v1/graphs/fixture/summary", method: .options, headers: [.origin: "https://lab.example"]) {
                response in
                #expect(response.status == .noContent && response.headers[.accessControlAllowOrigin] == "https://lab.example")
                #expect(response.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            }
            try await client.execute(
                uri: "/v1/graphs/fixture/summary", method: .get,
                headers: [.authorization: "Bearer \(f.viewer)", .origin: "https://elsewhere.example"]
            ) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test func publicReadersNeverSeePrivateData() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        try await f.application(f.configuration(openRead: true)).test(.router) { client in
            for token in [nil, f.viewer] as [String?] {
                for uri in [
                    "/v1/graphs/fixture/actors", "/v1/graphs/fixture/relations", "/v1/graphs/fixture/summary", "/v1/graphs/fixture/export",
                    "/v1/graphs/fixture/analyses/degree", "/v1/graphs/fixture/gaps", "/v1/graphs/fixture/coalitions",
                    "/v1/graphs/fixture/recommendations/coop-a", "/v1/graphs/fixture/map.svg",
                ] {
                    try await client.execute(uri: uri, method: .get, headers: token.map(bearer) ?? [:]) { response in
                        let text = String(buffer: response.body)
                        #expect(response.status == .ok, "\(uri): \(text.prefix(300))")
                        #expect(!text.contains("Consorzio &") && !text.contains("\"cons\""), "\(uri) shows the private consortium")
                        #expect(!text.contains("lab 2"), "\(uri) shows the private contract's provenance")
                    }
                }
            }
            // The viewer that may see private data sees it; anonymous readers cannot write or read the log.
            try await client.execute(uri: "/v1/graphs/fixture/actors/cons", method: .get, headers: bearer(f.privateViewer)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v1/graphs/fixture/log", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/graphs", method: .get) { response in
                let graphs = try object(response)["graphs"] as? [[String: Any]]
                #expect(graphs?.count == 2)
            }
        }
    }

    @Test func editorsWriteAndImport() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        try await f.application().test(.router) { client in
            var id = 0
            try await client.execute(
                uri: "/v1/graphs/fixture/relations", method: .post, headers: bearer(f.editor),
                body: ByteBuffer(string: "{\"from\": \"coop-b\", \"to\": \"pa-bo\", \"type\": \"co_designs_with\", \"since\": \"2024\"}")
            ) { response in
                #expect(response.status == .created)
                id = try #require(try object(response)["relation"] as? Int)
            }
            try await client.execute(
                uri: "/v1/graphs/fixture/relations/r-\(id)", method: .patch, headers: bearer(f.editor),
                body: ByteBuffer(string: "{\"status\": \"ended\", \"until\": \"2025\"}")
            ) { response in
                let relation = try object(response)["relation"] as? Int
                #expect(response.status == .ok && relation == id)
            }
            try await client.execute(uri: "/v1/graphs/fixture/relations/\(id)", method: .get, headers: bearer(f.viewer)) { response in
                let relation = try object(response)
                #expect(
                    relation["status"] as? String == "ended" && relation["since"] as? String == "2024"
                        && relation["until"] as? String == "2025")
            }
            try await client.execute(
                uri: "/v1/graphs/fixture/actors/coop-b", method: .patch, headers: bearer(f.editor),
                body: ByteBuffer(string: "{\"themes\": [\"giovani\"]}")
            ) { #expect($0.status == .ok) }
            // Two sheets as a form: all or nothing.
            let boundary = "XyZ-boundary"
            func form(_ actors: String, _ relations: String) -> ByteBuffer {
                ByteBuffer(
                    string: """
                        --\(boundary)\r\nContent-Disposition: form-data; name="actors"; filename="actors.csv"\r\nContent-Type: text/csv\r\n\r\n\(actors)\r\n\
                        --\(boundary)\r\nContent-Disposition: form-data; name="relations"; filename="relations.csv"\r\nContent-Type: text/csv\r\n\r\n\(relations)\r\n\
                        --\(boundary)--\r\n
                        """)
            }
            let headers: HTTPFields = [.authorization: "Bearer \(f.editor)", .contentType: "multipart/form-data; boundary=\(boundary)"]
            try await client.execute(
                uri: "/v1/graphs/fixture/import", method: .post, headers: headers,
                body: form("ID,Label,Type\nnew-coop,New Coop,cooperative\n", "From,To,Type\nnew-coop,coop-a,partners_with\n")
            ) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let summary = try object(response)
                #expect(summary["actors_added"] as? Int == 1 && summary["relations_added"] as? Int == 1)
            }
            try await client.execute(
                uri: "/v1/graphs/fixture/import", method: .post, headers: headers,
                body: form("ID,Label,Type\nsecond,Second,cooperative\nthird,Third,robot\n", "From,To,Type\nsecond,coop-a,partners_with\n")
            ) { response in
                #expect(response.status == .unprocessableContent)
                let error = try #require(try object(response)["error"] as? [String: Any])
                #expect(error["file"] as? String == "actors.csv" && error["line"] as? String == "3", "\(error)")
            }
            try await client.execute(uri: "/v1/graphs/fixture/actors/second", method: .get, headers: bearer(f.viewer)) {
                #expect($0.status == .notFound)
            }
            // One JSON document.
            try await client.execute(
                uri: "/v1/graphs/copy/import", method: .post,
                headers: [.authorization: "Bearer \(f.admin)", .contentType: "application/json"],
                body: ByteBuffer(data: try JSONFormat.write(fixtureEcosystem()))
            ) { response in
                let added = try object(response)["actors_added"] as? Int
                #expect(response.status == .ok && added == 6)
            }
            try await client.execute(uri: "/v1/graphs/fixture/export?format=csv&sheet=actors", method: .get, headers: bearer(f.editor)) {
                response in
                #expect(response.status == .ok && String(buffer: response.body).hasPrefix("ID,Label,Type"))
            }
        }
    }

    /// The page and the document are inside the binary, byte for byte the files in the tree.
    @Test func thePageAndTheDocumentAreServedFromTheBinary() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        let folder = packageRoot + "/Sources/TramaServer/Embedded/"
        try await f.application().test(.router) { client in
            for (uri, file, type) in [
                ("/", "page/index.html", "text/html"), ("/page/app.js", "page/app.js", "text/javascript"),
                ("/page/style.css", "page/style.css", "text/css"), ("/openapi.json", "openapi.json", "application/json"),
            ] {
                let expected = try Data(contentsOf: URL(fileURLWithPath: folder + file))
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix(type) == true, "\(uri)")
                    #expect(Data(buffer: response.body) == expected, "\(uri) is \(file)")
                }
            }
        }
    }

    @Test func theDocumentDescribesEveryRoute() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        let router = TramaService(app: f.app, configuration: f.configuration()).router()
        let registered = Set(router.routes.map { "\($0.method.rawValue) \(Self.normal("\($0.path)"))" })
        try await f.application().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let document = try object(response)
                #expect(document["openapi"] as? String == "3.0.3")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                var documented = Set<String>()
                for (path, operations) in paths {
                    for method in operations.keys { documented.insert("\(method.uppercased()) \(Self.normal(path))") }
                }
                #expect(
                    documented == registered,
                    "in the document only: \(documented.subtracting(registered)); registered only: \(registered.subtracting(documented))")
            }
        }
    }
}

struct RenderTests {
    @Test func mapsComeFromWorkersAndAreCached() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        try await f.application().test(.router) { client in
            var first = ByteBuffer()
            try await client.execute(
                uri: "/v1/graphs/fixture/map.svg?view=ego:anna&date=2026-11-30", method: .get, headers: bearer(f.editor)
            ) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "image/svg+xml")
                first = response.body
                #expect(String(buffer: response.body).contains("Anna Rossi"))
            }
            try await client.execute(
                uri: "/v1/graphs/fixture/map.svg?date=2026-11-30&view=ego:anna", method: .get, headers: bearer(f.editor)
            ) { response in
                #expect(response.body == first, "the same map again")
            }
            try await client.execute(uri: "/v1/graphs/fixture/map.png?view=ego:anna", method: .get, headers: bearer(f.editor)) { response in
                #expect(response.status == .ok && Array(response.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            }
            try await client.execute(uri: "/v1/graphs/fixture/map.pdf?view=whole", method: .get, headers: bearer(f.editor)) { response in
                #expect(response.status == .ok && String(buffer: response.body).hasPrefix("%PDF"))
            }
        }
    }

    /// A render past its deadline is stopped (504), a worker killed mid-render fails that render alone, and the
    /// next render works; a full queue answers 503.
    @Test func slowAndKilledRendersDoNotStopTheNext() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        // circo on a consortium with 60 member cooperatives takes seconds (6.5 s measured; a star
        // is circo's worst case, and larger ones are refused before Graphviz).
        let sheet = "From,To,Type\n" + (0..<60).map { "c\($0),hub,member_of" }.joined(separator: "\n") + "\n"
        let actors =
            "ID,Label,Type\nhub,Hub,consortium\n" + (0..<60).map { "c\($0),Coop \($0),cooperative" }.joined(separator: "\n") + "\n"
        _ = try f.app.importData(
            ImportRequest(graph: "slow", sources: [.bytes(Data(actors.utf8), named: "a.csv"), .bytes(Data(sheet.utf8), named: "r.csv")]),
            by: ServiceFixture.who)
        // Its workers have a memory limit no other test uses, so that killing them kills nobody else's.
        var configuration = f.configuration(renderWorkers: 1, renderQueue: 0, renderDeadline: 2)
        configuration.renderMemoryMB = 1999
        try await f.application(configuration).test(.router) { client in
            let slow = "/v1/graphs/slow/map.svg?layout=circo"
            /// Waits until this test's worker is rendering.
            func workerRuns() async throws {
                var tries = 0
                while try run("/usr/bin/pgrep", ["-f", "render-worker --memory-mb 1999"]).status != 0, tries < 200 {
                    tries += 1
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            async let late = client.execute(uri: slow, method: .get, headers: bearer(f.admin)) { $0.status }
            try await workerRuns()
            // One worker, no queue: a second render meanwhile is refused.
            try await client.execute(uri: "/v1/graphs/fixture/map.svg?view=whole", method: .get, headers: bearer(f.editor)) { response in
                let code = try errorCode(response, f)
                #expect(response.status == .serviceUnavailable && code == "busy")
            }
            #expect(try await late == .gatewayTimeout)
            try await client.execute(uri: "/v1/graphs/fixture/map.svg?view=whole&title=after", method: .get, headers: bearer(f.editor)) {
                response in
                #expect(response.status == .ok, "the next render works")
            }
            // A worker killed while it renders.
            async let killed = client.execute(uri: slow + "&title=killed", method: .get, headers: bearer(f.admin)) { $0.status }
            try await workerRuns()
            _ = try run("/usr/bin/pkill", ["-KILL", "-f", "render-worker --memory-mb 1999"])
            #expect(try await killed == .internalServerError)
            try await client.execute(uri: "/v1/graphs/fixture/map.svg?view=whole&title=again", method: .get, headers: bearer(f.editor)) {
                response in
                #expect(response.status == .ok, "and the next one after that")
            }
        }
    }
}

struct ConcurrencyTests {
    /// Readers answer while a writer writes; every write lands.
    @Test func readersAndAWriterAtOnce() async throws {
        let f = try ServiceFixture()
        defer { f.cleanup() }
        try await f.application().test(.router) { client in
            try await withThrowingTaskGroup(of: [Int].self) { group in
                group.addTask {
                    for i in 0..<20 {
                        try await client.execute(
                            uri: "/v1/graphs/fixture/actors", method: .post, headers: bearer(f.editor),
                            body: ByteBuffer(string: "{\"id\": \"w\(i)\", \"kind\": \"mentor\"}")
                        ) { #expect($0.status == .created) }
                    }
                    return []
                }
                for _ in 0..<4 {
                    group.addTask {
                        var counts: [Int] = []
                        for _ in 0..<15 {
                            try await client.execute(uri: "/v1/graphs/fixture/summary", method: .get, headers: bearer(f.editor)) {
                                response in
                                #expect(response.status == .ok)
                                counts.append(try object(response)["actors"] as? Int ?? -1)
                            }
                        }
                        return counts
                    }
                }
                for try await counts in group {
                    #expect(
                        counts == counts.sorted() && counts.allSatisfy { (6...26).contains($0) },
                        "each reader sees the graph grow: \(counts)")
                }
            }
            try await client.execute(uri: "/v1/graphs/fixture/summary", method: .get, headers: bearer(f.editor)) { response in
                let actors = try object(response)["actors"] as? Int
                #expect(actors == 26)
            }
        }
    }
}
