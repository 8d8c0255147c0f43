import Foundation
import GRDB
public import VitalsCore
public import VitalsRules

extension SQLiteMetricStore: AlertStore {
    public func groupEvaluations() throws -> [String: Timestamp] {
        let rows = try writer.read { db in try Row.fetchAll(db, sql: "SELECT name, last_evaluated_at FROM alert_groups") }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["name"], Timestamp(milliseconds: $0["last_evaluated_at"])) })
    }

    public func alertStates() throws -> [AlertRuleID: AlertRuleState] {
        let (ruleRows, instanceRows) = try writer.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT group_name, alert, evaluated_at FROM alert_rules"),
                try Row.fetchAll(db, sql: "SELECT * FROM alert_instances ORDER BY group_name, alert, labels")
            )
        }
        var states: [AlertRuleID: AlertRuleState] = [:]
        for row in ruleRows {
            states[AlertRuleID(group: row["group_name"], alert: row["alert"])] = AlertRuleState(evaluatedAt: Self.timestamp(row["evaluated_at"]))
        }
        for row in instanceRows {
            let id = AlertRuleID(group: row["group_name"], alert: row["alert"])
            states[id, default: .initial].instances.append(try instance(row))
        }
        for id in states.keys { states[id]?.instances.sort { $0.labels < $1.labels } }
        return states
    }

    public func silences(notEndedAt instant: Timestamp) throws -> [Silence] {
        try fetchSilences(sql: "SELECT * FROM alert_silences WHERE ends_at > ? ORDER BY starts_at, id", arguments: [instant.milliseconds])
    }

    public func commit(_ round: AlertRoundRecord) throws {
        try writer.write { db in
            for group in round.groups {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO alert_groups (name, last_evaluated_at) VALUES (?, ?)",
                    arguments: [group, round.evaluatedAt.milliseconds])
            }
            for rule in round.rules {
                try write(rule, db)
            }
        }
    }

    private func write(_ rule: AlertRoundRecord.RuleRecord, _ db: Database) throws {
        let id: StatementArguments = [rule.rule.group, rule.rule.alert]
        try db.execute(
            sql: "INSERT OR REPLACE INTO alert_rules (group_name, alert, evaluated_at) VALUES (?, ?, ?)",
            arguments: id + [rule.state.evaluatedAt?.milliseconds])
        // The state is small (alerts that rest are dropped), so it is replaced whole rather than diffed.
        try db.execute(sql: "DELETE FROM alert_instances WHERE group_name = ? AND alert = ?", arguments: id)
        let insertInstance = try db.cachedStatement(
            sql: """
                INSERT INTO alert_instances (group_name, alert, labels, phase, active_at, fired_at, resolved_at, clear_since, last_sent_at,
                    last_firing_sent_at, firing_notified, severity, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for instance in rule.state.instances {
            try insertInstance.execute(
                arguments: id
                    + [
                        instance.labels.canonical, instance.phase.rawValue, instance.activeAt?.milliseconds, instance.firedAt?.milliseconds,
                        instance.resolvedAt?.milliseconds, instance.clearSince?.milliseconds, instance.lastSentAt?.milliseconds,
                        instance.lastFiringSentAt?.milliseconds, instance.firingNotified, instance.severity?.rawValue, instance.value,
                    ])
        }
        let insertTransition = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO alert_transitions (group_name, alert, labels, kind, from_phase, to_phase, severity, value, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for transition in rule.transitions {
            try insertTransition.execute(
                arguments: id
                    + [
                        transition.labels.canonical, transition.kind.rawValue, transition.from.rawValue, transition.to.rawValue,
                        transition.severity?.rawValue, transition.value, transition.at.milliseconds,
                    ])
        }
        // A replayed notification has a key the outbox already holds: it is ignored, never sent twice.
        let insertNotification = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO alert_outbox (group_name, alert, labels, kind, severity, value, summary, channels, idempotency_key,
                    created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for queued in rule.notifications {
            let notification = queued.notification
            try insertNotification.execute(
                arguments: id
                    + [
                        notification.labels.canonical, notification.kind.rawValue, notification.severity?.rawValue, notification.value,
                        queued.summary, try Self.json(notification.channels), notification.idempotencyKey, notification.at.milliseconds,
                    ])
        }
    }

    private func instance(_ row: Row) throws -> AlertInstance {
        let text: String = row["labels"]
        guard let labels = Labels(canonical: text), let phase = AlertPhase(rawValue: row["phase"]) else {
            throw StoreError.corruptRow(
                file,
                "alert instance of \(row["group_name"] as String)/\(row["alert"] as String) has labels '\(text)' "
                    + "or phase '\(row["phase"] as String)' this build does not know")
        }
        return AlertInstance(
            labels: labels, phase: phase, activeAt: Self.timestamp(row["active_at"]), firedAt: Self.timestamp(row["fired_at"]),
            resolvedAt: Self.timestamp(row["resolved_at"]), clearSince: Self.timestamp(row["clear_since"]),
            lastSentAt: Self.timestamp(row["last_sent_at"]), lastFiringSentAt: Self.timestamp(row["last_firing_sent_at"]),
            firingNotified: row["firing_notified"], severity: (row["severity"] as String?).flatMap(Severity.init(rawValue:)), value: row["value"])
    }

    func fetchSilences(sql: String, arguments: StatementArguments) throws -> [Silence] {
        let rows = try writer.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        return try rows.map { row in
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
