import Foundation
import NIOCore
import TramaApp
import TramaModel

/// Renders maps in worker processes: Graphviz keeps global state, is not
/// thread-safe, carries layout state from one render to the next, and a layout
/// such as circo on a large star runs for minutes. Each render is a fresh
/// `trama render-worker` process with a memory limit, killed at its deadline;
/// at most `workers` run at once and `queue` more may wait, further renders are
/// refused as busy.
actor RenderPool {
    let executable: String
    let workers: Int
    let queueLimit: Int
    let deadline: TimeInterval
    let memoryMB: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(executable: String, workers: Int, queue: Int, deadline: TimeInterval, memoryMB: Int) {
        // A worker killed at its deadline closes the pipe the request is written to: that
        // write must fail (and be ignored), not raise SIGPIPE and end the whole server.
        signal(SIGPIPE, SIG_IGN)
        self.executable = executable
        self.workers = max(1, workers)
        queueLimit = max(0, queue)
        self.deadline = deadline
        self.memoryMB = memoryMB
    }

    /// The bytes of `request`, from a worker process, and where it drew each actor.
    func render(_ request: MapRequest) async throws -> (bytes: Data, positions: [String: [Double]]) {
        try await acquire()
        defer { release() }
        let output = try await Self.run(executable, request: request, deadline: deadline, memoryMB: memoryMB)
        // The worker writes the positions first: a 4-byte big-endian length, then JSON.
        guard output.count >= 4 else { throw TramaError(.storage, "the map renderer answered nothing") }
        let bytes = [UInt8](output.prefix(4))
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard output.count >= 4 + length else { throw TramaError(.storage, "the map renderer's answer was cut short") }
        let start = output.startIndex + 4
        let positions = (try? JSONDecoder().decode([String: [Double]].self, from: output[start..<start + length])) ?? [:]
        return (Data(output[(start + length)...]), positions)
    }

    private func acquire() async throws {
        if running < workers {
            running += 1
            return
        }
        guard waiting.count < queueLimit else {
            throw TramaError(.busy, "the map renderer is full (\(workers) rendering, \(queueLimit) waiting): try again in a moment")
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the slot to the next waiting render, or frees it.
    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }

    /// Runs one worker: the request as JSON on its standard input, the map on its
    /// standard output, an error as JSON on its standard error.
    static func run(_ executable: String, request: MapRequest, deadline: TimeInterval, memoryMB: Int) async throws -> Data {
        let input = try JSONEncoder().encode(request)
        return try await withCheckedThrowingContinuation { continuation in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["render-worker", "--memory-mb", "\(memoryMB)"]
            let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            let state = WorkerState()
            let group = DispatchGroup()
            nonisolated(unsafe) var output = Data()
            nonisolated(unsafe) var errors = Data()
            process.terminationHandler = { _ in group.leave() }
            group.enter()
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: TramaError(.storage, "the map renderer could not start"))
                return
            }
            group.enter()
            DispatchQueue.global().async {
                output = stdout.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
            group.enter()
            DispatchQueue.global().async {
                errors = stderr.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
            DispatchQueue.global().async {
                stdin.fileHandleForWriting.writeabilityHandler = nil
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
            }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + deadline) {
                if state.markTimedOut(), process.isRunning { kill(pid, SIGKILL) }
            }
            group.notify(queue: .global()) {
                let timedOut = !state.markFinished()
                if timedOut {
                    continuation.resume(
                        throwing: TramaError(
                            .deadline,
                            "the map took longer than \(Int(deadline)) seconds to lay out and was stopped: narrow the view, or pick a faster layout (sfdp)"
                        ))
                } else if process.terminationReason == .exit, process.terminationStatus == 0 {
                    continuation.resume(returning: output)
                } else if process.terminationReason == .exit, let error = try? JSONDecoder().decode(TramaError.self, from: errors) {
                    continuation.resume(throwing: error)
                } else {
                    continuation.resume(
                        throwing: TramaError(
                            .storage,
                            "the map renderer stopped before finishing (its memory limit is \(memoryMB) MiB): narrow the view"))
                }
            }
        }
    }
}

/// Whether a worker finished first or its deadline passed first.
final class WorkerState: @unchecked Sendable {
    private let lock = NSLock()
    private var settled = false
    private var timedOut = false

    /// True when the deadline came before the end.
    func markTimedOut() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if settled { return false }
        settled = true
        timedOut = true
        return true
    }

    /// True when the worker ended before its deadline.
    func markFinished() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if settled { return !timedOut }
        settled = true
        return true
    }
}

/// Answers kept by key, the least recently used dropped first when their bytes
/// exceed the budget. Kept as the buffers the server answers with, so a cached
/// answer is sent without a copy; behind a lock rather than an actor, so a hit
/// costs no suspension.
final class ByteCache: @unchecked Sendable {
    let budget: Int
    private let lock = NSLock()
    private var entries: [String: (data: ByteBuffer, used: UInt64)] = [:]
    private var bytes = 0
    private var clock: UInt64 = 0

    init(budget: Int) { self.budget = budget }

    func get(_ key: String) -> ByteBuffer? {
        lock.lock()
        defer { lock.unlock() }
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.data, clock)
        return entry.data
    }

    func put(_ key: String, _ data: ByteBuffer) {
        lock.lock()
        defer { lock.unlock() }
        guard data.readableBytes <= budget / 4 else { return }
        clock += 1
        if let old = entries.updateValue((data, clock), forKey: key) { bytes -= old.data.readableBytes }
        bytes += data.readableBytes
        while bytes > budget, let oldest = entries.min(by: { $0.value.used < $1.value.used }) {
            entries[oldest.key] = nil
            bytes -= oldest.value.data.readableBytes
        }
    }
}
