import Foundation

/// Totals of an lcov tracefile: the sums of its records' `LH`/`LF`, `BRH`/`BRF` and `FNH`/`FNF`, which is
/// what `genhtml` and `lcov --summary` report.
///
/// A record without a summary line has zero of that kind: coverage.py writes `SF:` straight followed by
/// `end_of_record` for a file with no statements (an empty `__init__.py`). A record saying more were hit than
/// found (`LH` > `LF`) is an error at the line that says so, never a ratio above 1.
enum LcovParser {
    static func totals(of data: Data, file: String) throws(InputFileError) -> CoverageTotals {
        var lines = CoverageTotals.Count(covered: 0, total: 0)
        var branches = CoverageTotals.Count(covered: 0, total: 0)
        var functions = CoverageTotals.Count(covered: 0, total: 0)
        var open: Record?
        var records = 0
        var lineNumber = 0
        for rawLine in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if line == "end_of_record" {
                guard let record = open else {
                    throw InputFileError(file: file, at: .line(lineNumber), "end_of_record without an SF: record before it")
                }
                let counts = try record.counts(file: file, endLine: lineNumber)
                lines = lines + counts.lines
                branches = branches + counts.branches
                functions = functions + counts.functions
                records += 1
                open = nil
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
            } else if Record.countKeys.contains(key) {
                guard open != nil else { throw InputFileError(file: file, at: .line(lineNumber), "\(key): outside an SF: record") }
                guard let count = Int(value), count >= 0 else {
                    throw InputFileError(file: file, at: .line(lineNumber), "\(key): '\(value)' is not a count; expected a whole number ≥ 0")
                }
                open?.values[key] = Record.Value(count: count, line: lineNumber)
            }
        }
        if let record = open {
            throw InputFileError(
                file: file, at: .line(lineNumber),
                "the record for '\(record.source)' (from line \(record.line)) has no end_of_record; is the file truncated?")
        }
        guard records > 0 else { throw InputFileError(file: file, "the file has no SF: ... end_of_record records") }
        return CoverageTotals(
            lines: lines, branches: branches.total > 0 ? branches : nil, functions: functions.total > 0 ? functions : nil)
    }

    /// One `SF:` … `end_of_record` block and the summary counts it carries.
    private struct Record {
        let source: String
        let line: Int
        var values: [String: Value] = [:]

        /// A summary count and the line it was read from.
        struct Value {
            let count: Int
            let line: Int
        }

        /// The summary keys; the per-line, per-branch and per-function detail records repeat what these sum up.
        static let countKeys: Set<String> = ["LF", "LH", "BRF", "BRH", "FNF", "FNH"]

        func counts(file: String, endLine: Int) throws(InputFileError) -> (
            lines: CoverageTotals.Count, branches: CoverageTotals.Count, functions: CoverageTotals.Count
        ) {
            func pair(_ hitKey: String, _ foundKey: String) throws(InputFileError) -> CoverageTotals.Count {
                let hit = values[hitKey]?.count ?? 0
                let found = values[foundKey]?.count ?? 0
                guard hit <= found else {
                    throw InputFileError(
                        file: file, at: .line(values[hitKey]?.line ?? endLine),
                        "\(hitKey):\(hit) is more than \(foundKey):\(found) in the record for '\(source)' (from line \(line)); expected \(hitKey) ≤ \(foundKey)")
                }
                return CoverageTotals.Count(covered: hit, total: found)
            }
            return (try pair("LH", "LF"), try pair("BRH", "BRF"), try pair("FNH", "FNF"))
        }
    }
}
