import Foundation
import GRDB
public import VitalsCore
public import VitalsRules

extension SQLiteMetricStore {
    /// The pending and firing alerts, firing first, then by rule and labels.
    public func activeAlerts() throws -> [StoredAlert] {
        try alertStates().sorted { $0.key < $1.key }.flatMap { id, state in
            state.instances.filter { $0.phase == .firing || $0.phase == .pending }.map { StoredAlert(rule: id, instance: $0) }
        }
        .sorted {
            ($0.instance.phase == .firing ? 0 : 1, $0.rule, $0.instance.labels) < ($1.instance.phase == .firing ? 0 : 1, $1.rule, $1.instance.labels)
        }
    }

    /// The transitions at or after `since`, oldest first.
    public func alertHistory(since: Timestamp) throws -> [AlertHistoryEntry] {
        let rows = try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert_transitions WHERE at >= ? ORDER BY at, id", arguments: [since.milliseconds])
        }
        return try rows.map { row in
            let text: String = row["labels"]
            guard let labels = Labels(canonical: text), let kind = AlertTransition.Kind(rawValue: row["kind"]),
                let from = AlertPhase(rawValue: row["from_phase"]), let to = AlertPhase(rawValue: row["to_phase"])
            else {
                throw StoreError.corruptRow(file, "alert transition \(row["id"] as Int64) has a label set, kind or phase this build does not know")
            }
            let transition = AlertTransition(
                labels: labels, kind: kind, from: from, to: to, severity: (row["severity"] as String?).flatMap(Severity.init(rawValue:)),
                value: row["value"], at: Timestamp(milliseconds: row["at"]))
            return AlertHistoryEntry(rule: AlertRuleID(group: row["group_name"], key: row["alert"]), transition: transition)
        }
    }

    /// The outbox, oldest first; only entries with `status` when given.
    public func outbox(status: String? = nil) throws -> [OutboxEntry] {
        let rows = try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (SELECT *, CASE WHEN routed = 0 OR EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.message_id = alert_outbox.id
                        AND d.status = 'pending') THEN 'pending' ELSE 'done' END AS status FROM alert_outbox WHERE payload_kind = 'alert')
                    WHERE ?1 IS NULL OR status = ?1 ORDER BY id
                    """, arguments: [status])
        }
        return try rows.map { row in
            let text: String = row["labels"]
            let channels: String = row["channels"]
            guard let labels = Labels(canonical: text), let kind = NotificationKind(rawValue: row["kind"]),
                let decoded = try? JSONDecoder().decode([String].self, from: Data(channels.utf8))
            else { throw StoreError.corruptRow(file, "outbox entry \(row["id"] as Int64) has labels, kind or channels this build cannot read") }
            return OutboxEntry(
                id: row["id"], rule: AlertRuleID(group: row["group_name"], key: row["alert"]), labels: labels, kind: kind,
                severity: (row["severity"] as String?).flatMap(Severity.init(rawValue:)), value: row["value"], summary: row["summary"],
                channels: decoded, idempotencyKey: row["idempotency_key"], createdAt: Timestamp(milliseconds: row["created_at"]),
                status: row["status"])
        }
    }

    /// Stores a new silence; its id must be new.
    public func addSilence(_ silence: Silence) throws {
        let matchers = try Self.json(silence.matchers)
        try writing { db in
            try db.execute(
                sql: "INSERT INTO alert_silences (id, matchers, starts_at, ends_at, comment, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [silence.id, matchers, silence.startsAt.milliseconds, silence.endsAt.milliseconds, silence.comment, silence.createdBy])
        }
    }

    /// Ends the silence `id` at `instant` (kept for the record, as Alertmanager expires rather than deletes). Returns the
    /// silence as it now is, or nil when no silence has that id; one that already ended is returned unchanged.
    public func expireSilence(id: String, at instant: Timestamp) throws -> Silence? {
        try writing { db in
            try db.execute(
                sql: "UPDATE alert_silences SET ends_at = ?2, starts_at = MIN(starts_at, ?2) WHERE id = ?1 AND ends_at > ?2",
                arguments: [id, instant.milliseconds])
        }
        return try fetchSilences(sql: "SELECT * FROM alert_silences WHERE id = ?", arguments: [id]).first
    }

    /// Every silence, ended ones included, newest start first.
    public func allSilences() throws -> [Silence] {
        try fetchSilences(sql: "SELECT * FROM alert_silences ORDER BY starts_at DESC, id", arguments: [])
    }
}
