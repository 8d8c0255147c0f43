import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Totals of a Cobertura XML report, recomputed from its `<line>` and `<method>` elements.
///
/// Each distinct line of each file (`<class filename=...>`) counts once, however many `<class>` or `<method>`
/// elements repeat it: covered when any of them has `hits` > 0, and its branches from the best
/// `condition-coverage="50% (1/2)"` given for it. The root's `line-rate`, `lines-covered` and `lines-valid`
/// are the producer's own totals and agree with this for coverage.py and gcovr; the recomputed value is
/// preferred because it does not depend on how a producer rounds or whether it counts method lines twice.
///
/// Function coverage comes from `<method>` elements, where a report has them (coverage.py writes none): each distinct
/// method (file, class, name, signature) counts once, covered when one of its `<line>`s has `hits` > 0, or, for a method
/// listed without lines, when its `line-rate` > 0. That is JaCoCo's rule (a method is missed only when none of it ran)
/// and ReportGenerator's "covered methods".
///
/// The report is read as a stream (`XMLParser` over an `InputStream`, in chunks), so neither the file nor a tree of it
/// is held in memory, and reports larger than libxml2's 10 MB single-buffer limit parse; what is kept is one small
/// entry per distinct line and method.
enum CoberturaParser {
    /// The totals and per-file lines of a report held in memory.
    static func report(of data: Data, file: String, project: ProjectFiles? = nil) throws(InputFileError) -> CoverageReport {
        try refuseEmptyProcessingInstructions(in: data, file: file)
        return try report(of: InputStream(data: data), file: file, project: project) { lineCount(of: data) }
    }

    /// The totals and per-file lines of the report at `url`, read in chunks (the check for empty processing instructions
    /// reads the file memory-mapped, so it holds no copy either).
    static func report(at url: URL, file: String, project: ProjectFiles? = nil) throws(InputFileError) -> CoverageReport {
        guard let stream = InputStream(url: url), let mapped = try? Data(contentsOf: url, options: .alwaysMapped) else {
            throw InputFileError(file: file, "cannot be read")
        }
        try refuseEmptyProcessingInstructions(in: mapped, file: file)
        return try report(of: stream, file: file, project: project) { lineCount(of: mapped) }
    }

    /// FoundationXML's parser crashes on `<?name?>` (see ``EmptyProcessingInstruction``): such a file is refused first.
    private static func refuseEmptyProcessingInstructions(in data: Data, file: String) throws(InputFileError) {
        guard let instruction = EmptyProcessingInstruction.first(in: data) else { return }
        throw InputFileError(
            file: file, at: .line(instruction.line),
            "processing instruction '\(instruction.text)' has no content, which the XML reader cannot read; remove it")
    }

    /// `lineCount` is asked only when the parser stops with an error, to tell a truncated file from a broken one.
    /// With a ``ProjectFiles``, only the classes of the files it counts are summed; a relative `filename` is taken as
    /// relative to its root.
    private static func report(
        of stream: InputStream, file: String, project: ProjectFiles?, lineCount: @escaping () -> Int
    ) throws(InputFileError) -> CoverageReport {
        let reader = Reader(file: file, project: project, lineCount: lineCount)
        let parser = XMLParser(stream: stream)
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        // parse() can return true after an error the delegate saw, so the reader's own record decides.
        _ = parser.parse()
        if let error = reader.error { throw error }
        guard reader.sawRoot else { throw InputFileError(file: file, "no root element; expected <coverage line-rate=...>") }
        guard reader.closedRoot else {
            throw InputFileError(file: file, at: .line(lineCount()), "the document ends before </coverage>; is it truncated?")
        }
        if let project, reader.countedFiles == 0, !reader.skippedFiles.isEmpty {
            throw project.noneCounted(of: reader.skippedFiles.sorted(), file: file)
        }
        return CoverageReport(totals: reader.totals, files: reader.files)
    }

