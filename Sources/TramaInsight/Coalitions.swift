import Foundation
import TramaAnalysis
import TramaModel

/// A group of actors already tied together, how cohesive it is, and what it
/// lacks of a required composition.
public struct Coalition: Sendable, Codable, Equatable {
    public var members: [String]
    /// Density of the ties among the members: 1 when every pair is tied.
    public var cohesion: Double
    /// The unmet requirements, in words.
    public var missing: [String]
    /// The best actors outside the group to complete it, for the unmet requirements: those of
    /// the group's territory first, then by ties to the members and shared themes.
    public var completeWith: [String]
    /// What else is worth knowing, in words: a part kept of a larger group, another group
    /// that would complete it, a requirement nothing in scope can meet.
    public var notes: [String]

    public init(members: [String], cohesion: Double, missing: [String], completeWith: [String], notes: [String] = []) {
        self.members = members
        self.cohesion = cohesion
        self.missing = missing
        self.completeWith = completeWith
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case members, cohesion, missing, notes
        case completeWith = "complete_with"
    }
}

/// A group tied together that is not offered as a coalition, and why.
public struct LeftOutGroup: Sendable, Codable, Equatable {
    public var members: [String]
    public var reason: String

    public init(members: [String], reason: String) {
        self.members = members
        self.reason = reason
    }
}

/// The coalitions found, and the groups left out with their reasons.
public struct CoalitionSearch: Sendable, Codable, Equatable {
    public var coalitions: [Coalition]
    public var leftOut: [LeftOutGroup]

    enum CodingKeys: String, CodingKey {
        case coalitions
        case leftOut = "left_out"
    }
}

/// Finds coalitions: the cohesive subgroups (Leiden communities, seeded) of the
/// ties among the actors in scope, checked against a composition. Ties are the
/// relations whose status is asked for (active only by default).
public struct CoalitionFinder {
    let scope: Scope
    let requirements: [Requirement]
    let vocabulary: Vocabulary
    let lang: Language

    public init(
        _ ecosystem: Ecosystem, requirements: [Requirement], territory: Territory? = nil, theme: String? = nil, language: Language = .en,
        statuses: Set<RelationStatus> = [.active]
    ) {
        scope = Scope(ecosystem, territory: territory, theme: theme, statuses: statuses)
        self.requirements = requirements
        vocabulary = ecosystem.vocabulary
        lang = language
    }

    /// Coalitions that meet the composition first, then those that miss at most two actors;
    /// by cohesion within each. See ``search(maxSize:top:seed:)``.
    public func run(maxSize: Int? = nil, top: Int = 10, seed: UInt64 = 1) -> [Coalition] {
        search(maxSize: maxSize, top: top, seed: seed).coalitions
    }

    func name(_ id: String) -> String { scope.byID[id]?.name ?? id }

    func names(_ ids: [String]) -> String {
        let shown = ids.prefix(3).map(name).joined(separator: ", ")
        return ids.count > 3 ? Catalogue.text("group.more", lang, [shown, "\(ids.count - 3)"]) : shown
    }

    /// Ties among `group`'s members, per member.
    func innerDegree(_ id: String, in group: Set<String>) -> Int { (scope.neighbours[id] ?? []).intersection(group).count }

    /// How many members of `group` meet each requirement.
    func haves(_ group: [String]) -> [Int] {
        requirements.map { requirement in group.filter { requirement.isMet(by: scope.byID[$0]!, funds: scope.funders.contains($0)) }.count }
    }

    /// The actors a group with `have` actors per requirement still misses.
    func shortfall(have: [Int]) -> Int { zip(requirements, have).reduce(0) { $0 + max(0, $1.0.count - $1.1) } }

    /// The most cohesive part of `group` of at most `size` members that misses no more of the
    /// composition than the group does: members with the fewest ties inside are let go first,
    /// never one the composition needs. `nil` when no such part exists.
    /// - Complexity: O(group² + group × requirements + ties among the group).
    func trimmed(_ group: [String], to size: Int) -> [String]? {
        var members = Set(group)
        var have = haves(group)
        let meets = Dictionary(
            uniqueKeysWithValues: group.map { id in
                (id, requirements.indices.filter { requirements[$0].isMet(by: scope.byID[id]!, funds: scope.funders.contains(id)) })
            })
        var inner = Dictionary(uniqueKeysWithValues: group.map { ($0, innerDegree($0, in: members)) })
        while members.count > size {
            // Removable: every requirement it meets keeps more members than it needs.
            let removable = members.filter { id in meets[id]!.allSatisfy { have[$0] > requirements[$0].count } }
            // Fewest ties inside, then fewest ties at all; the id keeps the choice stable.
            guard
                let weakest = removable.min(by: {
                    (inner[$0]!, scope.neighbours[$0]?.count ?? 0, $1) < (inner[$1]!, scope.neighbours[$1]?.count ?? 0, $0)
                })
            else { return nil }
            members.remove(weakest)
            for r in meets[weakest]! { have[r] -= 1 }
            for w in scope.neighbours[weakest] ?? [] where members.contains(w) { inner[w]! -= 1 }
        }
        return members.sorted()
    }

