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
    /// The statuses whose relations count as ties: active only by default. Planned and
    /// potential relations left out are reported as opportunities, ended ones as losses.
    public var statuses: Set<RelationStatus>
    /// The territory level alliances are read at: 1 region, 2 province, 3 municipality.
    /// `nil`: the province, or the searched territory when it is deeper.
    public var level: Int?

    public init(
        territory: Territory? = nil, theme: String? = nil, staleAfter: String? = nil, today: String, language: Language = .en,
        statuses: Set<RelationStatus> = [.active], level: Int? = nil
    ) {
        self.territory = territory
        self.theme = theme
        self.staleAfter = staleAfter
        self.today = today
        self.language = language
        self.statuses = statuses
        self.level = level
    }

    /// The level alliances are read at: never wider than the searched territory.
    var allianceLevel: Int { max(level ?? 2, territory?.depth ?? 1) }
}

/// The actors a question is about (a territory with the territories inside it
/// and around it, actors working on a theme) and the ties that count (relations
/// whose status is asked for, active only by default).
struct Scope {
    let byID: [String: Actor]
    let ids: Set<String>
    /// Ties among the actors in scope (what coalitions are found in).
    let neighbours: [String: Set<String>]
    /// Every actor's ties through the relations that count, in scope or not: a
    /// finding is judged on an actor's real ties, whatever the scope.
    let ties: [String: Set<String>]
    /// Actors that fund another through a relation that counts (the `funder` pseudo-kind of the rules).
    let funders: Set<String>
    /// Relations that count.
    let counted: [Relation]
    /// Relations left out by their status that touch an actor in scope.
    let uncounted: [Relation]

    /// - Complexity: O(actors + relations).
    init(_ ecosystem: Ecosystem, territory: Territory?, theme: String?, statuses: Set<RelationStatus> = [.active]) {
        let byID = Dictionary(uniqueKeysWithValues: ecosystem.actors.map { ($0.id, $0) })
        self.byID = byID
        let counted = ecosystem.relations.filter { statuses.contains($0.status) }
        self.counted = counted
        funders = Set(counted.filter { $0.type == "funds" }.map(\.source))
        var scope = Set(
            ecosystem.actors.filter { actor in
                territory.map { t in actor.territory.map { t.contains($0) || $0.contains(t) } ?? false } ?? true
            }.map(\.id))
        if let theme {
            let themed = Set(ecosystem.actors.filter { $0.themes.contains { $0.caseInsensitiveCompare(theme) == .orderedSame } }.map(\.id))
            var through = themed
            for r in counted where themed.contains(r.target) && byID[r.target]?.kind == "project" { through.insert(r.source) }
            scope.formIntersection(through)
        }
        ids = scope
        var neighbours: [String: Set<String>] = [:]
        var ties: [String: Set<String>] = [:]
        for r in counted where r.source != r.target {
            ties[r.source, default: []].insert(r.target)
            ties[r.target, default: []].insert(r.source)
            if scope.contains(r.source) && scope.contains(r.target) {
                neighbours[r.source, default: []].insert(r.target)
                neighbours[r.target, default: []].insert(r.source)
            }
        }
        self.neighbours = neighbours
        self.ties = ties
        uncounted = ecosystem.relations.filter { r in
            !statuses.contains(r.status) && r.source != r.target && (scope.contains(r.source) || scope.contains(r.target))
        }
    }
}

/// Finds what territorial alliances lack: missing kinds, administrations that only
/// contract, isolates and pendants, single points of failure, alliances split into
/// pieces, structural holes between territories, themes covered by one actor, silo
/// territories, stale relations; and ties planned but not started, or ended.
///
/// An alliance is the actors of one territory (a province by default), with the
/// actors of a wider territory (a region's administration) tied to one of them: the
/// same members for the kinds it has and for who would be cut off. A finding is
/// judged on the actors' real ties; the scope (territory, theme) only chooses which
/// actors and alliances are examined, and says "inside this theme" when it means so.
public struct GapDetector {
    let eco: Ecosystem
    let rules: AllianceRules
    let options: GapOptions
    let lang: Language
    let byID: [String: Actor]
    let inScope: Set<String>
    /// Undirected ties of every actor through the relations that count.
    let ties: [String: Set<String>]
    let funders: Set<String>
    /// Whether the graph has more than one alliance territory (else nothing can be a silo).
    let severalTerritories: Bool
    /// The relation types between two actors, by ``pairKey(_:_:)``, of the relations that count.
    let pairTypes: [String: [String]]
    /// Actors whose territory is wider than an alliance's (a region's administration).
    let wider: [Actor]
    let scope: Scope
    let level: Int

