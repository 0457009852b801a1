import Foundation
import TramaAnalysis
import TramaModel

/// How much each part of a recommendation counts. Documented defaults;
/// `trama recommend --weights neighbours=0.5,kind=0.3` overrides any of them.
public struct RecommendationWeights: Sendable, Equatable {
    /// Shared neighbours, Adamic–Adar (Σ 1/log degree), scaled to the best candidate.
    public var neighbours = 0.35
    /// A shared neighbour who can introduce the two.
    public var broker = 0.10
    /// The candidate is of a kind the alliance rules need and the actor's alliance (itself and
    /// its ties) lacks, never the actor's own kind: fully for a public administration (co-design
    /// needs one), half for other kinds.
    public var kind = 0.20
    /// Jaccard overlap of themes.
    public var themes = 0.15
    /// Graded proximity: same municipality 1, same province 2/3, same region 1/3.
    public var territory = 0.10
    /// How much the new tie would lower the actor's Burt constraint, scaled to the best candidate.
    public var constraint = 0.10

    public init() {}

    public static let names = ["neighbours", "broker", "kind", "themes", "territory", "constraint"]

    /// Reads `name=value,…` over the defaults.
    public init(parsing text: String) throws {
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            guard pair.count == 2, let value = Double(pair[1]), value >= 0 else {
                throw TramaError.invalidField("weights", "takes name=number pairs separated by commas, e.g. neighbours=0.5,kind=0.3")
            }
            switch pair[0] {
            case "neighbours", "neighbors": neighbours = value
            case "broker": broker = value
            case "kind": kind = value
            case "themes": themes = value
            case "territory": territory = value
            case "constraint": constraint = value
            default:
                throw TramaError.invalidField("weights", "names an unknown weight `\(pair[0])`: use \(Self.names.joined(separator: ", "))")
            }
        }
    }
}

/// A ranked partner for an actor, with its reasons in words.
public struct Candidate: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var kind: String
    public var score: Double
    public var reasons: [String]
}

/// Ranks the actors an actor is not tied to as partners.
public struct Recommender {
    let eco: Ecosystem
    let rules: AllianceRules
    let weights: RecommendationWeights
    let lang: Language
    let byID: [String: Actor]
    /// Neighbours of the actors a recommendation has looked at so far (filled by ``load(_:)``).
    var neighbours: [String: Set<String>] = [:]
    /// Where neighbours come from: the ecosystem's relations, or a store's indexes.
    let neighbourSource: ((Set<String>) throws -> [String: Set<String>])?
    /// The statuses whose relations are ties (active only by default).
    let statuses: Set<RelationStatus>

    /// `neighbourSource`, when given, answers the neighbours of a set of actors (a store's
    /// indexes) through relations of `statuses`; otherwise they are read from `ecosystem.relations`.
    public init(
        _ ecosystem: Ecosystem, rules: AllianceRules = .standard, weights: RecommendationWeights = .init(), language: Language = .en,
        statuses: Set<RelationStatus> = [.active], neighbourSource: ((Set<String>) throws -> [String: Set<String>])? = nil
    ) {
        eco = ecosystem
        self.rules = rules
        self.weights = weights
        lang = language
        byID = Dictionary(uniqueKeysWithValues: ecosystem.actors.map { ($0.id, $0) })
        self.statuses = statuses
        self.neighbourSource = neighbourSource
    }

    /// Collects the neighbours of `ids` in one pass over the relations: a
    /// recommendation needs only the actor's two-step neighbourhood and its short list.
    /// - Complexity: O(relations).
    mutating func load(_ ids: Set<String>) throws {
        let wanted = ids.filter { neighbours[$0] == nil }
        guard !wanted.isEmpty else { return }
        if let neighbourSource {
            for (id, set) in try neighbourSource(wanted) { neighbours[id] = set }
            return
        }
        for id in wanted { neighbours[id] = [] }
        for r in eco.relations where r.source != r.target && statuses.contains(r.status) {
            if wanted.contains(r.source) { neighbours[r.source]!.insert(r.target) }
            if wanted.contains(r.target) { neighbours[r.target]!.insert(r.source) }
        }
    }

    func name(_ id: String) -> String { byID[id]?.name ?? id }

