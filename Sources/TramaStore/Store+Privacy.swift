import Foundation
import GRDB
import TramaModel

/// Everything a store holds about one actor, for a data subject's access request.
public struct PersonalData: Sendable, Codable {
    /// One stored version and the changes that made and ended it.
    public struct Version<Value: Sendable & Codable>: Sendable, Codable {
        public var value: Value
        public var since: ChangeRecord
        public var until: ChangeRecord?
    }

    public var graph: String
    public var id: String
    public var actor: [Version<Actor>]
    public var relations: [Version<Relation>]
    /// Change-log entries whose command names the actor.
    public var changes: [ChangeRecord]
}

extension Store {
    /// Every version of actor `id` and of its relations, and the log entries that mention it.
    public func personalData(of id: String, in graph: String) throws -> PersonalData {
        try read { snapshot in
            let db = snapshot.db
            let graphID = try snapshot.graph(graph).id
            let changes = Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(
                    db, sql: "SELECT id, at, author, command, summary FROM changes WHERE graph_id = ?", arguments: [graphID]
                ).map {
                    ($0[0] as Int64, ChangeRecord(id: $0[0], at: $0[1], author: $0[2], command: $0[3], summary: $0[4]))
                })
            let actors = try Row.fetchAll(
                db, sql: "SELECT valid_from, valid_to, \(Rows.actorColumns) FROM actors WHERE graph_id = ? AND id = ? ORDER BY valid_from",
                arguments: [graphID, id]
            ).map {
                PersonalData.Version(
                    value: Rows.actor($0, offset: 2), since: changes[$0[0]]!, until: ($0[1] as Int64?).flatMap { changes[$0] })
            }
            guard !actors.isEmpty else {
                throw TramaError(
                    .notFound, "the graph `\(graph)` holds nothing about `\(id)`, now or in its history",
                    fields: ["graph": graph, "actor": id])
            }
            let relations = try Row.fetchAll(
                db,
                sql: """
                    SELECT valid_from, valid_to, \(Rows.relationColumns) FROM relations
                    WHERE graph_id = ? AND (source = ? OR target = ?) ORDER BY valid_from, row
                    """, arguments: [graphID, id, id]
            ).map {
                PersonalData.Version(
                    value: Rows.relation($0, offset: 2), since: changes[$0[0]]!, until: ($0[1] as Int64?).flatMap { changes[$0] })
            }
            let names = Set(actors.map(\.value.name)).union([id])
            let mentions = changes.values.filter { change in names.contains { change.command.contains($0) } }.sorted { $0.id < $1.id }
            return PersonalData(graph: graph, id: id, actor: actors, relations: relations, changes: mentions)
        }
    }

    /// What erasing actor `id` would do, without doing it: the graphs it is in and how
    /// many versions go, and every other record whose text names the person (by whole
    /// word: their names, id and contact strings), with the text around each mention.
    public func erasurePlan(of id: String, in graph: String) throws -> ErasurePlan {
        try read { snapshot in try Erasure(snapshot.db, store: self, id: id, graph: graph).plan }
    }

    /// Erases actor `id` on request, from every graph of the file that holds the same
    /// person (same id and a name in common): every version of it and of its relations;
    /// in other records, whole-word mentions of its names, id and contact strings
    /// (e-mail, phone, web address); the authors and arguments of logged commands that
    /// name it. SQLite's secure delete is on, and the write-ahead log is checkpointed and
    /// truncated: the answer says `bytesGone` only when that succeeded, so that no byte
    /// of the person is left in the file. The log keeps one entry saying that an
    /// erasure happened, without naming whom.
    public func erase(_ id: String, in graph: String, context: WriteContext) throws -> ErasureOutcome {
        let plan = try write { db -> ErasurePlan in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            let erasure = try Erasure(db, store: self, id: id, graph: graph)
            try erasure.apply(db, context: context)
            return erasure.plan
        }
        let gone = try wipeFreedBytes()
        if gone { try clearPendingErasures() }
        return ErasureOutcome(plan: plan, bytesGone: gone)
    }

    func clearPendingErasures() throws {
        _ = try write { db in try db.execute(sql: "DELETE FROM store_info WHERE key LIKE 'erasure-pending:%'") }
    }

    /// Asked again for a person whose erasure is pending (the readers that held earlier
    /// versions may have let go): true when the file no longer holds the erased bytes;
    /// nil when no erasure of `id` is pending (an id never erased, or mistyped).
    public func finishErasure(of id: String) throws -> Bool? {
        let pending = try read { snapshot in
            try String.fetchOne(snapshot.db, sql: "SELECT value FROM store_info WHERE key = ?", arguments: [Erasure.pendingKey(id)])
        }
        guard pending != nil else { return nil }
        let gone = try wipeFreedBytes()
        if gone { try clearPendingErasures() }
        return gone
    }

    /// Copies the write-ahead log into the file and empties it, with secure delete on:
    /// false when another reader still holds an earlier version (whose pages, with the
    /// erased bytes, must then stay).
    func wipeFreedBytes() throws -> Bool {
        try writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") else { return false }
            let busy: Int = row[0]
            let log: Int = row[1]
            let copied: Int = row[2]
            return busy == 0 && (log <= 0 || log == copied)
        }
    }
}

