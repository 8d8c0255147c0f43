import Foundation
import PostgresNIO
public import VitalsCore
public import VitalsPorts

/// The alert round's state (groups, rules, instances), its history of transitions and the silences, in the tables the
/// SQLite store has (`docs/alerting.md`); a round's notifications join the outbox unrouted, as there.
extension PostgresMetricStore: AlertStore, AlertHistory, SilenceStore {
    public func groupEvaluations() async throws -> [String: Timestamp] {
        try await transaction { connection in
            var slots: [String: Timestamp] = [:]
            for try await (name, at) in try await connection.query("SELECT name, last_evaluated_at FROM alert_groups", logger: Self.logger)
                .decode((String, Int64).self)
            {
                slots[name] = Timestamp(milliseconds: at)
            }
            return slots
        }
    }

    public func alertStates() async throws -> [AlertRuleID: AlertRuleState] {
        typealias InstanceRow = (String, String, String, String, Int64?, Int64?, Int64?, Int64?, Int64?, Int64?, Bool, String?, Double?)
        let (rules, instances) = try await transaction { connection in
            var rules: [(String, String, Int64?)] = []
            for try await row in try await connection.query("SELECT group_name, alert, evaluated_at FROM alert_rules", logger: Self.logger)
                .decode((String, String, Int64?).self)
            {
                rules.append(row)
            }
            var instances: [InstanceRow] = []
            for try await row in try await connection.query(
                """
                SELECT group_name, alert, labels, phase, active_at, fired_at, resolved_at, clear_since, last_sent_at, last_firing_sent_at,
                    firing_notified, severity, value FROM alert_instances
                """, logger: Self.logger
            ).decode(InstanceRow.self) {
                instances.append(row)
            }
            return (rules, instances)
        }
        var states: [AlertRuleID: AlertRuleState] = [:]
        for (group, key, evaluated) in rules {
            states[AlertRuleID(group: group, key: key)] = AlertRuleState(evaluatedAt: evaluated.map(Timestamp.init(milliseconds:)))
        }
        for (group, key, text, phaseText, active, fired, resolved, clear, sent, firingSent, notified, severity, value) in instances {
            let id = AlertRuleID(group: group, key: key)
            guard let labels = Labels(canonical: text), let phase = AlertPhase(rawValue: phaseText) else {
                throw PostgresStoreError(
                    database: database, message: "alert instance of \(id) has labels '\(text)' or phase '\(phaseText)' this build does not know")
            }
            let time = { (ms: Int64?) in ms.map(Timestamp.init(milliseconds:)) }
            states[id, default: .initial].instances.append(
                AlertInstance(
                    labels: labels, phase: phase, activeAt: time(active), firedAt: time(fired), resolvedAt: time(resolved), clearSince: time(clear),
                    lastSentAt: time(sent), lastFiringSentAt: time(firingSent), firingNotified: notified,
                    severity: severity.flatMap(Severity.init(rawValue:)), value: value))
        }
        for id in states.keys { states[id]?.instances.sort { $0.labels < $1.labels } }
        return states
    }

    public func silences(notEndedAt instant: Timestamp) async throws -> [Silence] {
        try await fetchSilences("WHERE ends_at > \(instant.milliseconds) ORDER BY starts_at, id COLLATE \"C\"")
    }

    /// One transaction, begun only once the round has evaluated everything.
    public func commit(slots: [String: Timestamp], rules: [AlertRoundRecord.RuleRecord]) async throws {
        let groups = slots.keys.sorted()
        let times = groups.map { slots[$0]!.milliseconds }
        let encoder = JSONEncoder()
        try await writing { connection in
            try await connection.query(
                """
                INSERT INTO alert_groups (name, last_evaluated_at) SELECT * FROM unnest(\(groups)::text[], \(times)::int8[])
                ON CONFLICT (name) DO UPDATE SET last_evaluated_at = excluded.last_evaluated_at
                """, logger: Self.logger)
            for rule in rules {
                let group = rule.rule.group
                let key = rule.rule.key
                try await connection.query(
                    """
                    INSERT INTO alert_rules (group_name, alert, evaluated_at) VALUES (\(group), \(key), \(rule.state.evaluatedAt?.milliseconds))
                    ON CONFLICT (group_name, alert) DO UPDATE SET evaluated_at = excluded.evaluated_at
                    """, logger: Self.logger)
                if rule.instancesChanged {
                    // Replaced whole: the state is small (alerts that rest are dropped), so it is not diffed.
                    try await connection.query("DELETE FROM alert_instances WHERE group_name = \(group) AND alert = \(key)", logger: Self.logger)
                    for instance in rule.state.instances {
                        try await connection.query(
                            """
                            INSERT INTO alert_instances (group_name, alert, labels, phase, active_at, fired_at, resolved_at, clear_since, last_sent_at,
                                last_firing_sent_at, firing_notified, severity, value)
                            VALUES (\(group), \(key), \(instance.labels.canonical), \(instance.phase.rawValue), \(instance.activeAt?.milliseconds),
                                \(instance.firedAt?.milliseconds), \(instance.resolvedAt?.milliseconds), \(instance.clearSince?.milliseconds),
                                \(instance.lastSentAt?.milliseconds), \(instance.lastFiringSentAt?.milliseconds), \(instance.firingNotified),
                                \(instance.severity?.rawValue), \(instance.value))
                            """, logger: Self.logger)
                    }
                }
                for transition in rule.transitions {
                    try await connection.query(
                        """
                        INSERT INTO alert_transitions (group_name, alert, labels, kind, from_phase, to_phase, severity, value, at)
                        VALUES (\(group), \(key), \(transition.labels.canonical), \(transition.kind.rawValue), \(transition.from.rawValue),
                            \(transition.to.rawValue), \(transition.severity?.rawValue), \(transition.value), \(transition.at.milliseconds))
                        ON CONFLICT DO NOTHING
                        """, logger: Self.logger)
                }
                // A replayed notification has a key the outbox already holds: it is ignored, never sent twice.
                for queued in rule.notifications {
                    let notification = queued.notification
                    guard let event = AlertMessage.Event(rawValue: notification.kind.rawValue) else { continue }
                    let payload = OutboxMessage.Payload.alert(
                        AlertMessage(
                            group: group, alert: key, labels: notification.labels, event: event, severity: notification.severity,
                            value: notification.value, summary: queued.summary, at: notification.at))
                    let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
                    let channels = String(decoding: try encoder.encode(notification.channels), as: UTF8.self)
                    try await connection.query(
                        """
                        INSERT INTO outbox_messages (idempotency_key, payload, channels, created_at, routed)
                        VALUES (\(notification.idempotencyKey), \(json), \(channels), \(notification.at.milliseconds), false)
                        ON CONFLICT (idempotency_key) DO NOTHING
                        """, logger: Self.logger)
                }
            }
        }
    }

