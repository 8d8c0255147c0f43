public import VitalsCore

/// What evaluating an expression at one instant produces.
public enum EvaluationResult: Sendable, Equatable {
    /// An instant vector, sorted by labels.
    case vector([VectorSample])
    case scalar(Double)
    /// A range vector (a bare range selector), sorted by labels; stale markers removed.
    case matrix([QueriedSeries])
}

/// One element of an instant vector.
public struct VectorSample: Sendable, Equatable {
    /// The labels, including `__name__` unless an operation dropped it.
    public var labels: Labels
    public var value: Double

    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// Why an expression that parsed could not be evaluated (Prometheus' runtime errors, such as ambiguous vector matching).
public struct EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, with the labels involved.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
