import Foundation
import GRDB
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore: AlertStore {
    public func groupEvaluations() async throws -> [String: Timestamp] {
        let rows = try await fetchRows(sql: "SELECT name, last_evaluated_at FROM alert_groups") { row -> (String, Timestamp) in
            (row["name"], Timestamp(milliseconds: row["last_evaluated_at"]))
        }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    public func alertStates() async throws -> [AlertRuleID: AlertRuleState] {
        try await reading { db in
            var states: [AlertRuleID: AlertRuleState] = [:]
            let rules = try Row.fetchCursor(db, sql: "SELECT group_name, alert, evaluated_at FROM alert_rules")
            while let row = try rules.next() {
                states[AlertRuleID(group: row[0], key: row[1])] = AlertRuleState(evaluatedAt: Self.timestamp(row[2]))
            }
            // Columns by position: the round reads every instance, and looking columns up by name costs more than the rest.
            let instances = try Row.fetchCursor(
                db,
                sql: """
                    SELECT group_name, alert, labels, phase, active_at, fired_at, resolved_at, clear_since, last_sent_at, last_firing_sent_at,
                        firing_notified, severity, value FROM alert_instances ORDER BY group_name, alert, labels
                    """)
            while let row = try instances.next() {
                let id = AlertRuleID(group: row[0], key: row[1])
                states[id, default: .initial].instances.append(try instance(row, of: id))
            }
            for id in states.keys { states[id]?.instances.sort { $0.labels < $1.labels } }
            return states
        }
    }

    public func silences(notEndedAt instant: Timestamp) async throws -> [Silence] {
        try await fetchSilences(sql: "SELECT * FROM alert_silences WHERE ends_at > ? ORDER BY starts_at, id", arguments: [instant.milliseconds])
    }

    /// One write transaction, taken only once the round has evaluated everything, so no other task waits on the write lock
    /// while the round computes.
    public func commit(slots: [String: Timestamp], rules: [AlertRoundRecord.RuleRecord]) async throws {
        try await writing { db in
            let upsertGroup = try db.cachedStatement(
                sql: """
                    INSERT INTO alert_groups (name, last_evaluated_at) VALUES (?, ?)
                    ON CONFLICT (name) DO UPDATE SET last_evaluated_at = excluded.last_evaluated_at
                    """)
            for (group, slot) in slots.sorted(by: { $0.key < $1.key }) {
                try upsertGroup.execute(arguments: [group, slot.milliseconds])
            }
            var channelsJSON: [[String]: String] = [:]
            for rule in rules {
                try write(rule, db, channelsJSON: &channelsJSON)
            }
        }
    }

    private func write(_ rule: AlertRoundRecord.RuleRecord, _ db: Database, channelsJSON: inout [[String]: String]) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO alert_rules (group_name, alert, evaluated_at) VALUES (?, ?, ?)
                ON CONFLICT (group_name, alert) DO UPDATE SET evaluated_at = excluded.evaluated_at
                """
        ).executeBound(in: db) { binder in
            try binder.bind(rule.rule.group)
            try binder.bind(rule.rule.key)
            try binder.bind(rule.state.evaluatedAt?.milliseconds)
        }
        if rule.instancesChanged { try writeInstances(of: rule, [rule.rule.group, rule.rule.key], db) }
        let insertTransition = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO alert_transitions (group_name, alert, labels, kind, from_phase, to_phase, severity, value, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for transition in rule.transitions {
            try insertTransition.executeBound(in: db) { binder in
                try binder.bind(rule.rule.group)
                try binder.bind(rule.rule.key)
                try binder.bind(transition.labels.canonical)
                try binder.bind(transition.kind.rawValue)
                try binder.bind(transition.from.rawValue)
                try binder.bind(transition.to.rawValue)
                try binder.bind(transition.severity?.rawValue)
                try binder.bind(number: transition.value)
                try binder.bind(transition.at.milliseconds)
            }
        }
        // A replayed notification has a key the outbox already holds: it is ignored, never sent twice.
        let insertNotification = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO alert_outbox (group_name, alert, labels, kind, severity, value, summary, channels, idempotency_key,
                    created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for queued in rule.notifications {
            let notification = queued.notification
            // Rules share a few channel lists; encoding each once spares a JSON encoder per notification.
            let channels = try channelsJSON[notification.channels] ?? Self.json(notification.channels)
            channelsJSON[notification.channels] = channels
            try insertNotification.executeBound(in: db) { binder in
                try binder.bind(rule.rule.group)
                try binder.bind(rule.rule.key)
                try binder.bind(notification.labels.canonical)
                try binder.bind(notification.kind.rawValue)
                try binder.bind(notification.severity?.rawValue)
                try binder.bind(number: notification.value)
                try binder.bind(queued.summary.storable)
                try binder.bind(channels)
                try binder.bind(notification.idempotencyKey)
                try binder.bind(notification.at.milliseconds)
            }
        }
    }

    /// Replaces a rule's instances whole: the state is small (alerts that rest are dropped), so it is not diffed.
    private func writeInstances(of rule: AlertRoundRecord.RuleRecord, _ id: StatementArguments, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM alert_instances WHERE group_name = ? AND alert = ?").execute(arguments: id)
        let insertInstance = try db.cachedStatement(
            sql: """
                INSERT INTO alert_instances (group_name, alert, labels, phase, active_at, fired_at, resolved_at, clear_since, last_sent_at,
                    last_firing_sent_at, firing_notified, severity, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        // Bound through the C API: a round can write thousands of these, and GRDB's argument arrays box every value.
        for instance in rule.state.instances {
            try insertInstance.executeBound(in: db) { binder in
                try binder.bind(rule.rule.group)
                try binder.bind(rule.rule.key)
                try binder.bind(instance.labels.canonical)
                try binder.bind(instance.phase.rawValue)
                for time in [instance.activeAt, instance.firedAt, instance.resolvedAt, instance.clearSince, instance.lastSentAt, instance.lastFiringSentAt] {
                    try binder.bind(time?.milliseconds)
                }
                try binder.bind(instance.firingNotified)
                try binder.bind(instance.severity?.rawValue)
                try binder.bind(number: instance.value)
            }
        }
    }

    private func instance(_ row: Row, of rule: AlertRuleID) throws -> AlertInstance {
        let text: String = row[2]
        let phaseText: String = row[3]
        guard let labels = Labels(canonical: text), let phase = AlertPhase(rawValue: phaseText) else {
            throw StoreError.corruptRow(file, "alert instance of \(rule) has labels '\(text)' or phase '\(phaseText)' this build does not know")
        }
        return AlertInstance(
            labels: labels, phase: phase, activeAt: Self.timestamp(row[4]), firedAt: Self.timestamp(row[5]), resolvedAt: Self.timestamp(row[6]),
            clearSince: Self.timestamp(row[7]), lastSentAt: Self.timestamp(row[8]), lastFiringSentAt: Self.timestamp(row[9]),
            firingNotified: row[10], severity: (row[11] as String?).flatMap(Severity.init(rawValue:)), value: StoredNumber.value(row[12]))
    }

    func fetchSilences(sql: String, arguments: StatementArguments) async throws -> [Silence] {
        try await fetchRows(sql: sql, arguments: arguments) { row in
            let matchers: String = row["matchers"]
            guard let decoded = try? JSONDecoder().decode([SilenceMatcher].self, from: Data(matchers.utf8)) else {
                throw StoreError.corruptRow(file, "silence \(row["id"] as String) has matchers '\(matchers)' this build cannot read")
            }
            return Silence(
                id: row["id"], matchers: decoded, startsAt: Timestamp(milliseconds: row["starts_at"]),
                endsAt: Timestamp(milliseconds: row["ends_at"]),
                comment: row["comment"], createdBy: row["created_by"])
        }
    }

    static func timestamp(_ milliseconds: Int64?) -> Timestamp? { milliseconds.map(Timestamp.init(milliseconds:)) }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
