import Foundation
import VitalsCore

extension Evaluator {
    func binary(_ operation: BinaryOperation, at time: Int64) throws(EvaluationError) -> Value {
        let lhs = try evaluate(operation.lhs, at: time)
        let rhs = try evaluate(operation.rhs, at: time)
        switch (lhs, rhs) {
        case (.scalar(let left), .scalar(let right)):
            // The parser requires `bool` for comparisons between scalars.
            let (value, holds) = Self.apply(operation.op, left, right)
            return .scalar(operation.op.isComparison ? (holds ? 1 : 0) : value)
        case (.vector(let samples), .scalar(let right)):
            return .vector(try Self.vectorScalar(operation, samples, right, scalarOnLeft: false))
        case (.scalar(let left), .vector(let samples)):
            return .vector(try Self.vectorScalar(operation, samples, left, scalarOnLeft: true))
        case (.vector(let left), .vector(let right)):
            if operation.op.isSetOperator { return .vector(Self.setOperation(operation, left, right)) }
            return .vector(try Self.oneToOne(operation, left, right))
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
        _ operation: BinaryOperation, _ samples: [VectorSample], _ scalar: Double, scalarOnLeft: Bool
    ) throws(EvaluationError) -> [VectorSample] {
        var output: [VectorSample] = []
        output.reserveCapacity(samples.count)
        for sample in samples {
            var (value, holds) = scalarOnLeft ? apply(operation.op, scalar, sample.value) : apply(operation.op, sample.value, scalar)
            if operation.op.isComparison {
                if operation.returnsBool {
                    value = holds ? 1 : 0
                } else {
                    guard holds else { continue }
                    value = sample.value
                }
            }
            let dropsName = !operation.op.isComparison || operation.returnsBool
            output.append(VectorSample(labels: dropsName ? sample.labels.droppingName : sample.labels, value: value))
        }
        return try unique(output)
    }

    private static func setOperation(_ operation: BinaryOperation, _ left: [VectorSample], _ right: [VectorSample]) -> [VectorSample] {
        let rightSignatures = Set(right.map { $0.labels.signature(operation.matching) })
        switch operation.op {
        case .and: return left.filter { rightSignatures.contains($0.labels.signature(operation.matching)) }
        case .unless: return left.filter { !rightSignatures.contains($0.labels.signature(operation.matching)) }
        default:
            let leftSignatures = Set(left.map { $0.labels.signature(operation.matching) })
            return left + right.filter { !leftSignatures.contains($0.labels.signature(operation.matching)) }
        }
    }

    /// Pairs elements with equal matching labels; the result carries the left side's labels, reduced to the matching labels
    /// when `on`/`ignoring` was written, without the name for arithmetic and `bool` comparisons.
    private static func oneToOne(_ operation: BinaryOperation, _ left: [VectorSample], _ right: [VectorSample]) throws(EvaluationError)
        -> [VectorSample]
    {
        var rightBySignature: [String: VectorSample] = [:]
        rightBySignature.reserveCapacity(right.count)
        for sample in right {
            let signature = sample.labels.signature(operation.matching)
            if let other = rightBySignature.updateValue(sample, forKey: signature) {
                throw EvaluationError(
                    "found duplicate series for the match group on the right hand-side of the operation: [\(other.labels), \(sample.labels)]; "
                        + "many-to-many matching not allowed: matching labels must be unique on one side")
            }
        }
        var matched = Set<String>()
        var output: [VectorSample] = []
        for sample in left {
            let signature = sample.labels.signature(operation.matching)
            guard let partner = rightBySignature[signature] else { continue }
            var (value, holds) = apply(operation.op, sample.value, partner.value)
            if operation.returnsBool {
                value = holds ? 1 : 0
            } else if !holds {
                continue
            }
            var labels = sample.labels
            if !operation.op.isComparison || operation.returnsBool { labels = labels.droppingName }
            switch operation.matching {
            case .on(let names): labels = labels.keeping(names)
            case .ignoring(let names): labels = labels.removing(names)
            case nil: break
            }
            guard matched.insert(signature).inserted else {
                throw EvaluationError(
                    "multiple matches for labels \(sample.labels): many-to-one matching must be explicit (group_left/group_right)")
            }
            output.append(VectorSample(labels: labels, value: value))
        }
        return try unique(output)
    }
}
