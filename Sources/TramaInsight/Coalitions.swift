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
    /// The best actors outside the group to complete it, for the unmet requirements.
    public var completeWith: [String]

    enum CodingKeys: String, CodingKey {
        case members, cohesion, missing
        case completeWith = "complete_with"
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

    /// Coalitions that meet the composition first, then those that miss at most
    /// two actors; by cohesion within each. Groups over `maxSize` are left out.
    /// - Complexity: one Leiden run over the scope, plus O(group × actors in scope) to complete each group.
    public func run(maxSize: Int? = nil, top: Int = 10, seed: UInt64 = 1) -> [Coalition] {
        let ids = scope.ids.sorted()
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var edges: [(Int, Int, Double)] = []
        for id in ids { for w in scope.neighbours[id] ?? [] where index[id]! < index[w]! { edges.append((index[id]!, index[w]!, 1)) } }
        let graph = AnalysisGraph(ids: ids, edges: edges, directed: false)
        let partition = Communities.leiden(graph, seed: seed)
        var groups = [[String]](repeating: [], count: (partition.max() ?? -1) + 1)
        for (v, c) in partition.enumerated() { groups[c].append(ids[v]) }

        var results: [(coalition: Coalition, short: Int)] = []
        for group in groups where group.count >= 2 && group.count <= (maxSize ?? .max) {
            let members = Set(group)
            var ties = 0
            for id in group { ties += (scope.neighbours[id] ?? []).intersection(members).count }
            let cohesion = Double(ties) / Double(group.count * (group.count - 1))
            var missing: [String] = []
            var completeWith: [String] = []
            var short = 0
            for requirement in requirements {
                let have = group.filter { requirement.isMet(by: scope.byID[$0]!, funds: scope.funders.contains($0)) }.count
                guard have < requirement.count else { continue }
                short += requirement.count - have
                let kinds = requirement.kinds.map { Catalogue.kind($0, lang, vocabulary: vocabulary) }.joined(
                    separator: lang == .it ? " o " : " or ")
                missing.append(Catalogue.text("coalition.missing", lang, ["\(requirement.count - have)", kinds]))
                // Outside actors that would meet it, by ties to the members, then shared themes.
                let themes = Set(group.flatMap { scope.byID[$0]!.themes.map { $0.lowercased() } })
                let candidates = scope.ids.filter {
                    !members.contains($0) && requirement.isMet(by: scope.byID[$0]!, funds: scope.funders.contains($0))
                }
                .map { id in
                    (
                        id, (scope.neighbours[id] ?? []).intersection(members).count,
                        Set(scope.byID[id]!.themes.map { $0.lowercased() }).intersection(themes).count
                    )
                }
                .sorted { ($0.1, $0.2, $1.0) > ($1.1, $1.2, $0.0) }
                completeWith += candidates.prefix(3).map(\.0).filter { !completeWith.contains($0) }
            }
            guard short <= 2 else { continue }
            results.append(
                (
                    Coalition(
                        members: group.sorted(), cohesion: (cohesion * 1e6).rounded() / 1e6, missing: missing, completeWith: completeWith),
                    short
                ))
        }
        results.sort {
            ($0.short, -$0.coalition.cohesion, $0.coalition.members.count) < ($1.short, -$1.coalition.cohesion, $1.coalition.members.count)
        }
        return results.prefix(top).map(\.coalition)
    }
}
