import Foundation
import Testing
import TramaExchange
import TramaModel
import TramaTestSupport

/// Every format must give back exactly what it was given.
struct RoundTripTests {
    let eco = fixtureEcosystem()

    func reread(_ batch: ImportBatch) throws -> Ecosystem {
        let resolved = try batch.resolved(vocabulary: .builtIn, existing: [:])
        var back = Ecosystem(name: eco.name, actors: resolved.actors, relations: resolved.relations)
        back.sort()
        return back
    }

    @Test func json() throws {
        let data = try JSONFormat.write(eco)
        let (name, batch) = try JSONFormat.read(data, file: "g.json", vocabulary: .builtIn)
        #expect(name == "fixture")
        #expect(try reread(batch) == eco)
        #expect(try JSONFormat.write(try reread(batch)) == data)
    }

    @Test func jsonWritesEveryFieldEvenWhenEmpty() throws {
        let object = try JSONSerialization.jsonObject(with: try JSONFormat.write(eco)) as! [String: Any]
        let actor = (object["actors"] as! [[String: Any]]).first { $0["id"] as? String == "proj" }!
        #expect(Set(actor.keys) == ["id", "name", "kind", "territory", "themes", "tags", "url", "description", "attributes", "private"])
        let relation = (object["relations"] as! [[String: Any]])[0]
        #expect(
            Set(relation.keys) == [
                "from", "to", "type", "strength", "since", "until", "status", "description", "evidence", "tags",
                "attributes", "private", "asserted_by", "asserted_in", "asserted_at",
            ])
    }

    @Test func csvSheets() throws {
        let actors = try CSVReader.read(Data(Sheets.writeActors(eco.actors).utf8), file: "actors.csv")
        let relations = try CSVReader.read(Data(Sheets.writeRelations(eco.relations).utf8), file: "relations.csv")
        var batch = ImportBatch()
        batch.actors = try Sheets.readActors(actors, vocabulary: .builtIn)
        batch.relations = try Sheets.readRelations(relations, vocabulary: .builtIn)
        #expect(try reread(batch) == eco)
    }

    @Test func graphml() throws {
        let text = GraphML.write(eco)
        #expect(try reread(try GraphML.read(Data(text.utf8), file: "g.graphml", vocabulary: .builtIn)) == eco)
    }

    @Test func gexf() throws {
        let text = GEXF.write(eco)
        #expect(try reread(try GEXF.read(Data(text.utf8), file: "g.gexf", vocabulary: .builtIn)) == eco)
    }

    /// A dynamic GEXF as Gephi writes it: the interval is all there is of the dates.
    @Test func gephiIntervalsBecomeSinceAndUntil() throws {
        let text = """
            <gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph mode="dynamic" timeformat="date" defaultedgetype="directed">
            <attributes class="node"><attribute id="0" title="kind" type="string"/></attributes>
            <nodes><node id="a" label="A"><attvalues><attvalue for="0" value="cooperative"/></attvalues></node>
            <node id="b" label="B"><attvalues><attvalue for="0" value="cooperative"/></attvalues></node></nodes>
            <edges><edge id="0" source="a" target="b" label="partners_with" start="2021-03-01" end="2022-06-30"/></edges>
            </graph></gexf>
            """
        let relation = try #require(try reread(try GEXF.read(Data(text.utf8), file: "gephi.gexf", vocabulary: .builtIn)).relations.first)
        #expect(relation.since == "2021-03-01" && relation.until == "2022-06-30")
        #expect(GEXF.write(eco).contains("mode=\"dynamic\" timeformat=\"date\""))
    }

    @Test func dotEscapesEveryValue() {
        var hostile = eco
        hostile.actors[0].name = "a\"]; b -> c [label=\"x\\N"
        let dot = DOT.write(hostile)
        #expect(dot.contains(#"label="a\"]; b -> c [label=\"x\\N""#))
        #expect(dot.contains(#""coop-a" -> "coop-b" [type="partners_with", status="ended", strength="0.5", dir=none];"#))
        #expect(dot.contains(#""coop-a" -> "cons" [type="member_of", status="active", strength="2"];"#))
    }
}

