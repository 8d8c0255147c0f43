import Foundation
import PostgresNIO
public import VitalsCore
public import VitalsPorts

/// The outbox in `outbox_messages` (each message once, its payload as JSON) and `outbox_deliveries` (one row per message and
/// channel), with the SQLite store's ordering rules: deliveries in the order their messages were queued, a channel waiting
/// for a retry holding its later messages.
extension PostgresMetricStore: OutboxStore {
    public func enqueue(
        key: String, payload: OutboxMessage.Payload, channels: [String], at now: Timestamp, force: Bool
    ) async throws -> OutboxMessage? {
        // An alert's JSON as an alert round's commit writes it (−0 as 0, the summary storable), so both give it back alike.
        let json =
            switch payload {
            case .alert(let message): PayloadJSON.alert(message)
            case .report: try String(decoding: PayloadJSON.encoder().encode(payload), as: UTF8.self)
            }
        let channelList = try String(decoding: JSONEncoder().encode(channels), as: UTF8.self)
        let routed = !channels.isEmpty
        return try await writing { connection -> OutboxMessage? in
            // Inserted, or (forced) updated in place; nothing when the key is held and not forced. Concurrent enqueues of one key
            // meet at its unique index, so one inserts and the other finds it.
            var id: Int64?
            let rows = try await connection.query(
                """
                INSERT INTO outbox_messages (idempotency_key, payload, channels, created_at, routed)
                VALUES (\(key), \(json), \(channelList), \(now.milliseconds), \(routed))
                ON CONFLICT (idempotency_key) DO UPDATE SET payload = excluded.payload, channels = excluded.channels,
                    created_at = excluded.created_at, routed = excluded.routed
                WHERE \(force)
                RETURNING id
                """, logger: Self.logger)
            for try await found in rows.decode(Int64.self) { id = found }
            guard let id else { return nil }
            try await Self.insertDeliveries(of: id, to: channels, at: now, connection)
            return OutboxMessage(id: id, idempotencyKey: key, payload: payload, createdAt: now)
        }
    }

    public func unroutedMessages(limit: Int) async throws -> [UnroutedMessage] {
        let rows = try await transaction { connection in
            var found: [(Int64, String, String, Int64, String)] = []
            let rows = try await connection.query(
                "SELECT id, idempotency_key, payload, created_at, channels FROM outbox_messages WHERE NOT routed ORDER BY id LIMIT \(Int64(limit))",
                logger: Self.logger)
            for try await row in rows.decode((Int64, String, String, Int64, String).self) { found.append(row) }
            return found
        }
        return try rows.map { id, key, payload, created, channels in
            guard let names = try? JSONDecoder().decode([String].self, from: Data(channels.utf8)) else {
                throw PostgresStoreError(database: database, message: "outbox message \(id) has a channel list this build cannot read")
            }
            return UnroutedMessage(message: try message(id: id, key: key, payload: payload, created: created), channels: names)
        }
    }

    public func route(messageID: Int64, to channels: [String], at now: Timestamp) async throws {
        try await writing { connection in
            try await Self.insertDeliveries(of: messageID, to: channels, at: now, connection)
            try await connection.query("UPDATE outbox_messages SET routed = true WHERE id = \(messageID)", logger: Self.logger)
        }
    }

    public func dueDeliveries(at now: Timestamp, limit: Int) async throws -> [OutboxDelivery] {
        try deliveries(from: try await transaction { connection in try await Self.dueDeliveries(at: now, limit: limit, claim: nil, connection) })
    }

    public func claimDueDeliveries(at now: Timestamp, limit: Int, claimant: String, until: Timestamp) async throws -> [OutboxDelivery] {
        try deliveries(
            from: try await writing { connection in
                // The channels this claimant takes: each channel's oldest pending delivery, locked unless another dispatcher is
                // claiming it right now (SKIP LOCKED passes over it), and not held by another's running claim. The claim is
                // checked on the locked row, so a claim another dispatcher committed meanwhile is seen.
                var channels: [String] = []
                for try await channel in try await connection.query(
                    """
                    SELECT d.channel FROM outbox_deliveries d
                    WHERE d.status = 'pending' AND (d.claimed_by IS NULL OR d.claimed_by = \(claimant) OR d.claimed_until <= \(now.milliseconds))
                        AND d.id IN (SELECT DISTINCT ON (channel) id FROM outbox_deliveries WHERE status = 'pending' ORDER BY channel, message_id, id)
                    FOR UPDATE OF d SKIP LOCKED
                    """, logger: Self.logger
                ).decode(String.self) {
                    channels.append(channel)
                }
                guard !channels.isEmpty else { return [] }
                return try await Self.dueDeliveries(at: now, limit: limit, claim: (claimant, until, channels), connection)
            })
    }