    public init(_ ecosystem: Ecosystem, rules: AllianceRules, options: GapOptions) {
        eco = ecosystem
        self.rules = rules
        self.options = options
        lang = options.language
        let scope = Scope(ecosystem, territory: options.territory, theme: options.theme, statuses: options.statuses)
        self.scope = scope
        byID = scope.byID
        funders = scope.funders
        inScope = scope.ids
        ties = scope.ties
        let level = options.allianceLevel
        self.level = level
        severalTerritories =
            Set(ecosystem.actors.compactMap { a in a.territory.flatMap { $0.depth >= level ? $0.rolledUp(to: level) : nil } }).count > 1
        var pairTypes: [String: [String]] = [:]
        for r in scope.counted { pairTypes[Self.pairKey(r.source, r.target), default: []].append(r.type) }
        self.pairTypes = pairTypes
        wider = ecosystem.actors.filter { ($0.territory?.depth ?? level) < level }
    }

    func name(_ id: String) -> String { byID[id]?.name ?? id }

    /// The alliance territory an actor belongs to: its territory at the alliance level
    /// (the province by default), `nil` when its territory is wider or unknown.
    func allianceTerritory(_ actor: Actor) -> Territory? {
        guard let territory = actor.territory else { return nil }
        return territory.depth >= level ? territory.rolledUp(to: level) : nil
    }

    /// The members of each alliance: its own actors, then the actors of a wider
    /// territory holding it that are tied to one of them.
    func alliances() -> (local: [Territory: [String]], members: [Territory: [String]]) {
        var local: [Territory: [String]] = [:]
        for actor in eco.actors.sorted(by: { $0.id < $1.id }) {
            if let t = allianceTerritory(actor) { local[t, default: []].append(actor.id) }
        }
        var members = local
        for actor in wider.sorted(by: { $0.id < $1.id }) {
            guard let territory = actor.territory else { continue }
            for t in Set((ties[actor.id] ?? []).compactMap { byID[$0].flatMap(allianceTerritory) }) where territory.contains(t) {
                members[t, default: []].append(actor.id)
            }
        }
        return (local, members)
    }

    /// Every finding, most severe first.
    /// - Complexity: O(actors + relations) plus, per territory, O(members × ties) for single points of failure.
    public func run() -> [Finding] {
        let (local, members) = alliances()
        let examined = Set(inScope.compactMap { byID[$0].flatMap(allianceTerritory) })
        var findings: [Finding] = []
        for territory in examined.sorted() {
            let ids = members[territory] ?? []
            let own = local[territory] ?? []
            findings += missingKinds(territory, ids.filter(inScope.contains))
            findings += isolatesAndPendants(territory, own.filter(inScope.contains), members: ids)
            findings += singlePointsOfFailure(territory, ids, localCount: own.count)
            findings += fragmented(territory, ids)
            findings += themeGaps(territory, own)
            findings += silo(territory, own)
        }
        findings += contractOnly()
        findings += structuralHoles(local.filter { examined.contains($0.key) })
        findings += stale()
        findings += opportunitiesAndLosses()
        return findings.sorted {
            ($0.severity, $0.code, $0.subject.territory ?? "", $0.subject.actors.joined()) < (
                $1.severity, $1.code, $1.subject.territory ?? "", $1.subject.actors.joined()
            )
        }
    }

    func kinds(_ requirement: Requirement, count: Int = 1) -> String {
        requirement.kinds.map { Catalogue.kind($0, lang, vocabulary: eco.vocabulary, count: count) }.joined(
            separator: lang == .it ? " o " : " or ")
    }

