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
        Quantile.of(phi, values)
    }
}

extension RangeMath {
    /// The population variance of the `stdvar`/`stddev` aggregations: Welford's steps from the first value, as Prometheus.
    static func variance(_ values: [Double]) -> Double {
        var mean = values[0]
        var sum = 0.0
        var count = 1.0
        for value in values.dropFirst() {
            count += 1
            let delta = value - mean
            mean += delta / count
            sum += delta * (value - mean)
        }
        return sum / count
    }

    /// The population variance of `stdvar_over_time`/`stddev_over_time`: Welford's steps with compensated sums.
    static func compensatedVariance<S: Sequence<Double>>(_ values: S) -> Double {
        var count = 0.0
        var (mean, meanCompensation) = (0.0, 0.0)
        var (aux, auxCompensation) = (0.0, 0.0)
        for value in values {
            count += 1
            let delta = value - (mean + meanCompensation)
            (mean, meanCompensation) = kahanStep(delta / count, mean, meanCompensation)
            (aux, auxCompensation) = kahanStep(delta * (value - (mean + meanCompensation)), aux, auxCompensation)
        }
        return (aux + auxCompensation) / count
    }

    /// Least-squares slope and intercept of the points against time in seconds relative to `interceptTime`, with Prometheus'
    /// compensated sums and its special case for constant values.
    static func linearRegression(_ points: ArraySlice<SamplePoint>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var (sumX, cX, sumY, cY, sumXY, cXY, sumX2, cX2) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        let initial = points.first!.value
        var constant = true
        for point in points {
            if constant && point.value != initial { constant = false }
            n += 1
            let x = Double(point.timestamp.milliseconds - interceptTime) / 1e3
            (sumX, cX) = kahanStep(x, sumX, cX)
            (sumY, cY) = kahanStep(point.value, sumY, cY)
            (sumXY, cXY) = kahanStep(x * point.value, sumXY, cXY)
            (sumX2, cX2) = kahanStep(x * x, sumX2, cX2)
        }
        if constant { return initial.isInfinite ? (.nan, .nan) : (0, initial) }
        sumX += cX
        sumY += cY
        sumXY += cXY
        sumX2 += cX2
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }

    /// `histogram_quantile` over classic buckets (upper bound, cumulative count), as Prometheus' `bucketQuantile`.
    static func bucketQuantile(_ q: Double, _ unsorted: [(upperBound: Double, count: Double)]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = unsorted.sorted { $0.upperBound < $1.upperBound }
        guard let last = sorted.last, last.upperBound == .infinity else { return .nan }
        var buckets: [(upperBound: Double, count: Double)] = []
        for bucket in sorted {
            if let previous = buckets.last, previous.upperBound == bucket.upperBound {
                buckets[buckets.count - 1].count += bucket.count
            } else {
                buckets.append(bucket)
            }
        }
        // Counts that fall with a higher bound (scrapes not atomic, rates of buckets) are raised to keep them monotonic.
        var maximum = buckets[0].count
        for index in buckets.indices.dropFirst() {
            if buckets[index].count > maximum {
                maximum = buckets[index].count
            } else if buckets[index].count < maximum {
                buckets[index].count = maximum
            }
        }
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        guard observations != 0 else { return .nan }
        var rank = q * observations
        let b = buckets[..<(buckets.count - 1)].firstIndex { $0.count >= rank } ?? buckets.count - 1
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var bucketStart = 0.0
        let bucketEnd = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            bucketStart = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count)
    }

    /// Double exponential smoothing with smoothing factor `sf` and trend factor `tf`, as Prometheus 2's `holt_winters`.
    static func holtWinters(_ values: [Double], smoothing sf: Double, trend tf: Double) -> Double? {
        guard values.count >= 2 else { return nil }
        var s0 = 0.0
        var s1 = values[0]
        var b = values[1] - values[0]
        for index in 1..<values.count {
            let x = sf * values[index]
            b = index == 1 ? b : tf * (s1 - s0) + (1 - tf) * b
            let y = (1 - sf) * (s1 + b)
            (s0, s1) = (s1, x + y)
        }
        return s1
    }
}

extension RangeMath {
    /// `irate` and `idelta`: the change between the last two points (per second for `irate`, where a fall is a counter reset).
    static func instantChange(_ points: ArraySlice<SamplePoint>, isRate: Bool) -> Double? {
        guard points.count >= 2 else { return nil }
        let last = points[points.endIndex - 1]
        let previous = points[points.endIndex - 2]
        let interval = last.timestamp.milliseconds - previous.timestamp.milliseconds
        guard interval != 0 else { return nil }
        let change = isRate && last.value < previous.value ? last.value : last.value - previous.value
        return isRate ? change / (Double(interval) / 1000) : change
    }
}
