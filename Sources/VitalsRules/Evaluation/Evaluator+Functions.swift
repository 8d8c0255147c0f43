import Foundation
import VitalsCore

extension Evaluator {
    func call(_ function: Function, _ arguments: [Expr], at time: Int64) throws(EvaluationError) -> Value {
        switch function {
        case .time:
            return .scalar(Double(time) / 1000)
        case .vector:
            return .vector([VectorSample(labels: .empty, value: try scalar(arguments[0], at: time))])
        case .scalar:
            let samples = try vector(arguments[0], at: time)
            return .scalar(samples.count == 1 ? samples[0].value : .nan)
        case .absent:
            guard try vector(arguments[0], at: time).isEmpty else { return .vector([]) }
            return .vector([VectorSample(labels: Self.absentLabels(arguments[0]), value: 1)])
        case .absentOverTime:
            guard case .range(let selector, let range) = arguments[0] else { preconditionFailure("the parser checked the argument") }
            let present = rangeSeries(selector, range: range, at: time).contains { series in
                series.points[series.window].contains { !StaleMarker.isStale($0.value) }
            }
            return .vector(present ? [] : [VectorSample(labels: Self.absentLabels(arguments[0]), value: 1)])
        case .abs:
            return .vector(try mapValues(arguments[0], at: time) { Swift.abs($0) })
        case .clampMin:
            let bound = try scalar(arguments[1], at: time)
            return .vector(try mapValues(arguments[0], at: time) { $0.isNaN || bound.isNaN ? .nan : Swift.max($0, bound) })
        case .clampMax:
            let bound = try scalar(arguments[1], at: time)
            return .vector(try mapValues(arguments[0], at: time) { $0.isNaN || bound.isNaN ? .nan : Swift.min($0, bound) })
        case .round:
            let nearest = arguments.count > 1 ? try scalar(arguments[1], at: time) : 1
            // Prometheus multiplies by the inverse for precision and rounds halves up.
            let inverse = 1 / nearest
            return .vector(try mapValues(arguments[0], at: time) { (($0 * inverse) + 0.5).rounded(.down) / inverse })
        case .rate, .increase, .delta, .avgOverTime, .minOverTime, .maxOverTime, .sumOverTime, .countOverTime, .lastOverTime,
            .quantileOverTime:
            return .vector(try overRange(function, arguments, at: time))
        }
    }

    private func mapValues(_ argument: Expr, at time: Int64, _ transform: (Double) -> Double) throws(EvaluationError) -> [VectorSample] {
        try Self.unique(try vector(argument, at: time).map { VectorSample(labels: $0.labels.droppingName, value: transform($0.value)) })
    }

    /// The labels `absent` gives its 1: the selector's equality matchers; a label matched again is removed, as in Prometheus.
    static func absentLabels(_ argument: Expr) -> Labels {
        let matchers: [LabelMatcher]
        switch argument {
        case .vector(let selector), .range(let selector, _): matchers = selector.matchers
        default: return .empty
        }
        var values: [String: String] = [:]
        for matcher in matchers where matcher.name != "__name__" {
            values[matcher.name] = matcher.kind == .equal && values[matcher.name] == nil ? matcher.value : nil
        }
        return Labels(values)
    }

    /// Functions over a range vector: one output per series with enough points in its window.
    private func overRange(_ function: Function, _ arguments: [Expr], at time: Int64) throws(EvaluationError) -> [VectorSample] {
        let quantile = function == .quantileOverTime ? try scalar(arguments[0], at: time) : 0
        guard case .range(let selector, let range) = arguments.last! else { preconditionFailure("the parser checked the argument") }
        let end = time - selector.offset.milliseconds
        var output: [VectorSample] = []
        for series in rangeSeries(selector, range: range, at: time) {
            var points = series.points[series.window]
            if points.contains(where: { StaleMarker.isStale($0.value) }) {
                points = ArraySlice(points.filter { !StaleMarker.isStale($0.value) })
            }
            guard !points.isEmpty else { continue }
            let value: Double?
            switch function {
            case .rate, .increase, .delta:
                value = RangeMath.extrapolatedRate(
                    points, rangeStart: end - range.milliseconds, rangeEnd: end, rangeSeconds: range.seconds,
                    isCounter: function != .delta, isRate: function == .rate)
            case .avgOverTime: value = RangeMath.average(points.lazy.map(\.value), compensated: true)
            case .minOverTime: value = RangeMath.minimum(points.lazy.map(\.value))
            case .maxOverTime: value = RangeMath.maximum(points.lazy.map(\.value))
            case .sumOverTime: value = RangeMath.compensatedSum(points.lazy.map(\.value))
            case .countOverTime: value = Double(points.count)
            case .lastOverTime: value = points.last!.value
            case .quantileOverTime: value = RangeMath.quantile(quantile, points.map(\.value))
            default: preconditionFailure("\(function) is not a range function")
            }
            guard let value else { continue }
            // last_over_time keeps the metric name, as in Prometheus; every other function drops it.
            output.append(VectorSample(labels: function == .lastOverTime ? series.labels : series.labels.droppingName, value: value))
        }
        return try Self.unique(output)
    }
}
