/// The alerting tables of schema v3; `docs/alerting.md` describes them and the guarantees they give.
enum AlertTables {
    static let creation = """
        CREATE TABLE alert_groups (
            name TEXT PRIMARY KEY,
            last_evaluated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE alert_rules (
            group_name TEXT NOT NULL,
            alert TEXT NOT NULL,
            evaluated_at INTEGER,
            PRIMARY KEY (group_name, alert)
        ) WITHOUT ROWID;
        CREATE TABLE alert_instances (
            group_name TEXT NOT NULL,
            alert TEXT NOT NULL,
            labels TEXT NOT NULL,
            phase TEXT NOT NULL,
            active_at INTEGER,
            fired_at INTEGER,
            resolved_at INTEGER,
            clear_since INTEGER,
            last_sent_at INTEGER,
            last_firing_sent_at INTEGER,
            firing_notified INTEGER NOT NULL,
            severity TEXT,
            value REAL,
            PRIMARY KEY (group_name, alert, labels)
        ) WITHOUT ROWID;
        CREATE TABLE alert_transitions (
            id INTEGER PRIMARY KEY,
            group_name TEXT NOT NULL,
            alert TEXT NOT NULL,
            labels TEXT NOT NULL,
            kind TEXT NOT NULL,
            from_phase TEXT NOT NULL,
            to_phase TEXT NOT NULL,
            severity TEXT,
            value REAL,
            at INTEGER NOT NULL,
            UNIQUE (group_name, alert, labels, kind, at)
        );
        CREATE INDEX alert_transitions_by_time ON alert_transitions (at);
        CREATE TABLE alert_outbox (
            id INTEGER PRIMARY KEY,
            group_name TEXT NOT NULL,
            alert TEXT NOT NULL,
            labels TEXT NOT NULL,
            kind TEXT NOT NULL,
            severity TEXT,
            value REAL,
            summary TEXT NOT NULL,
            channels TEXT NOT NULL,
            idempotency_key TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending'
        );
        CREATE INDEX alert_outbox_by_status ON alert_outbox (status, id);
        CREATE TABLE alert_silences (
            id TEXT PRIMARY KEY,
            matchers TEXT NOT NULL,
            starts_at INTEGER NOT NULL,
            ends_at INTEGER NOT NULL,
            comment TEXT NOT NULL,
            created_by TEXT NOT NULL
        ) WITHOUT ROWID;
        """
}
