import Foundation
import GRDB
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore

/// v7 turns v4's one-status-per-message outbox into messages and per-channel deliveries, losing nothing.
@Suite struct OutboxMigrationTests {
    @Test func aPopulatedV4OutboxBecomesOneDeliveryPerChannel() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let old = try DatabaseQueue(path: path)
        try await StoreSchema.migrate(old, upTo: "v4", timeZone: utc)
        let rows: [(channels: String, status: String)] = [
            (#"["ops","pager"]"#, "pending"), ("[]", "pending"), (#"["ops"]"#, "delivered"), (#"["mail"]"#, "dead"),
        ]
        try await old.write { db in
            for (index, row) in rows.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO alert_outbox (group_name, alert, labels, kind, severity, value, summary, channels, idempotency_key, created_at, status)
                        VALUES ('api', 'HighErrorRate', 'service="api"', 'firing', 'critical', 0.07, ?, ?, ?, ?, ?)
                        """,
                    arguments: ["summary \(index)", row.channels, "key\(index)", 1_000 + index, row.status])
            }
        }
        try old.close()

        let store = try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400))
        let deliveries = try await store.deliveries(status: nil)
        #expect(deliveries.map { "\($0.message.idempotencyKey) \($0.channel) \($0.status)" } == [
            "key0 ops pending", "key0 pager pending", "key2 ops delivered", "key3 mail dead",
        ])
        let alert = AlertMessage(
            group: "api", alert: "HighErrorRate", labels: ["service": "api"], event: .firing, severity: .critical, value: 0.07, summary: "summary 0",
            at: Timestamp(milliseconds: 1_000))
        #expect(deliveries[0].message == OutboxMessage(id: 1, idempotencyKey: "key0", payload: .alert(alert), createdAt: Timestamp(milliseconds: 1_000)))
        #expect(deliveries.map(\.nextAttemptAt.milliseconds) == [1_000, 1_000, 1_002, 1_003])
        // The message with no channel list waits for the configured defaults.
        #expect(try await store.unroutedMessages(limit: 10).map { $0.message.idempotencyKey } == ["key1"])
        // Keys survive: the alert round's replay of a migrated notification is still ignored, and a new one is queued.
        #expect(try await store.outbox().map(\.idempotencyKey) == ["key0", "key1", "key2", "key3"])
        #expect(try await store.outbox(status: "pending").map(\.idempotencyKey) == ["key0", "key1"])
        #expect(try await store.enqueue(key: "key2", payload: .alert(alert), channels: ["ops"], at: .init(milliseconds: 5_000), force: false) == nil)
    }

    /// The alert round keeps queueing into `alert_outbox` as it did; the dispatcher routes what it queued.
    @Test(arguments: StoreKind.allCases) func theAlertRoundStillQueuesNotifications(_ kind: StoreKind) async throws {
        let instant = time("2026-11-25T08:10:00Z")
        let api: Labels = ["service": "api"]
        let notification = AlertNotification(
            group: "api", alert: "HighErrorRate", labels: api, kind: .firing, severity: .critical, value: 0.07, at: instant, channels: ["ops"])
        let round = AlertRoundRecord(
            evaluatedAt: instant, groups: ["api"],
            rules: [
                .init(
                    rule: AlertRuleID(group: "api", alert: "HighErrorRate"), state: AlertRuleState(evaluatedAt: instant, instances: []), transitions: [],
                    notifications: [QueuedNotification(notification, summary: "HighErrorRate firing")])
            ])
        let folder = try TemporaryFolder()
        let store =
            kind == .inMemory
            ? try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
            : try await SQLiteMetricStore(path: folder.file("vitals.db"), timeZone: utc, retention: .days(400))
        try await store.commit(round)
        let unrouted = try await store.unroutedMessages(limit: 10)
        #expect(unrouted.map(\.channels) == [["ops"]])
        guard case .alert(let alert) = unrouted.first?.message.payload else {
            Issue.record("expected an alert message")
            return
        }
        #expect(alert.summary == "HighErrorRate firing" && alert.event == .firing && alert.labels == api && alert.at == instant)
    }
}
