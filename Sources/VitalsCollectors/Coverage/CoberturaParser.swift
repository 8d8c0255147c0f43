import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Totals of a Cobertura XML report, recomputed from its `<line>` elements.
///
/// Each distinct line of each file (`<class filename=...>`) counts once, however many `<class>` or `<method>`
/// elements repeat it: covered when any of them has `hits` > 0, and its branches from the best
/// `condition-coverage="50% (1/2)"` given for it. The root's `line-rate`, `lines-covered` and `lines-valid`
/// are the producer's own totals and agree with this for coverage.py and gcovr; the recomputed value is
/// preferred because it does not depend on how a producer rounds or whether it counts method lines twice.
/// The file is read as a stream (`XMLParser`), so large reports are never held as a tree.
enum CoberturaParser {
    static func totals(of data: Data, file: String) throws(InputFileError) -> CoverageTotals {
        if let instruction = EmptyProcessingInstruction.first(in: data) {
            throw InputFileError(
                file: file, at: .line(instruction.line),
                "processing instruction '\(instruction.text)' has no content, which the XML reader cannot read; remove it")
        }
        let reader = Reader(file: file, lineCount: data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        // parse() can return true after an error the delegate saw, so the reader's own record decides.
        _ = parser.parse()
        if let error = reader.error { throw error }
        guard reader.sawRoot else { throw InputFileError(file: file, "no root element; expected <coverage line-rate=...>") }
        return reader.totals
    }

    /// The streaming delegate: keeps one entry per distinct line, nothing else.
    private final class Reader: NSObject, XMLParserDelegate {
        let file: String
        /// Errors on the last line mean the file stops there, which libxml2 reports as whatever construct was cut off.
        let lineCount: Int
        private(set) var error: InputFileError?
        private(set) var sawRoot = false
        private var currentFile: String?
        private var lines: [LineKey: LineState] = [:]

        init(file: String, lineCount: Int) {
            self.file = file
            self.lineCount = lineCount
        }

        private struct LineKey: Hashable {
            let file: String
            let number: Int
        }

        private struct LineState {
            var hit: Bool
            var branches: CoverageTotals.Count?
        }

        var totals: CoverageTotals {
            let covered = lines.values.filter(\.hit).count
            let branches = lines.values.compactMap(\.branches).reduce(CoverageTotals.Count(covered: 0, total: 0), +)
            return CoverageTotals(
                lines: CoverageTotals.Count(covered: covered, total: lines.count), branches: branches.total > 0 ? branches : nil)
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            guard error == nil else { return }
            if !sawRoot {
                sawRoot = true
                guard elementName == "coverage", attributes["line-rate"] != nil else {
                    fail(parser, "the root element is <\(elementName)> without line-rate; expected Cobertura's <coverage line-rate=...>")
                    return
                }
            }
            switch elementName {
            case "class":
                guard let filename = attributes["filename"], !filename.isEmpty else {
                    fail(parser, "<class> has no filename attribute; expected <class filename=\"path/to/file\">")
                    return
                }
                currentFile = filename
            case "line":
                readLine(parser, attributes)
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if elementName == "class" { currentFile = nil }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            guard error == nil else { return }
            let code = (parseError as NSError).code
            let truncated = parser.lineNumber >= lineCount
            fail(parser, "not well-formed XML: \(Self.explain(code))" + (truncated ? " where the file ends; is it truncated?" : ""))
        }

        private func readLine(_ parser: XMLParser, _ attributes: [String: String]) {
            guard let file = currentFile else {
                fail(parser, "<line> outside a <class filename=...>; expected lines inside their file's class")
                return
            }
            guard let numberText = attributes["number"], let number = Int(numberText), number > 0 else {
                fail(parser, "<line number=\"\(attributes["number"] ?? "")\">: expected a line number ≥ 1")
                return
            }
            guard let hitsText = attributes["hits"], let hits = Int(hitsText), hits >= 0 else {
                fail(parser, "<line number=\"\(number)\" hits=\"\(attributes["hits"] ?? "")\">: expected a hit count ≥ 0")
                return
            }
            var branches: CoverageTotals.Count?
            if attributes["branch"] == "true", let condition = attributes["condition-coverage"] {
                guard let parsed = Self.conditionCoverage(condition) else {
                    fail(parser, "<line number=\"\(number)\" condition-coverage=\"\(condition)\">: expected the form \"50% (1/2)\"")
                    return
                }
                branches = parsed
            }
            let key = LineKey(file: file, number: number)
            var state = lines[key] ?? LineState(hit: false, branches: nil)
            state.hit = state.hit || hits > 0
            if let branches, branches.covered > state.branches?.covered ?? -1 { state.branches = branches }
            lines[key] = state
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            error = InputFileError(file: file, at: .line(parser.lineNumber, column: parser.columnNumber), message)
            parser.abortParsing()
        }

        /// Reads `50% (1/2)` as 1 of 2 branches covered.
        static func conditionCoverage(_ text: String) -> CoverageTotals.Count? {
            guard let open = text.firstIndex(of: "("), let slash = text.firstIndex(of: "/"), let close = text.firstIndex(of: ")"),
                open < slash, slash < close,
                let covered = Int(text[text.index(after: open)..<slash].trimmingCharacters(in: .whitespaces)),
                let total = Int(text[text.index(after: slash)..<close].trimmingCharacters(in: .whitespaces)),
                covered >= 0, covered <= total
            else { return nil }
            return CoverageTotals.Count(covered: covered, total: total)
        }

        /// XMLParser's errors carry only libxml2's error number (FoundationXML's `ErrorCode` names do not line up with
        /// them on Linux), so the ones broken coverage files produce are named here.
        static func explain(_ code: Int) -> String {
            switch code {
            case 4: "expected an XML document"
            case 5: "the document ends early or has content after its root element"
            case 39, 40, 41: "an attribute is incomplete; expected name=\"value\""
            case 73: "a tag is not closed with '>'"
            case 76: "a closing tag does not match the open element"
            case 77: "a tag is not finished"
            default: "libxml2 error \(code)"
            }
        }
    }
}
