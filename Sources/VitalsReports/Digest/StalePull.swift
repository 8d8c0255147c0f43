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

    /// The stale pull requests written at the same collection as a `github_prs_stale` row's newest sample, with the row's
    /// labels, oldest update first: the ones stale now, not those stale once.
    static func read(for row: DigestRow, from store: any MetricStore) async throws -> [StalePull] {
        try await LookAtDetails.newest(metric, for: row, from: store).compactMap { entry -> StalePull? in
            guard let number = entry.labels["number"] else { return nil }
            return StalePull(number: number, title: entry.labels["title"], url: entry.labels["url"], seconds: entry.value)
        }.sorted { ($0.seconds, $1.number) > ($1.seconds, $0.number) }
    }
}
