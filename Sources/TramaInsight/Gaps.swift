import Foundation
import TramaAnalysis
import TramaModel

/// One thing missing from a territorial alliance, with a reason a person can
/// read and a suggested action.
public struct Finding: Sendable, Codable, Equatable {
    public enum Severity: String, Sendable, Codable, Comparable {
        case high, medium, low
        var rank: Int { self == .high ? 0 : self == .medium ? 1 : 2 }
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public struct Subject: Sendable, Codable, Equatable {
        public var territory: String?
        public var actors: [String]
        /// `[from, to, type]` for each relation concerned.
        public var relations: [[String]]
    }

    public var code: String
    public var severity: Severity
    public var subject: Subject
    public var reason: String
    public var action: String
}

/// Options of a gap search.
public struct GapOptions: Sendable {
    /// Only this territory (and the territories inside it); alliances are read at
    /// province level inside it, or at this territory if it is a province or deeper.
    public var territory: Territory?
    /// Only actors working on this theme (themselves, or through their projects).
    public var theme: String?
    /// Relations not confirmed (`asserted_at`, else `since`) since this date are stale.
    public var staleAfter: String?
    /// Today, as YYYY-MM-DD (relations whose `until` has passed are stale).
    public var today: String
    public var language: Language

    public init(territory: Territory? = nil, theme: String? = nil, staleAfter: String? = nil, today: String, language: Language = .en) {
        self.territory = territory
        self.theme = theme
        self.staleAfter = staleAfter
        self.today = today
        self.language = language
    }
}

/// The actors a question is about (a territory with the territories inside it
/// and around it, actors working on a theme) and their ties among themselves.
struct Scope {
    let byID: [String: Actor]
    let ids: Set<String>
    let neighbours: [String: Set<String>]
    /// Neighbours of the actors in scope through every relation, in scope or not (a silo is judged on all ties).
    let allNeighbours: [String: Set<String>]
    /// Actors that fund another (the `funder` pseudo-kind of the rules).
    let funders: Set<String>

    /// - Complexity: O(actors + relations).
    init(_ ecosystem: Ecosystem, territory: Territory?, theme: String?) {
        let byID = Dictionary(uniqueKeysWithValues: ecosystem.actors.map { ($0.id, $0) })
        self.byID = byID
        funders = Set(ecosystem.relations.filter { $0.type == "funds" }.map(\.source))
        var scope = Set(
            ecosystem.actors.filter { actor in
                territory.map { t in actor.territory.map { t.contains($0) || $0.contains(t) } ?? false } ?? true
            }.map(\.id))
        if let theme {
            let themed = Set(ecosystem.actors.filter { $0.themes.contains { $0.caseInsensitiveCompare(theme) == .orderedSame } }.map(\.id))
            var through = themed
            for r in ecosystem.relations where themed.contains(r.target) && byID[r.target]?.kind == "project" { through.insert(r.source) }
            scope.formIntersection(through)
        }
        ids = scope
        var neighbours: [String: Set<String>] = [:]
        var all: [String: Set<String>] = [:]
        for r in ecosystem.relations where r.source != r.target {
            let (inSource, inTarget) = (scope.contains(r.source), scope.contains(r.target))
            guard inSource || inTarget else { continue }
            if inSource { all[r.source, default: []].insert(r.target) }
            if inTarget { all[r.target, default: []].insert(r.source) }
            if inSource && inTarget {
                neighbours[r.source, default: []].insert(r.target)
                neighbours[r.target, default: []].insert(r.source)
            }
        }
        self.neighbours = neighbours
        allNeighbours = all
    }
}

/// Finds what territorial alliances lack: missing kinds, administrations that only
/// contract, isolates and pendants, single points of failure, structural holes
/// between territories, themes covered by one actor, silo territories, stale relations.
public struct GapDetector {
    let eco: Ecosystem
    let rules: AllianceRules
    let options: GapOptions
    let lang: Language
    let byID: [String: Actor]
    let inScope: Set<String>
    /// Undirected neighbours (ids) of every actor in scope, through relations in scope.
    var neighbours: [String: Set<String>] = [:]
    let allNeighbours: [String: Set<String>]
    let funders: Set<String>
    /// Whether the graph has more than one alliance territory (else nothing can be a silo).
    let severalTerritories: Bool
    /// The relation types between two actors in scope, by ``pairKey(_:_:)``.
    let pairTypes: [String: [String]]
    /// Actors in scope whose territory is wider than an alliance's (a region's administration).
    let wider: [Actor]