    /// The number of the file's last line: a final line break does not begin another line.
    private static func lineCount(of data: Data) -> Int {
        data.reduce(data.last == UInt8(ascii: "\n") ? 0 : 1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// The streaming delegate: keeps one entry per distinct line and method, nothing else.
    private final class Reader: NSObject, XMLParserDelegate {
        let file: String
        let project: ProjectFiles?
        /// Errors on the last line mean the file stops there, which libxml2 reports as whatever construct was cut off.
        let lineCount: () -> Int
        private(set) var error: InputFileError?
        private(set) var sawRoot = false
        private(set) var closedRoot = false
        private var depth = 0
        /// Each file name once; lines and methods refer to files by their index here.
        private var fileIndices: [String: Int] = [:]
        private var currentFile: Int?
        /// Inside a `<class>` of a file that does not count: its lines and methods are checked, not summed.
        private var skippingClass = false
        private(set) var skippedFiles: Set<String> = []
        var countedFiles: Int { fileIndices.count }
        private var currentClass = ""
        /// Line number and file index in one word, so a report of millions of lines stays small.
        private var lines: [Int: LineState] = [:]
        private var methods: [MethodKey: Bool] = [:]
        private var currentMethod: (key: MethodKey, lineRate: Double, hasLines: Bool, hit: Bool)?

        init(file: String, project: ProjectFiles?, lineCount: @escaping () -> Int) {
            self.file = file
            self.project = project
            self.lineCount = lineCount
        }

        private struct MethodKey: Hashable {
            let file: Int
            let className: String
            let name: String
            let signature: String
        }

        private struct LineState {
            var hit: Bool
            var branches: CoverageTotals.Count?
        }

        var totals: CoverageTotals {
            let covered = lines.values.filter(\.hit).count
            let branches = lines.values.compactMap(\.branches).reduce(CoverageTotals.Count(covered: 0, total: 0), +)
            return CoverageTotals(
                lines: CoverageTotals.Count(covered: covered, total: lines.count), branches: branches.total > 0 ? branches : nil,
                functions: methods.isEmpty ? nil : CoverageTotals.Count(covered: methods.values.filter { $0 }.count, total: methods.count))
        }

        /// Each file's distinct lines, by its `filename`.
        var files: [String: CoverageTotals.Count] {
            var byIndex: [Int: CoverageTotals.Count] = [:]
            for (key, state) in lines {
                byIndex[key >> 32, default: .zero] = byIndex[key >> 32, default: .zero] + CoverageTotals.Count(covered: state.hit ? 1 : 0, total: 1)
            }
            return Dictionary(uniqueKeysWithValues: fileIndices.compactMap { name, index in byIndex[index].map { (name, $0) } })
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            guard error == nil else { return }
            depth += 1
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
                currentClass = attributes["name"] ?? ""
                guard project?.contains(filename) ?? true else {
                    skippingClass = true
                    skippedFiles.insert(filename)
                    return
                }
                currentFile = fileIndices[filename] ?? fileIndices.count
                fileIndices[filename] = currentFile
            case "method":
                startMethod(parser, attributes)
            case "line":
                readLine(parser, attributes)
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            if depth == 0 { closedRoot = true }
            switch elementName {
            case "class":
                currentFile = nil
                skippingClass = false
            case "method":
                if let method = currentMethod {
                    let covered = method.hasLines ? method.hit : method.lineRate > 0
                    methods[method.key] = (methods[method.key] ?? false) || covered
                }
                currentMethod = nil
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
            guard error == nil else { return }
            let code = (parseError as NSError).code
            let truncated = parser.lineNumber >= lineCount()
            fail(parser, "not well-formed XML: \(XMLInput.explain(code))" + (truncated ? " where the file ends; is it truncated?" : ""))
        }

        private func startMethod(_ parser: XMLParser, _ attributes: [String: String]) {
            guard currentFile != nil || skippingClass else {
                fail(parser, "<method> outside a <class filename=...>; expected methods inside their file's class")
                return
            }
            let rateText = attributes["line-rate"] ?? "0"
            guard let lineRate = Double(rateText), (0...1).contains(lineRate) else {
                fail(parser, "<method line-rate=\"\(rateText)\">: expected a rate from 0 to 1")
                return
            }
            guard let file = currentFile else { return }
            let key = MethodKey(file: file, className: currentClass, name: attributes["name"] ?? "", signature: attributes["signature"] ?? "")
            currentMethod = (key, lineRate, false, false)
        }

        private func readLine(_ parser: XMLParser, _ attributes: [String: String]) {
            guard currentFile != nil || skippingClass else {
                fail(parser, "<line> outside a <class filename=...>; expected lines inside their file's class")
                return
            }
            guard let numberText = attributes["number"], let number = Int(numberText), number > 0, number <= Int(Int32.max) else {
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
            guard let file = currentFile else { return }
            if var method = currentMethod {
                method.hasLines = true
                method.hit = method.hit || hits > 0
                currentMethod = method
            }
            let key = file << 32 | number
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
    }
}
