import Foundation

/// The part of an `llvm-cov export` JSON document that holds its per-file summaries.
///
/// `swift test --enable-code-coverage` writes one of these per package (`swift test --show-codecov-path`). The totals
/// are the sums of the summaries of the files that count (``ProjectFiles``), which is what `llvm-cov report` prints in
/// its TOTAL row when given the same files; with every file counted they equal the export's own `totals`. Branches are
/// left out when the files count none (Swift's coverage has no branch regions), rather than reported as a ratio of nothing.
struct LlvmCovExport: Decodable {
    let type: String
    let data: [Export]

    static let expectedType = "llvm.coverage.json.export"

    struct Export: Decodable {
        let files: [File]
    }

    struct File: Decodable {
        let filename: String
        let summary: Summaries
    }

    struct Summaries: Decodable {
        let lines: Summary
        let functions: Summary
        let branches: Summary?

        /// A file's counts must be counts, and covered no more than there are.
        func validate(file: String, path: String) throws(InputFileError) {
            for (key, summary) in [("lines", lines), ("functions", functions), ("branches", branches)] {
                guard let summary, summary.covered < 0 || summary.covered > summary.count else { continue }
                throw InputFileError(
                    file: file, at: .path("\(path).\(key)"),
                    "covered \(summary.covered) of count \(summary.count); expected 0 ≤ covered ≤ count")
            }
        }
    }

    struct Summary: Decodable {
        let count: Int
        let covered: Int

        var asCount: CoverageTotals.Count { CoverageTotals.Count(covered: covered, total: count) }
    }

    /// The totals of the files `project` counts (nil counts every file of the export), and each one's lines.
    static func report(of data: Data, file: String, project: ProjectFiles?) throws(InputFileError) -> CoverageReport {
        let export = try JSONInput.decode(LlvmCovExport.self, from: data, file: file)
        guard export.type == expectedType else {
            throw InputFileError(file: file, at: .path("type"), "'\(export.type)' is not an llvm-cov export; expected '\(expectedType)'")
        }
        guard !export.data.isEmpty else { throw InputFileError(file: file, at: .path("data"), "is empty; expected one export with totals") }
        var all: [File] = []
        for (exportIndex, export) in export.data.enumerated() {
            for (fileIndex, entry) in export.files.enumerated() {
                try entry.summary.validate(file: file, path: "data[\(exportIndex)].files[\(fileIndex)].summary")
                all.append(entry)
            }
        }
        let counted = project.map { project in all.filter { project.contains($0.filename) } } ?? all
        if let project, counted.isEmpty { throw project.noneCounted(of: all.map(\.filename), file: file) }
        let zero = CoverageTotals.Count(covered: 0, total: 0)
        let summaries = counted.map(\.summary)
        let branches = summaries.compactMap(\.branches).map(\.asCount).reduce(zero, +)
        let totals = CoverageTotals(
            lines: summaries.map(\.lines.asCount).reduce(zero, +), branches: branches.total > 0 ? branches : nil,
            functions: summaries.map(\.functions.asCount).reduce(zero, +))
        let files = Dictionary(counted.map { ($0.filename, $0.summary.lines.asCount) }, uniquingKeysWith: +)
        return CoverageReport(totals: totals, files: files.filter { $0.value.total > 0 })
    }
}
