import VitalsCore

extension Evaluator {
    /// Groups the operand's elements by the grouping labels and reduces each group to one element with those labels.
    func aggregate(_ aggregation: Aggregation, at time: Int64) throws(EvaluationError) -> Value {
        let parameter = try aggregation.parameter.map { expr throws(EvaluationError) in try scalar(expr, at: time) }
        let samples = try vector(aggregation.operand, at: time)
        var groupIndex: [Labels: Int] = [:]
        var groups: [(labels: Labels, values: [Double])] = []
        for sample in samples {
            let labels: Labels
            switch aggregation.grouping {
            case .by(let names): labels = sample.labels.keeping(names)
            case .without(let names): labels = sample.labels.removing(names + ["__name__"])
            }
            if let index = groupIndex[labels] {
                groups[index].values.append(sample.value)
            } else {
                groupIndex[labels] = groups.count
                groups.append((labels, [sample.value]))
            }
        }
        return .vector(
            groups.map { group in
                let values = group.values
                let value: Double
                switch aggregation.op {
                case .sum: value = RangeMath.sum(values)
                case .avg: value = RangeMath.average(values, compensated: false)!
                case .min: value = RangeMath.minimum(values)!
                case .max: value = RangeMath.maximum(values)!
                case .count: value = Double(values.count)
                case .quantile: value = RangeMath.quantile(parameter!, values)
                }
                return VectorSample(labels: group.labels, value: value)
            })
    }
}
