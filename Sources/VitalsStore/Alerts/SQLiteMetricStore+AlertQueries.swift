import Foundation
import GRDB
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore: AlertHistory, SilenceStore {
    /// The transitions at or after `since`, oldest first.
    public func alertHistory(since: Timestamp) async throws -> [AlertHistoryEntry] {
        try await fetchRows(sql: "SELECT * FROM alert_transitions WHERE at >= ? ORDER BY at, id", arguments: [since.milliseconds]) { row in
            let text: String = row["labels"]
            guard let labels = Labels(canonical: text), let kind = AlertTransition.Kind(rawValue: row["kind"]),
                let from = AlertPhase(rawValue: row["from_phase"]), let to = AlertPhase(rawValue: row["to_phase"])
            else {
                throw StoreError.corruptRow(file, "alert transition \(row["id"] as Int64) has a label set, kind or phase this build does not know")
            }
            let transition = AlertTransition(
                labels: labels, kind: kind, from: from, to: to, severity: (row["severity"] as String?).flatMap(Severity.init(rawValue:)),
                value: StoredNumber.value(row["value"]), at: Timestamp(milliseconds: row["at"]))
            return AlertHistoryEntry(rule: AlertRuleID(group: row["group_name"], key: row["alert"]), transition: transition)
        }
    }

    /// The outbox, oldest first; only entries with `status` when given.
    public func outbox(status: String? = nil) async throws -> [OutboxEntry] {
        try await fetchRows(
            sql: """
                SELECT * FROM (SELECT *, CASE WHEN routed = 0 OR EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.message_id = alert_outbox.id
                    AND d.status = 'pending') THEN 'pending' ELSE 'done' END AS status FROM alert_outbox WHERE payload_kind = 'alert')
                WHERE ?1 IS NULL OR status = ?1 ORDER BY id
                """, arguments: [status]
        ) { row in
            let text: String = row["labels"]
            let channels: String = row["channels"]
            guard let labels = Labels(canonical: text), let kind = NotificationKind(rawValue: row["kind"]),
                let decoded = try? JSONDecoder().decode([String].self, from: Data(channels.utf8))
            else { throw StoreError.corruptRow(file, "outbox entry \(row["id"] as Int64) has labels, kind or channels this build cannot read") }
            return OutboxEntry(
                id: row["id"], rule: AlertRuleID(group: row["group_name"], key: row["alert"]), labels: labels, kind: kind,
                severity: (row["severity"] as String?).flatMap(Severity.init(rawValue:)), value: StoredNumber.value(row["value"]),
                summary: row["summary"],
                channels: decoded, idempotencyKey: row["idempotency_key"], createdAt: Timestamp(milliseconds: row["created_at"]),
                status: row["status"])
        }
    }

    /// Stores a new silence; its id must be new.
    public func addSilence(_ silence: Silence) async throws {
        let matchers = try Self.json(silence.matchers)
        try await writing { db in
            try db.execute(
                sql: "INSERT INTO alert_silences (id, matchers, starts_at, ends_at, comment, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    silence.id, matchers, silence.startsAt.milliseconds, silence.endsAt.milliseconds, silence.comment.storable,
                    silence.createdBy.storable,
                ])
        }
    }

    /// Ends the silence `id` at `instant` (kept for the record, as Alertmanager expires rather than deletes). Returns the
    /// silence as it now is, or nil when no silence has that id; one that already ended is returned unchanged.
    public func expireSilence(id: String, at instant: Timestamp) async throws -> Silence? {
        try await writing { db in
            try db.execute(
                sql: "UPDATE alert_silences SET ends_at = ?2, starts_at = MIN(starts_at, ?2) WHERE id = ?1 AND ends_at > ?2",
                arguments: [id, instant.milliseconds])
        }
        return try await fetchSilences(sql: "SELECT * FROM alert_silences WHERE id = ?", arguments: [id]).first
    }

    /// Every silence, ended ones included, newest start first.
    public func allSilences() async throws -> [Silence] {
        try await fetchSilences(sql: "SELECT * FROM alert_silences ORDER BY starts_at DESC, id", arguments: [])
    }
}
