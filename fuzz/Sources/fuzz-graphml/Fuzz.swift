import Foundation
import TramaExchange
import TramaModel

/// libFuzzer's entry point: the bytes as an uploaded `.graphml` file, through the
/// whole import (reading, then checking against the built-in vocabulary).
/// Refusals are expected; only a crash, a leak or a sanitizer report is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    if let read = try? Importer.read(files: [(name: "fuzz.graphml", data: data)], vocabulary: .builtIn) {
        _ = try? read.batch.resolved(vocabulary: .builtIn, existing: [:])
    }
    return 0
}
