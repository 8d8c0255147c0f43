import Foundation

/// jscpd's JSON report (`--reporters json`, `jscpd-report.json`): only `statistics.total` is read; the `duplicates` list
/// (the fragments themselves) is skipped.
struct JscpdReport: Decodable {
    let statistics: Statistics

    struct Statistics: Decodable {
        let total: Total
    }

    struct Total: Decodable {
        let lines: Int
        let clones: Int
        let duplicatedLines: Int
        let percentage: Double
    }

    /// The figures of a report held in memory; counts that cannot be are errors at their key path.
    static func totals(of data: Data, file: String) throws(InputFileError) -> DuplicationTotals {
        let total = try JSONInput.decode(JscpdReport.self, from: data, file: file).statistics.total
        func check(_ value: Int, _ key: String) throws(InputFileError) {
            guard value >= 0 else { throw InputFileError(file: file, at: .path("statistics.total.\(key)"), "expected a count ≥ 0, found \(value)") }
        }
        try check(total.lines, "lines")
        try check(total.clones, "clones")
        try check(total.duplicatedLines, "duplicatedLines")
        guard total.duplicatedLines <= total.lines else {
            throw InputFileError(
                file: file, at: .path("statistics.total.duplicatedLines"),
                "\(total.duplicatedLines) duplicated lines of \(total.lines) lines; expected no more than the lines read")
        }
        guard (0...100).contains(total.percentage) else {
            throw InputFileError(file: file, at: .path("statistics.total.percentage"), "expected a percentage from 0 to 100, found \(total.percentage)")
        }
        let ratio = total.lines == 0 ? 0 : Double(total.duplicatedLines) / Double(total.lines)
        return DuplicationTotals(ratio: ratio, lines: total.duplicatedLines, blocks: total.clones)
    }
}