    /// The territory most of a group's members are in (their province), if any.
    func territory(of group: [String]) -> Territory? {
        var counts: [Territory: Int] = [:]
        for id in group { if let t = scope.byID[id]?.territory { counts[t.depth >= 2 ? t.rolledUp(to: 2) : t, default: 0] += 1 } }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// Coalitions that meet the composition first, then those that miss at most
    /// two actors; by cohesion within each. A group over `maxSize` is searched for its
    /// most cohesive part that fits; a group left out is listed with why.
    /// - Complexity: one Leiden run over the scope, plus O(group × actors in scope) to complete each group,
    ///   and O(group² × ties) to trim a group over `maxSize`.
    public func search(maxSize: Int? = nil, top: Int = 10, seed: UInt64 = 1) -> CoalitionSearch {
        let ids = scope.ids.sorted()
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var edges: [(Int, Int, Double)] = []
        for id in ids { for w in scope.neighbours[id] ?? [] where index[id]! < index[w]! { edges.append((index[id]!, index[w]!, 1)) } }
        let graph = AnalysisGraph(ids: ids, edges: edges, directed: false)
        let partition = Communities.leiden(graph, seed: seed)
        var groups = [[String]](repeating: [], count: (partition.max() ?? -1) + 1)
        for (v, c) in partition.enumerated() { groups[c].append(ids[v]) }

        var results: [(coalition: Coalition, short: Int)] = []
        var leftOut: [LeftOutGroup] = []
        for whole in groups where whole.count >= 2 {
            var group = whole.sorted()
            var notes: [String] = []
            if let maxSize, group.count > maxSize {
                guard let part = trimmed(group, to: maxSize) else {
                    leftOut.append(
                        LeftOutGroup(
                            members: group,
                            reason: Catalogue.text("coalition.too-large", lang, [Catalogue.actors(group.count, lang), "\(maxSize)"])))
                    continue
                }
                notes.append(
                    Catalogue.text(
                        "coalition.trimmed", lang,
                        [Catalogue.actors(group.count, lang), "\(maxSize)", names(group.filter { !part.contains($0) })]))
                group = part
            }
            let members = Set(group)
            var ties = 0
            for id in group { ties += innerDegree(id, in: members) }
            let cohesion = Double(ties) / Double(group.count * (group.count - 1))
            var missing: [String] = []
            var completeWith: [String] = []
            var short = 0
            let home = territory(of: group)
            let themes = Set(group.flatMap { scope.byID[$0]!.themes.map { $0.lowercased() } })
            for requirement in requirements {
                let have = group.filter { requirement.isMet(by: scope.byID[$0]!, funds: scope.funders.contains($0)) }.count
                guard have < requirement.count else { continue }
                short += requirement.count - have
                let kinds = requirement.kinds.map { Catalogue.kind($0, lang, vocabulary: vocabulary, count: requirement.count - have) }
                    .joined(separator: lang == .it ? " o " : " or ")
                missing.append(Catalogue.text("coalition.missing", lang, ["\(requirement.count - have)", kinds]))
                // Outside actors that would meet it: of the group's territory first (then its region),
                // then by ties to the members, then shared themes.
                let candidates = scope.ids.filter {
                    !members.contains($0) && requirement.isMet(by: scope.byID[$0]!, funds: scope.funders.contains($0))
                }
                .map { id -> (String, Int, Int, Int) in
                    let t = scope.byID[id]!.territory
                    let near = home.flatMap { h in t.map { h.contains($0) ? 2 : h.rolledUp(to: 1).contains($0) ? 1 : 0 } } ?? 0
                    return (
                        id, near, innerDegree(id, in: members),
                        Set(scope.byID[id]!.themes.map { $0.lowercased() }).intersection(themes).count
                    )
                }
                .sorted { ($0.1, $0.2, $0.3, $1.0) > ($1.1, $1.2, $1.3, $0.0) }
                if candidates.isEmpty { notes.append(Catalogue.text("coalition.none-in-scope", lang, [kinds])) }
                completeWith += candidates.prefix(3).map(\.0).filter { !completeWith.contains($0) }
            }
            guard short <= 2 else {
                leftOut.append(
                    LeftOutGroup(
                        members: group, reason: Catalogue.text("coalition.too-short", lang, ["\(short)", missing.joined(separator: "; ")])))
                continue
            }
            results.append(
                (
                    Coalition(
                        members: group, cohesion: (cohesion * 1e6).rounded() / 1e6, missing: missing, completeWith: completeWith,
                        notes: notes),
                    short
                ))
        }
        // Equal in all that matters: by members, so the order is the same every time.
        results.sort {
            ($0.short, -$0.coalition.cohesion, $0.coalition.members.count, $0.coalition.members.joined(separator: ","))
                < ($1.short, -$1.coalition.cohesion, $1.coalition.members.count, $1.coalition.members.joined(separator: ","))
        }
        // An incomplete coalition shown, and another incomplete group that together meet the
        // composition (within the size asked): suggest joining them.
        let have = results.map { haves($0.coalition.members) }
        let incomplete = results.indices.filter { results[$0].short > 0 }
        for i in incomplete where i < top {
            for j in incomplete where j != i {
                let union = results[i].coalition.members.count + results[j].coalition.members.count
                guard union <= (maxSize ?? .max), shortfall(have: zip(have[i], have[j]).map(+)) == 0 else { continue }
                results[i].coalition.notes.append(Catalogue.text("coalition.join", lang, [names(results[j].coalition.members)]))
            }
        }
        leftOut.sort { ($0.members.count, $1.members.joined(separator: ",")) > ($1.members.count, $0.members.joined(separator: ",")) }
        return CoalitionSearch(coalitions: results.prefix(top).map(\.coalition), leftOut: leftOut)
    }
}
