import Foundation

/// Phase timings on standard error when `TRAMA_PROFILE` is set: how the
/// import benchmark tells parsing, validation and SQLite apart.
public enum Profile {
    nonisolated(unsafe) static var last = Date()
    static let enabled = ProcessInfo.processInfo.environment["TRAMA_PROFILE"] != nil

    public static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(Data(String(format: "profile: %-32@ %7.3f s\n", phase() as NSString, now.timeIntervalSince(last)).utf8))
        last = now
    }
}