    /// How an action names a requirement's kinds: `funder` is no kind one can add, so it
    /// reads as the tie it needs.
    func kindsToBringIn(_ requirement: Requirement) -> String {
        requirement.kinds.map {
            $0 == "funder" ? Catalogue.text("funder.action", lang, []) : Catalogue.kind($0, lang, vocabulary: eco.vocabulary)
        }
        .joined(separator: lang == .it ? " o " : " or ")
    }

    /// `serving`: the members of the alliance in scope (all of them without a theme).
    func missingKinds(_ territory: Territory, _ serving: [String]) -> [Finding] {
        let present = Set(serving)
        return rules.requirements.compactMap { requirement in
            let have = serving.filter { requirement.isMet(by: byID[$0]!, funds: funders.contains($0)) }.count
            guard have < requirement.count else { return nil }
            // Who could be brought in: actors that meet the requirement and are not part of
            // the alliance, nearest first (a wider territory holding it, its region, elsewhere).
            let region = territory.rolledUp(to: 1)
            let candidates = eco.actors.filter { !present.contains($0.id) && requirement.isMet(by: $0, funds: funders.contains($0.id)) }
                .map { actor -> (Actor, Int) in
                    guard let t = actor.territory else { return (actor, 3) }
                    if t.contains(territory) || territory.contains(t) { return (actor, 0) }
                    return (actor, region.contains(t) ? 1 : 2)
                }
                // An administration serves its own territory: one of another region is no candidate.
                .filter { requirement.kinds != ["public_administration"] || $0.1 <= 1 }
                .sorted { ($0.1, $0.0.name) < ($1.1, $1.0.name) }.prefix(3).map { name($0.0.id) }
            let action: String
            if !candidates.isEmpty {
                action = Catalogue.text("missing-kind.action", lang, [kindsToBringIn(requirement), candidates.joined(separator: ", ")])
            } else if requirement.kinds == ["funder"] {
                action = Catalogue.text("funder.action-none", lang, [territory.path])
            } else {
                action = Catalogue.text("missing-kind.action-none", lang, [kindsToBringIn(requirement), territory.path])
            }
            let theme = options.theme.map { Catalogue.text("missing-kind.theme", lang, [$0]) } ?? ""
            return Finding(
                code: "missing-kind", severity: requirement.kinds.contains("public_administration") ? .high : .medium,
                subject: .init(territory: territory.path, actors: [], relations: []),
                // "has no public administration: 1 needed", "non ha pubbliche amministrazioni: ne serve 1", "has 1 cooperative: 2 needed".
                reason: Catalogue.text(
                    have == 0 ? "missing-kind.reason-none" : "missing-kind.reason", lang,
                    [
                        territory.path, "\(have)", kinds(requirement, count: have == 0 && lang == .en ? 1 : have),
                        Catalogue.needed(requirement.count, lang),
                    ]) + theme,
                action: action)
        }
    }

    /// Whether a kind counts as third sector: cooperatives, consortia, associations,
    /// networks, and the kinds the graph declares so (partners such as banks do not).
    func isThirdSector(_ kind: String) -> Bool { eco.vocabulary.kinds[kind]?.isThirdSector ?? false }

    /// Administrations in scope whose ties to the third sector (anywhere) include
    /// contracts and never a co-design or co-programming.
    func contractOnly() -> [Finding] {
        var contracts: [String: [Relation]] = [:]  // administration → its contracts with the third sector
        var coDesigns: Set<String> = []
        for r in scope.counted {
            for (a, b) in [(r.source, r.target), (r.target, r.source)]
            where inScope.contains(a) && byID[a]?.kind == "public_administration" && isThirdSector(byID[b]?.kind ?? "") {
                if r.type == "contracts_with" { contracts[a, default: []].append(r) }
                if r.type == "co_designs_with" || r.type == "co_programs_with" { coDesigns.insert(a) }
            }
        }
        return contracts.keys.sorted().compactMap { administration in
            guard !coDesigns.contains(administration) else { return nil }
            let relations = contracts[administration]!.sorted { ($0.source, $0.target) < ($1.source, $1.target) }
            var partners: [String] = []
            for r in relations {
                let other = r.source == administration ? r.target : r.source
                if !partners.contains(other) { partners.append(other) }
            }
            return Finding(
                code: "contract-only-administration", severity: .high,
                subject: .init(
                    territory: byID[administration]?.territory?.path, actors: [administration] + partners,
                    relations: relations.map { [$0.source, $0.target, $0.type] }),
                reason: Catalogue.text("contract-only.reason", lang, [name(administration), Catalogue.bodies(partners.count, lang)]),
                action: Catalogue.text("contract-only.action", lang, [name(administration)]))
        }
    }

