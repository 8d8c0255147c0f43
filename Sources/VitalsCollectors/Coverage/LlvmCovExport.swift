import Foundation

/// The part of an `llvm-cov export` JSON document that holds its totals.
///
/// `swift test --enable-code-coverage` writes one of these per package (`swift test --show-codecov-path`);
/// its `totals` are what `llvm-cov report` prints in its TOTAL row. Branches are left out when the export
/// counts none (Swift's coverage has no branch regions), rather than reported as a ratio of nothing.
struct LlvmCovExport: Decodable {
    let type: String
    let data: [Export]

    static let expectedType = "llvm.coverage.json.export"

    struct Export: Decodable {
        let totals: Totals
    }

    struct Totals: Decodable {
        let lines: Summary
        let functions: Summary
        let branches: Summary?
    }

    struct Summary: Decodable {
        let count: Int
        let covered: Int

        var asCount: CoverageTotals.Count { CoverageTotals.Count(covered: covered, total: count) }
    }

    static func totals(of data: Data, file: String) throws(InputFileError) -> CoverageTotals {
        let export = try JSONInput.decode(LlvmCovExport.self, from: data, file: file)
        guard export.type == expectedType else {
            throw InputFileError(file: file, at: .path("type"), "'\(export.type)' is not an llvm-cov export; expected '\(expectedType)'")
        }
        guard !export.data.isEmpty else { throw InputFileError(file: file, at: .path("data"), "is empty; expected one export with totals") }
        let zero = CoverageTotals.Count(covered: 0, total: 0)
        let totals = export.data.map(\.totals)
        let branches = totals.compactMap(\.branches).map(\.asCount).reduce(zero, +)
        return CoverageTotals(
            lines: totals.map(\.lines.asCount).reduce(zero, +), branches: branches.total > 0 ? branches : nil,
            functions: totals.map(\.functions.asCount).reduce(zero, +))
    }
}
