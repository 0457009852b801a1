import Foundation
import Testing
import TramaAnalysis

/// Gould–Fernandez brokerage against R's sna::brokerage (scripts/brokerage_fixtures.R).
struct BrokerageTests {
    func matrix(_ value: Any?) -> [[Double]] {
        (value as? [[Any]] ?? []).map { row in row.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
    }

    func vector(_ value: Any?) -> [Double] { (value as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue ?? .nan } }

    @Test(arguments: ["brokerage_random", "brokerage_karate", "brokerage_ecosystem"])
    func rolesExpectationsAndZScoresMatchSna(name: String) throws {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let f = try Fixture(name)
        let groups = try #require(json["groups"] as? [Int])
        let result = try #require(json["results"] as? [String: Any])
        let b = Brokerage(f.graph(), group: groups)
        for (label, ours, theirs) in [
            ("raw", b.raw, matrix(result["raw"])), ("expected", b.expected, matrix(result["expected"])),
            ("sd", b.sd, matrix(result["sd"])), ("z", b.z, matrix(result["z"])),
        ] {
            #expect(ours.count == theirs.count, "\(name) \(label) rows")
            for (v, (row, reference)) in zip(ours, theirs).enumerated() {
                expectClose(row, reference, "\(name) \(label) of \(f.nodes[v])")
            }
        }
        expectClose(b.globalRaw, vector(result["global_raw"]), "\(name) global raw")
        expectClose(b.globalExpected, vector(result["global_expected"]), "\(name) global expected")
        expectClose(b.globalSD, vector(result["global_sd"]), "\(name) global sd")
        expectClose(b.globalZ, vector(result["global_z"]), "\(name) global z")
    }
}