struct MalformedDocumentTests {
    @Test func malformedJSONNamesTheLine() {
        #expect {
            try JSONFormat.read(Data("{\n\"graph\": \"g\",\n\"actors\": [\n}".utf8), file: "bad.json", vocabulary: .builtIn)
        } throws: { error in
            (error as? TramaError)?.code == .malformed && "\(error)".hasPrefix("bad.json")
        }
        #expect { try JSONFormat.read(Data(#"{"actors": [{"id": "a"}]}"#.utf8), file: "bad.json", vocabulary: .builtIn) } throws: { error in
            "\(error)".contains("actors[0]") && "\(error)".contains("`kind` is missing")
        }
    }

    @Test func malformedXMLNamesTheLine() {
        let broken = "<?xml version=\"1.0\"?>\n<graphml>\n<graph>\n<node id=\"a\">\n</graph>\n</graphml>\n"
        #expect { try GraphML.read(Data(broken.utf8), file: "bad.graphml", vocabulary: .builtIn) } throws: { error in
            (error as? TramaError)?.code == .malformed && (error as? TramaError)?.location?.line != nil
        }
        #expect {
            try GEXF.read(Data("<gexf><graph><nodes><node id=\"a\"></nodes>".utf8), file: "bad.gexf", vocabulary: .builtIn)
        } throws: { error in
            (error as? TramaError)?.code == .malformed
        }
        #expect { try GEXF.read(Data("<graphml/>".utf8), file: "wrong.gexf", vocabulary: .builtIn) } throws: { error in
            "\(error)".contains("not a GEXF document")
        }
    }

    @Test func nodesWithoutKindAreNamed() {
        let doc = """
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns"><key id="d0" for="node" attr.name="label"/>
            <graph edgedefault="undirected"><node id="n0"><data key="d0">Zero</data></node></graph></graphml>
            """
        #expect { try GraphML.read(Data(doc.utf8), file: "nx.graphml", vocabulary: .builtIn) } throws: { error in
            "\((error as? TramaErrors)?.errors.first?.description ?? "")".contains("node `n0` has no `kind`")
        }
    }
}

/// networkx must read Trama's GraphML and GEXF with every actor, relation and attribute.
struct NetworkxReadBackTests {
    func readBack(_ format: String, _ text: String) throws -> [String: Any] {
        let python = try #require(pythonWithNetworkx, "networkx is needed: run scripts/test, which installs it")
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = try folder.write("g.\(format)", text)
        let result = try run(python, [packageRoot + "/scripts/networkx_readback.py", format, path])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func expectEverything(_ seen: [String: Any], gexf: Bool) throws {
        let eco = fixtureEcosystem()
        let nodes = try #require(seen["nodes"] as? [String: [String: Any]])
        #expect(Set(nodes.keys) == Set(eco.actors.map(\.id)))
        for actor in eco.actors {
            let n = try #require(nodes[actor.id])
            #expect(n["label"] as? String == actor.name)
            #expect(n["kind"] as? String == actor.kind)
            #expect(n["territory"] as? String == actor.territory?.path)
            #expect(n["themes"] as? String == (actor.themes.isEmpty ? nil : actor.themes.joined(separator: "|")))
            #expect(n["description"] as? String == actor.description)
            #expect(n["private"] as? Bool == actor.isPrivate)
            for (key, value) in actor.attributes { #expect(n[key] as? String == value) }
        }
        let edges = try #require(seen["edges"] as? [[Any]])
        #expect(edges.count == eco.relations.count)
        #expect(seen["multigraph"] as? Bool == true, "parallel typed relations stay separate edges")
        for relation in eco.relations {
            let match = edges.first { e in
                e[0] as? String == relation.source && e[1] as? String == relation.target
                    && (e[2] as? [String: Any])?["type"] as? String == relation.type
            }
            let data = try #require(match?[2] as? [String: Any], "edge \(relation.source) -> \(relation.target) \(relation.type)")
            #expect(data["strength"] as? Double == relation.strength)
            #expect(data["status"] as? String == relation.status.rawValue)
            #expect(data["since"] as? String == relation.since)
            #expect(data["asserted_in"] as? String == relation.assertedIn)
            #expect(data["private"] as? Bool == relation.isPrivate)
            for (key, value) in relation.attributes { #expect(data[key] as? String == value) }
            if gexf {
                #expect(data["weight"] as? Double == relation.strength)
                // The timeline: a partial since is its first day, a partial until its last.
                #expect(data["start"] as? String == relation.since.map(PartialDate.first(of:)), "\(data)")
                #expect(data["end"] as? String == relation.until.map(PartialDate.last(of:)), "\(data)")
            }
        }
    }

    @Test func graphmlOpensInNetworkx() throws {
        try expectEverything(try readBack("graphml", GraphML.write(fixtureEcosystem())), gexf: false)
    }

    @Test func gexfOpensInNetworkx() throws {
        try expectEverything(try readBack("gexf", GEXF.write(fixtureEcosystem())), gexf: true)
    }
}
