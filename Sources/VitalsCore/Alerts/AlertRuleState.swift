/// Everything the state machine remembers about one alerting rule between evaluations.
public struct AlertRuleState: Sendable, Equatable, Codable {
    /// The last evaluation time; an evaluation at or before it changes nothing.
    public var evaluatedAt: Timestamp?
    /// One entry per label set, sorted by labels.
    public var instances: [AlertInstance]

    public init(evaluatedAt: Timestamp? = nil, instances: [AlertInstance] = []) {
        self.evaluatedAt = evaluatedAt
        self.instances = instances
    }

    public static let initial = AlertRuleState()

    public subscript(labels: Labels) -> AlertInstance? {
        instances.first { $0.labels == labels }
    }
}
