import Foundation
import GRDB
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore: OutboxStore {
    public func enqueue(
        key: String, payload: OutboxMessage.Payload, channels: [String], at now: Timestamp, force: Bool
    ) async throws -> OutboxMessage? {
        let columns = try MessageColumns(payload)
        let channelList = try Self.json(channels)
        return try await writing { db in
            let existing = try Int64.fetchOne(db, sql: "SELECT id FROM alert_outbox WHERE idempotency_key = ?", arguments: [key])
            if existing != nil, !force { return nil }
            let id: Int64
            if let existing {
                try db.execute(
                    sql: """
                        UPDATE alert_outbox SET payload_kind = ?, group_name = ?, alert = ?, labels = ?, kind = ?, severity = ?, value = ?,
                            summary = ?, payload = ?, channels = ?, created_at = ?, routed = ? WHERE id = ?
                        """,
                    arguments: columns.arguments + [channelList, now.milliseconds, !channels.isEmpty, existing])
                id = existing
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO alert_outbox (payload_kind, group_name, alert, labels, kind, severity, value, summary, payload, channels,
                            created_at, routed, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: columns.arguments + [channelList, now.milliseconds, !channels.isEmpty, key])
                id = db.lastInsertedRowID
            }
            try Self.insertDeliveries(of: id, to: channels, at: now, db)
            return OutboxMessage(id: id, idempotencyKey: key, payload: payload, createdAt: now)
        }
    }

    public func unroutedMessages(limit: Int) async throws -> [UnroutedMessage] {
        let file = self.file
        return try await reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert_outbox WHERE routed = 0 ORDER BY id LIMIT ?", arguments: [limit]).map { row in
                let channels: String = row["channels"]
                guard let names = try? JSONDecoder().decode([String].self, from: Data(channels.utf8)) else {
                    throw StoreError.corruptRow(file, "outbox message \(row["id"] as Int64) has a channel list this build cannot read")
                }
                return UnroutedMessage(message: try Self.message(row, file: file), channels: names)
            }
        }
    }

    public func route(messageID: Int64, to channels: [String], at now: Timestamp) async throws {
        try await writing { db in
            try Self.insertDeliveries(of: messageID, to: channels, at: now, db)
            try db.execute(sql: "UPDATE alert_outbox SET routed = 1 WHERE id = ?", arguments: [messageID])
        }
    }

    public func dueDeliveries(at now: Timestamp, limit: Int) async throws -> [OutboxDelivery] {
        let file = self.file
        return try await reading { db in try Self.dueDeliveries(at: now, limit: limit, excluding: [], db, file: file) }
    }

    public func claimDueDeliveries(at now: Timestamp, limit: Int, claimant: String, until: Timestamp) async throws -> [OutboxDelivery] {
        let file = self.file
        return try await writing { db in
            // The channels whose oldest pending delivery another claimant holds a running claim on stay with it. The write
            // lock makes the read and the claim one step for every process on the file.
            let taken = try String.fetchSet(
                db,
                sql: """
                    SELECT d.channel FROM outbox_deliveries d
                    WHERE d.status = 'pending' AND d.claimed_by <> ?1 AND d.claimed_until > ?2 AND d.message_id = (
                        SELECT MIN(message_id) FROM outbox_deliveries o WHERE o.channel = d.channel AND o.status = 'pending')
                    """,
                arguments: [claimant, now.milliseconds])
            let due = try Self.dueDeliveries(at: now, limit: limit, excluding: taken, db, file: file)
            let claim = try db.cachedStatement(sql: "UPDATE outbox_deliveries SET claimed_by = ?, claimed_until = ? WHERE id = ?")
            for delivery in due { try claim.execute(arguments: [claimant, until.milliseconds, delivery.id]) }
            return due
        }
    }

    /// The pending deliveries due at `now`, at most `limit`, in queue order, none of the channels in `excluded`.
    private static func dueDeliveries(at now: Timestamp, limit: Int, excluding excluded: Set<String>, _ db: Database, file: String) throws
        -> [OutboxDelivery]
    {
        // `held`: per channel, the first message whose delivery waits for a retry; the channel's later ones wait behind it.
        // Computed once, so the read stays linear in the pending deliveries however many a channel holds.
        try deliveries(
            with: """
                WITH held AS (
                    SELECT channel, MIN(message_id) AS from_message FROM outbox_deliveries WHERE status = 'pending' AND next_attempt_at > ?1
                    GROUP BY channel)
                """,
            join: "LEFT JOIN held h ON h.channel = d.channel",
            where: """
                d.status = 'pending' AND d.next_attempt_at <= ?1 AND (h.from_message IS NULL OR d.message_id < h.from_message)
                    AND d.channel NOT IN (SELECT value FROM json_each(?2))
                """,
            limit: limit, arguments: [now.milliseconds, try json(excluded.sorted())], db, file: file)
    }

    public func record(_ result: DeliveryResult, forDelivery id: Int64, at now: Timestamp) async throws {
        let (sql, arguments): (String, StatementArguments) =
            switch result {
            case .delivered(let status):
                ("status = 'delivered', last_status = ?2, last_error = NULL, delivered_at = ?3, finished_at = ?3", [id, status, now.milliseconds])
            case .retry(let at, let status, let error):
                ("next_attempt_at = ?3, last_status = ?2, last_error = ?4", [id, status, at.milliseconds, error.storable])
            case .dead(let status, let error):
                ("status = 'dead', last_status = ?2, finished_at = ?3, last_error = ?4", [id, status, now.milliseconds, error.storable])
            }
        try await writing { db in
            try db.execute(
                sql: "UPDATE outbox_deliveries SET attempts = attempts + 1, claimed_by = NULL, \(sql) WHERE id = ?1 AND status = 'pending'",
                arguments: arguments)
        }
    }

    public func recordProgress(_ progress: DeliveryProgress, forDelivery id: Int64) async throws {
        try await writing { db in
            try db.execute(
                sql: "UPDATE outbox_deliveries SET parts_delivered = ?, thread = ? WHERE id = ? AND status = 'pending'",
                arguments: [progress.partsDelivered, progress.thread, id])
        }
    }

    public func deliveries(status: DeliveryStatus?) async throws -> [OutboxDelivery] {
        try await fetchDeliveries(where: "?1 IS NULL OR d.status = ?1", limit: -1, arguments: [status?.rawValue])
    }

    public func pendingCount() async throws -> Int {
        try await reading { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox_deliveries WHERE status = 'pending'") ?? 0 }
    }

    public func retry(deliveryID id: Int64, at now: Timestamp) async throws -> Bool {
        try await writing { db in
            try db.execute(
                sql: """
                    UPDATE outbox_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, finished_at = NULL
                    WHERE id = ? AND status <> 'delivered'
                    """,
                arguments: [now.milliseconds, id])
            return db.changesCount > 0
        }
    }

    public func nextDue() async throws -> Timestamp? {
        try await reading { db in
            // A channel's first pending delivery holds the rest, so the channels' first ones say when anything is next due.
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MIN(d.next_attempt_at) FROM (
                        SELECT channel, MIN(message_id) AS first_message FROM outbox_deliveries WHERE status = 'pending' GROUP BY channel) f
                    JOIN outbox_deliveries d ON d.channel = f.channel AND d.message_id = f.first_message
                    """
            ).map(Timestamp.init(milliseconds:))
        }
    }

    public func prune(finishedBefore cutoff: Timestamp) async throws -> Int {
        try await writing { db in
            try db.execute(
                sql: """
                    DELETE FROM alert_outbox WHERE routed = 1 AND created_at < ?1 AND NOT EXISTS (
                        SELECT 1 FROM outbox_deliveries d WHERE d.message_id = alert_outbox.id AND (d.status = 'pending' OR d.finished_at >= ?1))
                    """,
                arguments: [cutoff.milliseconds])
            let pruned = db.changesCount
            try db.execute(sql: "DELETE FROM outbox_deliveries WHERE message_id NOT IN (SELECT id FROM alert_outbox)")
            return pruned
        }
    }

    private func fetchDeliveries(where condition: String, limit: Int, arguments: StatementArguments) async throws -> [OutboxDelivery] {
        let file = self.file
        return try await reading { db in try Self.deliveries(where: condition, limit: limit, arguments: arguments, db, file: file) }
    }

    private static func deliveries(
        with prefix: String = "", join: String = "", where condition: String, limit: Int, arguments: StatementArguments, _ db: Database, file: String
    ) throws -> [OutboxDelivery] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                \(prefix)
                SELECT m.*, d.id AS delivery_id, d.channel AS delivery_channel, d.status AS delivery_status, d.attempts, d.next_attempt_at,
                    d.last_status, d.last_error, d.finished_at, d.parts_delivered, d.thread
                FROM outbox_deliveries d JOIN alert_outbox m ON m.id = d.message_id \(join)
                WHERE \(condition) ORDER BY d.message_id, d.id LIMIT \(limit)
                """,
            arguments: arguments)
        var messages: [Int64: OutboxMessage] = [:]
        return try rows.map { row in
            let messageID: Int64 = row["id"]
            let message = try messages[messageID] ?? Self.message(row, file: file)
            messages[messageID] = message
            let statusText: String = row["delivery_status"]
            guard let status = DeliveryStatus(rawValue: statusText) else {
                throw StoreError.corruptRow(
                    file, "outbox delivery \(row["delivery_id"] as Int64) has status '\(statusText)' this build does not know")
            }
            return OutboxDelivery(
                id: row["delivery_id"], message: message, channel: row["delivery_channel"], status: status, attempts: row["attempts"],
                nextAttemptAt: Timestamp(milliseconds: row["next_attempt_at"]), lastStatus: row["last_status"], lastError: row["last_error"],
                finishedAt: Self.timestamp(row["finished_at"]), progress: Self.progress(row))
        }
    }

    /// One pending delivery per channel, due at `now`; a channel the message already has is made pending again (a forced
    /// `--send`), attempts counted from zero.
    private static func insertDeliveries(of message: Int64, to channels: [String], at now: Timestamp, _ db: Database) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO outbox_deliveries (message_id, channel, status, next_attempt_at) VALUES (?1, ?2, 'pending', ?3)
                ON CONFLICT (message_id, channel) DO UPDATE SET status = 'pending', attempts = 0, next_attempt_at = ?3, last_status = NULL,
                    last_error = NULL, delivered_at = NULL, finished_at = NULL, parts_delivered = 0, thread = NULL
                """)
        for channel in channels { try upsert.execute(arguments: [message, channel, now.milliseconds]) }
    }

    /// The progress of a delivery row; nil before a part was recorded.
    private static func progress(_ row: Row) -> DeliveryProgress? {
        let parts: Int = row["parts_delivered"]
        let thread: String? = row["thread"]
        return parts == 0 && thread == nil ? nil : DeliveryProgress(partsDelivered: parts, thread: thread)
    }

    /// The message of an `alert_outbox` row (`SELECT *`, possibly with more columns).
    static func message(_ row: Row, file: String) throws -> OutboxMessage {
        let id: Int64 = row["id"]
        let payload: OutboxMessage.Payload
        switch row["payload_kind"] as String {
        case "report":
            let text: String? = row["payload"]
            guard let report = try? JSONDecoder().decode(ReportMessage.self, from: Data((text ?? "").utf8)) else {
                throw StoreError.corruptRow(file, "outbox message \(id) holds a report this build cannot read")
            }
            payload = .report(report)
        default:
            let labelsText: String? = row["labels"]
            let kindText: String? = row["kind"]
            guard let group: String = row["group_name"], let alert: String = row["alert"], let labels = labelsText.flatMap(Labels.init(canonical:)),
                let event = kindText.flatMap(AlertMessage.Event.init(rawValue:))
            else { throw StoreError.corruptRow(file, "outbox message \(id) has an alert, labels or kind this build cannot read") }
            payload = .alert(
                AlertMessage(
                    group: group, alert: alert, labels: labels, event: event,
                    severity: (row["severity"] as String?).flatMap(Severity.init(rawValue:)),
                    value: StoredNumber.value(row["value"]), summary: row["summary"] ?? "", at: Timestamp(milliseconds: row["created_at"])))
        }
        return OutboxMessage(id: id, idempotencyKey: row["idempotency_key"], payload: payload, createdAt: Timestamp(milliseconds: row["created_at"]))
    }
}

/// A payload's columns in `alert_outbox`: payload_kind, group_name, alert, labels, kind, severity, value, summary, payload.
struct MessageColumns {
    let arguments: StatementArguments

    init(_ payload: OutboxMessage.Payload) throws {
        switch payload {
        case .alert(let alert):
            arguments = [
                "alert", alert.group, alert.alert, alert.labels.canonical, alert.event.rawValue, alert.severity?.rawValue,
                StoredNumber.databaseValue(alert.value), alert.summary.storable,
                nil,
            ]
        case .report(let report):
            arguments = ["report", nil, nil, nil, nil, nil, nil, report.title, try SQLiteMetricStore.json(report)]
        }
    }
}
