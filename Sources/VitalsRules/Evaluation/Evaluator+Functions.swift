import Foundation
import VitalsCore

extension Evaluator {
    func call(_ function: Function, _ arguments: [Expr], at time: Int64) throws(EvaluationError) -> Value {
        switch function {
        case .time:
            return .scalar(Double(time) / 1000)
        case .pi:
            return .scalar(Double.pi)
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
        case .clampMin:
            let bound = try scalar(arguments[1], at: time)
            return .vector(try mapValues(arguments[0], at: time) { $0.isNaN || bound.isNaN ? .nan : Swift.max($0, bound) })
        case .clampMax:
            let bound = try scalar(arguments[1], at: time)
            return .vector(try mapValues(arguments[0], at: time) { $0.isNaN || bound.isNaN ? .nan : Swift.min($0, bound) })
        case .clamp:
            let (low, high) = (try scalar(arguments[1], at: time), try scalar(arguments[2], at: time))
            guard low <= high || low.isNaN || high.isNaN else { return .vector([]) }
            // Go's math.Max/Min: NaN wins.
            return .vector(try mapValues(arguments[0], at: time) { $0.isNaN || low.isNaN || high.isNaN ? .nan : Swift.max(low, Swift.min(high, $0)) })
        case .round:
            let nearest = arguments.count > 1 ? try scalar(arguments[1], at: time) : 1
            // Prometheus multiplies by the inverse for precision and rounds halves up.
            let inverse = 1 / nearest
            return .vector(try mapValues(arguments[0], at: time) { (($0 * inverse) + 0.5).rounded(.down) / inverse })
        case .sort, .sortDesc:
            // Results are returned sorted by labels (the API sorts them for display); `sort` is kept for compatibility.
            return .vector(try vector(arguments[0], at: time))
        case .timestamp:
            return .vector(try timestamps(arguments[0], at: time))
        case .histogramQuantile:
            return .vector(Self.histogramQuantile(try scalar(arguments[0], at: time), try vector(arguments[1], at: time)))
        case .labelReplace:
            return .vector(try labelReplace(arguments, at: time))
        case .labelJoin:
            return .vector(try labelJoin(arguments, at: time))
        case .dayOfMonth, .dayOfWeek, .dayOfYear, .daysInMonth, .hour, .minute, .month, .year:
            guard let argument = arguments.first else {
                return .vector([VectorSample(labels: .empty, value: Self.datePart(function, of: Double(time / 1000)))])
            }
            return .vector(try mapValues(argument, at: time) { Self.datePart(function, of: $0) })
        case .rate, .irate, .increase, .delta, .idelta, .deriv, .changes, .resets, .predictLinear, .holtWinters, .avgOverTime, .minOverTime,
            .maxOverTime, .sumOverTime, .countOverTime, .lastOverTime, .quantileOverTime, .stddevOverTime, .stdvarOverTime, .presentOverTime:
            return .vector(try overRange(function, arguments, at: time))
        default:
            guard let transform = Self.elementwise(function) else { preconditionFailure("\(function) has no evaluation") }
            return .vector(try mapValues(arguments[0], at: time, transform))
        }
    }