    /// `ids`: the alliance's own actors in scope; `members`: the whole alliance they are judged in.
    func isolatesAndPendants(_ territory: Territory, _ ids: [String], members: [String]) -> [Finding] {
        let alliance = Set(members)
        return ids.compactMap { id in
            let all = ties[id] ?? []
            let inside = all.intersection(alliance)
            if inside.isEmpty && alliance.count > 1 {
                let reason =
                    all.isEmpty
                    ? Catalogue.text("isolate.reason", lang, [name(id), territory.path])
                    : Catalogue.text(
                        "isolate.reason-outside", lang, [name(id), territory.path, all.sorted().map(name).joined(separator: ", ")])
                return Finding(
                    code: "isolate", severity: .medium, subject: .init(territory: territory.path, actors: [id], relations: []),
                    reason: reason, action: Catalogue.text("isolate.action", lang, [name(id), territory.path]))
            }
            if inside.count == 1, let only = inside.first {
                return Finding(
                    code: "pendant", severity: .low, subject: .init(territory: territory.path, actors: [id, only], relations: []),
                    reason: Catalogue.text("pendant.reason", lang, [name(id), territory.path, name(only)]),
                    action: Catalogue.text("pendant.action", lang, [name(id), name(only)]))
            }
            return nil
        }
    }

    /// The alliance's members as an undirected graph of their ties.
    func allianceGraph(_ ids: [String]) -> AnalysisGraph {
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var edges: [(Int, Int, Double)] = []
        for id in ids { for w in ties[id] ?? [] { if let j = index[w], index[id]! < j { edges.append((index[id]!, j, 1)) } } }
        return AnalysisGraph(ids: ids, edges: edges, directed: false)
    }

    /// Articulation points and bridges of a territory's alliance, each with the
    /// number of actors its loss would cut off from the largest remaining part.
    /// Only losses of an actor in scope are reported; the cut-off counts the whole alliance.
    /// `ids`: the members, its own `localCount` actors first, then those of a wider territory.
    func singlePointsOfFailure(_ territory: Territory, _ ids: [String], localCount: Int) -> [Finding] {
        let (points, bridges) = Structure.cutOffs(allianceGraph(ids))
        let note =
            ids.count > localCount
            ? Catalogue.text("wider.note", lang, [ids[localCount...].map(name).joined(separator: ", ")]) : ""
        var findings: [Finding] = []
        // A loss that cuts off a single actor is already a pendant finding: from two actors on.
        for (v, cutOff) in points where cutOff >= 2 && inScope.contains(ids[v]) {
            findings.append(
                Finding(
                    code: "single-point-of-failure", severity: .high,
                    subject: .init(territory: territory.path, actors: [ids[v]], relations: []),
                    reason: Catalogue.text("spof-actor.reason", lang, [name(ids[v]), Catalogue.actors(cutOff, lang), territory.path])
                        + note,
                    action: Catalogue.text("spof-actor.action", lang, [name(ids[v])])))
        }
        for (a, b, cutOff) in bridges where cutOff >= 2 && (inScope.contains(ids[a]) || inScope.contains(ids[b])) {
            let types = pairTypes[Self.pairKey(ids[a], ids[b])] ?? []
            findings.append(
                Finding(
                    code: "single-point-of-failure", severity: .medium,
                    subject: .init(
                        territory: territory.path, actors: [ids[a], ids[b]],
                        relations: types.sorted().map { [ids[a], ids[b], $0] }),
                    reason: Catalogue.text(
                        "spof-relation.reason", lang, [name(ids[a]), name(ids[b]), Catalogue.actors(cutOff, lang), territory.path]) + note,
                    action: Catalogue.text("spof-relation.action", lang, [name(ids[a]), name(ids[b])])))
        }
        return findings
    }

