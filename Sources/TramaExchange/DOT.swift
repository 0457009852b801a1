import TramaModel

/// DOT text for Graphviz: ids and every value quoted and escaped, so no user text
/// can close a string or inject attributes. Undirected relation types get `dir=none`.
public enum DOT {
    /// A DOT double-quoted string: `\` and `"` escaped, line breaks as `\n`,
    /// other control characters dropped.
    public static func quote(_ text: String) -> String {
        // Most texts need no escape: one pass over their bytes, then a plain copy.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": continue
            default:
                if scalar.value < 0x20 { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public static func write(_ ecosystem: Ecosystem) -> String {
        var eco = ecosystem
        eco.sort()
        var out = "digraph \(quote(eco.name)) {\n"
        for actor in eco.actors {
            var attributes = ["label=\(quote(actor.name))", "kind=\(quote(actor.kind))"]
            if let territory = actor.territory { attributes.append("territory=\(quote(territory.path))") }
            out += "  \(quote(actor.id)) [\(attributes.joined(separator: ", "))];\n"
        }
        for relation in eco.relations {
            var attributes = ["type=\(quote(relation.type))", "status=\(quote(relation.status.rawValue))"]
            if let strength = relation.strength { attributes.append("strength=\(quote(formatNumber(strength)))") }
            if eco.vocabulary.relationTypes[relation.type]?.directed == false { attributes.append("dir=none") }
            out += "  \(quote(relation.source)) -> \(quote(relation.target)) [\(attributes.joined(separator: ", "))];\n"
        }
        return out + "}\n"
    }
}