    /// The functions that map each value on its own. Logarithms are Go's own, bit for bit; the trigonometric and hyperbolic
    /// functions are the C library's, which can differ from Go's in the last bit.
    private static func elementwise(_ function: Function) -> ((Double) -> Double)? {
        switch function {
        case .abs: { Swift.abs($0) }
        case .ceil: { $0.rounded(.up) }
        case .floor: { $0.rounded(.down) }
        case .exp: { Foundation.exp($0) }
        case .sqrt: { $0.squareRoot() }
        case .ln: { GoMath.log($0) }
        case .log2: { GoMath.log2($0) }
        case .log10: { GoMath.log10($0) }
        case .sgn: { $0 < 0 ? -1 : $0 > 0 ? 1 : $0 }
        case .acos: { Foundation.acos($0) }
        case .acosh: { Foundation.acosh($0) }
        case .asin: { Foundation.asin($0) }
        case .asinh: { Foundation.asinh($0) }
        case .atan: { Foundation.atan($0) }
        case .atanh: { Foundation.atanh($0) }
        case .cos: { Foundation.cos($0) }
        case .cosh: { Foundation.cosh($0) }
        case .sin: { Foundation.sin($0) }
        case .sinh: { Foundation.sinh($0) }
        case .tan: { Foundation.tan($0) }
        case .tanh: { Foundation.tanh($0) }
        case .deg: { $0 * 180 / Double.pi }
        case .rad: { $0 * Double.pi / 180 }
        default: nil
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

    /// `timestamp(v)`: a selector's points' own timestamps; for any other argument the evaluation time, as Prometheus 2.
    private func timestamps(_ argument: Expr, at time: Int64) throws(EvaluationError) -> [VectorSample] {
        guard case .vector(let selector) = argument else {
            return try mapValues(argument, at: time) { _ in Double(time) / 1000 }
        }
        return try Self.unique(
            instantPoints(selector, at: time) { labels, point in
                VectorSample(labels: labels.droppingName, value: Double(point.timestamp.milliseconds) / 1000)
            })
    }

    /// The buckets (`le` labels) of each histogram, grouped by their other labels, reduced to the φ-quantile.
    static func histogramQuantile(_ q: Double, _ samples: [VectorSample]) -> [VectorSample] {
        var groups: [Labels: [(upperBound: Double, count: Double)]] = [:]
        for sample in samples {
            // A sample without a bucket bound that Go's ParseFloat reads is skipped, as in Prometheus.
            guard let bound = sample.labels["le"].flatMap(Self.goFloat) else { continue }
            groups[sample.labels.removing(["__name__", "le"]), default: []].append((bound, sample.value))
        }
        return groups.map { VectorSample(labels: $0.key, value: RangeMath.bucketQuantile(q, $0.value)) }
    }

    /// A float as Go's `strconv.ParseFloat` reads a bucket bound: decimal or `Inf`/`+Inf`/`-Inf`/`NaN` in any case.
    private static func goFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case "inf", "+inf", "infinity", "+infinity": .infinity
        case "-inf", "-infinity": -.infinity
        case "nan": .nan
        default: text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" }) ? nil : Double(text.replacingOccurrences(of: "_", with: ""))
        }
    }

    private func labelReplace(_ arguments: [Expr], at time: Int64) throws(EvaluationError) -> [VectorSample] {
        guard case .string(let destination) = arguments[1], case .string(let replacement) = arguments[2], case .string(let source) = arguments[3],
            case .string(let pattern) = arguments[4], let regex = try? LabelRegex(pattern)
        else { preconditionFailure("the parser checked the arguments") }
        return try Self.unique(
            try vector(arguments[0], at: time).map { sample in
                guard let captures = regex.captures(sample.labels[source] ?? "") else { return sample }
                let value = regex.expand(replacement, captures: captures)
                return VectorSample(labels: sample.labels.setting(destination, to: value), value: sample.value)
            })
    }

    private func labelJoin(_ arguments: [Expr], at time: Int64) throws(EvaluationError) -> [VectorSample] {
        let strings = arguments.dropFirst().map { argument -> String in
            guard case .string(let text) = argument else { preconditionFailure("the parser checked the arguments") }
            return text
        }
        let (destination, separator, sources) = (strings[0], strings[1], strings.dropFirst(2))
        return try Self.unique(
            try vector(arguments[0], at: time).map { sample in
                let joined = sources.map { sample.labels[$0] ?? "" }.joined(separator: separator)
                return VectorSample(labels: sample.labels.setting(destination, to: joined), value: sample.value)
            })
    }