    public init(_ ecosystem: Ecosystem, rules: AllianceRules, options: GapOptions) {
        eco = ecosystem
        self.rules = rules
        self.options = options
        lang = options.language
        let scope = Scope(ecosystem, territory: options.territory, theme: options.theme)
        byID = scope.byID
        funders = scope.funders
        inScope = scope.ids
        neighbours = scope.neighbours
        allNeighbours = scope.allNeighbours
        let level = max(2, options.territory?.depth ?? 2)
        severalTerritories =
            Set(ecosystem.actors.compactMap { a in a.territory.flatMap { $0.depth >= level ? $0.rolledUp(to: level) : nil } }).count > 1
        var pairTypes: [String: [String]] = [:]
        for r in ecosystem.relations where scope.ids.contains(r.source) && scope.ids.contains(r.target) {
            pairTypes[Self.pairKey(r.source, r.target), default: []].append(r.type)
        }
        self.pairTypes = pairTypes
        let ids = scope.ids
        wider = ecosystem.actors.filter { ids.contains($0.id) && ($0.territory?.depth ?? level) < level }
    }

    func name(_ id: String) -> String { byID[id]?.name ?? id }

    /// The alliance territory an actor belongs to: its province (level 2), or the
    /// searched territory when that is deeper.
    func allianceTerritory(_ actor: Actor) -> Territory? {
        guard let territory = actor.territory else { return nil }
        let level = max(2, options.territory?.depth ?? 2)
        return territory.depth >= level ? territory.rolledUp(to: level) : nil
    }

    /// Every finding, most severe first.
    /// - Complexity: O(actors + relations) plus, per territory, O(members × ties) for single points of failure.
    public func run() -> [Finding] {
        var members: [Territory: [String]] = [:]
        for id in inScope.sorted() {
            if let actor = byID[id], let t = allianceTerritory(actor) { members[t, default: []].append(id) }
        }
        var findings: [Finding] = []
        for territory in members.keys.sorted() {
            let ids = members[territory]!
            findings += missingKinds(territory, ids)
            findings += isolatesAndPendants(territory, ids)
            findings += singlePointsOfFailure(territory, ids)
            findings += themeGaps(territory, ids)
            findings += silo(territory, ids)
        }
        findings += contractOnly()
        findings += structuralHoles(members)
        findings += stale()
        return findings.sorted {
            ($0.severity, $0.code, $0.subject.territory ?? "", $0.subject.actors.joined()) < (
                $1.severity, $1.code, $1.subject.territory ?? "", $1.subject.actors.joined()
            )
        }
    }

    func kinds(_ requirement: Requirement) -> String {
        requirement.kinds.map { Catalogue.kind($0, lang, vocabulary: eco.vocabulary) }.joined(separator: lang == .it ? " o " : " or ")
    }

    func missingKinds(_ territory: Territory, _ ids: [String]) -> [Finding] {
        // Actors of the territory, and actors of a wider territory (a region's
        // administration) that are tied to one of them: being in the region is not
        // being part of the province's alliance.
        let local = Set(ids)
        let serving =
            ids.compactMap { byID[$0] }
            + wider.filter { actor in
                actor.territory.map { $0.contains(territory) } == true && !(neighbours[actor.id] ?? []).isDisjoint(with: local)
            }
        return rules.requirements.compactMap { requirement in
            let have = serving.filter { requirement.isMet(by: $0, funds: funders.contains($0.id)) }.count
            guard have < requirement.count else { return nil }
            let kindText = kinds(requirement)
            // Who could be brought in: actors that meet the requirement and are not part of
            // the alliance, nearest first (a wider territory holding it, its region, elsewhere).
            let present = Set(serving.map(\.id))
            let region = territory.rolledUp(to: 1)
            let candidates = eco.actors.filter { !present.contains($0.id) && requirement.isMet(by: $0, funds: funders.contains($0.id)) }
                .map { actor -> (Actor, Int) in
                    guard let t = actor.territory else { return (actor, 3) }
                    if t.contains(territory) || territory.contains(t) { return (actor, 0) }
                    return (actor, region.contains(t) ? 1 : 2)
                }
                .sorted { ($0.1, $0.0.name) < ($1.1, $1.0.name) }.prefix(3).map { name($0.0.id) }
            let action =
                candidates.isEmpty
                ? Catalogue.text("missing-kind.action-none", lang, [kindText, territory.path])
                : Catalogue.text("missing-kind.action", lang, [kindText, candidates.joined(separator: ", ")])
            return Finding(
                code: "missing-kind", severity: requirement.kinds.contains("public_administration") ? .high : .medium,
                subject: .init(territory: territory.path, actors: [], relations: []),
                reason: Catalogue.text("missing-kind.reason", lang, [territory.path, "\(have)", kindText, "\(requirement.count)"]),
                action: action)
        }
    }