    /// An alliance whose members fall into two or more groups of at least two actors
    /// with no tie between them (a lone actor is an isolate finding).
    func fragmented(_ territory: Territory, _ ids: [String]) -> [Finding] {
        let graph = allianceGraph(ids)
        let groups = Structure.components(graph).groups.filter { $0.count >= 2 }
        guard groups.count >= 2 else { return [] }
        func degree(_ v: Int) -> Int { graph.out.degree(v) }
        let listed = groups.map { group -> String in
            let names = group.prefix(3).map { name(ids[$0]) }.joined(separator: ", ")
            let text = group.count > 3 ? Catalogue.text("group.more", lang, [names, "\(group.count - 3)"]) : names
            return "\(text) (\(Catalogue.actors(group.count, lang)))"
        }
        // The best-tied actor of each of the two largest groups (first in order on a tie).
        let hubs = groups.prefix(2).map { group in group.max { (degree($0), $1) < (degree($1), $0) }! }
        return [
            Finding(
                code: "fragmented-territory", severity: .medium,
                subject: .init(territory: territory.path, actors: groups.dropFirst().flatMap { $0.map { ids[$0] } }, relations: []),
                reason: Catalogue.text("fragmented.reason", lang, [territory.path, "\(groups.count)", listed.joined(separator: " · ")]),
                action: Catalogue.text("fragmented.action", lang, [name(ids[hubs[0]]), name(ids[hubs[1]])]))
        ]
    }

    static func pairKey(_ a: String, _ b: String) -> String { a < b ? a + "\u{1F}" + b : b + "\u{1F}" + a }

    /// Themes of an actor: its own and those of the projects it takes part in or promotes.
    func themes(of id: String) -> Set<String> {
        var themes = Set(byID[id]?.themes.map { $0.lowercased() } ?? [])
        for w in ties[id] ?? [] where byID[w]?.kind == "project" { themes.formUnion(byID[w]!.themes.map { $0.lowercased() }) }
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
            (ties[id] ?? []).contains { w in
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
            for w in ties[id] ?? [] {
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

    /// Relations left out by their status: planned and potential ones are opportunities,
    /// ended ones losses when no tie that counts joins the two actors any more.
    func opportunitiesAndLosses() -> [Finding] {
        // An end examined: in scope and, with a territory asked for, inside it (a region's
        // actor in scope around a province does not bring all its ties into the province's answer).
        func examined(_ id: String) -> Bool {
            guard inScope.contains(id) else { return false }
            guard let asked = options.territory else { return true }
            return byID[id]?.territory.map { asked.contains($0) } ?? false
        }
        return scope.uncounted.filter { examined($0.source) || examined($0.target) }.compactMap { r in
            let type = eco.vocabulary.relationTypes[r.type].map { lang == .it ? $0.labelIT : $0.label } ?? r.type
            let names = [name(r.source), type, name(r.target)]
            // The alliance of the end that is examined (the other may be elsewhere).
            let territory = [r.source, r.target].lazy.filter(examined).compactMap { self.byID[$0].flatMap(self.allianceTerritory) }
                .first?.path
            let subject = Finding.Subject(territory: territory, actors: [r.source, r.target], relations: [[r.source, r.target, r.type]])
            switch r.status {
            case .planned, .potential:
                let reason =
                    r.status == .potential
                    ? Catalogue.text("opportunity-potential.reason", lang, names)
                    : r.since.map { Catalogue.text("opportunity-planned.reason", lang, names + [$0]) }
                        ?? Catalogue.text("opportunity-planned-undated.reason", lang, names)
                return Finding(
                    code: "opportunity", severity: .low, subject: subject, reason: reason,
                    action: Catalogue.text("opportunity.action", lang, []))
            case .ended:
                guard pairTypes[Self.pairKey(r.source, r.target)] == nil else { return nil }
                let reason =
                    r.until.map { Catalogue.text("lost.reason", lang, names + [$0]) } ?? Catalogue.text("lost-undated.reason", lang, names)
                return Finding(
                    code: "lost-tie", severity: .low, subject: subject, reason: reason, action: Catalogue.text("lost.action", lang, []))
            case .active:
                return nil
            }
        }
    }
}
