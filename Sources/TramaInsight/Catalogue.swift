import TramaModel

/// Every sentence Trama says about gaps, recommendations and coalitions, in
/// English and Italian, in one place. `{0}`, `{1}`… are filled in order.
public enum Catalogue {
    static let texts: [String: (en: String, it: String)] = [
        "missing-kind.reason": ("The alliance of {0} has {1} {2}: {3}", "L'alleanza di {0} ha {1} {2}: {3}"),
        "missing-kind.reason-none": ("The alliance of {0} has no {2}: {3}", "L'alleanza di {0} non ha {2}: {3}"),
        "missing-kind.theme": (" inside this theme ({0})", " dentro questo tema ({0})"),
        "missing-kind.action": ("Bring in {0}; candidates: {1}", "Coinvolgere un attore del tipo «{0}»; candidati: {1}"),
        "missing-kind.action-none": (
            "Bring in {0}: the graph has none yet outside {1} that could serve it, so add one",
            "Coinvolgere un attore del tipo «{0}»: nel grafo non ce ne sono ancora, fuori da {1}, che possano servirla, quindi va aggiunto"
        ),
        "contract-only.reason": (
            "{0} has only contracts (contracts_with) with {1} of the third sector, never a co-design or co-programming",
            "{0} ha solo affidamenti (contracts_with) con {1} del terzo settore, mai una co-progettazione o co-programmazione"
        ),
        "contract-only.action": (
            "Propose a co-design (co-progettazione) or co-programming table with {0}",
            "Proporre a {0} un tavolo di co-progettazione o co-programmazione"
        ),
        "isolate.reason": ("{0} has no tie inside the alliance of {1}", "{0} non ha legami nell'alleanza di {1}"),
        "isolate.reason-outside": (
            "{0} has no tie inside the alliance of {1}; its ties ({2}) are all with actors outside it",
            "{0} non ha legami nell'alleanza di {1}; i suoi legami ({2}) sono tutti con attori esterni"
        ),
        "isolate.action": ("Introduce {0} to the other actors of {1}", "Presentare {0} agli altri attori di {1}"),
        "pendant.reason": ("{0} is tied to the alliance of {1} only through {2}", "{0} è legato all'alleanza di {1} solo tramite {2}"),
        "pendant.action": (
            "Add a second tie for {0}, so it does not depend on {1} alone",
            "Aggiungere un secondo legame a {0}, perché non dipenda solo da {1}"
        ),
        "spof-actor.reason": (
            "Without {0}, {1} of the alliance of {2} would be cut off from the rest",
            "Senza {0}, {1} dell'alleanza di {2} resterebbero isolati dal resto"
        ),
        "spof-actor.action": (
            "Tie the actors that depend on {0} to one another or to another member",
            "Collegare gli attori che dipendono da {0} tra loro o con un altro membro"
        ),
        "spof-relation.reason": (
            "The tie between {0} and {1} is the only link for {2} of the alliance of {3}",
            "Il legame tra {0} e {1} è l'unico collegamento per {2} dell'alleanza di {3}"
        ),
        "spof-relation.action": (
            "Create a second path between the two sides of the tie {0} – {1}",
            "Creare un secondo percorso tra le due parti del legame {0} – {1}"
        ),
        "hole-broker.reason": ("{0} and {1} are joined only through {2}", "{0} e {1} sono collegati solo tramite {2}"),
        "hole-broker.action": (
            "Ask {0} to introduce actors of {1} and {2} to one another",
            "Chiedere a {0} di far conoscere tra loro attori di {1} e {2}"
        ),
        "theme-gap.reason": ("In {0}, only {1} works on {2}", "A {0} solo {1} si occupa di {2}"),
        "theme-gap.action": (
            "Find a partner on {0} for {1}; actors elsewhere who work on it: {2}",
            "Trovare un partner su {0} per {1}; attori altrove che se ne occupano: {2}"
        ),
        "theme-gap.action-none": (
            "Find a partner on {0} for {1}: no other actor of the graph works on it yet",
            "Trovare un partner su {0} per {1}: nessun altro attore del grafo se ne occupa ancora"
        ),
        "silo.reason": ("{0} has no tie to any other territory", "{0} non ha legami con altri territori"),
        "silo.action": (
            "Connect an actor of {0} with a peer in a neighbouring territory",
            "Collegare un attore di {0} con uno analogo in un territorio vicino"
        ),
        "wider.note": (
            " (counting the actors of a wider territory tied to its members: {0})",
            " (contando gli attori di un territorio più ampio legati ai suoi membri: {0})"
        ),
        "fragmented.reason": (
            "The alliance of {0} is split into {1} groups with no tie between them: {2}",
            "L'alleanza di {0} è divisa in {1} gruppi senza legami tra loro: {2}"
        ),
        "fragmented.action": (
            "Introduce {0} and {1}, the most tied actors of the two largest groups, so the groups meet",
            "Far conoscere {0} e {1}, gli attori più collegati dei due gruppi più grandi, perché i gruppi si incontrino"
        ),
        "group.more": ("{0} and {1} more", "{0} e altri {1}"),
        "opportunity-planned.reason": (
            "{0} {1} {2}: tie planned since {3}, not started", "{0} {1} {2}: legame previsto dal {3}, non ancora avviato"
        ),
        "opportunity-planned-undated.reason": ("{0} {1} {2}: tie planned, not started", "{0} {1} {2}: legame previsto, non ancora avviato"),
        "opportunity-potential.reason": (
            "{0} {1} {2}: a potential tie, not agreed yet", "{0} {1} {2}: legame potenziale, non ancora concordato"
        ),
        "opportunity.action": (
            "Start it: only an active tie counts in the alliance", "Avviarlo: solo un legame attivo conta nell'alleanza"
        ),
        "lost.reason": (
            "{0} {1} {2}: tie ended ({3}), and no other tie joins them",
            "{0} {1} {2}: legame concluso ({3}), e nessun altro legame li unisce"
        ),
        "lost-undated.reason": (
            "{0} {1} {2}: tie ended, and no other tie joins them", "{0} {1} {2}: legame concluso, e nessun altro legame li unisce"
        ),
        "lost.action": (
            "Find out why it ended; renew it if the work goes on", "Capire perché si è concluso; rinnovarlo se il lavoro continua"
        ),
        "funder.action": ("an actor that funds the alliance (a funds tie)", "un ente che finanzi l'alleanza (un legame «finanzia»)"),
        "funder.action-none": (
            "Ask an actor to fund the alliance of {0} (a funds tie): no other actor of the graph funds anyone yet",
            "Chiedere a un ente di finanziare l'alleanza di {0} (un legame «finanzia»): nessun altro ente del grafo finanzia ancora qualcuno"
        ),
        "stale-until.reason": (
            "The relation {0} is still active but ended on {1}", "La relazione {0} risulta attiva ma è terminata il {1}"
        ),
        "stale-old.reason": ("The relation {0} has not been confirmed since {1}", "La relazione {0} non è confermata dal {1}"),
        "stale.action": ("Confirm the relation or mark it ended", "Confermare la relazione o segnarla come conclusa"),
        "rec.neighbours": ("{0} shared partners: {1}", "{0} partner in comune: {1}"),
        "rec.neighbour": ("1 shared partner: {1}", "1 partner in comune: {1}"),
        "rec.broker": ("{0} can introduce you (tied to both)", "{0} può presentarvi (è legato a entrambi)"),
        "rec.kind": (
            "{0}: none among you and your ties (the alliance rules ask for {1})",
            "{0}: non ce n'è tra te e i tuoi legami (le regole dell'alleanza ne chiedono {1})"
        ),
        "rec.kind-one": (
            "{0}: 1 among you and your ties (the alliance rules ask for {1})",
            "{0}: ce n'è 1 tra te e i tuoi legami (le regole dell'alleanza ne chiedono {1})"
        ),
        "rec.kind-some": (
            "{0}: {2} among you and your ties (the alliance rules ask for {1})",
            "{0}: ce ne sono {2} tra te e i tuoi legami (le regole dell'alleanza ne chiedono {1})"
        ),
        "rec.themes": ("shares themes: {0}", "temi in comune: {0}"),
        "rec.municipality": ("same municipality: {0}", "stesso comune: {0}"),
        "rec.territory": ("same province: {0}", "stessa provincia: {0}"),
        "rec.region": ("same region: {0}", "stessa regione: {0}"),
        "rec.constraint": (
            "would lower your constraint from {0} to {1} (more non-redundant contacts)",
            "abbasserebbe il tuo vincolo da {0} a {1} (più contatti non ridondanti)"
        ),
        "coalition.missing": ("{0} more {1}", "{0} {1} in più"),
        "coalition.trimmed": (
            "part of a group of {0}, kept within the maximum size {1} by letting go the least tied: {2}",
            "parte di un gruppo di {0}, ridotto alla dimensione massima {1} escludendo i meno legati: {2}"
        ),
        "coalition.too-large": (
            "{0} tied together, more than the maximum size {1}, and no part of {1} or fewer keeps what the group has of the composition",
            "{0} legati tra loro, più della dimensione massima {1}, e nessuna parte di {1} o meno mantiene ciò che il gruppo ha della composizione"
        ),
        "coalition.too-short": (
            "misses {0} actors of the composition, more than two: {1}",
            "mancano {0} attori della composizione, più di due: {1}"
        ),
        "coalition.join": (
            "joined with the group of {0}, it would be complete: introduce the two groups",
            "unita al gruppo di {0} sarebbe completa: far conoscere i due gruppi"
        ),
        "coalition.none-in-scope": ("{0}: no one in scope can complete it", "{0}: nessuno nell'ambito scelto può completarla"),
    ]

