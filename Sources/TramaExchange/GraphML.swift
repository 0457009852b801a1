import Foundation
import TramaModel

/// GraphML as Gephi, yEd and networkx (`read_graphml`) read it: every actor and
/// relation field as a typed `<data>` key; relations as directed edges with their
/// type (parallel typed relations stay separate edges).
public enum GraphML {
    public static func write(_ ecosystem: Ecosystem) -> String {
        var eco = ecosystem
        eco.sort()
        let actorAttributes = Set(eco.actors.flatMap(\.attributes.keys)).sorted()
        let relationAttributes = Set(eco.relations.flatMap(\.attributes.keys)).sorted()
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">

            """
        let actorReserved = GraphFields.actor.map(\.name) + ["name", "type"]
        let relationReserved = GraphFields.relation.map(\.name) + ["weight", "label", "relation"]
        for field in GraphFields.actor {
            out += "  <key id=\"n_\(field.name)\" for=\"node\" attr.name=\"\(field.name)\" attr.type=\"\(field.type.rawValue)\"/>\n"
        }
        for (i, name) in actorAttributes.enumerated() {
            out +=
                "  <key id=\"na\(i)\" for=\"node\" attr.name=\"\(xmlEscape(GraphFields.attributeName(name, reserved: actorReserved)))\" attr.type=\"string\"/>\n"
        }
        for field in GraphFields.relation {
            out += "  <key id=\"e_\(field.name)\" for=\"edge\" attr.name=\"\(field.name)\" attr.type=\"\(field.type.rawValue)\"/>\n"
        }
        for (i, name) in relationAttributes.enumerated() {
            out +=
                "  <key id=\"ea\(i)\" for=\"edge\" attr.name=\"\(xmlEscape(GraphFields.attributeName(name, reserved: relationReserved)))\" attr.type=\"string\"/>\n"
        }
        out += "  <graph id=\"\(xmlEscape(eco.name))\" edgedefault=\"directed\">\n"
        for actor in eco.actors {
            out += "    <node id=\"\(xmlEscape(actor.id))\">\n"
            for field in GraphFields.actor {
                if let value = field.get(actor) { out += "      <data key=\"n_\(field.name)\">\(xmlEscape(value))</data>\n" }
            }
            for (i, name) in actorAttributes.enumerated() {
                if let value = actor.attributes[name] { out += "      <data key=\"na\(i)\">\(xmlEscape(value))</data>\n" }
            }
            out += "    </node>\n"
        }
        for (index, relation) in eco.relations.enumerated() {
            out += "    <edge id=\"e\(index)\" source=\"\(xmlEscape(relation.source))\" target=\"\(xmlEscape(relation.target))\">\n"
            for field in GraphFields.relation {
                if let value = field.get(relation) { out += "      <data key=\"e_\(field.name)\">\(xmlEscape(value))</data>\n" }
            }
            for (i, name) in relationAttributes.enumerated() {
                if let value = relation.attributes[name] { out += "      <data key=\"ea\(i)\">\(xmlEscape(value))</data>\n" }
            }
            out += "    </edge>\n"
        }
        out += "  </graph>\n</graphml>\n"
        return out
    }

    /// Reads the first graph of a GraphML document; errors name the line and element.
    public static func read(_ data: Data, file: String, vocabulary: Vocabulary) throws -> ImportBatch {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw TramaError(.emptyFile, "the file is empty: expected a <graphml> document", at: SourceLocation(file: file))
        }
        let root = try XMLElementNode.parse(data, file: file)
        guard root.name == "graphml", let graph = root.child("graph") else {
            throw TramaError(
                .malformed, "not a GraphML document: expected <graphml> with a <graph> inside",
                at: SourceLocation(file: file, line: root.line, element: root.name))
        }
        // Keys are looked up by id, and each scope's defaults gathered once:
        // scanning every key for every node made a 10,000-key file quadratic.
        var names: [String: String] = [:]
        var defaults: [String: [String: String]] = ["node": [:], "edge": [:]]
        for key in root.all("key") {
            guard let id = key.attributes["id"] else { continue }
            let name = key.attributes["attr.name"] ?? id
            names[id] = name
            guard let value = key.child("default")?.text else { continue }
            switch key.attributes["for"] {
            case "node": defaults["node"]![name] = value
            case "edge": defaults["edge"]![name] = value
            case "all":
                defaults["node"]![name] = value
                defaults["edge"]![name] = value
            default: break
            }
        }
        func values(of element: XMLElementNode, scope: String) -> [String: String] {
            var values = defaults[scope] ?? [:]
            for data in element.all("data") {
                guard let key = data.attributes["key"] else { continue }
                values[names[key] ?? key] = data.text
            }
            return values
        }
        return try GraphFields.batch(
            file: file, nodes: graph.all("node"), edges: graph.all("edge"), vocabulary: vocabulary,
            nodeValues: { values(of: $0, scope: "node") }, edgeValues: { values(of: $0, scope: "edge") })
    }
}
