public import VitalsCore

/// A rule unit-test file in promtool's format (`promtool test rules`): the rule files under test and test groups.
public struct RuleTestFile: Sendable, Equatable {
    /// The path the file was loaded from, as given.
    public var file: String
    /// The rule files, resolved against the test file's folder, globs expanded.
    public var ruleFiles: [String]
    /// How often the rule groups are evaluated (`evaluation_interval`, default 1m).
    public var evaluationInterval: TimeSpan
    /// Group names in the order they are evaluated at each step (`group_eval_order`).
    public var groupEvalOrder: [String]
    public var tests: [RuleTestGroup]
}

/// One entry of `tests:`: input series and the checks run against them.
public struct RuleTestGroup: Sendable, Equatable {
    /// `name:`, shown in failure messages.
    public var name: String?
    /// The step between the values of the input series (`interval`, default the evaluation interval).
    public var interval: TimeSpan
    public var inputSeries: [InputSeries]
    public var alertTests: [AlertRuleTest]
    public var exprTests: [ExprTest]
    public var externalLabels: [String: String]
    public var externalURL: String
    public var position: SourcePosition

    /// The last time any check looks at: rules are evaluated from 0 up to here.
    public var maxEvalTime: TimeSpan {
        (alertTests.map(\.evalTime) + exprTests.map(\.evalTime)).max() ?? TimeSpan(milliseconds: 0)
    }
}

/// An `input_series` entry, expanded: its labels and one point per written value.
public struct InputSeries: Sendable, Equatable {
    public var labels: Labels
    public var points: [SamplePoint]
}

/// An `alert_rule_test` entry: the alerts expected to be firing at `eval_time`.
public struct AlertRuleTest: Sendable, Equatable {
    public var evalTime: TimeSpan
    public var alertname: String
    public var expected: [ExpectedAlert]
    public var position: SourcePosition
}

/// An `exp_alerts` entry; `alertname` is added to the labels, as promtool does.
public struct ExpectedAlert: Sendable, Equatable {
    public var labels: Labels
    public var annotations: Labels
}

/// A `promql_expr_test` entry: the exact samples an expression returns at `eval_time`.
public struct ExprTest: Sendable, Equatable {
    public var expr: String
    public var evalTime: TimeSpan
    public var expected: [ExpectedSample]
    public var position: SourcePosition
}

/// An `exp_samples` entry.
public struct ExpectedSample: Sendable, Equatable {
    public var labels: Labels
    public var value: Double

    public static func == (lhs: ExpectedSample, rhs: ExpectedSample) -> Bool {
        lhs.labels == rhs.labels && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}