    /// The sentence `key` in `language` with `arguments` filled in.
    public static func text(_ key: String, _ language: Language, _ arguments: [String]) -> String {
        guard let entry = texts[key] else { return key }
        var out = language == .it ? entry.it : entry.en
        for (i, argument) in arguments.enumerated() { out = out.replacingOccurrences(of: "{\(i)}", with: argument) }
        return out
    }

    /// `1 actor`, `3 actors`, `3 attori`.
    public static func actors(_ count: Int, _ language: Language) -> String {
        language == .it ? "\(count) \(count == 1 ? "attore" : "attori")" : "\(count) \(count == 1 ? "actor" : "actors")"
    }

    /// `1 third-sector actor`: `1 actor`, `3 actors`; `1 ente`, `3 enti` in Italian.
    public static func bodies(_ count: Int, _ language: Language) -> String {
        language == .it ? "\(count) \(count == 1 ? "ente" : "enti")" : "\(count) \(count == 1 ? "actor" : "actors")"
    }

    /// A kind's name in `language` (`public administration`, `pubblica amministrazione`),
    /// in the plural for a `count` other than 1 (`2 cooperative`, `0 pubbliche amministrazioni`).
    public static func kind(_ name: String, _ language: Language, vocabulary: Vocabulary, count: Int = 1) -> String {
        let label: String
        if name == "funder" {
            label = language == .it ? "finanziatore" : "funder"
        } else if let kind = vocabulary.kinds[name] {
            label = (language == .it ? kind.labelIT : kind.label).lowercased()
        } else {
            return name
        }
        guard count != 1 else { return label }
        return language == .it ? italianPlural(label) : englishPlural(label)
    }

