import VitalsCore
import VitalsPorts

/// What the recommendations of "what to look at" name one by one, read from the hidden per-item metrics a source writes
/// beside a row's metric: the stale pull requests, the least-covered files and the top rules of each row, by its labels.
struct LookAtDetails {
    var stale: [Labels: [StalePull]] = [:]
    /// For coverage rows; an empty list when the row's newest collection stored no per-file coverage.
    var files: [Labels: [LeastCoveredFile]] = [:]
    /// For security findings rows; an empty list when the row's newest collection stored no per-rule counts.
    var rules: [Labels: [TopRule]] = [:]

    static func read(for rows: [DigestRow], from store: any MetricStore) async throws -> LookAtDetails {
        var details = LookAtDetails()
        for row in rows {
            switch row.metric {
            case "github_prs_stale" where details.stale[row.labels] == nil:
                details.stale[row.labels] = try await StalePull.read(for: row, from: store)
            case _ where LeastCoveredFile.rowMetrics.contains(row.metric) && details.files[row.labels] == nil:
                details.files[row.labels] = try await LeastCoveredFile.read(for: row, from: store)
            case _ where TopRule.rowMetrics.contains(row.metric) && details.rules[row.labels] == nil:
                details.rules[row.labels] = try await TopRule.read(for: row, from: store)
            default:
                break
            }
        }
        return details
    }

    /// The series of `metric` written at `row`'s newest collection: those with every label of the row and a sample at the
    /// row's newest sample time, each with its labels and that sample's value. None when the row has no sample. Only the
    /// items of that collection have a sample at its time, so items of earlier collections (a pull request since updated,
    /// a file since covered) are not read.
    static func newest(_ metric: String, for row: DigestRow, from store: any MetricStore) async throws -> [(labels: Labels, value: Double)] {
        guard let at = row.lastSampleAt else { return [] }
        let window = MetricWindow(name: metric, period: Period(from: at, to: at.adding(TimeSpan(milliseconds: 1))))
        return try await store.series(in: [window]).first?.compactMap { entry in
            let labels = entry.key.labels
            guard row.labels.pairs.allSatisfy({ labels[$0.name] == $0.value }), let point = entry.points.last else { return nil }
            return (labels, point.value)
        } ?? []
    }
}
