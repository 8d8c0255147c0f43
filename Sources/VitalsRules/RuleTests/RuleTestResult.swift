public import VitalsCore

/// What running one test file found: nothing wrong, or the failures in the order promtool reports them.
public struct RuleTestResult: Sendable, Equatable {
    public var file: String
    public var failures: [RuleTestFailure]

    public var passed: Bool { failures.isEmpty }
}

/// One failed check, or a problem that stopped a test group or the whole file.
public struct RuleTestFailure: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The test file or a rule file could not be loaded.
        case load(String)
        /// A rule failed to evaluate; the test group stopped at that step.
        case ruleError(rule: String, time: TimeSpan, message: String)
        /// The firing alerts at `time` were not the expected ones.
        case alerts(alertname: String, time: TimeSpan, expected: [AlertOutput], got: [AlertOutput])
        /// The expression did not return exactly the expected samples.
        case samples(expr: String, time: TimeSpan, expected: [ExpectedSample], got: [ExpectedSample])
        /// The expression did not parse or evaluate.
        case exprError(expr: String, time: TimeSpan, message: String)
    }

    /// The 1-based index of the test group in `tests:`, nil for file-level problems.
    public var testIndex: Int?
    public var testName: String?
    public var kind: Kind
}

/// A firing alert as the test compares it: its labels and rendered annotations.
public struct AlertOutput: Sendable, Equatable, Comparable {
    public var labels: Labels
    public var annotations: Labels

    public init(labels: Labels, annotations: Labels) {
        self.labels = labels
        self.annotations = annotations
    }

    /// Prometheus' order (`labels.Compare`): by labels pair by pair, then by annotations.
    public static func < (lhs: AlertOutput, rhs: AlertOutput) -> Bool {
        let byLabels = PromtoolText.compare(lhs.labels, rhs.labels)
        return byLabels != 0 ? byLabels < 0 : PromtoolText.compare(lhs.annotations, rhs.annotations) < 0
    }
}
