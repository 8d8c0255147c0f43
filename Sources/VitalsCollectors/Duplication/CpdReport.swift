import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// PMD CPD's XML report (`pmd cpd --format xml`): `<pmd-cpd>` holding `<duplication lines= tokens=>` elements, each with
/// one `<file path= line= .../>` per occurrence (and a `<codefragment>`, skipped); PMD 7 also lists the files read as
/// `<file path= totalNumberOfTokens=/>` directly under the root, which are not occurrences.
///
/// Read as a stream (`XMLParser` over an `InputStream`) like Cobertura reports: what is kept is three counters.
enum CpdReport {
    /// The figures of a report held in memory.
    static func totals(of data: Data, file: String) throws(InputFileError) -> DuplicationTotals {
        try refuseEmptyProcessingInstructions(in: data, file: file)
        return try totals(of: InputStream(data: data), file: file) { lineCount(of: data) }
    }

    /// The figures of the report at `url`, read in chunks.
    static func totals(at url: URL, file: String) throws(InputFileError) -> DuplicationTotals {
        guard let stream = InputStream(url: url), let mapped = try? Data(contentsOf: url, options: .alwaysMapped) else {
            throw InputFileError(file: file, "cannot be read")
        }
        try refuseEmptyProcessingInstructions(in: mapped, file: file)
        return try totals(of: stream, file: file) { lineCount(of: mapped) }
    }

    /// FoundationXML's parser crashes on `<?name?>` (see ``EmptyProcessingInstruction``): such a file is refused first.
    private static func refuseEmptyProcessingInstructions(in data: Data, file: String) throws(InputFileError) {
        guard let instruction = EmptyProcessingInstruction.first(in: data) else { return }
        throw InputFileError(
            file: file, at: .line(instruction.line),
            "processing instruction '\(instruction.text)' has no content, which the XML reader cannot read; remove it")
    }

    private static func totals(of stream: InputStream, file: String, lineCount: @escaping () -> Int) throws(InputFileError) -> DuplicationTotals {
        let reader = Reader(file: file, lineCount: lineCount)
        let parser = XMLParser(stream: stream)
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        if let error = reader.error { throw error }
        guard reader.sawRoot else { throw InputFileError(file: file, "no root element; expected <pmd-cpd>") }
        guard reader.closedRoot else {
            throw InputFileError(file: file, at: .line(lineCount()), "the document ends before </pmd-cpd>; is it truncated?")
        }
        return DuplicationTotals(ratio: nil, lines: reader.lines, blocks: reader.blocks)
    }

    /// The number of the file's last line: a final line break does not begin another line.
    private static func lineCount(of data: Data) -> Int {
        data.reduce(data.last == UInt8(ascii: "\n") ? 0 : 1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    private final class Reader: NSObject, XMLParserDelegate {
        let file: String
        let lineCount: () -> Int
        private(set) var error: InputFileError?
        private(set) var sawRoot = false
        private(set) var closedRoot = false
        private(set) var lines = 0
        private(set) var blocks = 0
        private var depth = 0
        /// The open `<duplication>`: its line count, occurrences so far and where it starts.
        private var duplication: (lines: Int, occurrences: Int, line: Int)?

        init(file: String, lineCount: @escaping () -> Int) {
            self.file = file
            self.lineCount = lineCount
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            guard error == nil else { return }
            depth += 1
            if !sawRoot {
                sawRoot = true
                guard elementName == "pmd-cpd" else {
                    fail(parser, "the root element is <\(elementName)>; expected PMD CPD's <pmd-cpd>")
                    return
                }
                return
            }
            switch elementName {
            case "duplication" where depth == 2:
                guard let text = attributes["lines"], let count = Int(text), count >= 1, count <= Int(Int32.max) else {
                    fail(parser, "<duplication lines=\"\(attributes["lines"] ?? "")\">: expected a line count ≥ 1")
                    return
                }
                duplication = (count, 0, parser.lineNumber)
            case "duplication":
                fail(parser, "<duplication> inside another element; expected it directly under <pmd-cpd>")
            case "file" where depth == 3 && duplication != nil:
                guard let path = attributes["path"], !path.isEmpty else {
                    fail(parser, "<file> of a duplication has no path; expected <file path=\"...\" line=\"...\"/>")
                    return
                }
                guard let text = attributes["line"], let line = Int(text), line >= 1 else {
                    fail(parser, "<file path=\"\(path)\" line=\"\(attributes["line"] ?? "")\">: expected a line number ≥ 1")
                    return
                }
                duplication?.occurrences += 1
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard error == nil else { return }
            depth -= 1
            if depth == 0 { closedRoot = true }
            guard elementName == "duplication", depth == 1, let current = duplication else { return }
            duplication = nil
            guard current.occurrences >= 2 else {
                fail(parser, "the <duplication> opened on line \(current.line) has \(current.occurrences) <file> occurrence(s); expected at least 2")
                return
            }
            let copies = current.occurrences - 1
            let (added, overflow) = current.lines.multipliedReportingOverflow(by: copies)
            let (total, overflowTotal) = lines.addingReportingOverflow(added)
            guard !overflow, !overflowTotal else {
                fail(parser, "the duplicated lines add up to more than can be counted")
                return
            }
            lines = total
            blocks += copies
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            guard error == nil else { return }
            let code = (parseError as NSError).code
            let truncated = parser.lineNumber >= lineCount()
            fail(parser, "not well-formed XML: \(XMLInput.explain(code))" + (truncated ? " where the file ends; is it truncated?" : ""))
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            error = InputFileError(file: file, at: .line(parser.lineNumber, column: parser.columnNumber), message)
            parser.abortParsing()
        }
    }
}
