import Foundation
import Testing
import TramaExchange
import TramaModel

/// Inputs that scripts/fuzz found crashing an import, kept so they never do again.
struct FuzzFindingsTests {
    func error(_ body: () throws -> Any) -> TramaError? {
        do {
            _ = try body()
        } catch let error as TramaError {
            return error
        } catch {
            return (error as? TramaErrors)?.errors.first
        }
        return nil
    }

    /// Bytes that are not UTF-8 in a tag or attribute name: libxml2 recovered and
    /// handed them to Foundation's XMLParser, which trapped (SIGILL) in
    /// _NSXMLParserStartElementNs. The fuzzer's inputs (GraphML: 0xC9 in
    /// `source`, line 9; GEXF: seven 0xFF in `timeformat`, line 1), then the
    /// smallest of each.
    @Test func xmlNamesThatAreNotUTF8AreRefusedNotATrap() throws {
        let graphml = try #require(
            Data(
                base64Encoded: [
                    "PD94bWwgdmVyc2lvbj0iMS4wIiBlbmNvZGluZz0iVVRGLTgiPz4KPGdyYXBobWwgeG1sbnM9Imh0dHA6Ly9ncmFwaG1sLmdyYXBo",
                    "ZHJhd2luZy5vcmcveG1sbnMiPgo8a2V5IGlkPSJrIiBmb3I9Im5vZGUiIGF0dHIubmFtZT0ia2luZCI+PGRlZmF1bHQ+Y29vcGVy",
                    "YXRpdmU8L2RlZmF1bHQ+PC9rZXk+CjxrZXkgaWQ9InQiIGZvcj0iZWRnZSIgYXR0ci5uYW1lPSJ0eXBlIi8+CjxrZXkgaWQlJSUl",
                    "JSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSUlJSU9ImMiIGZvcj0i",
                    "YWxsIiBhdHRyLm5hbWU9ImNvbG91ciI+PGRlZmF1bHQ+cmVkPC9kZWZhdWx0Pjwva2V5Pgo8Z3JhcGggZWRnZWRlZmF1bHQ9InVu",
                    "ZGlyZWN0ZWQiPgo8bm9kZSBrZD0iYSI+PGRhdGEga2V5PSJjIj5ibHVlICZhbXA7IDwhW0NEQVRBW2dyZWVuXV0+PC9kYXRhPjwv",
                    "bm9kZT4KPG5vZGUgaWQ9ImIiPjxkYXRhIGtleT0iayI+cHJvamVjdDwvZGF0YT48Y29vcGVyYXRpdmUvbm9kZT4KPGVkZ2Ugc2/J",
                    "dXJjZT0iYSIgdGFyZ2V0PSJiIj48ZXRrIGFhZHk9InQiPnByb21vdGVzPC9kYXRhPjwvZWRnZT4KPC9ncmFwaD48L2dyYXBobWw+",
                    "Cg==",
                ].joined()))
        let gexf = try #require(
            Data(
                base64Encoded: [
                    "PGdleGYgeG1sbnM9Imh0dHA6Ly93d3cuZ2V4Zi5uZXQvMS4yZHJhZnQiIHZlcnNpb249IjEuMiI+PGdyYXBoIG1vZGU9ImR5bmFt",
                    "aWMiIHRpbWVmb3L/////////dG1hdD0iZGF0ZSIgZGVmYXVsdGVkZ2V0eXBlPSJkaXJlY3RlZCI+CjxhdHRyaWJ1dGVzIGNsYXNz",
                    "PSJub2RlIj48YXR0cmlidXRlIGlkPSIwIiB0aXRsZT0ia2luZCIgdHlwZT0ic3RyaW5nIi8+PC9hdHRyaWJ1dGVzPgo8YXR0cmli",
                    "dXRlcyBjbGFzcz0iZWRnZSI+PGF0dHJpYnV0ZSBpZD0icyIgdGl0bGU9InN0YXR1cyIgdHlwZT0ic3RyaW5nIi8+PC9hdHRyaWJ1",
                    "dGVzPgo8bm9kZXM+PG5vZGVhZmZpbGlhdGVkX3dpdGgfdG9tbWF0dmFsdWVzPjxhdHR2YWx1ZSBmb3I9IjAiIHZhbHVlPSJjb29w",
                    "ZXJhdGl2ZSIvPjwvYXR0dmFsdWVzPjwvbm9kZT4KPG5vZGUgaWQ9ImIiIGxhYmVsPSJCIj48YXR0dmFsdWVzPjxhdHR2YWx1ZSBm",
                    "b3I9IjAiIHZhbHVlPSJjb29wZXJhdGl2ZSIvPjwvYXR0dmFsdWVzPjwvbm9kZT48L25vZGVzPgo8ZWRnZXM+PGVkZ2UgaWQ9IjAi",
                    "IHNvdXJjZT0iYSIgdGFyZ2V0PSJiIiBsYWJlbD0icGFydG5lcnNfd2l0aCIgd2VpZ2h0PSIwLjUiIHN0YXJ0PSIyMDIxLTAzLTAx",
                    "IiBlbmQ9IjIwMjItMDYtMzAiPjxhdHR2YWx1ZXM+PGF0dHZhbHVlIGZvcj0icyIgdmFsdWU9ImVuZGVkIi8+PC9hdHR2YWx1ZXM+",
                    "PC9lZGdlPjwvZWRnZXM+CjwvZ3JhcGg+PC9nZXhmPgo=",
                ].joined()))
        let cases: [(Data, String, Int)] = [
            (graphml, "crash.graphml", 9), (gexf, "crash.gexf", 1),
            (Data("<graphml>\n<graph><node id=\"a\" so".utf8) + [0xC9] + Data("urce=\"x\"/></graph></graphml>".utf8), "min.graphml", 2),
            (Data("<gexf>\n<graph mode".utf8) + [0xFF, 0xFF] + Data("=\"x\"/></gexf>".utf8), "min.gexf", 2),
        ]
        for (data, file, line) in cases {
            let e = error {
                file.hasSuffix("gexf")
                    ? try GEXF.read(data, file: file, vocabulary: .builtIn) : try GraphML.read(data, file: file, vocabulary: .builtIn)
            }
            #expect(e?.code == .notUTF8, "\(file)")
            #expect(e?.location?.line == line, "\(file)")
            #expect(e?.message.contains("not UTF-8") == true, "\(file)")
        }
    }

    /// Constructs for which libxml2 hands Foundation's XMLParser a NULL that it
    /// reads as a C string (SIGSEGV): a processing instruction without data (the
    /// fuzzer's input, `<?x?>` on line 1), and the declarations of an internal
    /// subset: an attribute without a default, a notation, an unparsed entity.
    @Test func xmlThatFoundationReadsAsNULLIsRefusedNotACrash() throws {
        let found = try #require(Data(base64Encoded: "PD94Pz4KPGdyYXAlbXhtbG5zPSJobWVudG9ycx88a2V5IGlobWw+Cg=="))
        let cases: [(Data, Int, String)] = [
            (found, 1, "processing instruction without content (`<?x?>`)"),
            (Data("<graphml>\n<graph><?target?></graph></graphml>".utf8), 2, "`<?target?>`"),
            (
                Data("<?xml version=\"1.0\"?>\n<!DOCTYPE graphml [<!ATTLIST graphml b CDATA #IMPLIED>]>\n<graphml/>".utf8), 2,
                "declarations of its own"
            ),
            (Data("<!DOCTYPE graphml [<!NOTATION n SYSTEM \"x\">]>\n<graphml/>".utf8), 1, "declarations of its own"),
            (Data("<!DOCTYPE graphml [<!ENTITY e SYSTEM \"x\" NDATA n>]>\n<graphml/>".utf8), 1, "declarations of its own"),
            // Entities that libxml2 refused (an external file, a loop) are refused before it now.
            (Data("<!DOCTYPE g [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<graphml a=\"&e;\"/>".utf8), 1, "declarations of its own"),
            (Data("<!DOCTYPE g [<!ENTITY x \"&x;\">]>\n<graphml>&x;</graphml>".utf8), 1, "declarations of its own"),
        ]
        for (data, line, words) in cases {
            let e = error { try GraphML.read(data, file: "pi.graphml", vocabulary: .builtIn) }
            #expect(e?.code == .malformed, "\(words)")
            #expect(e?.location?.line == line, "\(words)")
            #expect(e?.message.contains(words) == true, "\(e?.message ?? "")")
        }
        // A document type without an internal subset (GraphML 1.0's DTD) and
        // processing instructions with data are still read.
        let old = """
            <?xml version="1.0"?>
            <!DOCTYPE graphml SYSTEM "http://graphml.graphdrawing.org/dtds/graphml.dtd">
            <?xml-stylesheet href="a.css"?>
            <graphml><key id="k" for="node" attr.name="kind"/><graph><node id="a"><data key="k">cooperative</data></node></graph></graphml>
            """
        #expect(try GraphML.read(Data(old.utf8), file: "old.graphml", vocabulary: .builtIn).actors.map(\.value.id) == ["a"])
    }
}