/// What an erasure removes and rewrites (see ``Store/erasurePlan(of:in:)``).
public struct ErasurePlan: Sendable, Codable {
    /// A graph that holds the person, and how many versions go.
    public struct Holding: Sendable, Codable {
        public var graph: String
        public var actorVersions: Int
        public var relationVersions: Int

        enum CodingKeys: String, CodingKey {
            case graph
            case actorVersions = "actor_versions"
            case relationVersions = "relation_versions"
        }
    }

    /// Another record whose text names the person: what changes in it.
    public struct Mention: Sendable, Codable, Hashable {
        public var graph: String
        /// `actor coop-x`, `relation a → b (partners_with)`, `change 12`, `snapshot fine-lab`, `token 3`.
        public var record: String
        public var field: String
        /// How many stored versions of the record carry this text.
        public var versions: Int
        /// The text around the first match, as it reads now.
        public var excerpt: String
    }

    public var id: String
    public var graphs: [Holding]
    public var mentions: [Mention]
    /// Logged commands whose author or arguments name the person.
    public var logEntries: Int
    /// What the erasure leaves alone and why: the same id in another graph under another name.
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case id, graphs, mentions
        case logEntries = "log_entries"
        case notes
    }

    /// Versions of the person that go, in every graph.
    public var actorVersions: Int { graphs.reduce(0) { $0 + $1.actorVersions } }
    public var relationVersions: Int { graphs.reduce(0) { $0 + $1.relationVersions } }
    /// Stored versions of other records rewritten.
    public var mentionVersions: Int { mentions.reduce(0) { $0 + $1.versions } }
}

public struct ErasureOutcome: Sendable {
    public var plan: ErasurePlan
    /// The write-ahead log was checkpointed and truncated with secure delete on.
    public var bytesGone: Bool
}

/// Finds a person's names, id and contact strings in free text, by whole word and
/// ignoring case: "Marco" is found in "presidente Marco," but not in "via Marconi";
/// the id `ro` not in "promoter"; `anna-riva` not in `anna-riva-2`.
struct PersonMatcher: @unchecked Sendable {
    /// Each term under its longest word (folded): a text is searched for a term only
    /// when it holds that word, so texts that name nobody cost one pass over their words.
    let byKey: [String: [(term: String, words: [String])]]
    let ignoringCase: Bool
    private let cache = RegexCache()

    final class RegexCache: @unchecked Sendable {
        let lock = NSLock()
        var regexes: [String: NSRegularExpression] = [:]
    }