    /// The pending deliveries due at `now`, at most `limit`, in queue order; a channel waiting for a retry holds its later
    /// messages (`held`: per channel, the first message whose delivery waits). With a `claim`, only those of its channels,
    /// each claimed for its claimant until its end.
    private static func dueDeliveries(
        at now: Timestamp, limit: Int, claim: (claimant: String, until: Timestamp, channels: [String])?, _ connection: Session
    ) async throws -> [DeliveryRow] {
        try await deliveryRows(
            """
            WITH held AS (
                SELECT channel, min(message_id) AS from_message FROM outbox_deliveries WHERE status = 'pending' AND next_attempt_at > \(now.milliseconds)
                GROUP BY channel),
            due AS (
                SELECT d.id FROM outbox_deliveries d LEFT JOIN held h ON h.channel = d.channel
                WHERE d.status = 'pending' AND d.next_attempt_at <= \(now.milliseconds) AND (h.from_message IS NULL OR d.message_id < h.from_message)
                    AND (\(claim?.channels)::text[] IS NULL OR d.channel = ANY(\(claim?.channels)::text[]))
                ORDER BY d.message_id, d.id LIMIT \(Int64(limit))),
            claimed AS (
                UPDATE outbox_deliveries SET claimed_by = \(claim?.claimant), claimed_until = \(claim?.until.milliseconds)
                WHERE \(claim != nil) AND id IN (SELECT id FROM due))
            \(unescaped: Self.deliveryColumns) WHERE d.id IN (SELECT id FROM due) ORDER BY d.message_id, d.id
            """, connection)
    }

    public func record(_ result: DeliveryResult, forDelivery id: Int64, at now: Timestamp) async throws {
        let query: PostgresQuery =
            switch result {
            case .delivered(let status):
                """
                UPDATE outbox_deliveries SET attempts = attempts + 1, claimed_by = NULL, status = 'delivered', last_status = \(status.map(Int64.init)), last_error = NULL,
                    finished_at = \(now.milliseconds) WHERE id = \(id) AND status = 'pending'
                """
            case .retry(let at, let status, let error):
                """
                UPDATE outbox_deliveries SET attempts = attempts + 1, claimed_by = NULL, next_attempt_at = \(at.milliseconds), last_status = \(status.map(Int64.init)),
                    last_error = \(error.storable) WHERE id = \(id) AND status = 'pending'
                """
            case .dead(let status, let error):
                """
                UPDATE outbox_deliveries SET attempts = attempts + 1, claimed_by = NULL, status = 'dead', last_status = \(status.map(Int64.init)),
                    finished_at = \(now.milliseconds), last_error = \(error.storable) WHERE id = \(id) AND status = 'pending'
                """
            }
        try await writing { connection in try await connection.query(query, logger: Self.logger) }
    }

    public func recordProgress(_ progress: DeliveryProgress, forDelivery id: Int64) async throws {
        try await writing { connection in
            try await connection.query(
                """
                UPDATE outbox_deliveries SET parts_delivered = \(Int64(progress.partsDelivered)), thread = \(progress.thread)
                WHERE id = \(id) AND status = 'pending'
                """, logger: Self.logger)
        }
    }

    public func deliveries(status: DeliveryStatus?) async throws -> [OutboxDelivery] {
        let text = status?.rawValue
        return try await fetchDeliveries(
            "\(unescaped: Self.deliveryColumns) WHERE \(text)::text IS NULL OR d.status = \(text) ORDER BY d.message_id, d.id")
    }

    public func pendingCount() async throws -> Int {
        try await transaction { connection in
            var count = 0
            for try await found in try await connection.query("SELECT count(*) FROM outbox_deliveries WHERE status = 'pending'", logger: Self.logger)
                .decode(Int.self)
            {
                count = found
            }
            return count
        }
    }

    public func retry(deliveryID id: Int64, at now: Timestamp) async throws -> Bool {
        try await writing { connection in
            var changed = false
            let rows = try await connection.query(
                """
                UPDATE outbox_deliveries SET status = 'pending', attempts = 0, next_attempt_at = \(now.milliseconds), finished_at = NULL
                WHERE id = \(id) AND status <> 'delivered' RETURNING id
                """, logger: Self.logger)
            for try await _ in rows { changed = true }
            return changed
        }
    }

    public func nextDue() async throws -> Timestamp? {
        try await transaction { connection in
            var due: Int64?
            // A channel's first pending delivery holds the rest, so the channels' first ones say when anything is next due.
            let rows = try await connection.query(
                """
                SELECT min(d.next_attempt_at) FROM (
                    SELECT channel, min(message_id) AS first_message FROM outbox_deliveries WHERE status = 'pending' GROUP BY channel) f
                JOIN outbox_deliveries d ON d.channel = f.channel AND d.message_id = f.first_message
                """, logger: Self.logger)
            for try await found in rows.decode(Int64?.self) { due = found }
            return due.map(Timestamp.init(milliseconds:))
        }
    }