    /// `ne serve 1`, `ne servono 2`: how many an Italian sentence says are needed.
    public static func needed(_ count: Int, _ language: Language) -> String {
        language == .it ? (count == 1 ? "ne serve 1" : "ne servono \(count)") : "\(count) needed"
    }

    static func englishPlural(_ label: String) -> String {
        if label.hasSuffix("consortium") { return String(label.dropLast(2)) + "a" }
        if label.hasSuffix("y") { return String(label.dropLast()) + "ies" }
        if label.hasSuffix("s") { return label }
        return label + "s"
    }

    /// The plural of an Italian noun phrase, word by word: `pubblica amministrazione` →
    /// `pubbliche amministrazioni`, `consorzio` → `consorzi`, `rete` → `reti`; words borrowed
    /// from English (`partner`) and the small words (`o`, `di`) stay as they are.
    static func italianPlural(_ label: String) -> String {
        let invariable: Set<String> = ["o", "e", "di", "del", "della", "dei", "delle", "da", "in", "partner", "project", "network"]
        return label.split(separator: " ").map { word -> String in
            let w = String(word)
            if invariable.contains(w) || w.count < 3 { return w }
            if w.hasSuffix("ca") { return String(w.dropLast()) + "he" }
            if w.hasSuffix("ga") { return String(w.dropLast()) + "he" }
            if w.hasSuffix("io") { return String(w.dropLast(2)) + "i" }
            if w.hasSuffix("a") { return String(w.dropLast()) + "e" }
            if w.hasSuffix("o") || w.hasSuffix("e") { return String(w.dropLast()) + "i" }
            return w
        }.joined(separator: " ")
    }

    /// A finding's code as people read it.
    public static func findingName(_ code: String, _ language: Language) -> String {
        let names: [String: (en: String, it: String)] = [
            "missing-kind": ("missing kind", "tipo mancante"),
            "contract-only-administration": ("administration by contract only", "amministrazione solo per contratto"),
            "isolate": ("isolated", "isolato"), "pendant": ("one tie only", "un solo legame"),
            "single-point-of-failure": ("single point of failure", "punto critico"),
            "theme-gap": ("theme without partners", "tema senza partner"), "silo-territory": ("territory in a silo", "territorio isolato"),
            "structural-hole": ("structural hole", "buco strutturale"),
            "stale-relation": ("tie not confirmed lately", "legame non confermato di recente"),
            "fragmented-territory": ("alliance split in pieces", "alleanza divisa in parti"),
            "opportunity": ("tie not started yet", "legame non ancora avviato"), "lost-tie": ("tie that ended", "legame concluso"),
        ]
        guard let name = names[code] else { return code }
        return language == .it ? name.it : name.en
    }

    /// A severity as people read it: `high`, `alta`.
    public static func severityName(_ severity: String, _ language: Language) -> String {
        guard language == .it else { return severity }
        return ["high": "alta", "medium": "media", "low": "bassa"][severity] ?? severity
    }
}
