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

    /// Deepest nesting read (libxml2's own default): GraphML and GEXF need fewer
    /// than ten levels, and a document nested tens of thousands deep would
    /// overflow the stack when its tree is freed.
    static let maxDepth = 256

    /// Parses `data`; a malformed document throws with the line and column the parser stopped at.
    ///
    /// The parser reads from a stream, in chunks: given the whole document at
    /// once, libxml2 refuses any document over 10,000,000 bytes.
    ///
    /// Bytes that are not UTF-8 are refused first: libxml2, recovering from
    /// them, hands Foundation tag and attribute names that are not UTF-8, and
    /// Foundation's XMLParser traps on them (found by scripts/fuzz).
    static func parse(_ data: Data, file: String) throws -> XMLElementNode {
        try data.withUnsafeBytes { raw in
            let all = raw.bindMemory(to: UInt8.self)
            let start = all.count >= 3 && all[0] == 0xEF && all[1] == 0xBB && all[2] == 0xBF ? 3 : 0
            if let bad = CSVReader.firstInvalidUTF8(all, from: start) {
                let line = 1 + all[start..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw TramaError(
                    .notUTF8,
                    "the file is not UTF-8 text (byte 0x\(String(all[bad], radix: 16, uppercase: true)) at offset \(bad)): save it again as UTF-8",
                    at: SourceLocation(file: file, line: line))
            }
            if let (offset, problem) = firstUnreadable(all) {
                let line = 1 + all[..<offset].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                throw TramaError(.malformed, problem, at: SourceLocation(file: file, line: line))
            }
        }
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        let builder = Builder(file: file)
        parser.delegate = builder
        // On Linux, parse() can return true after libxml2 recovered from an error:
        // the first error reported to the delegate decides.
        let succeeded = parser.parse()
        if let refusal = builder.refusal { throw refusal }
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

    /// The first construct that Foundation's XMLParser crashes on, found by
    /// scripts/fuzz: it reads as a C string what libxml2 hands it as NULL, in a
    /// processing instruction without data (`<?x?>`) and in the declarations
    /// of a document type's internal subset (an attribute without a default,
    /// a notation or an unparsed entity without a public id). GraphML and GEXF
    /// need neither; a document type without an internal subset is still read.
    /// - Complexity: O(n), one pass over the bytes.
    static func firstUnreadable(_ b: UnsafeBufferPointer<UInt8>) -> (offset: Int, problem: String)? {
        let n = b.count
        let doctype = Array("<!DOCTYPE".utf8)
        var i = 0
        while i + 1 < n {
            guard b[i] == 0x3C else {
                i += 1
                continue
            }
            if b[i + 1] == 0x3F {  // `<?`: a target name, then `?>` at once?
                var j = i + 2
                while j < n, ![0x20, 0x09, 0x0A, 0x0D, 0x3F, 0x3C, 0x3E].contains(b[j]) { j += 1 }
                if j > i + 2, j + 1 < n, b[j] == 0x3F, b[j + 1] == 0x3E {
                    return (
                        i,
                        "a processing instruction without content (`<?\(String(decoding: UnsafeBufferPointer(rebasing: b[(i + 2)..<j].prefix(40)), as: UTF8.self))?>`), which the XML reader cannot take: remove it (GraphML and GEXF need none)"
                    )
                }
                i = j
                continue
            }
            if i + doctype.count <= n, b[i..<(i + doctype.count)].elementsEqual(doctype) {
                // Up to the end of the declaration, skipping quoted ids: a `[` opens an internal subset.
                var j = i + doctype.count
                var quote: UInt8?
                while j < n {
                    let c = b[j]
                    if let q = quote {
                        if c == q { quote = nil }
                    } else if c == 0x22 || c == 0x27 {
                        quote = c
                    } else if c == 0x5B {
                        return (
                            i,
                            "a document type with declarations of its own (`<!DOCTYPE … [ … ]>`), which the XML reader cannot take safely: remove them (GraphML and GEXF need none)"
                        )
                    } else if c == 0x3E {
                        break
                    }
                    j += 1
                }
                i = j
                continue
            }
            i += 1
        }
        return nil
    }

    /// Words for libxml2's error codes (Foundation's `XMLParser.ErrorCode` numbers them the same).
    static func reason(_ code: Int) -> String {
        switch code {
        case 1: "a tag or value longer than the 10,000,000 bytes the XML reader takes at once"
        case 2: "the document needs more memory than there is"
        case 3, 4: "the document is empty"
        case 5, 85: "the document ends before every element is closed"
        case 6, 7, 8, 10, 11, 12, 13: "a malformed character reference (write `&#233;` or `&#xE9;`)"
        case 9: "a character XML cannot hold (a control character, or bytes that are not UTF-8)"
        case 14, 15, 16, 17, 22, 23: "a stray `&` (escape `&` as `&amp;`)"
        case 18, 19, 20, 21, 24, 25, 88, 90: "a malformed parameter entity in the document type"
        case 26, 27: "an undefined entity such as `&nbsp;` (escape `&` as `&amp;`, or write the character itself)"
        case 28, 29, 104: "a reference to an external or unparsed entity, which an import never reads"
        case 30: "a parameter entity used in the content"
        case 31, 32, 79, 81: "an encoding other than UTF-8 (save the file as UTF-8)"
        case 33, 34, 43, 44: "a quoted value that is not opened or not closed"
        case 35, 99, 100, 106: "a malformed namespace declaration"
        case 36, 37, 87: "a malformed entity declaration"
        case 38: "a `<` inside an attribute value (escape it as `&lt;`)"
        case 40: "an attribute value not closed by its quote, or longer than 10,000,000 bytes"
        case 39, 41, 84: "a malformed attribute (write name=\"value\", with quotes)"
        case 42: "an attribute given twice in the same tag"
        case 45, 80, 112: "a comment that is not closed or holds `--`"
        case 46, 47: "a malformed processing instruction (`<?…?>`)"
        case 48, 49, 50, 51, 52, 53, 54, 55, 58, 59, 60, 61, 83, 95: "a malformed document type declaration (`<!DOCTYPE …>`)"
        case 56, 57, 64, 78, 96, 101: "a malformed XML declaration (write `<?xml version=\"1.0\" encoding=\"UTF-8\"?>`)"
        case 62, 63: "a CDATA section that is not closed or a stray `]]>`"
        case 65, 66: "a missing space between attributes"
        case 67, 68, 110: "a stray `&` or `<`, or a tag without a name (escape `&` as `&amp;` and `<` as `&lt;`)"
        case 69, 72, 86: "text or a second root element after the end of the document"
        case 73, 77: "a tag that is not closed with `>`"
        case 74, 76: "a closing tag does not match its opening tag"
        case 75: "an attribute without `=`"
        case 89: "an entity that refers to itself (an entity loop)"
        case 97, 108, 109: "an XML version other than 1.0"
        case 111: "the reading was stopped"
        default: "the document is not well-formed XML (libxml2 error \(code))"
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        let file: String
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var firstError: (code: Int, line: Int, column: Int)?
        /// A document read to its end by libxml2 but refused here (too deep, a control character).
        var refusal: TramaError?

        init(file: String) { self.file = file }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if firstError == nil { firstError = ((parseError as NSError).code, parser.lineNumber, parser.columnNumber) }
        }

        func refuse(_ parser: XMLParser, _ code: TramaError.Code, _ message: String, line: Int, element: String?) {
            if refusal == nil { refusal = TramaError(code, message, at: SourceLocation(file: file, line: max(1, line), element: element)) }
            parser.abortParsing()
        }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if refusal != nil { return }
            let line = parser.lineNumber
            if stack.count >= XMLElementNode.maxDepth {
                refuse(
                    parser, .malformed,
                    "elements are nested more than \(XMLElementNode.maxDepth) levels deep: a GraphML or GEXF document needs fewer than ten; fix the document or export it again",
                    line: line, element: nil)
                return
            }
            for (attribute, value) in attributes {
                if let found = ControlCharacters.first(in: value) {
                    refuse(
                        parser, .invalidValue,
                        "the attribute `\(attribute)` of <\(name)> holds \(ControlCharacters.describe(found.scalar)): \(ControlCharacters.advice)",
                        line: line, element: attributes["id"].map { "\(name) \($0.prefix(60))" })
                    return
                }
            }
            let local = name.split(separator: ":").last.map(String.init) ?? name
            let node = XMLElementNode(name: local, attributes: attributes, line: line)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if refusal != nil { return }
            append(string, parser)
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            if refusal != nil { return }
            append(String(decoding: block, as: UTF8.self), parser)
        }

        /// Adds text to the open element; the line of a control character is
        /// counted back from where the parser is (the end of the text).
        func append(_ text: String, _ parser: XMLParser) {
            if let found = ControlCharacters.first(in: text), let node = stack.last {
                let after = text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } - found.lineFeedsBefore
                refuse(
                    parser, .invalidValue,
                    "the text of <\(node.name)> holds \(ControlCharacters.describe(found.scalar)): \(ControlCharacters.advice)",
                    line: parser.lineNumber - after, element: nil)
                return
            }
            stack.last?.text += text
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
