import Foundation

/// Gould and Fernandez (1989) brokerage roles, computed as R's `sna::brokerage`:
/// for each broker v, the open two-paths i → v → k (i ≠ k, no tie i → k),
/// classified by the groups of i, v and k; with the counts expected under a
/// random graph of the same density and group sizes, their standard deviations
/// and z-scores (Gould and Fernandez's closed forms, as sna implements them).
public struct Brokerage: Sendable {
    /// The five roles in sna's column order, and the total.
    public enum Role: Int, CaseIterable, Sendable {
        /// w_I: i, v and k all in one group.
        case coordinator
        /// w_O: i and k in one group, v in another.
        case itinerant
        /// b_IO: v in i's group, k outside (A → A → B: v represents its group).
        case representative
        /// b_OI: v in k's group, i outside (A → B → B: v gates its group).
        case gatekeeper
        /// b_O: three different groups.
        case liaison
        case total

        public var name: String { ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"][rawValue] }
    }

    /// Per actor, per role (6 columns, the last the total).
    public var raw: [[Double]]
    public var expected: [[Double]]
    public var sd: [[Double]]
    public var z: [[Double]]
    /// For the whole graph.
    public var globalRaw: [Double]
    public var globalExpected: [Double]
    public var globalSD: [Double]
    public var globalZ: [Double]

    /// `group[v]` is actor v's group (any non-negative integers).
    /// - Complexity: O(Σ over brokers of in-degree × out-degree × log d) plus O(groups³) for the global variance.
    public init(_ g: AnalysisGraph, group: [Int]) {
        let nodes = g.nodeCount
        var raw = [[Double]](repeating: [Double](repeating: 0, count: 6), count: nodes)
        for v in 0..<nodes {
            for a in g.inc.range(v) {
                let i = Int(g.inc.targets[a])
                for b in g.out.range(v) {
                    let k = Int(g.out.targets[b])
                    if i == k { continue }
                    // An open two-path only: no direct tie i → k.
                    if g.out.targets[g.out.range(i)].withUnsafeBufferPointer({ binarySearch($0, Int32(k)) }) { continue }
                    let role: Role
                    if group[i] == group[v] && group[v] == group[k] {
                        role = .coordinator
                    } else if group[i] == group[k] {
                        role = .itinerant
                    } else if group[v] == group[k] {
                        role = .gatekeeper
                    } else if group[i] == group[v] {
                        role = .representative
                    } else {
                        role = .liaison
                    }
                    raw[v][role.rawValue] += 1
                    raw[v][5] += 1
                }
            }
        }
        let globalRaw = (0..<6).map { r in raw.reduce(0) { $0 + $1[r] } }
        self.raw = raw
        self.globalRaw = globalRaw

        // Expected counts and variances (sna's formulas, by the broker's group).
        let N = Double(nodes)
        let m = Double(g.out.targets.count)
        let d = nodes > 1 ? m / (N * (N - 1)) : 0
        var groupIDs: [Int] = []
        var groupIndex: [Int: Int] = [:]
        for v in 0..<nodes where groupIndex[group[v]] == nil {
            groupIndex[group[v]] = groupIDs.count
            groupIDs.append(group[v])
        }
        var sizes = [Double](repeating: 0, count: groupIDs.count)
        for v in 0..<nodes { sizes[groupIndex[group[v]]!] += 1 }
        let p = d * d * (1 - d)
        let q3 = pow(d, 3) * pow(1 - d, 3)
        func choose2(_ x: Double) -> Double { x * (x - 1) / 2 }
        var e = [[Double]](repeating: [Double](repeating: 0, count: 6), count: sizes.count)
        var va = e
        for (i, ni) in sizes.enumerated() {
            let others = sizes.enumerated().filter { $0.offset != i }.map(\.element)
            e[i][0] = p * (ni - 1) * (ni - 2)
            va[i][0] = e[i][0] * (1 - p) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * q3
            e[i][1] = p * others.reduce(0) { $0 + $1 * ($1 - 1) }
            va[i][1] = e[i][1] * (1 - p) + 2 * others.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) } * q3
            e[i][2] = p * (N - ni) * (ni - 1)
            va[i][2] = e[i][2] * (1 - p) + 2 * ((ni - 1) * choose2(N - ni) + (N - ni) * choose2(ni - 1)) * q3
            e[i][3] = e[i][2]
            va[i][3] = va[i][2]
            let outer = others.reduce(0) { sum, x in sum + others.reduce(0) { $0 + x * $1 } }
            e[i][4] = p * (outer - others.reduce(0) { $0 + $1 * $1 })
            va[i][4] = e[i][4] * (1 - p) + 4 * others.reduce(0) { $0 + $1 * choose2(N - $1 - ni) * q3 }
            e[i][5] = p * (N - 1) * (N - 2)
            va[i][5] = e[i][5] * (1 - p) + 2 * (N - 1) * (N - 2) * (N - 3) * q3
        }
        let expected = (0..<nodes).map { e[groupIndex[group[$0]]!] }
        let sd = (0..<nodes).map { va[groupIndex[group[$0]]!].map { $0.squareRoot() } }
        self.expected = expected
        self.sd = sd
        z = zip(raw, zip(expected, sd)).map { r, es in (0..<6).map { (r[$0] - es.0[$0]) / es.1[$0] } }

