/// Schema v7: the outbox keeps each message once (`alert_outbox`, the table the alert round has always queued into, now
/// holding reports too) and one row per message and channel in `outbox_deliveries`; `docs/delivery.md` describes both.
enum OutboxTables {
    /// v3's `alert_outbox` had one `status` per message and required the alert columns; it is rebuilt with the alert columns
    /// optional, the message's `payload_kind` (`alert` or `report`), a report's `payload` (JSON), and whether it is `routed`
    /// (has its deliveries). Each existing message gets one delivery per channel of its list, with the message's status;
    /// a message whose list is empty was meant for the default channels, which the dispatcher routes it to.
    static let v7 = """
        CREATE TABLE outbox_messages_v7 (
            id INTEGER PRIMARY KEY,
            payload_kind TEXT NOT NULL DEFAULT 'alert',
            group_name TEXT,
            alert TEXT,
            labels TEXT,
            kind TEXT,
            severity TEXT,
            value REAL,
            summary TEXT,
            payload TEXT,
            channels TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            routed INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO outbox_messages_v7 (id, group_name, alert, labels, kind, severity, value, summary, channels, idempotency_key, created_at, routed)
            SELECT id, group_name, alert, labels, kind, severity, value, summary, channels, idempotency_key, created_at,
                json_array_length(channels) > 0 OR status <> 'pending'
            FROM alert_outbox;
        CREATE TABLE outbox_deliveries (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL,
            channel TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_status INTEGER,
            last_error TEXT,
            delivered_at INTEGER,
            finished_at INTEGER,
            UNIQUE (message_id, channel)
        );
        INSERT INTO outbox_deliveries (message_id, channel, status, next_attempt_at, delivered_at, finished_at)
            SELECT o.id, c.value, CASE o.status WHEN 'delivered' THEN 'delivered' WHEN 'dead' THEN 'dead' ELSE 'pending' END, o.created_at,
                CASE o.status WHEN 'delivered' THEN o.created_at END, CASE WHEN o.status IN ('delivered', 'dead') THEN o.created_at END
            FROM alert_outbox o, json_each(o.channels) c
            ORDER BY o.id, c.key;
        DROP TABLE alert_outbox;
        ALTER TABLE outbox_messages_v7 RENAME TO alert_outbox;
        CREATE INDEX alert_outbox_unrouted ON alert_outbox (routed, id);
        CREATE INDEX outbox_deliveries_by_channel ON outbox_deliveries (status, channel, message_id);
        CREATE INDEX outbox_deliveries_by_message ON outbox_deliveries (message_id);
        """

    /// v8: a delivery's progress through a message sent in parts: `parts_delivered` and the `thread` they went to.
    static let v8 = """
        ALTER TABLE outbox_deliveries ADD COLUMN parts_delivered INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE outbox_deliveries ADD COLUMN thread TEXT;
        """

    /// v9: a dispatcher's claim on a delivery: who (`claimed_by`) and until when (`claimed_until`, ms).
    static let v9 = """
        ALTER TABLE outbox_deliveries ADD COLUMN claimed_by TEXT;
        ALTER TABLE outbox_deliveries ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;
        """
}
