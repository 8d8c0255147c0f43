/// The φ-quantile of a set of values, as Prometheus computes `quantile` and `quantile_over_time` (and numpy's default,
/// Hyndman and Fan's type 7): sorted ascending, rank `φ·(n−1)`, linear interpolation between the two closest ranks.
///
/// One definition for the rule engine and the reports, so a report's median is `quantile_over_time(0.5, …)` of the same samples.
public enum Quantile {
    /// The φ-quantile of `values`: NaN for none (or a NaN φ), -Inf below 0, +Inf above 1; NaN values sort first.
    public static func of(_ phi: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty, !phi.isNaN else { return .nan }
        if phi < 0 { return -.infinity }
        if phi > 1 { return .infinity }
        return sorted(phi, values.sorted { $0.isNaN ? !$1.isNaN : $0 < $1 })
    }

    /// The φ-quantile (0 ≤ φ ≤ 1) of values already sorted ascending, which must not be empty.
    public static func sorted(_ phi: Double, _ sorted: [Double]) -> Double {
        let n = Double(sorted.count)
        let rank = phi * (n - 1)
        let lower = Swift.max(0, rank.rounded(.down))
        let upper = Swift.min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }
}