    /// A calendar field of `seconds` since the epoch, in UTC, as Go's `time` package gives it.
    private static func datePart(_ function: Function, of seconds: Double) -> Double {
        // Go converts with int64(v): NaN and values beyond ±2^63 have no date, and Go's conversion gives the minimum int64.
        let whole = seconds.isFinite && Swift.abs(seconds) < 9.2e18 ? Int64(seconds) : Int64.min
        let days = Int64((Double(whole) / 86_400).rounded(.down))
        let secondOfDay = whole - days * 86_400
        let date = CivilDate(daysSinceEpoch: Int(days))
        switch function {
        case .dayOfMonth: return Double(date.day)
        case .dayOfWeek: return Double(date.weekday)
        case .dayOfYear: return Double(Int(days) - CivilDate(year: date.year, month: 1, day: 1).daysSinceEpoch + 1)
        case .daysInMonth: return Double(CivilDate.daysIn(month: date.month, year: date.year))
        case .hour: return Double(secondOfDay / 3600)
        case .minute: return Double(secondOfDay % 3600 / 60)
        case .month: return Double(date.month)
        default: return Double(date.year)
        }
    }

    /// Functions over a range vector: one output per series with enough points in its window.
    private func overRange(_ function: Function, _ arguments: [Expr], at time: Int64) throws(EvaluationError) -> [VectorSample] {
        guard let rangeIndex = arguments.firstIndex(where: { $0.type == .rangeVector }),
            case .range(let selector, let range) = arguments[rangeIndex]
        else { preconditionFailure("the parser checked the argument") }
        let scalars = try arguments.enumerated().filter { $0.offset != rangeIndex }.map { (argument) throws(EvaluationError) in
            try scalar(argument.element, at: time)
        }
        if function == .holtWinters {
            for (value, name, what) in [(scalars[0], "smoothing", "sf"), (scalars[1], "trend", "tf")] where !(value > 0 && value < 1) {
                throw EvaluationError("invalid \(name) factor. Expected: 0 < \(what) < 1, got: \(String(format: "%f", value))")
            }
        }
        let end = time - selector.offset.milliseconds
        var output: [VectorSample] = []
        for series in rangeSeries(selector, range: range, at: time) {
            var points = series.points[series.window]
            if points.contains(where: { StaleMarker.isStale($0.value) }) {
                points = ArraySlice(points.filter { !StaleMarker.isStale($0.value) })
            }
            guard !points.isEmpty else { continue }
            let values = points.lazy.map(\.value)
            let value: Double?
            switch function {
            case .rate, .increase, .delta:
                value = RangeMath.extrapolatedRate(
                    points, rangeStart: end - range.milliseconds, rangeEnd: end, rangeSeconds: range.seconds,
                    isCounter: function != .delta, isRate: function == .rate)
            case .irate, .idelta: value = RangeMath.instantChange(points, isRate: function == .irate)
            case .deriv:
                value = points.count < 2 ? nil : RangeMath.linearRegression(points, interceptTime: points.first!.timestamp.milliseconds).slope
            case .predictLinear:
                // Prometheus regresses against the evaluation time itself, offset or not.
                let (slope, intercept) = RangeMath.linearRegression(points, interceptTime: time)
                value = points.count < 2 ? nil : slope * scalars[0] + intercept
            case .holtWinters: value = RangeMath.holtWinters(Array(values), smoothing: scalars[0], trend: scalars[1])
            case .changes: value = Double(zip(values, values.dropFirst()).filter { $0 != $1 && !($0.isNaN && $1.isNaN) }.count)
            case .resets: value = Double(zip(values, values.dropFirst()).filter { $1 < $0 }.count)
            case .avgOverTime: value = RangeMath.average(values, compensated: true)
            case .minOverTime: value = RangeMath.minimum(values)
            case .maxOverTime: value = RangeMath.maximum(values)
            case .sumOverTime: value = RangeMath.compensatedSum(values)
            case .countOverTime: value = Double(points.count)
            case .lastOverTime: value = points.last!.value
            case .presentOverTime: value = 1
            case .quantileOverTime: value = RangeMath.quantile(scalars[0], Array(values))
            case .stdvarOverTime: value = RangeMath.compensatedVariance(values)
            case .stddevOverTime: value = RangeMath.compensatedVariance(values).squareRoot()
            default: preconditionFailure("\(function) is not a range function")
            }
            guard let value else { continue }
            output.append(VectorSample(labels: function.keepsMetricName ? series.labels : series.labels.droppingName, value: value))
        }
        return try Self.unique(output)
    }
}
