// trama-bench: times Trama's analyses in-process on an edge list, for
// scripts/bench-analysis, which runs igraph and networkit on the same file.
//
//   trama-bench EDGES.csv METRIC[,METRIC...]     (the relations sheet: From,To first)
//   trama-bench --store DB GRAPH                 (time the application's core numbers from a store)
//   trama-bench --store DB GRAPH METRIC          (time METRIC on the store's graph once it is in memory)
//
// Prints one line per metric: `metric seconds checksum`, then `peak_mb N`.
import Foundation
import TramaAnalysis
import TramaApp
import TramaModel

func now() -> Double { Date().timeIntervalSince1970 }

func peakMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
        let kb = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "")
    else { return 0 }
    return kb / 1024
}

/// Reads the first two columns of a CSV written by scripts/synth.py (no quotes).
func readEdges(_ path: String) -> AnalysisGraph {
    let data = FileManager.default.contents(atPath: path)!
    var ids: [String] = []
    var index: [String: Int] = [:]
    var edges: [(Int, Int, Double)] = []
    func id(_ bytes: ArraySlice<UInt8>) -> Int {
        let key = String(decoding: bytes, as: UTF8.self)
        if let known = index[key] { return known }
        index[key] = ids.count
        ids.append(key)
        return ids.count - 1
    }
    data.withUnsafeBytes { raw in
        let b = Array(raw.bindMemory(to: UInt8.self))
        var i = 0
        while i < b.count, b[i] != 0x0A { i += 1 }  // header
        i += 1
        while i < b.count {
            let start = i
            while i < b.count, b[i] != 0x2C { i += 1 }
            let from = b[start..<i]
            i += 1
            let mid = i
            while i < b.count, b[i] != 0x2C, b[i] != 0x0A { i += 1 }
            let to = b[mid..<i]
            while i < b.count, b[i] != 0x0A { i += 1 }
            i += 1
            if !from.isEmpty, !to.isEmpty { edges.append((id(from), id(to), 1)) }
        }
    }
    return AnalysisGraph(ids: ids, edges: edges, directed: false)
}

let arguments = CommandLine.arguments
if arguments.count == 5, arguments[1] == "--store", let metric = Metric(rawValue: arguments[4]) {
    // The in-memory time of one analysis on a store's graph, as the service's graph cache holds it:
    // the graph read and built once, then the analysis alone (median of 9).
    let app = Trama(AppConfiguration(storePath: arguments[2], defaultGraph: arguments[3], cachedGraphs: 1))
    let request = AnalysisRequest(metric: metric, top: 10)
    _ = try app.analyze(request)
    var times: [Double] = []
    for _ in 0..<9 {
        let start = now()
        _ = try app.analyze(request)
        times.append(now() - start)
    }
    print(String(format: "in-memory-%@ %.4f", metric.rawValue as NSString, times.sorted()[4]))
    exit(0)
}
if arguments.count == 4, arguments[1] == "--store" {
    // The application's own read: store (the graph's image) → CSR → core numbers, in process.
    let app = Trama(AppConfiguration(storePath: arguments[2], defaultGraph: arguments[3]))
    let start = now()
    let result = try app.analyze(AnalysisRequest(metric: .core, top: 1))
    let done = now()
    guard case .perActor(let values) = result else { exit(1) }
    print(String(format: "store-to-core %.4f %.0f", done - start, values.values.first?.value ?? 0))
    print(String(format: "peak_mb %.0f", peakMegabytes()))
    exit(0)
}
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: trama-bench EDGES.csv METRIC[,METRIC...] | trama-bench --store DB GRAPH\n".utf8))
    exit(2)
}
let loadStart = now()
let graph = readEdges(arguments[1])
print(String(format: "load %.4f %d", now() - loadStart, graph.edgeCount))
print(String(format: "bytes_per_tie %.1f", graph.bytesPerTie))
/// The benchmark's names for what it times, as requests to the one analysis dispatch.
func request(_ name: Substring) -> AnalysisRequest? {
    switch name {
    case "pagerank": return AnalysisRequest(metric: .pagerank)
    case "components": return AnalysisRequest(metric: .components)
    case "core": return AnalysisRequest(metric: .core)
    case "louvain": return AnalysisRequest(metric: .communities, algorithm: .louvain, seed: 1)
    case "leiden": return AnalysisRequest(metric: .communities, algorithm: .leiden, seed: 1)
    case "cutpoints": return AnalysisRequest(metric: .bridges)
    case "betweenness": return AnalysisRequest(metric: .betweenness)
    case "sampled-betweenness": return AnalysisRequest(metric: .betweenness, epsilon: 0.05, delta: 0.1)
    case "harmonic": return AnalysisRequest(metric: .harmonic)
    case "closeness": return AnalysisRequest(metric: .closeness)
    case "constraint": return AnalysisRequest(metric: .constraint)
    case "clustering": return AnalysisRequest(metric: .clustering)
    case "eigenvector": return AnalysisRequest(metric: .eigenvector)
    default: return nil
    }
}
for metric in arguments[2].split(separator: ",") {
    guard let request = request(metric) else {
        FileHandle.standardError.write(Data("unknown metric \(metric)\n".utf8))
        exit(2)
    }
    let start = now()
    let checksum: Double
    if request.metric.isPerActor {
        // Per-actor analyses: the values alone, as the other libraries are timed (no sorting or naming).
        let (values, estimate) = Analyses.values(request.metric, graph, request)
        checksum = estimate.map { Double($0.samples) } ?? values.filter { !$0.isNaN }.reduce(0, +)
    } else {
        // Structural analyses: what they find, before it is given names (the other libraries name nothing either).
        switch Analyses.structure(request.metric, graph, request) {
        case .groups(let groups): checksum = Double(groups.count)
        case .partition(_, let modularity): checksum = modularity
        case .pairs(let pairs): checksum = Double(pairs.count)
        case .points(let points): checksum = Double(points.count)
        case nil: checksum = 0
        }
    }
    print(String(format: "%@ %.4f %.6g", String(metric) as NSString, now() - start, checksum))
}
print(String(format: "peak_mb %.0f", peakMegabytes()))
