public import VitalsCore

/// How far back an instant selector looks for a series' newest sample in the service, per metric.
///
/// Prometheus uses one staleness window (5m) because it scrapes every few seconds; vitals' sources run hourly or daily,
/// so a rule over a daily metric would see nothing most of the day. The service therefore looks back twice the collection
/// interval of the metric's source. The caller (the CLI) knows which source writes which metric and builds the table.
public struct LookbackPolicy: Sendable, Equatable {
    /// The window for metrics the table does not list (Prometheus' default).
    public var fallback: TimeSpan
    /// The window by metric name.
    public var byMetric: [String: TimeSpan]

    public init(fallback: TimeSpan = .minutes(5), byMetric: [String: TimeSpan] = [:]) {
        self.fallback = fallback
        self.byMetric = byMetric
    }

    /// The window of a rule: its `lookback:` if set, else the longest window of the metrics its expressions select.
    ///
    /// One window per rule, since the evaluator has one per evaluation; rules rarely mix metrics of different sources.
    public func lookback(for rule: Rule, metrics: Set<String>) -> TimeSpan {
        if let explicit = rule.lookback { return explicit }
        return metrics.compactMap { byMetric[$0] }.max() ?? fallback
    }
}
