import CoreMetrics
public import Prometheus
import VitalsCore
public import VitalsPorts

/// vitals' own counters and histograms, kept in a swift-prometheus registry that `GET /metrics` exposes and that the daemon
/// records into through the swift-metrics API (`Counter`, `Timer`, `Recorder`).
///
/// Every family is created here with its help text, so the exposition passes `promtool check metrics`; the daemon records
/// through the methods below rather than naming metrics itself. docs/metrics.md lists them.
public struct VitalsMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        // Families without labels exist from the start, so a scrape shows them at zero rather than not at all.
        _ = registry.makeCounter(descriptor: Self.roundsTotal)
        _ = registry.makeCounter(descriptor: Self.missedTotal)
        _ = registry.makeGauge(descriptor: Self.storeSize)
        _ = registry.makeGauge(descriptor: Self.storeSeries)
    }

    /// One finished run of a scheduled job: `vitals_jobs_run_total`, and `vitals_jobs_failed_total` when it failed;
    /// its duration in `vitals_job_duration_seconds`.
    public func recordJobRun(job: String, failed: Bool, duration: Duration) {
        Counter(label: Self.jobsRun.name, dimensions: [("job", job)], handler: registry.makeCounter(descriptor: Self.jobsRun, labels: [("job", job)]))
            .increment()
        let failures = registry.makeCounter(descriptor: Self.jobsFailed, labels: [("job", job)])
        if failed { Counter(label: Self.jobsFailed.name, dimensions: [("job", job)], handler: failures).increment() }
        let histogram = registry.makeDurationHistogram(descriptor: Self.jobDuration, labels: [("job", job)], buckets: Self.durationBuckets)
        Timer(label: Self.jobDuration.name, dimensions: [("job", job)], handler: histogram).recordNanoseconds(duration.nanoseconds)
    }

    /// A job whose run was not started because its previous run was still going: `vitals_jobs_skipped_total`.
    public func recordSkippedRun(job: String) {
        Counter(
            label: Self.jobsSkipped.name, dimensions: [("job", job)],
            handler: registry.makeCounter(descriptor: Self.jobsSkipped, labels: [("job", job)])
        )
        .increment()
    }

    /// One alert evaluation round: `vitals_rule_group_iterations_total` per group evaluated, the slots it passed over in
    /// `vitals_rule_group_iterations_missed_total`, the round's time in `vitals_alert_round_duration_seconds`.
    public func recordAlertRound(groupsEvaluated: Int, missedSlots: Int, duration: Duration) {
        let rounds = Counter(label: Self.roundsTotal.name, dimensions: [], handler: registry.makeCounter(descriptor: Self.roundsTotal))
        rounds.increment(by: groupsEvaluated)
        Counter(label: Self.missedTotal.name, dimensions: [], handler: registry.makeCounter(descriptor: Self.missedTotal)).increment(by: missedSlots)
        let histogram = registry.makeDurationHistogram(descriptor: Self.roundDuration, buckets: Self.durationBuckets)
        Timer(label: Self.roundDuration.name, dimensions: [], handler: histogram).recordNanoseconds(duration.nanoseconds)
    }

    /// One delivery attempt to a channel: `vitals_deliveries_total{channel, outcome}` (outcome: delivered, retry, failed).
    public func recordDelivery(channel: String, outcome: String) {
        let labels = [("channel", channel), ("outcome", outcome)]
        Counter(label: Self.deliveries.name, dimensions: labels, handler: registry.makeCounter(descriptor: Self.deliveries, labels: labels))
            .increment()
    }

    /// The store's size and series count, set by each scrape.
    func recordStore(bytes: Int64, series: Int) {
        Recorder(label: Self.storeSize.name, dimensions: [], aggregate: false, handler: registry.makeGauge(descriptor: Self.storeSize))
            .record(bytes)
        Recorder(label: Self.storeSeries.name, dimensions: [], aggregate: false, handler: registry.makeGauge(descriptor: Self.storeSeries))
            .record(series)
    }

    /// The names of vitals' own families; a stored series of one of these names is not exposed a second time.
    static var familyNames: Set<String> {
        Set([jobsRun, jobsFailed, jobsSkipped, jobDuration, roundsTotal, missedTotal, roundDuration, deliveries, storeSize, storeSeries].map(\.name))
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        .seconds(15), .seconds(60), .seconds(300),
    ]

    static var jobsRun: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", metricName: "jobs_run", unitName: "total", helpText: "Runs of scheduled jobs that finished, failed or not.")
    }
    static var jobsFailed: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", metricName: "jobs_failed", unitName: "total", helpText: "Runs of scheduled jobs that failed.")
    }
    static var jobsSkipped: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", metricName: "jobs_skipped", unitName: "total",
            helpText: "Runs of scheduled jobs not started because the previous run was still going.")
    }
    static var jobDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", metricName: "job_duration", unitName: "seconds", helpText: "How long runs of scheduled jobs took.")
    }
    static var roundsTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", subsystem: "rule_group", metricName: "iterations", unitName: "total",
            helpText: "Rule group evaluations (one per group per alert round slot).")
    }
    static var missedTotal: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", subsystem: "rule_group", metricName: "iterations_missed", unitName: "total",
            helpText: "Rule group slots passed over because a round came too late; never evaluated afterwards.")
    }
    static var roundDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", metricName: "alert_round_duration", unitName: "seconds", helpText: "How long alert evaluation rounds took.")
    }
    static var deliveries: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", metricName: "deliveries", unitName: "total",
            helpText: "Delivery attempts of outbox messages, by channel and outcome.")
    }
    static var storeSize: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", metricName: "store_size", unitName: "bytes", helpText: "The size of the store's database file.")
    }
    static var storeSeries: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "vitals", metricName: "store_series", unitName: "", helpText: "The number of series the store holds.")
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