    /// Burt's constraint of `v` on the undirected, unweighted ties, with `extra` as one more neighbour.
    func constraint(of v: String, adding extra: String? = nil) -> Double {
        var mine = neighbours[v] ?? []
        if let extra { mine.insert(extra) }
        guard !mine.isEmpty else { return .nan }
        func ties(_ x: String) -> Set<String> {
            var set = neighbours[x] ?? []
            if let extra { if x == v { set.insert(extra) } else if x == extra { set.insert(v) } }
            return set
        }
        let p = 1 / Double(mine.count)
        var total = 0.0
        for j in mine {
            var indirect = 0.0
            for q in mine where q != j {
                let qTies = ties(q)
                if qTies.contains(j) { indirect += p / Double(qTies.count) }
            }
            total += (p + indirect) * (p + indirect)
        }
        return total
    }

    /// How many levels (region, province, municipality) two territories share: 3 for the
    /// same municipality, 2 for the same province, 1 for the same region, 0 otherwise.
    static func sharedLevels(_ a: Territory, _ b: Territory) -> Int {
        var levels = 0
        for level in 1...min(3, a.depth, b.depth) where a.rolledUp(to: level) == b.rolledUp(to: level) { levels = level }
        return levels
    }

    /// A project worth suggesting unasked: it works on one of the actor's themes and lies in
    /// the actor's province (or has no territory while the actor's themes match).
    static func isNearbyProject(_ project: Actor, for actor: Actor, themes: Set<String>) -> Bool {
        guard project.themes.contains(where: { themes.contains($0.lowercased()) }) else { return false }
        guard let theirs = project.territory else { return true }
        return actor.territory.map { sharedLevels($0, theirs) >= min(2, $0.depth, theirs.depth) } ?? false
    }

    /// The `top` best partners for `actorID` (of `kind` only, when given).
    /// - Complexity: O(actors + Σ over the actor's neighbours of their degree), plus O(d²) per short-listed candidate for constraint.
    public func recommend(for actorID: String, top: Int = 10, kind: String? = nil) throws -> [Candidate] {
        guard let actor = byID[actorID] else {
            throw TramaError(
                .notFound, "there is no actor `\(actorID)` in the graph `\(eco.name)`", fields: ["graph": eco.name, "actor": actorID])
        }
        var this = self
        try this.load([actorID])
        let mine = this.neighbours[actorID] ?? []
        try this.load(mine)
        return try this.rank(actor, mine: mine, top: top, kind: kind)
    }

