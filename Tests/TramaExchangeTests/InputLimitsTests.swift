import Foundation
import Testing
import TramaExchange
import TramaModel
import TramaTestSupport

/// Issue 13, "Parsers and input": hostile and very large files are refused
/// with a line, or read whole; never a crash, a cut value or gigabytes of memory.
struct InputLimitsTests {
    func errors(_ error: any Error) -> [TramaError] {
        if let one = error as? TramaError { return [one] }
        return (error as? TramaErrors)?.errors ?? []
    }

    func sheet(_ text: String, file: String = "actors.csv") throws -> [Located<Actor>] {
        try Sheets.readActors(try CSVReader.read(Data(text.utf8), file: file), vocabulary: .builtIn)
    }

    // MARK: 6. Deep nesting

    /// 50,000 nested elements crashed the import (the tree was freed recursively).
    /// Each `<a>` is on its own line: `<graphml>` is line 1 (depth 1), `<graph>`
    /// line 2 (depth 2), the k-th `<a>` line 2 + k (depth 2 + k); the first element
    /// past 256 levels is the 255th `<a>`, on line 257.
    @Test func deepNestingIsRefusedWithItsLine() {
        let depth = 50_000
        for (file, open, close) in [
            ("deep.graphml", "<graphml>\n<graph>\n", "</graph></graphml>"), ("deep.gexf", "<gexf>\n<graph>\n", "</graph></gexf>"),
        ] {
            let text = open + String(repeating: "<a>\n", count: depth) + String(repeating: "</a>", count: depth) + close
            #expect {
                file.hasSuffix("gexf")
                    ? try GEXF.read(Data(text.utf8), file: file, vocabulary: .builtIn)
                    : try GraphML.read(Data(text.utf8), file: file, vocabulary: .builtIn)
            } throws: { error in
                let e = errors(error).first
                return e?.code == .malformed && e?.location?.line == 257 && e?.message.contains("more than 256 levels") == true
            }
        }
    }

    // MARK: 7. XML over 10,000,000 bytes

    /// 120 actors with 100,000 characters of notes each: 12 MB of attributes,
    /// past the 10,000,000 bytes libxml2 took in one piece ("XML error 1").
    func largeEcosystem() -> Ecosystem {
        let actors = (0..<120).map { i in
            Actor(
                id: "a\(i)", name: "Actor \(i)", kind: "cooperative",
                attributes: ["notes": String(repeating: "abcdefghi\(i % 10)", count: 10_000)])
        }
        let relations = (1..<120).map { Relation(source: "a0", target: "a\($0)", type: "partners_with") }
        var eco = Ecosystem(name: "large", actors: actors, relations: relations)
        eco.sort()
        return eco
    }

    func reread(_ batch: ImportBatch, name: String) throws -> Ecosystem {
        let resolved = try batch.resolved(vocabulary: .builtIn, existing: [:])
        var back = Ecosystem(name: name, actors: resolved.actors, relations: resolved.relations)
        back.sort()
        return back
    }

    @Test func graphmlOver10MBRoundTrips() throws {
        let eco = largeEcosystem()
        let data = Data(GraphML.write(eco).utf8)
        #expect(data.count > 12_000_000)
        #expect(try reread(try GraphML.read(data, file: "large.graphml", vocabulary: .builtIn), name: "large") == eco)
    }

    @Test func gexfOver10MBRoundTrips() throws {
        let eco = largeEcosystem()
        let data = Data(GEXF.write(eco).utf8)
        #expect(data.count > 12_000_000)
        #expect(try reread(try GEXF.read(data, file: "large.gexf", vocabulary: .builtIn), name: "large") == eco)
    }

    // MARK: 8. GraphML keys (linear now; timed by scripts/bench-xml)

    /// Defaults come from the keys of the element's scope or `all`; a node's own
    /// `<data>` wins; keys are found by id wherever they are declared.
    @Test func graphmlKeyDefaultsByScope() throws {
        let doc = """
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns">
            <key id="k" for="node" attr.name="kind"><default>cooperative</default></key>
            <key id="r" for="edge" attr.name="type"><default>partners_with</default></key>
            <key id="c" for="all" attr.name="colour"><default>red</default></key>
            <key id="z" for="graph" attr.name="zone"><default>north</default></key>
            <key id="n" for="node" attr.name="note"/>
            <graph edgedefault="directed">
            <node id="a"><data key="n">first</data></node>
            <node id="b"><data key="k">project</data><data key="c">blue</data></node>
            <edge source="a" target="b"/>
            </graph></graphml>
            """
        let batch = try GraphML.read(Data(doc.utf8), file: "keys.graphml", vocabulary: .builtIn)
        let actors = batch.actors.map(\.value)
        #expect(actors.map(\.kind) == ["cooperative", "project"])
        #expect(actors.map(\.attributes) == [["colour": "red", "note": "first"], ["colour": "blue"]])
        #expect(batch.relations.map(\.value.type) == ["partners_with"])
        #expect(batch.relations.map(\.value.attributes) == [["colour": "red"]])
    }

    // MARK: 9. Control characters

    @Test func controlCharactersInSheetsAreRefusedWithLineAndColumn() throws {
        let cases: [(text: String, line: Int, column: String?, scalar: String)] = [
            ("ID,Label,Type\na,ok,cooperative\nb,B\u{0}C,cooperative\n", 3, "Label", "U+0000"),
            ("ID,Label,Type\n\"a\u{1}\",A,cooperative\n", 2, "ID", "U+0001"),
            // A quoted cell spanning lines: the line of the character itself.
            ("ID,Label,Type,Description\na,A,cooperative,\"one\ntwo\nthree\u{7F}\"\n", 4, "Description", "U+007F"),
            ("ID,Label,Type\na,A\u{85},cooperative\n", 2, "Label", "U+0085"),
            ("ID,Label,Type,Extra\na,A,cooperative,x\u{1B}y\n", 2, "Extra", "U+001B"),
            // The header itself: no column name to give.
            ("ID,La\u{0}bel,Type\n", 1, nil, "U+0000"),
        ]
        for c in cases {
            #expect(throws: TramaError.self) { try sheet(c.text) }
            do {
                _ = try sheet(c.text)
            } catch {
                let e = errors(error).first
                #expect(e?.code == .invalidValue, "\(c.text)")
                #expect(e?.location?.line == c.line, "\(c.text)")
                #expect(e?.location?.column == c.column, "\(c.text)")
                #expect(e?.message.contains("control character (\(c.scalar))") == true, "\(e?.message ?? "")")
            }
        }
        // Tabs (in a comma sheet), line breaks and carriage returns in quoted cells stay.
        let kept = try sheet("ID,Label,Type,Description\na,A\tB,cooperative,\"x\r\ny\"\n").map(\.value)
        #expect(kept.first?.name == "A\tB" && kept.first?.description == "x\r\ny")
        let relations = try CSVReader.read(Data("From,To,Type\na,b\u{0},partners_with\n".utf8), file: "relations.csv")
        #expect { try Sheets.readRelations(relations, vocabulary: .builtIn) } throws: { error in
            errors(error).first?.location == SourceLocation(file: "relations.csv", line: 2, column: "To")
        }
    }

    @Test func controlCharactersInJSONAreRefusedByPath() {
        let doc = #"""
            {"graph": "g", "actors": [
              {"id": "a", "name": "A", "kind": "cooperative"},
              {"id": "b", "name": "B\u0000C", "kind": "cooperative"},
              {"id": "c", "name": "C", "kind": "cooperative", "attributes": {"note": "x\u0085"}}],
             "relations": [{"from": "a\u0007", "to": "b", "type": "partners_with"}]}
            """#
        #expect { try JSONFormat.read(Data(doc.utf8), file: "g.json", vocabulary: .builtIn) } throws: { error in
            let all = errors(error)
            return all.map(\.location?.element) == ["actors[1].name", "actors[2].attributes.note", "relations[0].from"]
                && all.map(\.code) == [.invalidValue, .invalidValue, .invalidValue]
                && all[0].message.contains("control character (U+0000)")
        }
        // Escapes of ordinary characters, tab and line breaks are read as before.
        let fine = #"{"actors": [{"id": "a", "name": "\u00e9\t\n", "kind": "cooperative", "description": "\\u0000"}]}"#
        #expect(throws: Never.self) { try JSONFormat.read(Data(fine.utf8), file: "g.json", vocabulary: .builtIn) }
    }

    /// XML 1.0 refuses C0 characters itself (error 9); DEL and C1 are legal XML
    /// but not legal Trama text.
    @Test func controlCharactersInXMLAreRefusedWithTheirLine() {
        let graphml = """
            <graphml><key id="k" for="node" attr.name="kind"/><key id="d" for="node" attr.name="description"/>
            <graph>
            <node id="a"><data key="k">cooperative</data></node>
            <node id="b"><data key="k">cooperative</data><data key="d">one
            two &#133; three</data></node>
            </graph></graphml>
            """
        #expect { try GraphML.read(Data(graphml.utf8), file: "c.graphml", vocabulary: .builtIn) } throws: { error in
            let e = errors(error).first
            return e?.code == .invalidValue && e?.location?.line == 5 && e?.message.contains("control character (U+0085)") == true
        }
        let gexf = """
            <gexf><graph>
            <nodes>
            <node id="a&#127;" label="A"/>
            </nodes></graph></gexf>
            """
        #expect { try GEXF.read(Data(gexf.utf8), file: "c.gexf", vocabulary: .builtIn) } throws: { error in
            let e = errors(error).first
            return e?.code == .invalidValue && e?.location?.line == 3 && e?.message.contains("`id`") == true
                && e?.message.contains("U+007F") == true
        }
        #expect {
            try GEXF.read(
                Data("<gexf><graph>\n<nodes><node id=\"&#0;\"/></nodes></graph></gexf>".utf8), file: "n.gexf", vocabulary: .builtIn)
        } throws: { error in
            let e = errors(error).first
            return e?.code == .malformed && e?.location?.line == 2 && e?.message.contains("control character") == true
        }
    }

    // MARK: 10. Rows of many cells

    @Test func rowsWithMoreThan1000CellsAreRefused() throws {
        // 100,000 empty cells after three: was accepted, 16 bytes a cell.
        let wide = "ID,Label,Type\na,b,cooperative\nc,d,cooperative" + String(repeating: ",", count: 100_000) + "\n"
        #expect { try sheet(wide) } throws: { error in
            let e = errors(error).first
            return e?.code == .tooLarge && e?.location?.line == 3 && e?.message.contains("more than 1000 cells") == true
        }
        // The header too (1,001 cells), and a quoted cell ending a row.
        #expect { try CSVReader.read(Data((String(repeating: "h,", count: 1_000) + "h\n").utf8), file: "h.csv") } throws: { error in
            errors(error).first?.code == .tooLarge && errors(error).first?.location?.line == 1
        }
        let quoted = "ID\n" + String(repeating: "\"\",", count: 1_000) + "\"x\"\n"
        #expect { try CSVReader.read(Data(quoted.utf8), file: "q.csv").records } throws: { error in
            errors(error).first?.code == .tooLarge && errors(error).first?.location?.line == 2
        }
        // Exactly 1,000 cells are read, a trailing delimiter at the end of the file included.
        let full = try CSVReader.read(
            Data(("ID" + String(repeating: ",", count: 999) + "\na" + String(repeating: ",", count: 999)).utf8), file: "f.csv")
        #expect(full.header.count == 1_000)
        #expect(try full.records.map(\.fields.count) == [1_000])
    }

    /// 5,000 rows without an id or a label: the first 1,000 problems (lines 2
    /// to 1,001), then one that says the reading stopped there.
    @Test func aSheetStopsAfter1000Problems() {
        let text = "ID,Label,Type\n" + String(repeating: ",,cooperative\n", count: 5_000)
        #expect { try sheet(text) } throws: { error in
            let all = errors(error)
            return all.count == 1_001 && all[999].location?.line == 1_001 && all[1_000].location?.line == 1_001
                && all[1_000].message.contains("read no further")
        }
    }

    // MARK: 11. XML errors in words

    @Test func xmlErrorsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("<graphml>\n<graph>&nbsp;</graph></graphml>", "an undefined entity"),
            ("<!DOCTYPE graphml SYSTEM \"x.dtd\">\n<graphml><graph>&foo;</graph></graphml>", "an undefined entity"),
            ("<graphml>\n<graph>&#1;</graph></graphml>", "a character XML cannot hold"),
            ("<graphml>\n<graph><!-- a -- b --></graph></graphml>", "a comment that is not closed or holds `--`"),
            ("<graphml>\n<graph></graphml>", "closing tag does not match"),
            ("<graphml>\n<graph a=b/></graphml>", "malformed attribute"),
            // An attribute value of 10,000,001 bytes: past what the reader takes at once.
            ("<graphml>\n<graph a=\"" + String(repeating: "x", count: 10_000_001) + "\"></graph></graphml>", "10,000,000 bytes"),
        ]
        for (text, words) in cases {
            #expect {
                try GraphML.read(Data(text.utf8), file: "bad.graphml", vocabulary: .builtIn)
            } throws: { error in
                let e = errors(error).first
                return e?.code == .malformed && e?.location?.line == 2 && e?.message.contains(words) == true
                    && e?.message.contains("XML error") == false
            }
        }
    }
}
