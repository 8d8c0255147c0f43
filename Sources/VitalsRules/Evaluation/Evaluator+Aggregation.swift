import VitalsCore

extension Evaluator {
    /// Groups the operand's elements by the grouping labels and reduces each group, as Prometheus' `aggregation`: one
    /// element per group with the grouping labels, or for `topk`/`bottomk` the chosen elements with all their labels.
    func aggregate(_ aggregation: Aggregation, at time: Int64) throws(EvaluationError) -> Value {
        var parameter = Double.nan
        var valueLabel = ""
        switch aggregation.parameter {
        case .string(let label)?: valueLabel = label
        case let expr?: parameter = try scalar(expr, at: time)
        case nil: break
        }
        var k = 0
        if aggregation.op == .topk || aggregation.op == .bottomk {
            // Go's int64 conversion check: NaN and values beyond ±2^63 are errors.
            guard Swift.abs(parameter) < 9.2e18 else {
                throw EvaluationError("Scalar value \(GoNumberFormat.value(parameter)) overflows int64")
            }
            k = Int(parameter)
            guard k >= 1 else { return .vector([]) }
        }
        var groupIndex: [Labels: Int] = [:]
        var groups: [(labels: Labels, samples: [VectorSample])] = []
        for var sample in try vector(aggregation.operand, at: time) {
            if aggregation.op == .countValues {
                sample.labels = sample.labels.setting(valueLabel, to: GoNumberFormat.shortestFixed(sample.value))
            }
            let labels: Labels
            switch aggregation.grouping {
            case .by(let names): labels = sample.labels.keeping(aggregation.op == .countValues ? names + [valueLabel] : names)
            case .without(let names): labels = sample.labels.removing(names + ["__name__"])
            }
            if let index = groupIndex[labels] {
                groups[index].samples.append(sample)
            } else {
                groupIndex[labels] = groups.count
                groups.append((labels, [sample]))
            }
        }
        var output: [VectorSample] = []
        for group in groups {
            let values = group.samples.map(\.value)
            let value: Double
            switch aggregation.op {
            case .sum: value = RangeMath.sum(values)
            case .avg: value = RangeMath.average(values, compensated: false)!
            case .min: value = RangeMath.minimum(values)!
            case .max: value = RangeMath.maximum(values)!
            case .count, .countValues: value = Double(values.count)
            case .group: value = 1
            case .quantile: value = RangeMath.quantile(parameter, values)
            case .stdvar: value = RangeMath.variance(values)
            case .stddev: value = RangeMath.variance(values).squareRoot()
            case .topk, .bottomk:
                output += Self.extremes(group.samples, count: k, highest: aggregation.op == .topk)
                continue
            }
            output.append(VectorSample(labels: group.labels, value: value))
        }
        return .vector(output)
    }

    /// The `count` highest (or lowest) elements, NaN counting as the least extreme; ties keep input order.
    private static func extremes(_ samples: [VectorSample], count: Int, highest: Bool) -> [VectorSample] {
        let ordered = samples.enumerated().sorted { left, right in
            let (a, b) = (left.element.value, right.element.value)
            if a.isNaN != b.isNaN { return b.isNaN }
            if a != b, !a.isNaN { return highest ? a > b : a < b }
            return left.offset < right.offset
        }
        return ordered.prefix(count).map(\.element)
    }
}
