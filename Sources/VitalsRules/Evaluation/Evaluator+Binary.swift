import Foundation
import VitalsCore

extension Evaluator {
    /// A run of operators applied left to right: the running value is the left operand of the next step.
    func binary(_ operation: BinaryOperation, at time: Int64) throws(EvaluationError) -> Value {
        var lhs = try evaluate(operation.lhs, at: time)
        for step in operation.steps {
            lhs = try apply(step, lhs, try evaluate(step.rhs, at: time))
        }
        return lhs
    }

    private func apply(_ step: BinaryStep, _ lhs: Value, _ rhs: Value) throws(EvaluationError) -> Value {
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            // The parser requires `bool` for comparisons between scalars.
            let (value, holds) = Self.apply(step.op, left, right)
            return .scalar(step.op.isComparison ? (holds ? 1 : 0) : value)
        case (.vector(let samples), .scalar(let right)):
            return .vector(try Self.vectorScalar(step, samples, right, scalarOnLeft: false))
        case (.scalar(let left), .vector(let samples)):
            return .vector(try Self.vectorScalar(step, samples, left, scalarOnLeft: true))
        case (.vector(let left), .vector(let right)):
            if step.op.isSetOperator { return .vector(Self.setOperation(step, left, right)) }
            return .vector(try Self.matchVectors(step, left, right))
        }
    }

    /// The value of `left op right`, and for comparisons whether it holds (the value is then `left`).
    static func apply(_ op: BinaryOperator, _ left: Double, _ right: Double) -> (value: Double, holds: Bool) {
        switch op {
        case .add: (left + right, true)
        case .subtract: (left - right, true)
        case .multiply: (left * right, true)
        case .divide: (left / right, true)
        case .modulo: (fmod(left, right), true)
        case .power: (pow(left, right), true)
        case .equal: (left, left == right)
        case .notEqual: (left, left != right)
        case .greater: (left, left > right)
        case .less: (left, left < right)
        case .greaterOrEqual: (left, left >= right)
        case .lessOrEqual: (left, left <= right)
        case .and, .or, .unless: preconditionFailure("set operators work on label sets, not values")
        }
    }

    /// A comparison without `bool` filters and keeps the vector's own value, whichever side the scalar is on.
    private static func vectorScalar(
        _ step: BinaryStep, _ samples: [VectorSample], _ scalar: Double, scalarOnLeft: Bool
    ) throws(EvaluationError) -> [VectorSample] {
        var output: [VectorSample] = []
        output.reserveCapacity(samples.count)
        for sample in samples {
            var (value, holds) = scalarOnLeft ? apply(step.op, scalar, sample.value) : apply(step.op, sample.value, scalar)
            if step.op.isComparison {
                if step.returnsBool {
                    value = holds ? 1 : 0
                } else {
                    guard holds else { continue }
                    value = sample.value
                }
            }
            let dropsName = !step.op.isComparison || step.returnsBool
            output.append(VectorSample(labels: dropsName ? sample.labels.droppingName : sample.labels, value: value))
        }
        return try unique(output)
    }

    private static func setOperation(_ step: BinaryStep, _ left: [VectorSample], _ right: [VectorSample]) -> [VectorSample] {
        let rightSignatures = Set(right.map { $0.labels.signature(step.matching) })
        switch step.op {
        case .and: return left.filter { rightSignatures.contains($0.labels.signature(step.matching)) }
        case .unless: return left.filter { !rightSignatures.contains($0.labels.signature(step.matching)) }
        default:
            let leftSignatures = Set(left.map { $0.labels.signature(step.matching) })
            return left + right.filter { !leftSignatures.contains($0.labels.signature(step.matching)) }
        }
    }

    /// Pairs elements with equal matching labels, as Prometheus' `VectorBinop`: one-to-one, or with `group_left` /
    /// `group_right` many elements of one side to one of the other, which lends the listed labels. The result carries the
    /// "many" side's labels (reduced to the matching labels for one-to-one `on`/`ignoring`), without the name for
    /// arithmetic and `bool` comparisons.
    private static func matchVectors(_ step: BinaryStep, _ left: [VectorSample], _ right: [VectorSample]) throws(EvaluationError)
        -> [VectorSample]
    {
        guard !left.isEmpty, !right.isEmpty else { return [] }
        let (many, one, include): ([VectorSample], [VectorSample], [String])
        var oneSide = "right"
        switch step.cardinality {
        case .oneToOne: (many, one, include) = (left, right, [])
        case .manyToOne(let labels): (many, one, include) = (left, right, labels)
        case .oneToMany(let labels):
            (many, one, include) = (right, left, labels)
            oneSide = "left"
        }
        var oneBySignature: [String: VectorSample] = [:]
        oneBySignature.reserveCapacity(one.count)
        for sample in one {
            let signature = sample.labels.signature(step.matching)
            if let other = oneBySignature.updateValue(sample, forKey: signature) {
                throw EvaluationError(
                    "found duplicate series for the match group \(sample.labels.matchingLabels(step.matching)) on the \(oneSide) hand-side of "
                        + "the operation: [\(sample.labels), \(other.labels)];many-to-many matching not allowed: matching labels must be unique on one side"
                )
            }
        }
        var matched: [String: Set<Labels>] = [:]
        var output: [VectorSample] = []
        for sample in many {
            let signature = sample.labels.signature(step.matching)
            guard let partner = oneBySignature[signature] else { continue }
            let swapped = step.cardinality != .oneToOne && oneSide == "left"
            var (value, holds) = swapped ? apply(step.op, partner.value, sample.value) : apply(step.op, sample.value, partner.value)
            if step.returnsBool {
                value = holds ? 1 : 0
            } else if !holds {
                continue
            }
            var labels = sample.labels
            if !step.op.isComparison || step.returnsBool { labels = labels.droppingName }
            if step.cardinality == .oneToOne {
                switch step.matching {
                case .on(let names): labels = labels.keeping(names)
                case .ignoring(let names): labels = labels.removing(names)
                case nil: break
                }
            }
            for name in include { labels = labels.setting(name, to: partner.labels[name]) }
            if step.cardinality == .oneToOne {
                guard matched.updateValue([], forKey: signature) == nil else {
                    throw EvaluationError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
            } else if !matched[signature, default: []].insert(labels).inserted {
                throw EvaluationError("multiple matches for labels: grouping labels must ensure unique matches")
            }
            output.append(VectorSample(labels: labels, value: value))
        }
        return try unique(output)
    }
}