    func contractOnly() -> [Finding] {
        let thirdSector: Set<String> = ["cooperative", "consortium", "association", "partner", "network"]
        var types: [String: [String: Set<String>]] = [:]  // administration → counterpart → types
        for r in eco.relations where inScope.contains(r.source) && inScope.contains(r.target) {
            for (a, b) in [(r.source, r.target), (r.target, r.source)]
            where byID[a]?.kind == "public_administration" && thirdSector.contains(byID[b]?.kind ?? "") {
                types[a, default: [:]][b, default: []].insert(r.type)
            }
        }
        return types.keys.sorted().compactMap { administration in
            let all = types[administration]!.values.reduce(into: Set<String>()) { $0.formUnion($1) }
            guard all.contains("contracts_with"), all.isDisjoint(with: ["co_designs_with", "co_programs_with"]) else { return nil }
            let partners = types[administration]!.keys.sorted()
            return Finding(
                code: "contract-only-administration", severity: .high,
                subject: .init(
                    territory: byID[administration]?.territory?.path, actors: [administration] + partners,
                    relations: partners.map { [administration, $0, "contracts_with"] }),
                reason: Catalogue.text("contract-only.reason", lang, [name(administration), "\(partners.count)"]),
                action: Catalogue.text("contract-only.action", lang, [name(administration)]))
        }
    }

    func isolatesAndPendants(_ territory: Territory, _ ids: [String]) -> [Finding] {
        let local = Set(ids)
        return ids.compactMap { id in
            let ties = (neighbours[id] ?? []).intersection(local)
            if ties.isEmpty && ids.count > 1 {
                return Finding(
                    code: "isolate", severity: .medium, subject: .init(territory: territory.path, actors: [id], relations: []),
                    reason: Catalogue.text("isolate.reason", lang, [name(id), territory.path]),
                    action: Catalogue.text("isolate.action", lang, [name(id), territory.path]))
            }
            if ties.count == 1, let only = ties.first {
                return Finding(
                    code: "pendant", severity: .low, subject: .init(territory: territory.path, actors: [id, only], relations: []),
                    reason: Catalogue.text("pendant.reason", lang, [name(id), territory.path, name(only)]),
                    action: Catalogue.text("pendant.action", lang, [name(id), name(only)]))
            }
            return nil
        }
    }

    /// Articulation points and bridges of a territory's alliance, each with the
    /// number of actors its loss would cut off from the largest remaining part.
    func singlePointsOfFailure(_ territory: Territory, _ ids: [String]) -> [Finding] {
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var edges: [(Int, Int, Double)] = []
        for id in ids { for w in neighbours[id] ?? [] { if let j = index[w], index[id]! < j { edges.append((index[id]!, j, 1)) } } }
        let (points, bridges) = Structure.cutOffs(AnalysisGraph(ids: ids, edges: edges, directed: false))
        var findings: [Finding] = []
        // A loss that cuts off a single actor is already a pendant finding: from two actors on.
        for (v, cutOff) in points where cutOff >= 2 {
            findings.append(
                Finding(
                    code: "single-point-of-failure", severity: .high,
                    subject: .init(territory: territory.path, actors: [ids[v]], relations: []),
                    reason: Catalogue.text("spof-actor.reason", lang, [name(ids[v]), Catalogue.actors(cutOff, lang), territory.path]),
                    action: Catalogue.text("spof-actor.action", lang, [name(ids[v])])))
        }
        for (a, b, cutOff) in bridges where cutOff >= 2 {
            let types = pairTypes[Self.pairKey(ids[a], ids[b])] ?? []
            findings.append(
                Finding(
                    code: "single-point-of-failure", severity: .medium,
                    subject: .init(
                        territory: territory.path, actors: [ids[a], ids[b]],
                        relations: types.sorted().map { [ids[a], ids[b], $0] }),
                    reason: Catalogue.text(
                        "spof-relation.reason", lang, [name(ids[a]), name(ids[b]), Catalogue.actors(cutOff, lang), territory.path]),
                    action: Catalogue.text("spof-relation.action", lang, [name(ids[a]), name(ids[b])])))
        }
        return findings
    }

    static func pairKey(_ a: String, _ b: String) -> String { a < b ? a + "\u{1F}" + b : b + "\u{1F}" + a }

