import Foundation
import VitalsCore
import VitalsPorts

/// The rows of a metric that counts distinct series of another (active authors from `git_author_commits`).
///
/// Series are grouped by their labels without the counted label (`author`), so each repository gets its own row.
struct DistinctSeriesRows {
    let metric: MetricDefinition
    let counted: String
    let label: String

    func rows(
        store: any MetricStore, period: Period, previous: Period, buckets: [Timestamp], source: (Labels) -> SourceReport?
    ) async throws -> [ReportRow] {
        let current = Dictionary(grouping: try await store.activeSeries(named: counted, in: period)) { $0.labels.setting(label, to: nil) }
        let before = Dictionary(grouping: try await store.activeSeries(named: counted, in: previous)) { $0.labels.setting(label, to: nil) }
        var rows: [ReportRow] = []
        for labels in Set(current.keys).union(before.keys).sorted() {
            let members = current[labels] ?? []
            // Only the series active in the period can add to a day's count, so only theirs are read.
            let summaries = try await store.summaries(of: members, boundaries: buckets)
            let daily: [Double?] = (0..<(buckets.count - 1)).map { day in
                members.isEmpty ? nil : Double(summaries.filter { $0[day] != nil }.count)
            }
            let values = RowValues(
                value: members.isEmpty ? nil : Double(members.count), previous: before[labels].map { Double($0.count) }, daily: daily)
            rows.append(
                ReportRow(
                    metric: metric, labels: labels, kind: .distinct, unit: metric.unit, values: values,
                    lastSampleAt: summaries.compactMap { RowValues.newestSample(in: $0) }.max(), source: source(labels)))
        }
        return rows
    }
}
