import ArgumentParser
import Foundation
import TramaApp
import TramaModel
import TramaServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the store over HTTP: a JSON API over every command, maps, and the page.",
        discussion: """
            Loopback only unless --host says otherwise. Reads need a viewer token (`trama token create`) unless \
            --open-read lets anonymous readers see what a public export shows; writes need an editor token. \
            Maps are drawn in worker processes, each with a deadline and a memory limit. Stops on Ctrl-C or \
            SIGTERM after the requests in flight.
            """)
    @OptionGroup var store: StoreOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port).") var port = 8080
    @Flag(name: .customLong("open-read"), help: "Let anonymous readers see the public view of every graph.") var openRead = false
    @Option(name: .customLong("allow-origin"), help: "An origin allowed to call the API from a browser (repeat; none: CORS off).")
    var allowOrigin: [String] = []
    @Option(name: .customLong("render-workers"), help: "Maps rendered at once.") var renderWorkers = 2
    @Option(name: .customLong("render-queue"), help: "Renders that may wait for a worker before the answer is 503.") var renderQueue = 32
    @Option(name: .customLong("render-timeout"), help: "Seconds a render may take before it is stopped (504).") var renderTimeout = 20.0
    @Option(name: .customLong("render-memory"), help: "A render worker's memory limit, in MiB.") var renderMemory = 2048
    @Option(name: .customLong("import-limit"), help: "The largest import body, in MiB.") var importLimit = 50
    @Option(name: .customLong("max-connections"), help: "The most connections at once.") var maxConnections = 512
    @Option(name: .customLong("request-timeout"), help: "Seconds a request may take before the answer is 503.") var requestTimeout = 60.0

    func validate() throws {
        if !(0...65535).contains(port) { throw ValidationError("--port must be 0 to 65535") }
        if renderWorkers < 1 || renderQueue < 0 || !(renderTimeout > 0) || renderMemory < 64 || importLimit < 1 || maxConnections < 1 {
            throw ValidationError(
                "--render-workers, --import-limit and --max-connections must be 1 or more, --render-memory 64 or more, --render-timeout above 0"
            )
        }
    }

    func run() async throws {
        let app = store.app(cachedGraphs: 4)
        try app.openForWriting(create: true)
        let server = TramaService(
            app: app,
            configuration: ServerConfiguration(
                host: host, port: port, openRead: openRead, allowOrigins: allowOrigin, importLimit: importLimit << 20,
                requestTimeout: requestTimeout,
                maxConnections: maxConnections, renderWorkers: renderWorkers, renderQueue: renderQueue, renderDeadline: renderTimeout,
                renderMemoryMB: renderMemory, workerExecutable: Self.executable))
        let storePath = store.storePath
        try await server.application { address in
            Console.print("trama serves \(storePath) at http://\(address)/ (the page at /, the API at /v1, its document at /openapi.json)")
            Console.note(
                openRead ? "anonymous readers see the public view" : "reads need a token: trama token create --graph NAME --role viewer")
        }.runService()
    }

    /// This very executable: the server's render workers run it.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// `trama render-worker`: reads a map request as JSON on standard input, writes the
/// map's bytes on standard output (an error as JSON on standard error). The server
/// starts one per render; it is not meant to be typed.
struct RenderWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-worker", abstract: "Render one map request (used by trama serve).",
        shouldDisplay: false)
    @Option(name: .customLong("memory-mb"), help: "Address-space limit in MiB.") var memoryMB = 2048

    func run() throws {
        var limit = rlimit(rlim_cur: rlim_t(memoryMB) << 20, rlim_max: rlim_t(memoryMB) << 20)
        setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        let input = FileHandle.standardInput.readDataToEndOfFile()
        do {
            let request = try JSONDecoder().decode(MapRequest.self, from: input)
            // The positions first (a 4-byte big-endian length, then JSON), then the map.
            let (bytes, positions) = try Trama(AppConfiguration()).layOut(request)
            let kept = try JSONEncoder().encode(positions)
            let length = UInt32(kept.count)
            Console.write(
                Data([UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]))
            Console.write(kept)
            Console.write(bytes)
        } catch {
            let failure = (error as? TramaError) ?? TramaError(.malformed, "the map request could not be read")
            FileHandle.standardError.write((try? JSONEncoder().encode(failure)) ?? Data())
            Foundation.exit(1)
        }
    }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke the HTTP service's tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token; it is printed once and stored only hashed.")
        @OptionGroup var store: StoreOptions
        @Option(help: "viewer (reads), editor (reads and writes) or admin (also deletes the graph); for --graph, `*` means every graph.")
        var role: Role
        @Option(help: "When it stops working: a date (the end of that day) or a date and time with its zone.") var expires: String?
        @Option(help: "What it is for, or whom.") var note: String?
        @Flag(name: .customLong("see-private"), help: "A viewer token that sees private actors and relations too.") var seePrivate = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if store.graph == nil { throw ValidationError("give the token's --graph (a graph's name, or '*' for every graph)") }
        }

        func run() throws {
            let created = try store.app.createToken(
                TokenDraft(
                    graph: store.graphName, role: role,
                    expires: try expires.map {
                        try Moment(parsing: $0, field: "expires", snapshots: false)
                    }, note: note, seePrivate: seePrivate))
            if json {
                try Console.json(created)
                return
            }
            Console.print(created.token)
            Console.note(
                "token \(created.record.id): \(role.rawValue) of \(created.record.graph == "*" ? "every graph" : "`\(created.record.graph)`")"
                    + (created.record.expiresAt.map { ", until \($0)" } ?? "")
                    + "; it is shown only now: keep it (send it as `Authorization: Bearer TOKEN`)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tokens (never their secret).")
        @OptionGroup var store: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let tokens = try store.app.tokens()
            if json {
                try Console.json(tokens)
                return
            }
            var table = Table(["id", "graph", "role", "private", "created", "expires", "revoked", "note"])
            for t in tokens.tokens {
                table.add([
                    "\(t.id)", t.graph, t.role, t.seePrivate ? "yes" : "no", t.createdAt, t.expiresAt ?? "-", t.revokedAt ?? "-",
                    t.note ?? "",
                ])
            }
            Console.print(tokens.tokens.isEmpty ? "no tokens" : table.text)
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: its bearer is refused from now on.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The token's id (from `trama token list`).") var id: Int64

        func run() throws {
            let record = try store.app.revokeToken(id)
            Console.print("token \(record.id) revoked")
        }
    }
}

extension Role: ExpressibleByArgument {}
