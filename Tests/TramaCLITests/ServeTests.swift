import Foundation
import Testing
import TramaTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `trama serve` as a user starts it: a real server on loopback, seeded, queried,
/// and stopped with SIGTERM while a request is in flight.
struct ServeTests {
    /// Sends one request and waits for its answer.
    func fetch(_ url: String, token: String? = nil, method: String = "GET", body: String? = nil) throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String) = (0, "")
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    @Test func aRealServerStartsAnswersAndStopsCleanly() throws {
        let ws = try Workspace()
        defer { ws.cleanup() }
        _ = try ws.ok("seed", "talents4coop")
        let token = try ws.ok("token", "create", "--graph", "talents4coop", "--role", "editor").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("trama_"))
        let tokens = try json(try ws.ok("token", "list", "--json"))["tokens"] as? [[String: Any]]
        #expect(tokens?.count == 1 && tokens?.first?["role"] as? String == "editor")
        #expect(!(try ws.ok("token", "list", "--json")).contains(token), "the secret is never shown again")

        let server = Process()
        server.executableURL = URL(fileURLWithPath: buildFolder + "/trama")
        server.arguments = ["serve", "--db", ws.db, "--port", "0"]
        server.currentDirectoryURL = URL(fileURLWithPath: ws.folder.path)
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        // The first line says where it listens.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        let address = try #require(
            text.range(of: "http://127.0.0.1:[0-9]+", options: .regularExpression).map { String(text[$0]) }, "\(text)")

        #expect(try fetch(address + "/health").status == 200)
        #expect(try fetch(address + "/v1/graphs/talents4coop/summary").status == 401)
        let gaps = try fetch(address + "/v1/graphs/talents4coop/gaps?territory=Parma&lang=it", token: token)
        #expect(gaps.status == 200 && gaps.body.contains("pubblica amministrazione"))
        let added = try fetch(
            address + "/v1/graphs/talents4coop/relations", token: token, method: "POST",
            body: "{\"from\": \"heron\", \"to\": \"solco\", \"type\": \"partners_with\"}")
        #expect(added.status == 201)
        let map = try fetch(address + "/v1/graphs/talents4coop/map.svg?view=ego:heron", token: token)
        #expect(map.status == 200 && map.body.contains("<svg") && map.body.contains("Consorzio Solco"))

        // SIGTERM while a render is in flight: the answer still comes, then the server exits.
        nonisolated(unsafe) var inFlight = (0, "")
        let answered = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            inFlight = (try? self.fetch(address + "/v1/graphs/talents4coop/map.png?layout=neato&title=last", token: token)) ?? (0, "")
            answered.signal()
        }
        Thread.sleep(forTimeInterval: 0.15)
        kill(server.processIdentifier, SIGTERM)
        answered.wait()
        server.waitUntilExit()
        #expect(inFlight.0 == 200, "the request in flight was finished")
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
    }
}
