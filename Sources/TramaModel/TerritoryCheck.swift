import Foundation

/// Territories that are taken as written but may be slips: a new path one or two
/// letters away from a known one (`Piemonte/Torin/Ivrea` beside
/// `Piemonte/Torino/Ivrea`), or one whose first part is not an Italian region.
public enum TerritoryCheck {
    /// The twenty regions, as paths usually spell them (accents and case ignored when compared).
    public static let regions = [
        "Abruzzo", "Basilicata", "Calabria", "Campania", "Emilia-Romagna", "Friuli-Venezia Giulia", "Lazio", "Liguria", "Lombardia",
        "Marche", "Molise", "Piemonte", "Puglia", "Sardegna", "Sicilia", "Toscana", "Trentino-Alto Adige", "Umbria",
        "Valle d'Aosta", "Veneto",
    ]

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .filter { $0.isLetter || $0.isNumber }
    }

    static let foldedRegions = Set(regions.map(fold) + ["trentinoaltoadigesudtirol", "valledaostavalleedaoste", "emiliaromagna"])

    /// One line per suspicious territory among `new`, given those already `known`.
    /// - Complexity: O(new × known) segment comparisons, each O(length²): territories are few.
    public static func warnings(new: [Territory], known: [Territory]) -> [String] {
        var warnings: [String] = []
        let knownPaths = Set(known.map(\.path))
        var uses: [String: Int] = [:]
        for territory in new {
            for depth in 1...territory.depth { uses[territory.rolledUp(to: depth).path, default: 0] += 1 }
        }
        let fresh = Set(new.map(\.path)).subtracting(knownPaths).sorted()
        let all = Array(Set(known.map(\.path)).union(new.map(\.path)))
            .compactMap(Territory.init)
        var regionWarned: Set<String> = []
        for path in fresh {
            guard let territory = Territory(path) else { continue }
            let first = territory.components[0]
            if !foldedRegions.contains(fold(first)), regionWarned.insert(first).inserted {
                let near = regions.min { distance(fold($0), fold(first)) < distance(fold($1), fold(first)) } ?? ""
                let hint = distance(fold(near), fold(first)) <= 3 ? " (did you mean `\(near)`?)" : ""
                warnings.append(
                    "territory `\(path)`: `\(first)` is not an Italian region\(hint); a path starts with the region (Piemonte/Torino/Ivrea)"
                )
            }
            // The same depth and parent, one segment a small edit away from another's.
            for other in all where other.path != path && other.components.count == territory.components.count {
                guard
                    let i = zip(territory.components, other.components).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset,
                    territory.components[..<i] == other.components[..<i],
                    territory.components[(i + 1)...] == other.components[(i + 1)...]
                else { continue }
                let (a, b) = (fold(territory.components[i]), fold(other.components[i]))
                let d = distance(a, b)
                if d > 0, d <= (min(a.count, b.count) >= 6 ? 2 : 1) {
                    // Warn about the rarer spelling only: the new one beside a stored one, or the
                    // one fewer rows use (on a tie, the one that does not start at a region).
                    let (mine, theirs) = (uses[path, default: 0], uses[other.path, default: 0])
                    let (myRegion, otherRegion) = (
                        foldedRegions.contains(fold(territory.components[0])), foldedRegions.contains(fold(other.components[0]))
                    )
                    let tieGoesToOther = otherRegion && !myRegion || (otherRegion == myRegion && other.path < path)
                    if knownPaths.contains(other.path) || theirs > mine || (theirs == mine && tieGoesToOther) {
                        warnings.append("territory `\(path)` looks like `\(other.path)`: a typo? (both are kept as written)")
                        break
                    }
                }
            }
        }
        return warnings
    }

    /// Levenshtein distance between two short strings.
    public static func distance(_ a: String, _ b: String) -> Int { distance(Array(a), Array(b)) }

    /// Levenshtein distance between two short character sequences.
    public static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
