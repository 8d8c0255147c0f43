import VitalsCore
import VitalsPorts

/// A pull request the github source found stale at its newest collection (`github_pr_stale_seconds`): what the
/// stale-PR recommendation names one by one.
struct StalePull: Hashable {
    /// How many the recommendation names; the rest are counted.
    static let listed = 3
    static let metric = "github_pr_stale_seconds"

    let number: String
    let title: String?
    let url: String?
    /// Since its last update, as of the collection.
    let seconds: Double

    /// `#12 "Fix the flaky test" (21 days without an update, https://github.com/acme/shop/pull/12)`.
    var text: String {
        let days = Int((seconds / 86_400).rounded(.down))
        let title = self.title.map { " \"\($0)\"" } ?? ""
        return "#\(number)\(title) (\(days) days without an update\(url.map { ", \($0)" } ?? ""))"
    }

    /// For each `github_prs_stale` row with a sample, the stale pull requests written at the same collection (its newest
    /// sample's time) with the row's labels, oldest update first: the ones stale now, not those stale once.
    static func read(for rows: [DigestRow], from store: any MetricStore) async throws -> [Labels: [StalePull]] {
        var found: [Labels: [StalePull]] = [:]
        for row in rows where row.metric == "github_prs_stale" {
            guard let at = row.lastSampleAt else { continue }
            let window = MetricWindow(name: metric, period: Period(from: at, to: at.adding(TimeSpan(milliseconds: 1))))
            let series = try await store.series(in: [window]).first ?? []
            found[row.labels] = series.compactMap { entry -> StalePull? in
                let labels = entry.key.labels
                guard row.labels.pairs.allSatisfy({ labels[$0.name] == $0.value }), let number = labels["number"], let point = entry.points.last
                else { return nil }
                return StalePull(number: number, title: labels["title"], url: labels["url"], seconds: point.value)
            }.sorted { ($0.seconds, $1.number) > ($1.seconds, $0.number) }
        }
        return found
    }
}
