import Foundation
import TramaModel

/// GEXF 1.2 as Gephi and networkx (`read_gexf`) read it. Every relation is written
/// as a directed edge (networkx refuses mixed graphs); its `type` attribute says
/// whether the relation type is directed. The graph is dynamic: each relation's
/// `start` and `end` come from its `since` and `until` (a partial date stands for
/// its first or last day), so Gephi's timeline plays the network.
public enum GEXF {
    public static func write(_ ecosystem: Ecosystem) -> String {
        var eco = ecosystem
        eco.sort()
        let actorAttributes = Set(eco.actors.flatMap(\.attributes.keys)).sorted()
        let relationAttributes = Set(eco.relations.flatMap(\.attributes.keys)).sorted()
        let actorFields = GraphFields.actor.filter { $0.name != "label" }
        let actorReserved = GraphFields.actor.map(\.name) + ["name", "type"]
        let relationReserved = GraphFields.relation.map(\.name) + ["weight", "label", "relation"]
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">
              <meta>
                <creator>Trama</creator>
                <description>\(xmlEscape(eco.name))</description>
              </meta>
              <graph mode="dynamic" timeformat="date" defaultedgetype="directed" name="\(xmlEscape(eco.name))">
                <attributes class="node" mode="static">

            """
        for field in actorFields {
            out += "      <attribute id=\"\(field.name)\" title=\"\(field.name)\" type=\"\(field.type.rawValue)\"/>\n"
        }
        for (i, name) in actorAttributes.enumerated() {
            out +=
                "      <attribute id=\"na\(i)\" title=\"\(xmlEscape(GraphFields.attributeName(name, reserved: actorReserved)))\" type=\"string\"/>\n"
        }
        out += "    </attributes>\n    <attributes class=\"edge\" mode=\"static\">\n"
        for field in GraphFields.relation {
            out += "      <attribute id=\"\(field.name)\" title=\"\(field.name)\" type=\"\(field.type.rawValue)\"/>\n"
        }
        for (i, name) in relationAttributes.enumerated() {
            out +=
                "      <attribute id=\"ea\(i)\" title=\"\(xmlEscape(GraphFields.attributeName(name, reserved: relationReserved)))\" type=\"string\"/>\n"
        }
        out += "    </attributes>\n    <nodes>\n"
        for actor in eco.actors {
            out += "      <node id=\"\(xmlEscape(actor.id))\" label=\"\(xmlEscape(actor.name))\">\n        <attvalues>\n"
            for field in actorFields {
                if let value = field.get(actor) { out += "          <attvalue for=\"\(field.name)\" value=\"\(xmlEscape(value))\"/>\n" }
            }
            for (i, name) in actorAttributes.enumerated() {
                if let value = actor.attributes[name] { out += "          <attvalue for=\"na\(i)\" value=\"\(xmlEscape(value))\"/>\n" }
            }
            out += "        </attvalues>\n      </node>\n"
        }
        out += "    </nodes>\n    <edges>\n"
        for (index, relation) in eco.relations.enumerated() {
            let weight = relation.strength.map { " weight=\"\(formatNumber($0))\"" } ?? ""
            var interval = ""
            if let since = relation.since, PartialDate.isValid(since) { interval += " start=\"\(PartialDate.first(of: since))\"" }
            if let until = relation.until, PartialDate.isValid(until) { interval += " end=\"\(PartialDate.last(of: until))\"" }
            out +=
                "      <edge id=\"\(index)\" source=\"\(xmlEscape(relation.source))\" target=\"\(xmlEscape(relation.target))\" label=\"\(xmlEscape(relation.type))\"\(weight)\(interval)>\n        <attvalues>\n"
            for field in GraphFields.relation {
                if let value = field.get(relation) { out += "          <attvalue for=\"\(field.name)\" value=\"\(xmlEscape(value))\"/>\n" }
            }
            for (i, name) in relationAttributes.enumerated() {
                if let value = relation.attributes[name] { out += "          <attvalue for=\"ea\(i)\" value=\"\(xmlEscape(value))\"/>\n" }
            }
            out += "        </attvalues>\n      </edge>\n"
        }
        out += "    </edges>\n  </graph>\n</gexf>\n"
        return out
    }

    /// Reads a GEXF document (Gephi's or Trama's); errors name the line and element.
    public static func read(_ data: Data, file: String, vocabulary: Vocabulary) throws -> ImportBatch {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw TramaError(.emptyFile, "the file is empty: expected a <gexf> document", at: SourceLocation(file: file))
        }
        let root = try XMLElementNode.parse(data, file: file)
        guard root.name == "gexf", let graph = root.child("graph") else {
            throw TramaError(
                .malformed, "not a GEXF document: expected <gexf> with a <graph> inside",
                at: SourceLocation(file: file, line: root.line, element: root.name))
        }
        var titles: [String: [String: String]] = ["node": [:], "edge": [:]]
        for block in graph.all("attributes") {
            let scope = block.attributes["class"] ?? "node"
            for attribute in block.all("attribute") {
                if let id = attribute.attributes["id"] { titles[scope, default: [:]][id] = attribute.attributes["title"] ?? id }
            }
        }
        func values(of element: XMLElementNode, scope: String) -> [String: String] {
            var values: [String: String] = [:]
            for value in element.child("attvalues")?.all("attvalue") ?? [] {
                guard let key = value.attributes["for"] ?? value.attributes["id"] else { continue }
                values[titles[scope]?[key] ?? key] = value.attributes["value"] ?? ""
            }
            return values
        }
        return try GraphFields.batch(
            file: file, nodes: graph.child("nodes")?.all("node") ?? [], edges: graph.child("edges")?.all("edge") ?? [],
            vocabulary: vocabulary,
            nodeValues: { node in
                var nodeValues = values(of: node, scope: "node")
                if let label = node.attributes["label"] { nodeValues["label"] = label }
                return nodeValues
            },
            edgeValues: { edge in
                var edgeValues = values(of: edge, scope: "edge")
                if edgeValues["type"] == nil, let label = edge.attributes["label"] { edgeValues["type"] = label }
                if edgeValues["strength"] == nil, let weight = edge.attributes["weight"] { edgeValues["strength"] = weight }
                // A dynamic graph's interval, when the file has no since/until of its own (Gephi's).
                for (field, bound) in [("since", "start"), ("until", "end")] where edgeValues[field] == nil {
                    if let value = edge.attributes[bound], value.count >= 10, PartialDate.isValid(String(value.prefix(10))) {
                        edgeValues[field] = String(value.prefix(10))
                    }
                }
                return edgeValues
            })
    }
}
