public import VitalsPorts
public import VitalsCore

extension Expr {
    /// Every selector in the expression, with its range for range selectors (nil for instant ones).
    var selectors: [(selector: VectorSelector, range: TimeSpan?)] {
        switch self {
        case .number, .string: []
        case .vector(let selector): [(selector, nil)]
        case .range(let selector, let range): [(selector, range)]
        case .call(_, let arguments): arguments.flatMap(\.selectors)
        case .aggregation(let aggregation): aggregation.operand.selectors + (aggregation.parameter?.selectors ?? [])
        case .binary(let operation): operation.lhs.selectors + operation.steps.flatMap(\.rhs.selectors)
        case .negation(let operand): operand.selectors
        }
    }

    /// The metric names its selectors name with `__name__="..."` (or a leading metric name).
    var metricNames: Set<String> {
        Set(selectors.flatMap { $0.selector.matchers.filter { $0.name == "__name__" && $0.kind == .equal }.map(\.value) })
    }
}

extension VectorSelector {
    /// The metric name the selector narrows to, which the querier looks series up by.
    var metricName: String? {
        matchers.first { $0.name == "__name__" && $0.kind == .equal }?.value
    }
}

extension Expr {
    /// The samples evaluating the expression at every instant from `start` through `end` reads, one window per selector that
    /// names its metric, for ``StoreSeriesQuerier/prefetch(_:)``: an instant selector looks back `lookback`, a range selector
    /// its range, each shifted by its offset.
    public func windows(from start: Timestamp, through end: Timestamp, lookback: TimeSpan) -> [MetricWindow] {
        selectors.compactMap { selector, range in
            selector.metricName.map { name in
                let from = Timestamp(milliseconds: start.milliseconds - selector.offset.milliseconds - (range ?? lookback).milliseconds)
                let through = Timestamp(milliseconds: end.milliseconds - selector.offset.milliseconds)
                return MetricWindow(name: name, period: StoreSeriesQuerier.period(from: from, through: through))
            }
        }
    }
}
