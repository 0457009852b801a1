// trama-bench: times Trama's analyses in-process on an edge list, for
// scripts/bench-analysis, which runs igraph and networkit on the same file.
//
//   trama-bench EDGES.csv METRIC[,METRIC...]     (the relations sheet: From,To first)
//   trama-bench --store DB GRAPH                 (time building the CSR from a store)
//
// Prints one line per metric: `metric seconds checksum`, then `peak_mb N`.
import Foundation
import TramaAnalysis
import TramaModel
import TramaStore

func now() -> Double { Date().timeIntervalSince1970 }

func peakMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "") else { return 0 }
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
if arguments.count == 4, arguments[1] == "--store" {
    let store = try Store(path: arguments[2], create: false)
    let start = now()
    let table = try store.relationTable(arguments[3])
    let loaded = now()
    let graph = AnalysisGraph(table, filter: AnalysisFilter(undirected: true))
    let built = now()
    print(String(format: "store-read %.4f %d", loaded - start, table.relationCount))
    print(String(format: "csr-build %.4f %d", built - loaded, graph.edgeCount))
    print(String(format: "store-to-csr %.4f %.1f", built - start, graph.bytesPerTie))
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
for metric in arguments[2].split(separator: ",") {
    let start = now()
    let checksum: Double
    switch metric {
    case "pagerank": checksum = Centrality.pageRank(graph).reduce(0, +)
    case "components": checksum = Double(Structure.components(graph).groups.count)
    case "core": checksum = Double(Structure.coreNumbers(graph).max() ?? 0)
    case "louvain":
        let p = Communities.louvain(graph, seed: 1)
        checksum = Communities.modularity(graph, p)
    case "leiden":
        let p = Communities.leiden(graph, seed: 1)
        checksum = Communities.modularity(graph, p)
    case "cutpoints":
        let c = Structure.cutPoints(graph)
        checksum = Double(c.bridges.count + c.articulationPoints.count)
    case "betweenness": checksum = Paths.betweenness(graph).max() ?? 0
    case "sampled-betweenness": checksum = Double(Paths.sampledBetweenness(graph, epsilon: 0.05, delta: 0.1).samples)
    case "harmonic": checksum = Paths.harmonic(graph).max() ?? 0
    case "closeness": checksum = Paths.closeness(graph).max() ?? 0
    case "constraint": checksum = Structure.constraint(graph).filter { !$0.isNaN }.reduce(0, +)
    case "clustering": checksum = Structure.clustering(graph).reduce(0, +)
    case "eigenvector": checksum = Centrality.eigenvector(graph).max() ?? 0
    default:
        FileHandle.standardError.write(Data("unknown metric \(metric)\n".utf8))
        exit(2)
    }
    print(String(format: "%@ %.4f %.6g", String(metric) as NSString, now() - start, checksum))
}
print(String(format: "peak_mb %.0f", peakMegabytes()))
