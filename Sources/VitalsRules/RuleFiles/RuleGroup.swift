public import VitalsCore

/// One entry of a rule file's `groups:`: rules evaluated together at one interval.
public struct RuleGroup: Sendable, Equatable {
    public var name: String
    /// How often the group is evaluated (`interval:`); nil means the global default.
    public var interval: TimeSpan?
    /// How far back evaluation is shifted (`query_offset:`, Prometheus 3).
    public var queryOffset: TimeSpan?
    /// The most alerts or series one rule may produce (`limit:`, 0 = no limit).
    public var limit: Int
    /// Labels added to every rule of the group (`labels:`, Prometheus 3).
    public var labels: [String: String]
    public var rules: [Rule]
    public var position: SourcePosition

    public init(
        name: String, interval: TimeSpan? = nil, queryOffset: TimeSpan? = nil, limit: Int = 0, labels: [String: String] = [:],
        rules: [Rule], position: SourcePosition
    ) {
        self.name = name
        self.interval = interval
        self.queryOffset = queryOffset
        self.limit = limit
        self.labels = labels
        self.rules = rules
        self.position = position
    }
}
