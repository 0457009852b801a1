import Foundation
import PropertyBased
import Testing
import TramaExchange
import TramaModel

/// Generated ecosystems full of hostile text (quotes, separators, markup, formula
/// starts, accents, emoji, new lines) export and import back equal, in every
/// format Trama reads. `TRAMA_PROPERTY_COUNT` sets how many ecosystems each format
/// tries (100 in the test command).
struct PropertyRoundTripTests {
    static var count: Int { ProcessInfo.processInfo.environment["TRAMA_PROPERTY_COUNT"].flatMap(Int.init) ?? 100 }

    /// Characters that break careless writers: CSV (`"`, `,`, `;`, new lines), XML
    /// (`<`, `&`, `'`), spreadsheets (`=`, `+`, `-`, `@` first), DOT (`\`), and
    /// text beyond ASCII.
    static let hostile: [String] = [
        "a", "Z", "7", "é", "ß", "ü", "中", "🙂", "\"", "'", ",", ";", "<", ">", "&", "=", "+", "-", "@", "\\", "#", "%",
        "{", "}", "[", "]", ":", "!", "?", "*", "$", "(", ")", "«", "»", "&amp;", "]]>", "<!--",
    ]

    /// An ecosystem built from `numbers`: each number makes one actor (and a relation to the actor before it).
    static func ecosystem(_ numbers: [Int]) -> Ecosystem {
        func text(_ n: Int, length: Int, spaces: Bool, newLines: Bool = false, forbidden: Set<String> = []) -> String {
            var out = ""
            var x = UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15 | 1
            for i in 0..<length {
                x ^= x << 13
                x ^= x >> 7
                x ^= x << 17
                var piece = hostile[Int(x % UInt64(hostile.count))]
                if spaces, i > 0, i < length - 1, x % 5 == 0 { piece = " " }
                if newLines, i > 0, i < length - 1, x % 11 == 0 { piece = "\n" }
                if newLines, i > 0, i < length - 1, x % 13 == 0 { piece = "\r\n" }
                if newLines, i > 0, i < length - 1, x % 17 == 0 { piece = "\t" }
                if forbidden.contains(piece) { piece = "x" }
                out += piece
            }
            return out
        }
        var actors: [Actor] = []
        var ids: Set<String> = []
        for (i, n) in numbers.enumerated() {
            var id = text(n, length: 1 + abs(n) % 8, spaces: false) + "\(i)"
            if id.hasPrefix(" ") { id = "x" + id }
            guard ids.insert(id).inserted else { continue }
            var attributes: [String: String] = [:]
            if n % 3 == 0 { attributes["Note"] = text(n &+ 1, length: 6, spaces: true, newLines: true) }
            if n % 4 == 0 { attributes["Email"] = "x\(i)@esempio.it" }
            actors.append(
                Actor(
                    id: id, name: text(n &+ 2, length: 2 + abs(n) % 12, spaces: true), kind: "cooperative",
                    territory: n % 2 == 0
                        ? Territory(components: [
                            "Emilia-Romagna", text(n &+ 3, length: 4, spaces: true, forbidden: ["/", ">", "]]>", "<!--"]),
                        ]) : nil,
                    themes: n % 5 == 0 ? [text(n &+ 4, length: 5, spaces: true, forbidden: ["|"]), "giovani"] : [],
                    tags: n % 7 == 0 ? [text(n &+ 5, length: 3, spaces: false, forbidden: ["|"])] : [],
                    url: n % 6 == 0 ? "https://esempio.it/?q=\(i)&r=\"x\"" : nil,
                    description: n % 2 == 1 ? text(n &+ 6, length: 20, spaces: true, newLines: true) : nil,
                    attributes: attributes, isPrivate: n % 9 == 0))
        }
        var relations: [Relation] = []
        for i in actors.indices.dropFirst() {
            let n = numbers[i]
            relations.append(
                Relation(
                    source: actors[i].id, target: actors[i - 1].id, type: "partners_with",
                    strength: [nil, 0.25, 0.5, 1, 2, 3.75][abs(n) % 6], since: n % 4 == 0 ? "2021-03-15" : nil,
                    until: n % 8 == 0 ? "2024-12" : nil, status: [.active, .ended, .planned, .potential][abs(n) % 4],
                    description: n % 3 == 1 ? text(n &+ 7, length: 15, spaces: true, newLines: true) : nil,
                    evidence: n % 5 == 1 ? text(n &+ 8, length: 10, spaces: true) : nil,
                    attributes: n % 2 == 0 ? ["Fonte": text(n &+ 9, length: 5, spaces: true)] : [:],
                    isPrivate: n % 10 == 0, assertedBy: n % 3 == 2 ? text(n &+ 10, length: 6, spaces: true) : nil))
        }
        var eco = Ecosystem(name: "generated", actors: actors, relations: relations)
        eco.sort()
        return eco
    }

    static let input = Gen.int(in: -1_000_000...1_000_000).array(of: 1...25)

    func reread(_ batch: ImportBatch) throws -> Ecosystem {
        let resolved = try batch.resolved(vocabulary: .builtIn, existing: [:])
        var back = Ecosystem(name: "generated", actors: resolved.actors, relations: resolved.relations)
        back.sort()
        return back
    }

    @Test func jsonGivesBackWhatItWasGiven() async {
        await propertyCheck(count: Self.count, input: Self.input) { numbers in
            let eco = Self.ecosystem(numbers)
            let back = try? reread(try JSONFormat.read(try JSONFormat.write(eco), file: "g.json", vocabulary: .builtIn).batch)
            #expect(back == eco)
        }
    }

    @Test func csvSheetsGiveBackWhatTheyWereGiven() async {
        await propertyCheck(count: Self.count, input: Self.input) { numbers in
            let eco = Self.ecosystem(numbers)
            let back = try? {
                var batch = ImportBatch()
                batch.actors = try Sheets.readActors(
                    try CSVReader.read(Data(Sheets.writeActors(eco.actors).utf8), file: "actors.csv"), vocabulary: .builtIn)
                batch.relations = try Sheets.readRelations(
                    try CSVReader.read(Data(Sheets.writeRelations(eco.relations).utf8), file: "relations.csv"), vocabulary: .builtIn)
                return try reread(batch)
            }()
            #expect(back == eco)
        }
    }

    @Test func graphmlGivesBackWhatItWasGiven() async {
        await propertyCheck(count: Self.count, input: Self.input) { numbers in
            let eco = Self.ecosystem(numbers)
            let back = try? reread(try GraphML.read(Data(GraphML.write(eco).utf8), file: "g.graphml", vocabulary: .builtIn))
            #expect(back == eco)
        }
    }

    @Test func gexfGivesBackWhatItWasGiven() async {
        await propertyCheck(count: Self.count, input: Self.input) { numbers in
            let eco = Self.ecosystem(numbers)
            let back = try? reread(try GEXF.read(Data(GEXF.write(eco).utf8), file: "g.gexf", vocabulary: .builtIn))
            #expect(back == eco)
        }
    }
}
