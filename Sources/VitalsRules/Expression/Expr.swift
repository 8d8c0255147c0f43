public import VitalsCore

/// A parsed rule expression: the PromQL subset vitals evaluates, with its result type checked at parse time.
///
/// Parentheses leave no node; a unary minus on a number literal is folded into the literal, as Prometheus does.
/// A run of left-associative operators of one precedence level is one ``BinaryOperation`` node with several steps, so the
/// tree's depth grows with nesting (parentheses, calls, unary signs, `^`), never with the length of `a + b + c + …`:
/// every walker of the tree recurses at most ``ExpressionParser/maximumDepth`` levels.
public indirect enum Expr: Sendable, Equatable {
    /// A number literal; unit literals are already converted (`5%` is 0.05, `5m` is 300).
    case number(Double)
    /// An instant vector selector such as `errors_total{level="fatal"} offset 7d`.
    case vector(VectorSelector)
    /// A range vector selector such as `errors_total[10m] offset 1d`.
    case range(VectorSelector, TimeSpan)
    /// A function call; the arguments were checked against ``Function/argumentTypes``.
    case call(Function, [Expr])
    /// An aggregation such as `sum by (repo) (x)` or `quantile(0.9, x)`.
    case aggregation(Aggregation)
    /// A binary operation such as `a / on(repo) b` or `x > bool 3`.
    case binary(BinaryOperation)
    /// A unary minus on something other than a number literal.
    case negation(Expr)
    /// A string literal: only as a function or aggregation argument (`label_replace`, `count_values`).
    case string(String)

    /// What evaluating the expression produces.
    public var type: ValueType {
        switch self {
        case .number: .scalar
        case .vector: .instantVector
        case .range: .rangeVector
        case .call(let function, _): function.returnType
        case .aggregation: .instantVector
        case .binary(let operation): operation.type
        case .negation(let operand): operand.type
        case .string: .string
        }
    }
}

/// The type of an expression's value, named as Prometheus' error messages name them.
public enum ValueType: String, Sendable, Equatable {
    case scalar
    case instantVector = "instant vector"
    case rangeVector = "range vector"
    case string
}

/// The series part of a selector: the metric name's matcher (if any) is among `matchers` as `__name__`.
public struct VectorSelector: Sendable, Equatable {
    /// All matchers, the metric name first as an `__name__` equality matcher when the name was written before the braces.
    public var matchers: [LabelMatcher]
    /// How far back the selector looks (`offset 7d`); zero when absent.
    public var offset: TimeSpan

    public init(matchers: [LabelMatcher], offset: TimeSpan = TimeSpan(milliseconds: 0)) {
        self.matchers = matchers
        self.offset = offset
    }
}

/// An aggregation operator over an instant vector, such as `sum by (repo) (x)` or `topk(3, x)`.
public struct Aggregation: Sendable, Equatable {
    /// Which reduction each group gets.
    public var op: AggregationOperator
    /// The parameter: a scalar for `quantile`, `topk`, `bottomk`, a string for `count_values`; nil for the others.
    public var parameter: Expr?
    public var operand: Expr
    public var grouping: Grouping

    public init(op: AggregationOperator, parameter: Expr? = nil, operand: Expr, grouping: Grouping = .by([])) {
        self.op = op
        self.parameter = parameter
        self.operand = operand
        self.grouping = grouping
    }
}

/// The aggregation operators vitals supports.
public enum AggregationOperator: String, Sendable, Equatable, CaseIterable {
    case sum, avg, min, max, count, quantile, stddev, stdvar, topk, bottomk, group
    case countValues = "count_values"

    /// The type of the parameter written before the operand, if the operator takes one.
    public var parameterType: ValueType? {
        switch self {
        case .quantile, .topk, .bottomk: .scalar
        case .countValues: .string
        default: nil
        }
    }
}

/// Which labels an aggregation keeps: only the listed ones (`by`), or all but the listed ones and the metric name (`without`).
/// An aggregation written without a clause is `by ()`: one group, no labels.
public enum Grouping: Sendable, Equatable {
    case by([String])
    case without([String])
}

/// A left-associative run of binary operators of one precedence level between scalars and instant vectors:
/// `a + b - c` is `lhs: a, steps: [+ b, - c]` and means `(a + b) - c`. A single operator is a run of one step.
public struct BinaryOperation: Sendable, Equatable {
    public var lhs: Expr
    /// The operators with their right operands, applied in order; never empty.
    public var steps: [BinaryStep]
    /// The type of the whole run: a scalar when every operand is one, an instant vector otherwise.
    public let type: ValueType

    public init(lhs: Expr, steps: [BinaryStep]) {
        precondition(!steps.isEmpty, "a binary operation has at least one operator")
        self.lhs = lhs
        self.steps = steps
        type = lhs.type == .scalar && steps.allSatisfy { $0.rhs.type == .scalar } ? .scalar : .instantVector
    }

    /// One operator between two operands.
    public init(op: BinaryOperator, lhs: Expr, rhs: Expr, returnsBool: Bool = false, matching: VectorMatching? = nil) {
        self.init(lhs: lhs, steps: [BinaryStep(op: op, rhs: rhs, returnsBool: returnsBool, matching: matching)])
    }
}

/// One operator of a ``BinaryOperation`` with its modifiers and right operand.
public struct BinaryStep: Sendable, Equatable {
    /// The operator; its precedence already decided which operands it got.
    public var op: BinaryOperator
    public var rhs: Expr
    /// `bool` after a comparison: return 0 or 1 instead of filtering.
    public var returnsBool: Bool
    /// `on(...)` / `ignoring(...)`; nil when not written.
    public var matching: VectorMatching?
    /// `group_left(...)` / `group_right(...)`: which side may have several elements per match, and the labels copied from the other.
    public var cardinality: MatchCardinality

    public init(
        op: BinaryOperator, rhs: Expr, returnsBool: Bool = false, matching: VectorMatching? = nil, cardinality: MatchCardinality = .oneToOne
    ) {
        self.op = op
        self.rhs = rhs
        self.returnsBool = returnsBool
        self.matching = matching
        self.cardinality = cardinality
    }
}

/// How many elements of each side one match group may hold.
public enum MatchCardinality: Sendable, Equatable {
    case oneToOne
    /// `group_left(labels)`: several left elements per right one; the listed labels are copied from the right element.
    case manyToOne([String])
    /// `group_right(labels)`: several right elements per left one; the listed labels are copied from the left element.
    case oneToMany([String])
}

/// How two vectors' samples pair up: on the listed labels only, or on all but the listed labels and the metric name.
public enum VectorMatching: Sendable, Equatable {
    case on([String])
    case ignoring([String])
}

/// Binary operators in Prometheus' precedence groups, lowest first: `or`; `and unless`; comparisons; `+ -`; `* / %`; `^`.
public enum BinaryOperator: String, Sendable, Equatable, CaseIterable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case power = "^"
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case less = "<"
    case greaterOrEqual = ">="
    case lessOrEqual = "<="
    case and, or, unless

    /// Binding strength: higher binds tighter.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and, .unless: 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: 3
        case .add, .subtract: 4
        case .multiply, .divide, .modulo: 5
        case .power: 6
        }
    }

    /// `==`, `!=`, `>`, `<`, `>=`, `<=`: they filter, or return 0/1 with `bool`.
    public var isComparison: Bool { precedence == 3 }
    /// `and`, `or`, `unless`: they combine label sets and never compute values.
    public var isSetOperator: Bool { precedence <= 2 }
}