    init(terms: Set<String>, ignoringCase: Bool = true) {
        self.ignoringCase = ignoringCase
        var byKey: [String: [(term: String, words: [String])]] = [:]
        for term in terms {
            let term = term.precomposedStringWithCanonicalMapping
            let words = Self.words(term, ignoringCase: ignoringCase)
            guard let key = words.max(by: { $0.count < $1.count }) else { continue }
            byKey[key, default: []].append((term, words))
            // The same name without its accents (Nicolò → Nicolo), as people also type it.
            if ignoringCase {
                let plain = term.folding(options: [.diacriticInsensitive], locale: nil)
                if plain != term { byKey[key, default: []].append((plain, words)) }
            }
        }
        self.byKey = byKey
    }

    /// The words of `text`: runs of letters, digits, marks and `_`, lower-cased and
    /// without accents when case is ignored.
    static func words(_ text: String, ignoringCase: Bool) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            var word = String(current)
            if ignoringCase {
                word = word.lowercased()
                if !word.utf8.allSatisfy({ $0 < 0x80 }) { word = word.folding(options: [.diacriticInsensitive], locale: nil) }
            }
            words.append(word)
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
                || scalar.properties.generalCategory == .nonspacingMark
            {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// The terms `text` may hold (each of their words is in it), longest first.
    func candidates(in text: String) -> [String] {
        guard !byKey.isEmpty else { return [] }
        let present = Set(Self.words(text, ignoringCase: ignoringCase))
        var terms: Set<String> = []
        for word in present {
            for candidate in byKey[word] ?? [] where candidate.words.allSatisfy(present.contains) { terms.insert(candidate.term) }
        }
        return terms.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// One term's expression, compiled once (a case-insensitive Unicode expression costs a
    /// millisecond to compile: one for the whole set of a text's terms would be compiled anew for every text).
    func regex(_ term: String) -> NSRegularExpression? {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let regex = cache.regexes[term] { return regex }
        let pattern = term.split(whereSeparator: \.isWhitespace).map { NSRegularExpression.escapedPattern(for: String($0)) }
            .joined(separator: "\\s+")
        let word = "[\\p{L}\\p{N}\\p{M}_]"
        let regex = try? NSRegularExpression(
            pattern: "(?<!\(word))(?<!\(word)[-.@])(?:\(pattern))(?!\(word))(?![-.@]\(word))",
            options: ignoringCase ? [.caseInsensitive] : [])
        if cache.regexes.count > 4096 { cache.regexes.removeAll() }
        cache.regexes[term] = regex
        return regex
    }

    /// `text` in composed form (a decomposed "ò" matches a composed one).
    static func composed(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// Every mention replaced by `replacement`, and the range of the first one in the
    /// original text; nil when there is none.
    func replace(in text: String, with replacement: String) -> (text: String, first: NSRange)? {
        let terms = candidates(in: text)
        guard !terms.isEmpty else { return nil }
        let original = Self.composed(text)
        var out = original
        var first: NSRange?
        for term in terms {
            guard let regex = regex(term) else { continue }
            let range = NSRange(location: 0, length: (out as NSString).length)
            guard let match = regex.firstMatch(in: out, range: range) else { continue }
            if first == nil, out == original { first = match.range }
            out = regex.stringByReplacingMatches(in: out, range: range, withTemplate: replacement)
        }
        guard out != original else { return nil }
        return (out, first ?? NSRange(location: 0, length: 0))
    }

    /// The text with every mention replaced by `replacement`; `text` itself when none.
    func masked(_ text: String, with replacement: String) -> String {
        replace(in: text, with: replacement)?.text ?? text
    }

    /// The text with every mention replaced by `[erased]`, and the first mention's surroundings; nil when none.
    func scrub(_ text: String) -> (text: String, excerpt: String)? {
        guard let (out, first) = replace(in: text, with: "[erased]") else { return nil }
        let ns = Self.composed(text) as NSString
        let start = max(0, first.location - 30)
        let end = min(ns.length, first.location + first.length + 30)
        var excerpt = ns.substring(with: NSRange(location: start, length: end - start))
            .replacingOccurrences(of: "\n", with: " ")
        if start > 0 { excerpt = "…" + excerpt }
        if end < ns.length { excerpt += "…" }
        return (out, excerpt)
    }

    /// The contact strings stored with a person: e-mail addresses in any attribute, the
    /// whole value of an attribute whose name says it is a contact (e-mail, phone, web,
    /// PEC…), and their web address. Never their description, nor a number in another
    /// attribute (a date or an amount is not a phone number).
    static func contacts(url: String?, attributes: [String: String]) -> [String] {
        var found: [String] = []
        if let url, !url.isEmpty { found.append(url) }
        let email = try? NSRegularExpression(pattern: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")
        let contactKey = try? NSRegularExpression(
            pattern: "mail|pec|phone|tel|cell|mobile|fax|web|sito|site|url|contact|contatt|linkedin|skype|whatsapp",
            options: [.caseInsensitive])
        for (key, value) in attributes {
            let ns = value as NSString
            for match in email?.matches(in: value, range: NSRange(location: 0, length: ns.length)) ?? [] {
                found.append(ns.substring(with: match.range))
            }
            if contactKey?.firstMatch(in: key, range: NSRange(location: 0, length: (key as NSString).length)) != nil {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                if trimmed.count >= 5 { found.append(trimmed) }
            }
        }
        return found
    }
}

/// One erasure, worked out inside a transaction: what goes and what is rewritten.
struct Erasure {
    struct Target {
        var graph: GraphRef
        var actorVersions: Int
        var relationVersions: Int
    }

    struct Rewrite {
        var table: String
        /// The column that names the record (`row`, or `id` in tables without versions).
        var key = "row"
        var row: Int64
        var column: String
        var value: String?
    }

    let id: String
    var targets: [Target] = []
    var rewrites: [Rewrite] = []
    var mentions: [ErasurePlan.Mention] = []
    var logEntries: [(id: Int64, command: String?, author: String?, summary: String?)] = []
    var notes: [String] = []
    /// The person's names and contact strings, ignoring case and accents.
    let matcher: PersonMatcher
    /// Their id, as written (an id is a slug: `lab` is not `Lab`); not looked for in a
    /// graph where the same id is someone else.
    let idMatcher: PersonMatcher
    var sameIDElsewhere: Set<Int64> = []
    /// The graph being searched holds the same id for someone else.
    var idElsewhere = false
    let store: Store

    init(_ db: Database, store: Store, id: String, graph: String) throws {
        self.id = id
        self.store = store
        let snapshot = StoreSnapshot(db: db, store: store)
        let asked = try snapshot.graph(graph)
        let graphs = try Row.fetchAll(db, sql: "SELECT id, name FROM graphs ORDER BY name").map { GraphRef(id: $0[0], name: $0[1]) }
        func names(in graph: GraphRef) throws -> Set<String> {
            Set(try String.fetchAll(db, sql: "SELECT name FROM actors WHERE graph_id = ? AND id = ?", arguments: [graph.id, id]))
        }
        let askedNames = try names(in: asked)
        guard !askedNames.isEmpty else {
            throw TramaError(
                .notFound, "the graph `\(graph)` holds nothing about `\(id)`, now or in its history",
                fields: ["graph": graph, "actor": id])
        }
        let folded = Set(askedNames.map { $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) })
        var terms: Set<String> = []
        for ref in graphs {
            let here = ref == asked ? askedNames : try names(in: ref)
            guard !here.isEmpty else { continue }
            if ref != asked,
                folded.isDisjoint(with: here.map { $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) })
            {
                notes.append(
                    "the graph `\(ref.name)` has an actor `\(id)` named \(here.sorted().map { "“\($0)”" }.joined(separator: ", ")): another name, so it is left alone (erase it from that graph if it is the same person)"
                )
                sameIDElsewhere.insert(ref.id)
                continue
            }
            terms.formUnion(here)
            // Contact strings stored with the person: e-mails, contact attributes, web address.
            for row in try Row.fetchAll(
                db, sql: "SELECT url, attributes FROM actors WHERE graph_id = ? AND id = ?", arguments: [ref.id, id])
            {
                terms.formUnion(PersonMatcher.contacts(url: row[0], attributes: Rows.decodeMap(row[1])))
            }
            let actorVersions =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM actors WHERE graph_id = ? AND id = ?", arguments: [ref.id, id]) ?? 0
            let relationVersions =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM relations WHERE graph_id = ? AND (source = ? OR target = ?)",
                    arguments: [ref.id, id, id]) ?? 0
            targets.append(Target(graph: ref, actorVersions: actorVersions, relationVersions: relationVersions))
        }
        // A term of one or two letters would be found in others' words by chance: it is not looked for.
        let short = terms.filter { $0.trimmingCharacters(in: .whitespaces).count < 3 }.union(id.count < 3 ? [id] : [])
        if !short.isEmpty {
            notes.append(
                "\(short.sorted().map { "`\($0)`" }.joined(separator: ", ")) too short to look for safely in other records: they are not searched for it"
            )
        }
        matcher = PersonMatcher(terms: terms.subtracting(short))
        idMatcher = PersonMatcher(terms: id.count < 3 ? [] : [id], ignoringCase: false)
        try findMentions(db, graphs: graphs)
    }

    var plan: ErasurePlan {
        ErasurePlan(
            id: id,
            graphs: targets.map {
                ErasurePlan.Holding(graph: $0.graph.name, actorVersions: $0.actorVersions, relationVersions: $0.relationVersions)
            },
            mentions: mentions, logEntries: logEntries.count, notes: notes)
    }

    private mutating func note(_ graph: String, _ record: String, _ field: String, _ excerpt: String) {
        if let i = mentions.firstIndex(where: { $0.graph == graph && $0.record == record && $0.field == field && $0.excerpt == excerpt }) {
            mentions[i].versions += 1
        } else {
            mentions.append(ErasurePlan.Mention(graph: graph, record: record, field: field, versions: 1, excerpt: excerpt))
        }
    }

    private mutating func findMentions(_ db: Database, graphs: [GraphRef]) throws {
        let erased = Set(targets.map(\.graph.id))
        let actorText = ["name", "description", "url", "tags", "themes", "attributes"]
        let relationText = ["description", "evidence", "tags", "attributes", "asserted_by", "asserted_in"]
        let lists: Set<String> = ["tags", "themes"]
        for ref in graphs {
            idElsewhere = sameIDElsewhere.contains(ref.id)
            // Other actors' rows, every version.
            let mine = erased.contains(ref.id)
            for row in try Row.fetchAll(
                db, sql: "SELECT row, id, \(actorText.joined(separator: ", ")) FROM actors WHERE graph_id = ? AND id <> ?",
                arguments: [ref.id, mine ? id : ""])
            {
                for (i, column) in actorText.enumerated() {
                    try scrubColumn(
                        row, i + 2, table: "actors", column: column, list: lists.contains(column), map: column == "attributes",
                        graph: ref.name, record: "actor `\(row[1] as String)`")
                }
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT row, source || ' → ' || target || ' (' || type || ')', \(relationText.joined(separator: ", ")) FROM relations WHERE graph_id = ? AND NOT (source = ? OR target = ?)",
                arguments: [ref.id, mine ? id : "", mine ? id : ""])
            {
                for (i, column) in relationText.enumerated() {
                    try scrubColumn(
                        row, i + 2, table: "relations", column: column, list: column == "tags", map: column == "attributes",
                        graph: ref.name, record: "relation \(row[1] as String)")
                }
            }
            if store.schema.time {
                for row in try Row.fetchAll(db, sql: "SELECT id, name, note, author FROM snapshots WHERE graph_id = ?", arguments: [ref.id])
                {
                    try scrubColumn(
                        row, 2, table: "snapshots", column: "note", list: false, map: false, graph: ref.name,
                        record: "snapshot `\(row[1] as String)`", rowColumn: "id")
                    if scrub(row[3]) != nil {
                        rewrites.append(Rewrite(table: "snapshots", key: "id", row: row[0], column: "author", value: "[erased]"))
                        note(ref.name, "snapshot `\(row[1] as String)`", "author", row[3])
                    }
                    // A snapshot named after the person is renamed by its number.
                    if scrub(row[1]) != nil {
                        rewrites.append(
                            Rewrite(table: "snapshots", key: "id", row: row[0], column: "name", value: "erased-\(row[0] as Int64)"))
                        note(ref.name, "snapshot `\(row[1] as String)`", "name", "renamed erased-\(row[0] as Int64)")
                    }
                }
            }
            // The change log: authors and summaries by whole word; a command that names the person loses its arguments.
            for row in try Row.fetchAll(db, sql: "SELECT id, author, command, summary FROM changes WHERE graph_id = ?", arguments: [ref.id])
            {
                let author = scrub(row[1]).map { _ in "[erased]" }
                // A command about the person (their id as its subject or a relation's end,
                // `trama actor add ID`, `trama relation add ID B`) may carry more of their data
                // (a note in --attr): its arguments go whole; another command that names
                // them loses those words only.
                let words = (row[2] as String).split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
                let aboutThem = !idElsewhere && words.dropFirst(3).prefix(2).contains(id)
                let command =
                    aboutThem
                    ? words.prefix(3).joined(separator: " ") + " [arguments erased with an erased person's data]"
                    : scrub(row[2])?.text
                let summary = scrub(row[3])?.text
                if author != nil || command != nil || summary != nil {
                    logEntries.append((row[0], command, author, summary))
                }
            }
        }
        // Tokens' notes (who a link was given to).
        let elsewhere = Set(graphs.filter { sameIDElsewhere.contains($0.id) }.map(\.name))
        for row in try Row.fetchAll(db, sql: "SELECT id, graph, note FROM tokens WHERE note IS NOT NULL") {
            idElsewhere = elsewhere.contains(row[1])
            try scrubColumn(
                row, 2, table: "tokens", column: "note", list: false, map: false, graph: row[1], record: "token \(row[0] as Int64)",
                rowColumn: "id")
        }
    }

    /// The marker of a pending erasure of `id` in `store_info`: a 64-bit FNV-1a hash of the id.
    static func pendingKey(_ id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return "erasure-pending:" + String(hash, radix: 16)
    }

    /// `text` with the person's names, contacts and (where it is theirs) id replaced by
    /// `[erased]`, and the text around the first; nil when it names them nowhere.
    func scrub(_ text: String?) -> (text: String, excerpt: String)? {
        guard let text, !text.isEmpty else { return nil }
        let byName = matcher.scrub(text)
        let byID = idElsewhere ? nil : idMatcher.scrub(byName?.text ?? text)
        guard let last = byID ?? byName else { return nil }
        return (last.text, byName?.excerpt ?? last.excerpt)
    }

    private mutating func scrubColumn(
        _ row: Row, _ index: Int, table: String, column: String, list: Bool, map: Bool, graph: String, record: String,
        rowColumn: String = "row"
    ) throws {
        guard let text: String = row[index], !text.isEmpty else { return }
        var excerpt: String?
        let value: String?
        if list {
            let items = Rows.decodeList(text)
            let scrubbed = items.map { item -> String in
                guard let found = scrub(item) else { return item }
                excerpt = excerpt ?? found.excerpt
                return found.text
            }
            value = Rows.encode(scrubbed)
        } else if map {
            var scrubbed: [String: String] = [:]
            for (key, item) in Rows.decodeMap(text).sorted(by: { $0.key < $1.key }) {
                var newKey = scrub(key)?.text ?? key
                // Two keys that become the same keep both values.
                var n = 2
                while newKey != key, scrubbed[newKey] != nil {
                    newKey = (scrub(key)?.text ?? key) + " \(n)"
                    n += 1
                }
                if let found = scrub(item) {
                    excerpt = excerpt ?? "\(key): \(found.excerpt)"
                    scrubbed[newKey] = found.text
                } else {
                    if newKey != key { excerpt = excerpt ?? key }
                    scrubbed[newKey] = item
                }
            }
            value = Rows.encode(scrubbed)
        } else if let found = scrub(text) {
            excerpt = found.excerpt
            value = found.text
        } else {
            value = text
        }
        guard let excerpt else { return }
        rewrites.append(Rewrite(table: table, key: rowColumn, row: row[0], column: column, value: value))
        note(graph, record, column, excerpt)
    }

    func apply(_ db: Database, context: WriteContext) throws {
        for rewrite in rewrites {
            try db.execute(
                sql: "UPDATE \(rewrite.table) SET \(rewrite.column) = ? WHERE \(rewrite.key) = ?", arguments: [rewrite.value, rewrite.row])
        }
        for entry in logEntries {
            if let author = entry.author {
                try db.execute(sql: "UPDATE changes SET author = ? WHERE id = ?", arguments: [author, entry.id])
            }
            if let command = entry.command {
                try db.execute(sql: "UPDATE changes SET command = ? WHERE id = ?", arguments: [command, entry.id])
            }
            if let summary = entry.summary {
                try db.execute(sql: "UPDATE changes SET summary = ? WHERE id = ?", arguments: [summary, entry.id])
            }
        }
        let rewritten = Set(rewrites.map(\.table))
        // Until the log is checkpointed, the erased bytes may stay in the file: a marker (the
        // id's hash, not the id) lets asking again for this person finish the erasure.
        try db.execute(
            sql: "INSERT OR REPLACE INTO store_info (key, value) VALUES (?, ?)",
            arguments: [Erasure.pendingKey(id), Timestamp.string()])
        for target in targets {
            let graphID = target.graph.id
            try db.execute(sql: "DELETE FROM relations WHERE graph_id = ? AND (source = ? OR target = ?)", arguments: [graphID, id, id])
            try db.execute(sql: "DELETE FROM actors WHERE graph_id = ? AND id = ?", arguments: [graphID, id])
            // Where maps drew the person: their entry in each kept layout; a view named after them goes whole.
            if store.schema.time {
                for row in try Row.fetchAll(db, sql: "SELECT view, positions FROM layouts WHERE graph_id = ?", arguments: [graphID]) {
                    guard var positions = try? JSONDecoder().decode([String: [Double]].self, from: Data((row[1] as String).utf8)),
                        positions.removeValue(forKey: id) != nil
                    else { continue }
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = .sortedKeys
                    try db.execute(
                        sql: "UPDATE layouts SET positions = ? WHERE graph_id = ? AND view = ?",
                        arguments: [String(decoding: try encoder.encode(positions), as: UTF8.self), graphID, row[0] as String])
                }
                // A view that names the person (their neighbourhood, a list of actors with them) goes whole.
                for view in try String.fetchAll(db, sql: "SELECT view FROM layouts WHERE graph_id = ?", arguments: [graphID])
                where view.split(whereSeparator: { ":,&=".contains($0) }).contains(Substring(id)) {
                    try db.execute(sql: "DELETE FROM layouts WHERE graph_id = ? AND view = ?", arguments: [graphID, view])
                }
            }
            let mentionsHere = mentions.filter { $0.graph == target.graph.name }.reduce(0) { $0 + $1.versions }
            try db.execute(
                sql:
                    "INSERT INTO changes (graph_id, at, author, command, summary\(store.schema.time ? ", kind" : "")) VALUES (?, ?, ?, ?, ?\(store.schema.time ? ", 'erase'" : ""))",
                arguments: [
                    graphID, Timestamp.string(), context.author, "trama privacy erase [erased]",
                    "personal data erased on request: \(target.actorVersions) actor version(s), \(target.relationVersions) relation version(s), \(mentionsHere) mention(s)",
                ])
        }
        // The rows are gone, not closed: each graph's image is made anew from what remains, snapshots' too.
        let touched = Set(targets.map(\.graph.name)).union(
            rewritten.contains("actors") || rewritten.contains("relations") ? Set(mentions.map(\.graph)) : [])
        for name in touched.sorted() {
            guard let graphID = try Int64.fetchOne(db, sql: "SELECT id FROM graphs WHERE name = ?", arguments: [name]) else { continue }
            let change = try Int64.fetchOne(db, sql: "SELECT max(id) FROM changes WHERE graph_id = ?", arguments: [graphID]) ?? 0
            let image = try GraphImage.build(db, graphID: graphID)
            try image.save(db, graphID: graphID, change: change)
            if store.schema.snapshotImages {
                for snapshotChange in try Int64.fetchAll(
                    db, sql: "SELECT change_id FROM snapshot_images WHERE graph_id = ?", arguments: [graphID])
                {
                    try image.rewound(db, graphID: graphID, to: snapshotChange).saveForSnapshot(
                        db, graphID: graphID, change: snapshotChange)
                }
            }
        }
    }
}

extension StoreSnapshot {
    /// For a public read: the names (and ids) of the actors it hides, to show as
    /// `[private]` wherever other text mentions them; nil when nothing is hidden.
    func publicMentions(_ graph: GraphRef, publicOnly: Bool) throws -> PersonMatcher? {
        guard let hidden = try hidden(graph, .current, publicOnly: publicOnly) else { return nil }
        return try privateMentions(graph, hidden.actors)
    }
}

extension FieldChange {
    mutating func mask(_ matcher: PersonMatcher) {
        old = old.map { matcher.masked($0, with: "[private]") }
        new = new.map { matcher.masked($0, with: "[private]") }
    }
}

extension ActorChange {
    mutating func mask(_ matcher: PersonMatcher) {
        name = matcher.masked(name, with: "[private]")
        for i in fields.indices { fields[i].mask(matcher) }
    }
}

extension RelationChange {
    mutating func mask(_ matcher: PersonMatcher) {
        for i in fields.indices { fields[i].mask(matcher) }
    }
}

extension ChangeDetail {
    /// A change as a public read shows it: the hidden actors' names and ids, in its
    /// command, summary, author and field values, shown as `[private]`.
    mutating func mask(_ matcher: PersonMatcher) {
        command = matcher.masked(command, with: "[private]")
        summary = matcher.masked(summary, with: "[private]")
        author = matcher.masked(author, with: "[private]")
        for i in actors.indices { actors[i].mask(matcher) }
        for i in relations.indices { relations[i].mask(matcher) }
    }
}

extension Actor {
    /// Free text with the mentions `matcher` finds shown as `[private]` (a public read).
    mutating func mask(_ matcher: PersonMatcher) {
        let hide = { (text: String) in matcher.masked(text, with: "[private]") }
        name = hide(name)
        url = url.map(hide)
        themes = themes.map(hide)
        description = description.map(hide)
        attributes = attributes.mapValues(hide)
        tags = tags.map(hide)
    }
}

extension Relation {
    /// Free text with the mentions `matcher` finds shown as `[private]` (a public read).
    mutating func mask(_ matcher: PersonMatcher) {
        let hide = { (text: String) in matcher.masked(text, with: "[private]") }
        description = description.map(hide)
        evidence = evidence.map(hide)
        attributes = attributes.mapValues(hide)
        tags = tags.map(hide)
        assertedBy = assertedBy.map(hide)
        assertedIn = assertedIn.map(hide)
    }
}
