import Foundation

/// Totals of an lcov tracefile, counted as `lcov --summary` counts them: from the detail records, merged per source file.
///
/// - lines: each distinct `DA:<line>,<count>` line of a file counts once, covered when one of its records counts > 0;
/// - functions: each distinct function name of a file (`FN:<line>,<name>`, lcov 2's `FN:<line>,<end>,<name>`, or
///   `FNDA:<count>,<name>`) counts once, covered when an `FNDA` count is > 0;
/// - branches: each distinct `BRDA:<line>,<block>,<branch>,<taken>` counts once, covered when `taken` is > 0 (`-`
///   means the line never ran).
///
/// Records of the same `SF:` file merge, as lcov merges them; with a ``ProjectFiles``, only the records of the files it
/// counts are summed. A record with no detail records of a kind falls back to its
/// summary lines (`LF`/`LH`, `FNF`/`FNH`, `BRF`/`BRH`) for that kind; a record with neither has zero of it: coverage.py
/// writes `SF:` straight followed by `end_of_record` for a file with no statements (an empty `__init__.py`), and
/// Debian's geninfo 1.16 writes no summary lines at all. A summary saying more were hit than found (`LH` > `LF`) is an
/// error at the line that says so, never a ratio above 1.
enum LcovParser {
    /// The totals over the records of the files `project` counts (nil: every record), and each such file's lines.
    static func report(of data: Data, file: String, project: ProjectFiles? = nil) throws(InputFileError) -> CoverageReport {
        var files: [String: FileCoverage] = [:]
        var summaries = Summaries()
        var open: Record?
        var records = 0
        var sources: [String] = []
        var lineNumber = 0
        for rawLine in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if line == "end_of_record" {
                guard let record = open else {
                    throw InputFileError(file: file, at: .line(lineNumber), "end_of_record without an SF: record before it")
                }
                open = nil
                records += 1
                sources.append(record.source)
                // Checked whether or not the file counts: a summary claiming more hit than found is a broken file.
                let counts = try record.summaryCounts(file: file)
                guard project?.contains(record.source) ?? true else { continue }
                summaries.add(counts, of: record)
                var detail = record.detail
                if detail.lineHits.isEmpty { detail.summaryLines = counts.lines }
                files[record.source, default: FileCoverage()].merge(detail)
                continue
            }
            guard let colon = line.firstIndex(of: ":"), line[..<colon].allSatisfy({ $0.isUppercase }), colon != line.startIndex else {
                throw InputFileError(file: file, at: .line(lineNumber), "'\(line)' is not an lcov record; expected KEY:value or end_of_record")
            }
            let key = String(line[..<colon])
            let value = String(line[line.index(after: colon)...])
            if key == "SF" {
                if let record = open {
                    throw InputFileError(
                        file: file, at: .line(lineNumber), "SF: begins before the record for '\(record.source)' has its end_of_record")
                }
                open = Record(source: value, line: lineNumber)
                continue
            }
            guard Record.keys.contains(key) else { continue }
            guard open != nil else { throw InputFileError(file: file, at: .line(lineNumber), "\(key): outside an SF: record") }
            guard let error = open?.read(key, value, at: lineNumber) else { continue }
            throw InputFileError(file: file, at: .line(lineNumber), error)
        }
        if let record = open {
            throw InputFileError(
                file: file, at: .line(lineNumber),
                "the record for '\(record.source)' (from line \(record.line)) has no end_of_record; is the file truncated?")
        }
        guard records > 0 else { throw InputFileError(file: file, "the file has no SF: ... end_of_record records") }
        if let project, files.isEmpty { throw project.noneCounted(of: sources, file: file) }
        let detail = files.values.reduce(into: (lines: Count.zero, functions: Count.zero, branches: Count.zero)) { sums, file in
            sums.lines = sums.lines + file.lines
            sums.functions = sums.functions + file.functionCount
            sums.branches = sums.branches + file.branchCount
        }
        let branches = detail.branches + summaries.branches
        let functions = detail.functions + summaries.functions
        return CoverageReport(
            totals: CoverageTotals(lines: detail.lines, branches: branches.total > 0 ? branches : nil, functions: functions.total > 0 ? functions : nil),
            files: files.mapValues(\.lines).filter { $0.value.total > 0 })
    }

    typealias Count = CoverageTotals.Count

    /// What the detail records say about one source file, merged over its records.
    private struct FileCoverage {
        /// Line number → hit.
        var lineHits: [Int: Bool] = [:]
        /// Function name → hit.
        var functions: [String: Bool] = [:]
        /// `line,block,branch` → taken.
        var branches: [String: Bool] = [:]
        /// The `LF`/`LH` counts of the file's records that have no `DA` records.
        var summaryLines = Count.zero

        mutating func merge(_ other: FileCoverage) {
            lineHits.merge(other.lineHits) { $0 || $1 }
            summaryLines = summaryLines + other.summaryLines
            functions.merge(other.functions) { $0 || $1 }
            branches.merge(other.branches) { $0 || $1 }
        }

        /// The distinct `DA` lines, and the summary counts of the records without them.
        var lines: Count { Count(covered: lineHits.values.filter { $0 }.count, total: lineHits.count) + summaryLines }
        var functionCount: Count { Count(covered: functions.values.filter { $0 }.count, total: functions.count) }
        var branchCount: Count { Count(covered: branches.values.filter { $0 }.count, total: branches.count) }
    }

    /// The function and branch summary counts of records that have no detail records of that kind (line counts are kept per
    /// file, ``FileCoverage/summaryLines``).
    private struct Summaries {
        var functions = Count.zero
        var branches = Count.zero

        mutating func add(_ counts: (lines: Count, functions: Count, branches: Count), of record: Record) {
            if record.detail.functions.isEmpty { functions = functions + counts.functions }
            if record.detail.branches.isEmpty { branches = branches + counts.branches }
        }
    }

    /// One `SF:` … `end_of_record` block.
    private struct Record {
        let source: String
        let line: Int
        var detail = FileCoverage()
        /// Summary counts and the line each was read from.
        var summaries: [String: (count: Int, line: Int)] = [:]

        static let summaryKeys: Set<String> = ["LF", "LH", "BRF", "BRH", "FNF", "FNH"]
        static let keys = summaryKeys.union(["DA", "FN", "FNDA", "BRDA"])

        /// Reads one record line; returns what is wrong with it, or nil.
        mutating func read(_ key: String, _ value: String, at lineNumber: Int) -> String? {
            if Self.summaryKeys.contains(key) {
                guard let count = Int(value), count >= 0 else { return "\(key): '\(value)' is not a count; expected a whole number ≥ 0" }
                summaries[key] = (count, lineNumber)
                return nil
            }
            let fields = value.split(separator: ",", omittingEmptySubsequences: false)
            switch key {
            case "DA":
                // DA:<line>,<count>[,<checksum>]
                guard fields.count >= 2, let number = Int(fields[0]), number >= 0, let count = Int(fields[1]) else {
                    return "DA: '\(value)' is not <line>,<count>; expected whole numbers such as DA:12,3"
                }
                detail.lineHits[number] = (detail.lineHits[number] ?? false) || count > 0
            case "FN":
                // FN:<line>,<name> or FN:<line>,<end line>,<name>; names can hold commas (C++ signatures).
                guard fields.count >= 2, Int(fields[0]) != nil else { return "FN: '\(value)' is not <line>,<name>" }
                let rest = fields.dropFirst()
                let name = rest.count >= 2 && Int(rest.first!) != nil ? rest.dropFirst().joined(separator: ",") : rest.joined(separator: ",")
                detail.functions[name] = detail.functions[name] ?? false
            case "FNDA":
                // FNDA:<count>,<name>
                guard fields.count >= 2, let count = Int(fields[0]) else { return "FNDA: '\(value)' is not <count>,<name>" }
                let name = fields.dropFirst().joined(separator: ",")
                detail.functions[name] = (detail.functions[name] ?? false) || count > 0
            case "BRDA":
                // BRDA:<line>,<block>,<branch>,<taken>; the branch may be text (coverage.py: "jump to line 3"), `-` is not taken.
                guard fields.count >= 4, Int(fields[0]) != nil else { return "BRDA: '\(value)' is not <line>,<block>,<branch>,<taken>" }
                let taken = fields[fields.count - 1]
                guard taken == "-" || Int(taken) != nil else { return "BRDA: taken '\(taken)' is not a count or '-'" }
                let branch = fields.dropLast().joined(separator: ",")
                detail.branches[branch] = (detail.branches[branch] ?? false) || (Int(taken) ?? 0) > 0
            default:
                break
            }
            return nil
        }

        /// The record's summary lines; an error when one says more were hit than found.
        func summaryCounts(file: String) throws(InputFileError) -> (lines: Count, functions: Count, branches: Count) {
            (try summary("LH", "LF", file: file), try summary("FNH", "FNF", file: file), try summary("BRH", "BRF", file: file))
        }

        private func summary(_ hitKey: String, _ foundKey: String, file: String) throws(InputFileError) -> Count {
            let hit = summaries[hitKey]?.count ?? 0
            let found = summaries[foundKey]?.count ?? 0
            guard hit <= found else {
                throw InputFileError(
                    file: file, at: .line(summaries[hitKey]?.line ?? line),
                    "\(hitKey):\(hit) is more than \(foundKey):\(found) in the record for '\(source)' (from line \(line)); expected \(hitKey) ≤ \(foundKey)"
                )
            }
            return Count(covered: hit, total: found)
        }
    }
}
