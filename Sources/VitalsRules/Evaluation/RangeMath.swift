import VitalsCore

/// The arithmetic of range functions and aggregations, ported from Prometheus' `promql/functions.go` and `quantile.go`.
enum RangeMath {
    /// `rate`, `increase` and `delta`: the change over the points, corrected for counter resets and extrapolated
    /// towards the window's edges the way Prometheus' `extrapolatedRate` does; nil with fewer than two points.
    static func extrapolatedRate(
        _ points: ArraySlice<SamplePoint>, rangeStart: Int64, rangeEnd: Int64, rangeSeconds: Double, isCounter: Bool, isRate: Bool
    ) -> Double? {
        guard points.count > 1, let first = points.first, let last = points.last else { return nil }
        var result = last.value - first.value
        if isCounter {
            var previous = first.value
            for point in points.dropFirst() {
                if point.value < previous { result += previous }
                previous = point.value
            }
        }
        var durationToStart = Double(first.timestamp.milliseconds - rangeStart) / 1000
        let durationToEnd = Double(rangeEnd - last.timestamp.milliseconds) / 1000
        let sampledInterval = Double(last.timestamp.milliseconds - first.timestamp.milliseconds) / 1000
        let averageDurationBetweenSamples = sampledInterval / Double(points.count - 1)
        if isCounter && result > 0 && first.value >= 0 {
            // A counter cannot go below zero, so extrapolation stops where the line through the points reaches zero.
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        // A sample further from an edge than 1.1 average intervals means the series starts or ends inside the window:
        // extrapolate only half an interval there. The order of operations is Prometheus 2's, so results match promtool's bit for bit.
        let extrapolationThreshold = averageDurationBetweenSamples * 1.1
        var extrapolateToInterval = sampledInterval
        extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2
        extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2
        var factor = extrapolateToInterval / sampledInterval
        if isRate { factor /= rangeSeconds }
        return result * factor
    }

    // Prometheus 2.42 (promtool's reference here, compared bit for bit) sums differently in different places:
    // `sum_over_time` and `avg_over_time` use Kahan-compensated steps, the `sum` and `avg` aggregations plain ones.

    /// The plain running sum of the `sum` aggregation.
    static func sum<S: Sequence<Double>>(_ values: S) -> Double {
        values.reduce(0, +)
    }

    /// The compensated sum of `sum_over_time`.
    static func compensatedSum<S: Sequence<Double>>(_ values: S) -> Double {
        var state = (sum: 0.0, compensation: 0.0)
        for value in values { state = kahanStep(value, state.sum, state.compensation) }
        return state.sum + state.compensation
    }

    /// The incremental mean of the `avg` aggregation (plain steps) and of `avg_over_time` (compensated steps),
    /// which stays finite where a sum would overflow.
    static func average<S: Sequence<Double>>(_ values: S, compensated: Bool) -> Double? {
        var mean = 0.0
        var compensation = 0.0
        var count = 0.0
        for value in values {
            count += 1
            // Once the mean is infinite, only a value that is NaN or an infinity of the other sign can change it.
            if mean.isInfinite && (value.isInfinite ? (mean > 0) == (value > 0) : !value.isNaN) { continue }
            if compensated {
                (mean, compensation) = kahanStep(value / count - mean / count, mean, compensation)
            } else {
                mean += value / count - mean / count
            }
        }
        guard count > 0 else { return nil }
        return mean.isInfinite ? mean : mean + compensation
    }

    /// One step of Kahan-Neumaier summation, as Prometheus' `kahanSumInc`.
    @inline(__always)
    static func kahanStep(_ increment: Double, _ sum: Double, _ compensation: Double) -> (sum: Double, compensation: Double) {
        let total = sum + increment
        if total.isInfinite { return (total, 0) }
        if Swift.abs(sum) >= Swift.abs(increment) { return (total, compensation + ((sum - total) + increment)) }
        return (total, compensation + ((increment - total) + sum))
    }

    /// The smallest value; a NaN is replaced by any later number, as in Prometheus.
    static func minimum<S: Sequence<Double>>(_ values: S) -> Double? {
        var result: Double?
        for value in values where result == nil || value < result! || result!.isNaN { result = value }
        return result
    }

    static func maximum<S: Sequence<Double>>(_ values: S) -> Double? {
        var result: Double?
        for value in values where result == nil || value > result! || result!.isNaN { result = value }
        return result
    }

    /// The φ-quantile by linear interpolation between the closest ranks; -Inf below 0, +Inf above 1, NaN first in order.
    static func quantile(_ phi: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty, !phi.isNaN else { return .nan }
        if phi < 0 { return -.infinity }
        if phi > 1 { return .infinity }
        let sorted = values.sorted { $0.isNaN ? !$1.isNaN : $0 < $1 }
        let n = Double(sorted.count)
        let rank = phi * (n - 1)
        let lower = Swift.max(0, rank.rounded(.down))
        let upper = Swift.min(n - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[Int(lower)] * (1 - weight) + sorted[Int(upper)] * weight
    }
}
