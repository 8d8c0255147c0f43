public import CoreMetrics
public import Prometheus

/// vitals' own counters, gauges and histograms: a swift-metrics `MetricsFactory` over a swift-prometheus registry that
/// `GET /metrics` exposes.
///
/// The daemon's parts record through the swift-metrics API (`Counter`, `Timer`, `Recorder`) with the labels below, given
/// this factory (the daemon also bootstraps `MetricsSystem` with it, so what a job's command records lands here too).
/// ``families`` is the one list of what may be recorded: each family is registered with the registry by this factory
/// only, always with its help text and its label names, so a family is never registered twice with different help or
/// labels (which swift-prometheus refuses by stopping the process) and the exposition passes `promtool check metrics`.
/// A `vitals_` label or label set not in the list is a programming error: it stops a debug build and is dropped in a
/// release one. What libraries record through `MetricsSystem` under their own names is dropped: `/metrics` shows vitals'.
/// docs/http-api.md lists the families.
public struct VitalsMetrics: MetricsFactory, Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// What one family is.
    public struct Family: Sendable {
        public enum Kind: Sendable {
            case counter
            case gauge
            /// A histogram of durations (a swift-metrics `Timer`) with these bucket bounds.
            case durationHistogram([Duration])
        }

        public let name: String
        public let kind: Kind
        /// The label names every sample of the family carries, in order.
        public let labels: [String]
        public let help: String
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        .seconds(15), .seconds(60), .seconds(300), .seconds(1800),
    ]

    /// Every family vitals records; the only place one is defined.
    public static let families: [Family] = [
        Family(
            name: "vitals_job_runs_total", kind: .counter, labels: ["job", "status"],
            help: "Runs of scheduled jobs by outcome: ok, failed, timed_out, or skipped (the previous run was still going)."),
        Family(
            name: "vitals_job_runs_late_total", kind: .counter, labels: ["job"],
            help: "Runs that started late: a catch-up after downtime, or a start more than a minute past its time."),
        Family(
            name: "vitals_job_runs_missed_total", kind: .counter, labels: ["job"],
            help: "Run times the daemon woke too late for (beyond the job's catch-up window); not run."),
        Family(
            name: "vitals_job_duration_seconds", kind: .durationHistogram(durationBuckets), labels: ["job"],
            help: "How long runs of scheduled jobs took (runs that started)."),
        Family(
            name: "vitals_rule_group_iterations_total", kind: .counter, labels: ["rule_group"],
            help: "Rule group evaluations, one per slot evaluated."),
        Family(
            name: "vitals_rule_group_iterations_missed_total", kind: .counter, labels: ["rule_group"],
            help: "Rule group slots passed over because a round came too late; never evaluated afterwards."),
        Family(
            name: "vitals_round_duration_seconds", kind: .durationHistogram(durationBuckets), labels: ["round"],
            help: "How long the daemon's rounds took: alert evaluation (round=alerts) and outbox delivery (round=outbox)."),
        Family(
            name: "vitals_deliveries_total", kind: .counter, labels: ["channel", "outcome"],
            help: "Delivery attempts of outbox messages by channel and outcome: delivered, retried (failed, to be tried again), dead."),
        Family(name: "vitals_store_size_bytes", kind: .gauge, labels: [], help: "The size of the store's database file."),
        Family(name: "vitals_store_series", kind: .gauge, labels: [], help: "The number of series the store holds."),
    ]

    static let familiesByName = Dictionary(uniqueKeysWithValues: families.map { ($0.name, $0) })

    /// The names of vitals' own families; a stored series of one of these names is not exposed a second time.
    static let familyNames = Set(families.map(\.name))

    /// The family `label` names, when `dimensions` carry its label names; nil (and a stop in a debug build) otherwise.
    private func family(_ label: String, _ dimensions: [(String, String)], _ expected: String) -> Family? {
        guard let family = Self.familiesByName[label] else {
            guard label.hasPrefix("vitals_") else { return nil }
            assertionFailure("\(label) is not one of VitalsMetrics.families")
            return nil
        }
        guard family.labels == dimensions.map(\.0) else {
            assertionFailure("\(label) has the labels \(family.labels), not \(dimensions.map(\.0))")
            return nil
        }
        let matches: Bool
        switch family.kind {
        case .counter: matches = expected == "counter"
        case .gauge: matches = expected == "gauge"
        case .durationHistogram: matches = expected == "timer"
        }
        guard matches else {
            assertionFailure("\(label) is not recorded as a \(expected)")
            return nil
        }
        return family
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        guard let family = family(label, dimensions, "counter") else { return NOOPMetricsHandler.instance }
        return registry.makeCounter(name: family.name, labels: dimensions, help: family.help)
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        guard let family = family(label, dimensions, "counter") else { return NOOPMetricsHandler.instance }
        return registry.makeCounter(name: family.name, labels: dimensions, help: family.help)
    }

    /// A gauge; vitals records no value histograms (`aggregate` is ignored).
    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard let family = family(label, dimensions, "gauge") else { return NOOPMetricsHandler.instance }
        return registry.makeGauge(name: family.name, labels: dimensions, help: family.help)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        guard let family = family(label, dimensions, "gauge") else { return NOOPMetricsHandler.instance }
        return registry.makeGauge(name: family.name, labels: dimensions, help: family.help)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        guard let family = family(label, dimensions, "timer"), case .durationHistogram(let buckets) = family.kind else {
            return NOOPMetricsHandler.instance
        }
        return registry.makeDurationHistogram(name: family.name, labels: dimensions, buckets: buckets, help: family.help)
    }

    // The registry keeps every series for the process's life: a job's or channel's counters stay while the daemon runs.
    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    /// The store's size and series count, set by each scrape.
    func recordStore(bytes: Int64, series: Int) {
        Recorder(label: "vitals_store_size_bytes", dimensions: [], aggregate: false, factory: self).record(bytes)
        Recorder(label: "vitals_store_series", dimensions: [], aggregate: false, factory: self).record(series)
    }
}