        // The whole graph.
        let n = sizes
        let q4 = pow(d, 4) * pow(1 - d, 2)
        let q5 = pow(d, 5) * (1 - d)
        var eg = [Double](repeating: 0, count: 6)
        var vg = eg
        eg[0] = p * n.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) }
        vg[0] = eg[0] * (1 - p) + n.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) * ((4 * $1 - 10) * q3 - 4 * ($1 - 3) * q4 + ($1 - 3) * q5) }
        eg[1] = p * n.reduce(0) { $0 + $1 * (N - $1) * ($1 - 1) }
        var outerSum = 0.0
        for x in n { for y in n { outerSum += x * y * (x - 1) * ((2 * x + 2 * y - 6) * q3 + (N - x - 1) * q5) } }
        vg[1] = eg[1] * (1 - p) + (outerSum - n.reduce(0) { $0 + $1 * $1 * ($1 - 1) * ((4 * $1 - 6) * q3 + (N - $1 - 1) * q5) })
        eg[2] = p * n.reduce(0) { $0 + $1 * (N - $1) * ($1 - 1) }
        vg[2] = eg[2] * (1 - p) + n.reduce(0) { $0 + $1 * (N - $1) * ($1 - 1) * ((N - 3) * q3 + ($1 - 2) * q5) }
        eg[3] = eg[2]
        vg[3] = vg[2]
        var triple = 0.0
        for x in n { for y in n { triple += x * y * (N - x - y) } }
        eg[4] = p * (triple - n.reduce(0) { $0 + $1 * $1 * (N - 2 * $1) })
        vg[4] = eg[4] * (1 - p)
        for i in n.indices {
            for j in n.indices {
                for k in n.indices where i != j && j != k && i != k {
                    vg[4] +=
                        n[i] * n[j] * n[k]
                        * ((4 * (N - n[j]) - 2 * (n[i] + n[k] + 1)) * q3 - (4 * (N - n[k]) - 2 * (n[i] + n[j] + 1)) * q4
                            + (N - (n[i] + n[k] + 1)) * q5)
                }
            }
        }
        eg[5] = p * N * (N - 1) * (N - 2)
        vg[5] = eg[5] * (1 - p) + N * (N - 1) * (N - 2) * ((4 * N - 10) * q3 - 4 * (N - 3) * q4 + (N - 3) * q5)
        let globalSD = vg.map { $0.squareRoot() }
        globalExpected = eg
        self.globalSD = globalSD
        globalZ = (0..<6).map { (globalRaw[$0] - eg[$0]) / globalSD[$0] }
    }
}

@inline(__always) func binarySearch(_ sorted: UnsafeBufferPointer<Int32>, _ value: Int32) -> Bool {
    var low = 0, high = sorted.count
    while low < high {
        let mid = (low + high) / 2
        if sorted[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low < sorted.count && sorted[low] == value
}
