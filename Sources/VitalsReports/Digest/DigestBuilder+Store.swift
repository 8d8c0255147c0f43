public import Foundation
public import VitalsCore
public import VitalsPorts

extension DigestBuilder {
    /// The digest of `definition` at `now` with the alerts `alerts` holds since its comparison period starts (none without
    /// alert state) and the dead letters `outbox` holds since the previous report (none without an outbox): what
    /// `vitals report NAME` prints and `GET /api/report?name=NAME` answers.
    public static func build(
        definition: ReportDefinition, store: any MetricStore & JobRunLog, alerts: (any AlertStore & AlertHistory)?, outbox: (any OutboxStore)?,
        now: Timestamp, timeZone: TimeZone, sources: [SourceConfig]
    ) async throws -> Digest {
        let period = definition.period.period(now: now, timeZone: timeZone)
        let since = definition.comparison.period(of: period, timeZone: timeZone).from
        var read = ReportAlerts(firing: [], history: [])
        if let alerts { read = try await ReportAlerts.read(from: alerts, since: since) }
        if let outbox {
            let dead = try await ReportAlerts.deadLetters(
                in: outbox, report: definition.name, fallbackSince: now.subtracting(period.length), now: now)
            read = ReportAlerts(firing: read.firing, history: read.history, deadLetters: dead.letters, deadLettersSince: dead.since)
        }
        return try await build(definition: definition, store: store, now: now, timeZone: timeZone, sources: sources, alerts: read)
    }
}

extension ReportAlerts {
    /// Firing alerts and the firing spans of the history since `since`, from the store's alert state and history.
    static func read(from store: any AlertStore & AlertHistory, since: Timestamp) async throws -> ReportAlerts {
        let firing = try await store.activeAlerts().filter { $0.instance.phase == .firing }.map { alert in
            ReportAlertSpan(
                rule: alert.rule.description, labels: alert.instance.labels, severity: alert.instance.severity?.rawValue,
                firedAt: alert.instance.firedAt ?? alert.instance.activeAt ?? since, resolvedAt: nil)
        }
        var open: [String: AlertHistoryEntry] = [:]
        var spans: [ReportAlertSpan] = []
        for entry in try await store.alertHistory(since: since) where entry.transition.kind == .phase {
            let key = "\(entry.rule)\u{0}\(entry.transition.labels)"
            if entry.transition.to == .firing {
                open[key] = entry
            } else if entry.transition.from == .firing, let start = open.removeValue(forKey: key) {
                spans.append(
                    ReportAlertSpan(
                        rule: entry.rule.description, labels: entry.transition.labels, severity: start.transition.severity?.rawValue,
                        firedAt: start.transition.at, resolvedAt: entry.transition.at))
            }
        }
        return ReportAlerts(firing: firing, history: spans)
    }
}

extension ReportAlerts {
    /// The deliveries dead-lettered after the previous report named `name` was queued (else after `fallbackSince`) and by
    /// `now`, oldest first, and that time.
    static func deadLetters(in outbox: any OutboxStore, report name: String, fallbackSince: Timestamp, now: Timestamp) async throws
        -> (since: Timestamp, letters: [ReportDeadLetter])
    {
        let previous = try await outbox.deliveries(status: nil).compactMap { delivery -> Timestamp? in
            guard case .report(let report) = delivery.message.payload, report.name == name, delivery.message.createdAt < now else { return nil }
            return delivery.message.createdAt
        }.max()
        let since = previous ?? fallbackSince
        let letters = try await outbox.deliveries(status: .dead).compactMap { delivery -> ReportDeadLetter? in
            guard let deadAt = delivery.finishedAt, since < deadAt, deadAt <= now else { return nil }
            return ReportDeadLetter(
                channel: delivery.channel, key: delivery.message.idempotencyKey, message: description(of: delivery.message.payload),
                error: delivery.lastError ?? "no error recorded", attempts: delivery.attempts, deadAt: deadAt)
        }
        return (since, letters.sorted { ($0.deadAt, $0.channel, $0.key) < ($1.deadAt, $1.channel, $1.key) })
    }

    /// `alert api/CoverageLow firing {repo="acme/shop"}`, `report Daily digest · 2026-11-28`.
    static func description(of payload: OutboxMessage.Payload) -> String {
        switch payload {
        case .alert(let alert): "alert \(alert.fingerprint) \(alert.event.rawValue)"
        case .report(let report): "report \(report.title)"
        }
    }
}

extension ReportDefinitionLoader {
    /// The definition `name` from `directory` or built in, checked against the metrics reports show and the configured
    /// `channels`; nil when neither has it.
    public static func load(name: String, directory: String, channels: [String]) throws(ConfigError) -> ReportDefinition? {
        try load(name: name, directory: directory, metrics: Set(MetricCatalog.standard.metrics.filter(\.isShown).map(\.name)), channels: channels)
    }
}
