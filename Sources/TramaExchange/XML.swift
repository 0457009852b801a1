import Foundation
import TramaModel

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small element tree read with Foundation's XMLParser (external entities off),
/// each element with the line it starts on, for GraphML and GEXF.
final class XMLElementNode {
    let name: String
    let attributes: [String: String]
    let line: Int
    var children: [XMLElementNode] = []
    var text = ""

    init(name: String, attributes: [String: String], line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    func child(_ name: String) -> XMLElementNode? { children.first { $0.name == name } }
    func all(_ name: String) -> [XMLElementNode] { children.filter { $0.name == name } }

    /// Parses `data`; a malformed document throws with the line and column the parser stopped at.
    static func parse(_ data: Data, file: String) throws -> XMLElementNode {
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        let builder = Builder(parser: parser)
        parser.delegate = builder
        // On Linux, parse() can return true after libxml2 recovered from an error:
        // the first error reported to the delegate decides.
        let succeeded = parser.parse()
        if let failure = builder.firstError
            ?? (succeeded ? nil : (code: (parser.parserError as NSError?)?.code ?? 0, line: parser.lineNumber, column: parser.columnNumber))
        {
            throw TramaError(
                .malformed,
                "not well-formed XML near column \(failure.column): \(reason(failure.code)); fix the document or export it again",
                at: SourceLocation(file: file, line: max(1, failure.line)))
        }
        guard let root = builder.root else {
            throw TramaError(.malformed, "the document has no root element", at: SourceLocation(file: file))
        }
        return root
    }

    /// Words for libxml2's most common error codes.
    static func reason(_ code: Int) -> String {
        switch code {
        case 4: "the document is empty"
        case 5: "the document ends before every element is closed"
        case 9: "an invalid character"
        case 23, 26: "an undefined entity (escape `&` as `&amp;`)"
        case 38, 39, 41: "a malformed attribute (quote every value)"
        case 73, 76: "a closing tag does not match its opening tag"
        case 68: "a stray `&` or `<` (escape `&` as `&amp;` and `<` as `&lt;`)"
        case 65: "a missing space between attributes"
        default: "XML error \(code)"
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        weak var parser: XMLParser?
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var firstError: (code: Int, line: Int, column: Int)?

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if firstError == nil { firstError = ((parseError as NSError).code, parser.lineNumber, parser.columnNumber) }
        }

        init(parser: XMLParser) { self.parser = parser }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let local = name.split(separator: ":").last.map(String.init) ?? name
            let node = XMLElementNode(name: local, attributes: attributes, line: parser.lineNumber)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            stack.last?.text += String(decoding: block, as: UTF8.self)
        }
    }
}

/// Escapes text for XML attributes and content, dropping the control characters XML 1.0 cannot hold.
func xmlEscape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "\n": out += "&#10;"
        case "\r": out += "&#13;"
        case "\t": out += "&#9;"
        default:
            if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}
