// http-ceiling: the framework's own ceiling for scripts/bench-http. A Hummingbird
// server with the same settings as `trama serve`, one route that answers a constant
// body of a given size and type: what no route of Trama can beat on this machine.
//
//   http-ceiling PORT BYTES [CONTENT-TYPE]
import Foundation
import Hummingbird
import Logging

let arguments = CommandLine.arguments
guard arguments.count >= 3, let port = Int(arguments[1]), let size = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: http-ceiling PORT BYTES [CONTENT-TYPE]\n".utf8))
    exit(2)
}
let type = arguments.count > 3 ? arguments[3] : "application/json; charset=utf-8"
let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
let router = Router()
router.get("/constant") { _, _ in Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: body)) }
var logger = Logger(label: "http-ceiling")
logger.logLevel = .notice
let app = Application(
    router: router, server: .http1(configuration: .init(idleTimeout: .seconds(30))),
    configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "trama"), logger: logger)
try await app.runService()