    mutating func rank(_ actor: Actor, mine: Set<String>, top: Int, kind: String?) throws -> [Candidate] {
        let actorID = actor.id
        // Shared neighbours, Adamic–Adar, and who could introduce.
        var adamicAdar: [String: Double] = [:]
        var brokers: [String: [String]] = [:]
        for w in mine {
            let degree = Double((neighbours[w] ?? []).count)
            for c in neighbours[w] ?? [] where c != actorID && !mine.contains(c) {
                adamicAdar[c, default: 0] += degree > 1 ? 1 / log(degree) : 0
                brokers[c, default: []].append(w)
            }
        }
        // Kinds the actor's alliance (itself and its ties) lacks, among those its rules need:
        // never its own kind, and `funder` is no kind to recommend.
        let alliance = [actor] + mine.compactMap { byID[$0] }
        var lacking: [String: (have: Int, need: Int)] = [:]
        for requirement in rules.requirements where !requirement.kinds.contains(actor.kind) {
            let have = alliance.filter { requirement.kinds.contains($0.kind) }.count
            guard have < requirement.count else { continue }
            for k in requirement.kinds where k != "funder" && lacking[k] == nil { lacking[k] = (have, requirement.count) }
        }
        let myThemes = Set(actor.themes.map { $0.lowercased() })
        let bestAA = adamicAdar.values.max() ?? 0

        struct Parts {
            var aa = 0.0, broker = 0.0, kind = 0.0, themes = 0.0, territory = 0.0, constraint = 0.0
            /// What breaks a tie in score: shared neighbours, shared themes, levels of territory shared.
            var shared = 0, sharedThemes = 0, levels = 0
            var reasons: [String] = []
        }
        var scored: [(String, Parts)] = []
        for other in eco.actors where other.id != actorID && !mine.contains(other.id) {
            if let kind, other.kind != kind { continue }
            // Projects only when asked for, or when they work on the actor's themes nearby.
            if kind == nil && other.kind == "project" && !Self.isNearbyProject(other, for: actor, themes: myThemes) { continue }
            var parts = Parts()
            if let aa = adamicAdar[other.id], aa > 0 || brokers[other.id] != nil {
                let shared = (brokers[other.id] ?? []).sorted()
                parts.aa = bestAA > 0 ? aa / bestAA : 0
                parts.reasons.append(
                    Catalogue.text(
                        shared.count == 1 ? "rec.neighbour" : "rec.neighbours", lang,
                        ["\(shared.count)", shared.prefix(3).map(name).joined(separator: ", ")]))
                // The best introducer: the shared neighbour with the most ties.
                if let introducer = shared.max(by: { ((neighbours[$0] ?? []).count, $1) < ((neighbours[$1] ?? []).count, $0) }) {
                    parts.broker = 1
                    parts.reasons.append(Catalogue.text("rec.broker", lang, [name(introducer)]))
                }
            }
            if let (have, need) = lacking[other.kind] {
                parts.kind = other.kind == "public_administration" ? 1 : 0.5
                let key = have == 0 ? "rec.kind" : have == 1 ? "rec.kind-one" : "rec.kind-some"
                parts.reasons.append(
                    Catalogue.text(key, lang, [Catalogue.kind(other.kind, lang, vocabulary: eco.vocabulary), "\(need)", "\(have)"]))
            }
            parts.shared = brokers[other.id]?.count ?? 0
            if !myThemes.isEmpty && !other.themes.isEmpty {
                let common = Set(other.themes.lazy.map { $0.lowercased() }.filter { myThemes.contains($0) })
                if !common.isEmpty {
                    let union = myThemes.union(other.themes.map { $0.lowercased() })
                    parts.themes = Double(common.count) / Double(union.count)
                    parts.sharedThemes = common.count
                    parts.reasons.append(Catalogue.text("rec.themes", lang, [common.sorted().joined(separator: ", ")]))
                }
            }
            // Graded proximity: the levels of territory the two share, of region, province, municipality.
            if let here = actor.territory, let theirs = other.territory {
                let levels = Self.sharedLevels(here, theirs)
                if levels > 0 {
                    parts.levels = levels
                    parts.territory = Double(levels) / 3
                    let key = levels == 3 ? "rec.municipality" : levels == 2 ? "rec.territory" : "rec.region"
                    parts.reasons.append(Catalogue.text(key, lang, [here.rolledUp(to: levels).path]))
                }
            }
            scored.append((other.id, parts))
        }
        func score(_ p: Parts) -> Double {
            weights.neighbours * p.aa + weights.broker * p.broker + weights.kind * p.kind + weights.themes * p.themes
                + weights.territory * p.territory + weights.constraint * p.constraint
        }
        // Best score first; equal scores by shared neighbours, shared themes, then nearness; the id
        // only keeps the order stable between candidates equal in all of these.
        func before(_ a: (String, Parts), _ b: (String, Parts)) -> Bool {
            let (x, y) = (score(a.1), score(b.1))
            if abs(x - y) > 1e-9 { return x > y }
            return (a.1.shared, a.1.sharedThemes, a.1.levels, b.0) > (b.1.shared, b.1.sharedThemes, b.1.levels, a.0)
        }
        // Constraint relief only for a short list: it costs O(d²) per candidate.
        scored.sort(by: before)
        let shortList = min(scored.count, max(top * 5, 50))
        if weights.constraint > 0, shortList > 0 {
            try load(Set(scored.prefix(shortList).map(\.0)))
            let current = constraint(of: actorID)
            var relief = [Double](repeating: 0, count: shortList)
            for i in 0..<shortList {
                let after = constraint(of: actorID, adding: scored[i].0)
                // A relief too small to show ("from 0.25 to 0.25") changes nothing: no reason, no score.
                let (from, to) = (String(format: "%.2f", current), String(format: "%.2f", after))
                relief[i] = current.isNaN || from == to ? 0 : max(0, current - after)
                if relief[i] > 0 { scored[i].1.reasons.append(Catalogue.text("rec.constraint", lang, [from, to])) }
            }
            let best = relief.max() ?? 0
            for i in 0..<shortList where best > 0 { scored[i].1.constraint = relief[i] / best }
            scored[0..<shortList].sort(by: before)
        }
        return scored.prefix(top).compactMap { id, parts in
            guard let other = byID[id] else { return nil }
            return Candidate(
                id: id, name: other.name, kind: other.kind, score: (score(parts) * 1e6).rounded() / 1e6, reasons: parts.reasons)
        }
    }
}