    /// The transitions at or after `since`, oldest first (in the order recorded at one instant).
    public func alertHistory(since: Timestamp) async throws -> [AlertHistoryEntry] {
        typealias Row = (Int64, String, String, String, String, String, String, String?, Double?, Int64)
        let rows = try await transaction { connection in
            var rows: [Row] = []
            for try await row in try await connection.query(
                """
                SELECT id, group_name, alert, labels, kind, from_phase, to_phase, severity, value, at FROM alert_transitions
                WHERE at >= \(since.milliseconds) ORDER BY at, id
                """, logger: Self.logger
            ).decode(Row.self) {
                rows.append(row)
            }
            return rows
        }
        return try rows.map { id, group, key, text, kindText, fromText, toText, severity, value, at in
            guard let labels = Labels(canonical: text), let kind = AlertTransition.Kind(rawValue: kindText),
                let from = AlertPhase(rawValue: fromText),
                let to = AlertPhase(rawValue: toText)
            else {
                throw PostgresStoreError(
                    database: database, message: "alert transition \(id) has a label set, kind or phase this build does not know")
            }
            let transition = AlertTransition(
                labels: labels, kind: kind, from: from, to: to, severity: severity.flatMap(Severity.init(rawValue:)), value: value,
                at: Timestamp(milliseconds: at))
            return AlertHistoryEntry(rule: AlertRuleID(group: group, key: key), transition: transition)
        }
    }

    public func addSilence(_ silence: Silence) async throws {
        let matchers = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
        try await writing { connection in
            try await connection.query(
                """
                INSERT INTO alert_silences (id, matchers, starts_at, ends_at, comment, created_by)
                VALUES (\(silence.id), \(matchers), \(silence.startsAt.milliseconds), \(silence.endsAt.milliseconds), \(silence.comment), \(silence.createdBy))
                """, logger: Self.logger)
        }
    }

    public func expireSilence(id: String, at instant: Timestamp) async throws -> Silence? {
        try await writing { connection in
            try await connection.query(
                """
                UPDATE alert_silences SET ends_at = \(instant.milliseconds), starts_at = least(starts_at, \(instant.milliseconds))
                WHERE id = \(id) AND ends_at > \(instant.milliseconds)
                """, logger: Self.logger)
        }
        return try await fetchSilences("WHERE id = \(id)").first
    }

    public func allSilences() async throws -> [Silence] {
        try await fetchSilences("ORDER BY starts_at DESC, id COLLATE \"C\"")
    }

    private func fetchSilences(_ condition: PostgresQuery) async throws -> [Silence] {
        var query: PostgresQuery = "SELECT id, matchers, starts_at, ends_at, comment, created_by FROM alert_silences "
        query.sql += condition.sql
        query.binds = condition.binds
        let rows = try await transaction { [query] connection in
            var rows: [(String, String, Int64, Int64, String, String)] = []
            for try await row in try await connection.query(query, logger: Self.logger).decode((String, String, Int64, Int64, String, String).self) {
                rows.append(row)
            }
            return rows
        }
        return try rows.map { id, matchers, starts, ends, comment, createdBy in
            guard let decoded = try? JSONDecoder().decode([SilenceMatcher].self, from: Data(matchers.utf8)) else {
                throw PostgresStoreError(database: database, message: "silence \(id) has matchers '\(matchers)' this build cannot read")
            }
            return Silence(
                id: id, matchers: decoded, startsAt: Timestamp(milliseconds: starts), endsAt: Timestamp(milliseconds: ends), comment: comment,
                createdBy: createdBy)
        }
    }
}
