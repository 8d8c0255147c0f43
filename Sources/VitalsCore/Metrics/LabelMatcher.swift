/// One condition on a label of a series: `name="v"`, `name!="v"`, `name=~"re"` or `name!~"re"`.
///
/// Regular expressions use RE2's syntax and are fully anchored, as in Prometheus: `repo=~"api|web"` matches `api` but not
/// `api-v2` (see ``LabelRegex``).
/// A label a series lacks has the empty value, so `team=""` selects series without a `team` label.
public struct LabelMatcher: Sendable, Equatable, CustomStringConvertible {
    /// The matching operator, spelt as in selectors.
    public enum Kind: String, Sendable, Equatable {
        case equal = "="
        case notEqual = "!="
        case matchesRegex = "=~"
        case notMatchesRegex = "!~"
    }

    /// The label name (`__name__` for the metric name).
    public let name: String
    public let kind: Kind
    /// The value to compare with, or the regular expression (unanchored as written).
    public let value: String
    private let regex: LabelRegex?

    /// Builds a matcher; throws where and why a regular expression is not RE2 syntax.
    public init(_ name: String, _ kind: Kind, _ value: String) throws(LabelMatcherError) {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .equal, .notEqual: regex = nil
        case .matchesRegex, .notMatchesRegex:
            do {
                regex = try LabelRegex(value)
            } catch {
                throw LabelMatcherError(pattern: value, offset: error.offset, reason: error.message)
            }
        }
    }

    /// The `__name__="name"` matcher a selector's leading metric name stands for.
    public static func metricName(_ name: String) -> LabelMatcher {
        // An equality matcher compiles nothing, so it cannot throw.
        try! LabelMatcher("__name__", .equal, name)
    }

    /// Whether a label value (empty when the series lacks the label) satisfies this matcher.
    public func matches(_ labelValue: String) -> Bool {
        switch kind {
        case .equal: labelValue == value
        case .notEqual: labelValue != value
        case .matchesRegex: regex!.matches(labelValue)
        case .notMatchesRegex: !regex!.matches(labelValue)
        }
    }

    /// Whether a series with these labels (its name under `__name__`) satisfies this matcher.
    public func matches(_ labels: Labels) -> Bool { matches(labels[name] ?? "") }

    public var description: String { "\(name)\(kind.rawValue)\"\(value)\"" }

    public static func == (lhs: LabelMatcher, rhs: LabelMatcher) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.value == rhs.value
    }
}

/// A regular expression RE2 does not accept: `offset` is the UTF-8 byte offset of the offending construct in `pattern`.
public struct LabelMatcherError: Error, Equatable, Sendable {
    public let pattern: String
    public let offset: Int
    public let reason: String
}