    /// Themes of an actor: its own and those of the projects it takes part in or promotes.
    func themes(of id: String) -> Set<String> {
        var themes = Set(byID[id]?.themes.map { $0.lowercased() } ?? [])
        for w in neighbours[id] ?? [] where byID[w]?.kind == "project" { themes.formUnion(byID[w]!.themes.map { $0.lowercased() }) }
        return themes
    }

    func themeGaps(_ territory: Territory, _ ids: [String]) -> [Finding] {
        var covering: [String: [String]] = [:]
        for id in ids where byID[id]?.kind != "project" {
            for theme in themes(of: id) { covering[theme, default: []].append(id) }
        }
        return covering.keys.sorted().compactMap { theme in
            if let wanted = options.theme, wanted.lowercased() != theme { return nil }
            guard covering[theme]!.count == 1, let only = covering[theme]!.first else { return nil }
            let others = eco.actors.filter { $0.id != only && $0.kind != "project" && $0.themes.contains { $0.lowercased() == theme } }
                .sorted { $0.name < $1.name }.prefix(3).map { name($0.id) }
            let action =
                others.isEmpty
                ? Catalogue.text("theme-gap.action-none", lang, [theme, name(only)])
                : Catalogue.text("theme-gap.action", lang, [theme, name(only), others.joined(separator: ", ")])
            return Finding(
                code: "theme-gap", severity: .low, subject: .init(territory: territory.path, actors: [only], relations: []),
                reason: Catalogue.text("theme-gap.reason", lang, [territory.path, name(only), theme]),
                action: action)
        }
    }

    func silo(_ territory: Territory, _ ids: [String]) -> [Finding] {
        guard severalTerritories else { return [] }
        let outside = ids.contains { id in
            (allNeighbours[id] ?? []).contains { w in
                guard let actor = byID[w], let t = allianceTerritory(actor) else { return false }
                return t != territory
            }
        }
        guard !outside, ids.count > 0 else { return [] }
        return [
            Finding(
                code: "silo-territory", severity: .medium, subject: .init(territory: territory.path, actors: [], relations: []),
                reason: Catalogue.text("silo.reason", lang, [territory.path]),
                action: Catalogue.text("silo.action", lang, [territory.path]))
        ]
    }

    /// Sibling territories whose every tie passes through one actor.
    func structuralHoles(_ members: [Territory: [String]]) -> [Finding] {
        var territoryOf: [String: Territory] = [:]
        for (t, ids) in members { for id in ids { territoryOf[id] = t } }
        var crossing: [[Territory]: [(String, String)]] = [:]
        for (id, t) in territoryOf {
            for w in neighbours[id] ?? [] {
                guard let u = territoryOf[w], u != t, t < u, t.rolledUp(to: t.depth - 1) == u.rolledUp(to: u.depth - 1) else { continue }
                crossing[[t, u], default: []].append((id, w))
            }
        }
        return crossing.keys.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.compactMap { pair in
            let ties = crossing[pair]!
            let ends = ties.map { Set([$0.0, $0.1]) }
            guard let broker = ends.dropFirst().reduce(ends[0], { $0.intersection($1) }).sorted().first else { return nil }
            return Finding(
                code: "structural-hole", severity: .medium,
                subject: .init(territory: nil, actors: [broker], relations: []),
                reason: Catalogue.text("hole-broker.reason", lang, [pair[0].path, pair[1].path, name(broker)]),
                action: Catalogue.text("hole-broker.action", lang, [name(broker), pair[0].path, pair[1].path]))
        }
    }

    func stale() -> [Finding] {
        eco.relations.compactMap { r in
            guard r.status == .active, inScope.contains(r.source), inScope.contains(r.target) else { return nil }
            let label = "\(name(r.source)) -[\(r.type)]- \(name(r.target))"
            if let until = r.until, until < String(options.today.prefix(until.count)) {
                return Finding(
                    code: "stale-relation", severity: .low,
                    subject: .init(territory: nil, actors: [r.source, r.target], relations: [[r.source, r.target, r.type]]),
                    reason: Catalogue.text("stale-until.reason", lang, [label, until]),
                    action: Catalogue.text("stale.action", lang, []))
            }
            if let staleAfter = options.staleAfter {
                let confirmed = r.assertedAt ?? r.since
                if confirmed.map({ $0 < String(staleAfter.prefix($0.count)) }) ?? true {
                    return Finding(
                        code: "stale-relation", severity: .low,
                        subject: .init(territory: nil, actors: [r.source, r.target], relations: [[r.source, r.target, r.type]]),
                        reason: Catalogue.text("stale-old.reason", lang, [label, staleAfter]),
                        action: Catalogue.text("stale.action", lang, []))
                }
            }
            return nil
        }
    }
}
