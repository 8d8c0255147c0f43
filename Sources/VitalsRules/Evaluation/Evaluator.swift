public import VitalsCore

/// Evaluates parsed expressions at an instant, with Prometheus' semantics.
///
/// Pure: it reads series only through the querier and time only from its argument. Windows are closed as in
/// Prometheus 2, whose promtool is the reference here: an instant selector at `t` sees points in `[t - lookback, t]`, a range
/// selector `[r]` points in `[t - r, t]`.
public struct Evaluator: Sendable {
    /// Where selectors read series from.
    public let querier: any SeriesQuerier
    /// How far back an instant selector looks for a series' newest point (Prometheus' `--query.lookback-delta`).
    public let lookback: TimeSpan

    /// An evaluator reading through `querier`; the 5-minute default lookback is Prometheus' and promtool's.
    public init(querier: any SeriesQuerier, lookback: TimeSpan = .minutes(5)) {
        self.querier = querier
        self.lookback = lookback
    }

    /// The value of `expr` at `time`; vectors and matrices come sorted by labels.
    public func instant(_ expr: Expr, at time: Timestamp) throws(EvaluationError) -> EvaluationResult {
        if case .range(let selector, let range) = expr {
            let series = rangeSeries(selector, range: range, at: time.milliseconds).compactMap { series -> QueriedSeries? in
                let points = series.points[series.window].filter { !StaleMarker.isStale($0.value) }
                return points.isEmpty ? nil : QueriedSeries(labels: series.labels, points: points)
            }
            return .matrix(Self.sorted(series, by: \.labels))
        }
        switch try evaluate(expr, at: time.milliseconds) {
        case .scalar(let value): return .scalar(value)
        case .vector(let samples): return .vector(Self.sorted(samples, by: \.labels))
        }
    }

    /// An intermediate value: range vectors never outlive the function call that consumes them.
    enum Value {
        case scalar(Double)
        case vector([VectorSample])
    }

    func evaluate(_ expr: Expr, at time: Int64) throws(EvaluationError) -> Value {
        switch expr {
        case .number(let value):
            return .scalar(value)
        case .vector(let selector):
            return .vector(instantVector(selector, at: time))
        case .range:
            // The parser admits range selectors only as function arguments or as the whole expression.
            preconditionFailure("range selector outside a function call")
        case .call(let function, let arguments):
            return try call(function, arguments, at: time)
        case .aggregation(let aggregation):
            return try aggregate(aggregation, at: time)
        case .binary(let operation):
            return try binary(operation, at: time)
        case .string:
            preconditionFailure("the parser admits strings only as arguments, which the function or aggregation reads itself")
        case .negation(let operand):
            switch try evaluate(operand, at: time) {
            case .scalar(let value): return .scalar(-value)
            case .vector(let samples):
                return .vector(try Self.unique(samples.map { VectorSample(labels: $0.labels.droppingName, value: -$0.value) }))
            }
        }
    }

    func scalar(_ expr: Expr, at time: Int64) throws(EvaluationError) -> Double {
        guard case .scalar(let value) = try evaluate(expr, at: time) else { preconditionFailure("the parser checked this is a scalar") }
        return value
    }

    func vector(_ expr: Expr, at time: Int64) throws(EvaluationError) -> [VectorSample] {
        guard case .vector(let samples) = try evaluate(expr, at: time) else { preconditionFailure("the parser checked this is a vector") }
        return samples
    }

    // MARK: Selectors

    /// Each matching series' newest point in `[t - offset - lookback, t - offset]`, unless that point is a stale marker.
    func instantVector(_ selector: VectorSelector, at time: Int64) -> [VectorSample] {
        instantPoints(selector, at: time) { VectorSample(labels: $0, value: $1.value) }
    }

    /// The points an instant selector takes, made into elements by `element` (`timestamp()` keeps their timestamps).
    func instantPoints<Element>(_ selector: VectorSelector, at time: Int64, _ element: (Labels, SamplePoint) -> Element) -> [Element] {
        let end = time - selector.offset.milliseconds
        let start = end - lookback.milliseconds
        let series = querier.selectNewest(selector.matchers, from: Timestamp(milliseconds: start), through: Timestamp(milliseconds: end))
        return series.compactMap { series in
            let window = series.points.window(from: start, through: end)
            guard let last = window.last, !StaleMarker.isStale(series.points[last].value) else { return nil }
            return element(series.labels, series.points[last])
        }
    }

    /// A series of a range selector with the index range of its points inside the window, to avoid copying them.
    struct WindowedSeries {
        let labels: Labels
        let points: [SamplePoint]
        let window: Range<Int>
    }

    /// The matching series with their points in `[t - offset - range, t - offset]`, stale markers included.
    func rangeSeries(_ selector: VectorSelector, range: TimeSpan, at time: Int64) -> [WindowedSeries] {
        let end = time - selector.offset.milliseconds
        let start = end - range.milliseconds
        let series = querier.select(selector.matchers, from: Timestamp(milliseconds: start), through: Timestamp(milliseconds: end))
        return series.map { WindowedSeries(labels: $0.labels, points: $0.points, window: $0.points.window(from: start, through: end)) }
    }

    // MARK: Helpers

    /// Throws Prometheus' error when an operation made two elements' labels equal (for example by dropping their names).
    static func unique(_ samples: [VectorSample]) throws(EvaluationError) -> [VectorSample] {
        var seen = Set<Labels>(minimumCapacity: samples.count)
        for sample in samples where !seen.insert(sample.labels).inserted {
            throw EvaluationError("vector cannot contain metrics with the same labelset: \(sample.labels)")
        }
        return samples
    }

    static func sorted<T>(_ elements: [T], by labels: (T) -> Labels) -> [T] {
        elements.sorted { Labels.precedes(labels($0), labels($1)) }
    }
}
