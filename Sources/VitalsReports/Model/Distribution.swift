public import VitalsCore

/// The spread of a period's occurrences (pull requests, changes, runs): how many, their median and 90th percentile.
///
/// Both quantiles are exact over the raw samples, by ``Quantile`` (linear interpolation between closest ranks, as
/// Prometheus' `quantile_over_time` and numpy's default).
public struct Distribution: Sendable, Hashable, Codable {
    public let count: Int
    public let median: Double
    public let p90: Double

    public init(count: Int, median: Double, p90: Double) {
        self.count = count
        self.median = median
        self.p90 = p90
    }

    /// The distribution of `values`; nil when there are none.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        self.init(count: sorted.count, median: Quantile.sorted(0.5, sorted), p90: Quantile.sorted(0.9, sorted))
    }
}
