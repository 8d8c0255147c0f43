import VitalsCollectors
import VitalsCore
import VitalsPorts

/// A source file among the least covered of a coverage report at the newest collection (`coverage_file_lines_missed`,
/// `coverage_file_lines_valid`): what the coverage recommendations name.
struct LeastCoveredFile: Hashable {
    /// How many the recommendation names.
    static let listed = 3
    /// The rows whose recommendation names them.
    static let rowMetrics: Set<String> = ["coverage_lines_ratio", "coverage_branches_ratio", "coverage_functions_ratio"]

    let path: String
    let missed: Double
    let valid: Double

    var covered: Double { valid - missed }

    /// `` `store/cart.py` 8/13 lines (61.5%) ``.
    var text: String {
        "`\(path)` \(NumberText.grouped(covered, decimals: 0))/\(NumberText.grouped(valid, decimals: 0)) lines "
            + "(\(NumberText.value(covered / valid, unit: .ratio)))"
    }

    /// The files stored at the same collection as a coverage row's newest sample, with the row's labels: most uncovered lines
    /// first, then the lower ratio, then the path (the collector's order).
    static func read(for row: DigestRow, from store: any MetricStore) async throws -> [LeastCoveredFile] {
        let valid = Dictionary(
            try await LookAtDetails.newest(CoverageSource.fileLinesValid, for: row, from: store).map { ($0.labels, $0.value) },
            uniquingKeysWith: max)
        return try await LookAtDetails.newest(CoverageSource.fileLinesMissed, for: row, from: store).compactMap { entry -> LeastCoveredFile? in
            guard let path = entry.labels["path"], let lines = valid[entry.labels], lines > 0 else { return nil }
            return LeastCoveredFile(path: path, missed: entry.value, valid: lines)
        }.sorted { (-$0.missed, $0.covered / $0.valid, $0.path) < (-$1.missed, $1.covered / $1.valid, $1.path) }
    }
}
