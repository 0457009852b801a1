import Foundation

/// Phase timings on standard error when profiling is on (the front end turns it
/// on from its configuration): how the import benchmark tells parsing,
/// validation and SQLite apart.
public enum Profile {
    nonisolated(unsafe) static var last = Date()
    nonisolated(unsafe) public static var enabled = false {
        didSet { last = Date() }
    }

    public static func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let now = Date()
        FileHandle.standardError.write(
            Data(String(format: "profile: %-32@ %7.3f s\n", phase() as NSString, now.timeIntervalSince(last)).utf8))
        last = now
    }
}
