import Testing
import VitalsCore
import VitalsReports

/// Median and 90th percentile by linear interpolation between closest ranks (numpy's default, Prometheus'
/// `quantile_over_time`), against values computed by hand: rank h = φ·(n−1), x⌊h⌋ + (h−⌊h⌋)·(x⌊h⌋₊₁ − x⌊h⌋).
@Suite struct DistributionTests {
    @Test(arguments: [
        // One item: both quantiles are it.
        ([7.0], 1, 7.0, 7.0),
        // Two: median h = 0.5 → 1.5; p90 h = 0.9 → 1.9.
        ([2, 1], 2, 1.5, 1.9),
        // Even count, unsorted: median h = 1.5 → 2.5; p90 h = 2.7 → 3 + 0.7 = 3.7.
        ([4, 1, 3, 2], 4, 2.5, 3.7),
        // Odd count: median h = 2 → 3; p90 h = 3.6 → 4.6.
        ([1, 2, 3, 4, 5], 5, 3.0, 4.6),
        // Ties: median h = 1.5 between two 2s → 2; p90 h = 2.7 → 2 + 0.7 · 7 = 6.9.
        ([2, 9, 2, 2], 4, 2.0, 6.9),
        // 1…10: median h = 4.5 → 5.5; p90 h = 8.1 → 9.1.
        ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, 5.5, 9.1),
    ])
    func quantilesMatchHandComputedValues(values: [Double], count: Int, median: Double, p90: Double) throws {
        let distribution = try #require(Distribution(values))
        #expect(distribution.count == count)
        #expect(abs(distribution.median - median) < 1e-9)
        #expect(abs(distribution.p90 - p90) < 1e-9)
        // The same definition as the rule engine's quantile_over_time.
        #expect(Quantile.of(0.5, values) == distribution.median)
        #expect(Quantile.of(0.9, values) == distribution.p90)
    }

    @Test func noValuesIsNoDistribution() {
        #expect(Distribution([]) == nil)
    }
}