    public func prune(finishedBefore cutoff: Timestamp) async throws -> Int {
        try await writing { connection in
            var pruned = 0
            let rows = try await connection.query(
                """
                WITH gone AS (
                    DELETE FROM outbox_messages m WHERE routed AND created_at < \(cutoff.milliseconds) AND NOT EXISTS (
                        SELECT 1 FROM outbox_deliveries d WHERE d.message_id = m.id AND (d.status = 'pending' OR d.finished_at >= \(cutoff.milliseconds)))
                    RETURNING id)
                SELECT count(*) FROM gone
                """, logger: Self.logger)
            for try await count in rows.decode(Int.self) { pruned = count }
            return pruned
        }
    }

    /// The columns ``fetchDeliveries(_:)`` decodes, from the deliveries `d` joined to their messages `m`.
    private static let deliveryColumns = """
        SELECT m.id, m.idempotency_key, m.payload, m.created_at, d.id, d.channel, d.status, d.attempts, d.next_attempt_at, d.last_status,
            d.last_error, d.finished_at, d.parts_delivered, d.thread
        FROM outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id
        """

    /// A row of ``deliveryColumns``.
    private typealias DeliveryRow = (Int64, String, String, Int64, Int64, String, String, Int64, Int64, Int64?, String?, Int64?, Int64, String?)

    private func fetchDeliveries(_ query: PostgresQuery) async throws -> [OutboxDelivery] {
        try deliveries(from: try await transaction { connection in try await Self.deliveryRows(query, connection) })
    }

    private static func deliveryRows(_ query: PostgresQuery, _ connection: Session) async throws -> [DeliveryRow] {
        var found: [DeliveryRow] = []
        for try await row in try await connection.query(query, logger: logger).decode(DeliveryRow.self) { found.append(row) }
        return found
    }

    private func deliveries(from rows: [DeliveryRow]) throws -> [OutboxDelivery] {
        var messages: [Int64: OutboxMessage] = [:]
        return try rows.map {
            messageID, key, payload, created, id, channel, statusText, attempts, next, lastStatus, lastError, finished, parts, thread in
            let message = try messages[messageID] ?? self.message(id: messageID, key: key, payload: payload, created: created)
            messages[messageID] = message
            guard let status = DeliveryStatus(rawValue: statusText) else {
                throw PostgresStoreError(database: database, message: "outbox delivery \(id) has status '\(statusText)' this build does not know")
            }
            return OutboxDelivery(
                id: id, message: message, channel: channel, status: status, attempts: Int(attempts), nextAttemptAt: Timestamp(milliseconds: next),
                lastStatus: lastStatus.map(Int.init), lastError: lastError, finishedAt: finished.map(Timestamp.init(milliseconds:)),
                progress: parts == 0 && thread == nil ? nil : DeliveryProgress(partsDelivered: Int(parts), thread: thread))
        }
    }

    /// One pending delivery per channel, due at `now`; a channel the message already has is made pending again (a forced
    /// send), attempts counted from zero. Channels are inserted in the order given, so their ids keep it; a channel named
    /// twice (a routing that lists it twice) once, as the SQLite store's row-by-row upsert makes it: one statement cannot
    /// upsert a row twice, and failed the whole call.
    private static func insertDeliveries(of message: Int64, to channels: [String], at now: Timestamp, _ connection: Session) async throws {
        var seen = Set<String>()
        let channels = channels.filter { seen.insert($0).inserted }
        guard !channels.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO outbox_deliveries (message_id, channel, status, next_attempt_at)
            SELECT \(message), c.channel, 'pending', \(now.milliseconds) FROM unnest(\(channels)::text[]) WITH ORDINALITY AS c(channel, i) ORDER BY c.i
            ON CONFLICT (message_id, channel) DO UPDATE SET status = 'pending', attempts = 0, next_attempt_at = excluded.next_attempt_at,
                last_status = NULL, last_error = NULL, finished_at = NULL, parts_delivered = 0, thread = NULL
            """, logger: logger)
    }

    private func message(id: Int64, key: String, payload: String, created: Int64) throws -> OutboxMessage {
        guard let decoded = try? PayloadJSON.decoder().decode(OutboxMessage.Payload.self, from: Data(payload.utf8)) else {
            throw PostgresStoreError(database: database, message: "outbox message \(id) holds a payload this build cannot read")
        }
        return OutboxMessage(id: id, idempotencyKey: key, payload: decoded, createdAt: Timestamp(milliseconds: created))
    }
}
