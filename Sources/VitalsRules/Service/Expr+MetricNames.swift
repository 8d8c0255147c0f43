extension Expr {
    /// The metric names its selectors name with `__name__="..."` (or a leading metric name).
    var metricNames: Set<String> {
        switch self {
        case .number: []
        case .vector(let selector), .range(let selector, _):
            Set(selector.matchers.filter { $0.name == "__name__" && $0.kind == .equal }.map(\.value))
        case .call(_, let arguments): arguments.reduce(into: []) { $0.formUnion($1.metricNames) }
        case .aggregation(let aggregation): aggregation.operand.metricNames.union(aggregation.parameter?.metricNames ?? [])
        case .binary(let operation): operation.lhs.metricNames.union(operation.rhs.metricNames)
        case .negation(let operand): operand.metricNames
        }
    }
}
