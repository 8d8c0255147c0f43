import Foundation
import PostgresNIO
import VitalsCore

/// The PostgreSQL schema, as versioned migrations applied in order, each version once.
///
/// All pending versions are applied in one transaction holding an advisory lock, so instances that start together wait
/// for the first one and then find nothing left to do; a failed migration leaves the database as it was.
enum PostgresSchema {
    /// The advisory lock taken while migrating ("vitals" and 1).
    static let migrationLock: Int64 = 0x7669_7461_6C73_0001

    /// The migrations, oldest first; version `i + 1` is `migrations[i]`. A released migration is never edited.
    static let migrations: [[String]] = [
        // v1: series and their samples, partitioned by month of the sample's time (UTC), with hourly and daily rollups;
        // the job-run log, what sources remember, and the store's metadata. Reads sort labels bytewise (COLLATE "C"), as SQLite does.
        [
            """
            CREATE TABLE series (
                id bigserial PRIMARY KEY,
                name text NOT NULL,
                labels text NOT NULL,
                kind text NOT NULL,
                unit text NOT NULL,
                UNIQUE (name, labels)
            )
            """,
            """
            CREATE TABLE samples (
                series_id bigint NOT NULL,
                ts bigint NOT NULL,
                value double precision NOT NULL,
                PRIMARY KEY (series_id, ts)
            ) PARTITION BY RANGE (ts)
            """,
            """
            CREATE TABLE hourly_rollups (
                series_id bigint NOT NULL REFERENCES series(id),
                bucket_start bigint NOT NULL,
                count bigint NOT NULL,
                sum double precision NOT NULL,
                min double precision NOT NULL,
                max double precision NOT NULL,
                first_ts bigint NOT NULL,
                first double precision NOT NULL,
                last_ts bigint NOT NULL,
                last double precision NOT NULL,
                increase double precision NOT NULL,
                PRIMARY KEY (series_id, bucket_start)
            )
            """,
            """
            CREATE TABLE daily_rollups (LIKE hourly_rollups INCLUDING ALL)
            """,
            """
            CREATE TABLE job_runs (
                id bigserial PRIMARY KEY,
                source text NOT NULL,
                scheduled bigint,
                started bigint NOT NULL,
                finished bigint NOT NULL,
                status text NOT NULL,
                error text,
                samples_written bigint NOT NULL
            )
            """,
            """
            CREATE INDEX job_runs_by_source ON job_runs (source, started)
            """,
            """
            CREATE TABLE source_state (
                source text NOT NULL,
                key text NOT NULL,
                value text NOT NULL,
                PRIMARY KEY (source, key)
            )
            """,
            """
            CREATE TABLE metadata (key text PRIMARY KEY, value text NOT NULL)
            """,
            // The leader lease: one row, its holder, its epoch (which grows with every change of holder), when it expires.
            """
            CREATE TABLE leader_lease (
                id integer PRIMARY KEY CHECK (id = 1),
                holder text NOT NULL,
                epoch bigint NOT NULL,
                expires bigint NOT NULL
            )
            """,
            // The outbox: each message once, its payload as JSON, and one delivery per message and channel (docs/delivery.md).
            """
            CREATE TABLE outbox_messages (
                id bigserial PRIMARY KEY,
                idempotency_key text NOT NULL UNIQUE,
                payload text NOT NULL,
                channels text NOT NULL,
                created_at bigint NOT NULL,
                routed boolean NOT NULL
            )
            """,
            "CREATE INDEX outbox_messages_unrouted ON outbox_messages (id) WHERE NOT routed",
            """
            CREATE TABLE outbox_deliveries (
                id bigserial PRIMARY KEY,
                message_id bigint NOT NULL REFERENCES outbox_messages(id) ON DELETE CASCADE,
                channel text NOT NULL,
                status text NOT NULL,
                attempts bigint NOT NULL DEFAULT 0,
                next_attempt_at bigint NOT NULL,
                last_status bigint,
                last_error text,
                finished_at bigint,
                UNIQUE (message_id, channel)
            )
            """,
            "CREATE INDEX outbox_deliveries_by_channel ON outbox_deliveries (status, channel, message_id)",
            // The alert round's state, its history and the silences (docs/alerting.md).
            "CREATE TABLE alert_groups (name text PRIMARY KEY, last_evaluated_at bigint NOT NULL)",
            "CREATE TABLE alert_rules (group_name text NOT NULL, alert text NOT NULL, evaluated_at bigint, PRIMARY KEY (group_name, alert))",
            """
            CREATE TABLE alert_instances (
                group_name text NOT NULL,
                alert text NOT NULL,
                labels text NOT NULL,
                phase text NOT NULL,
                active_at bigint,
                fired_at bigint,
                resolved_at bigint,
                clear_since bigint,
                last_sent_at bigint,
                last_firing_sent_at bigint,
                firing_notified boolean NOT NULL,
                severity text,
                value double precision,
                PRIMARY KEY (group_name, alert, labels)
            )
            """,
            """
            CREATE TABLE alert_transitions (
                id bigserial PRIMARY KEY,
                group_name text NOT NULL,
                alert text NOT NULL,
                labels text NOT NULL,
                kind text NOT NULL,
                from_phase text NOT NULL,
                to_phase text NOT NULL,
                severity text,
                value double precision,
                at bigint NOT NULL,
                UNIQUE (group_name, alert, labels, kind, at)
            )
            """,
            "CREATE INDEX alert_transitions_by_time ON alert_transitions (at)",
            """
            CREATE TABLE alert_silences (
                id text PRIMARY KEY,
                matchers text NOT NULL,
                starts_at bigint NOT NULL,
                ends_at bigint NOT NULL,
                comment text NOT NULL,
                created_by text NOT NULL
            )
            """,
        ],
        // 2: a delivery's progress through a message sent in parts (a report's Slack thread), as SQLite's v8.
        [
            "ALTER TABLE outbox_deliveries ADD COLUMN parts_delivered bigint NOT NULL DEFAULT 0, ADD COLUMN thread text"
        ],
        // 3: a dispatcher's claim on a delivery (`claimDueDeliveries`), so dispatchers of several instances never send one twice.
        [
            "ALTER TABLE outbox_deliveries ADD COLUMN claimed_by text, ADD COLUMN claimed_until bigint NOT NULL DEFAULT 0"
        ],
        // 4: the order samples were written in, as SQLite's v10: each sample carries the sequence number of the write that
        // last set it (0 before this version, left out of the partial index), and `sample_writes` the last number given,
        // the epoch that moves of samples advance and the last retention's cutoff (see `SampleWriteMark`). Writers take
        // the numbers under the row's lock, so they commit in the order of their numbers and a reader never sees a later
        // number before an earlier one.
        [
            "ALTER TABLE samples ADD COLUMN seq bigint NOT NULL DEFAULT 0",
            "CREATE INDEX samples_by_seq ON samples (seq) WHERE seq > 0",
            """
            CREATE TABLE sample_writes (
                id integer PRIMARY KEY CHECK (id = 1), sequence bigint NOT NULL, epoch bigint NOT NULL, removed_before bigint
            )
            """,
            "INSERT INTO sample_writes (id, sequence, epoch) VALUES (1, 0, 0)",
        ],
        // 5: writers of samples no longer take turns on the row of `sample_writes`, and the history is kept by series rather
        // than by sample (a second index entry on every sample slowed ingest): `sample_changes` holds a row per write and
        // series, the write's transaction id (`write_xid`) and the first and last time it set (see
        // `samplesWritten(named:since:)`). The numbers of 4 mean nothing beside transaction ids, so `seq` and the sequence
        // go; the epoch advances, so a mark taken before does not continue and its reader reads in full once.
        [
            "ALTER TABLE samples DROP COLUMN seq",
            """
            CREATE TABLE sample_changes (
                write_xid bigint NOT NULL, series_id bigint NOT NULL, first_ts bigint NOT NULL, last_ts bigint NOT NULL
            )
            """,
            "CREATE INDEX sample_changes_by_write_xid ON sample_changes (write_xid)",
            "ALTER TABLE sample_writes DROP COLUMN sequence",
            "UPDATE sample_writes SET epoch = epoch + 1",
        ],
        // 6: every alert round updates most of its rules' rows and many instances' (the time evaluated, the value): half of
        // each page is left free, so that an update can put the row's new version on its page and leave the indexes alone
        // (a heap-only update, which halved the round's write of instances). The rows are written again, so that the pages
        // they are on have the room too.
        [
            "ALTER TABLE alert_instances SET (fillfactor = 50)",
            "ALTER TABLE alert_rules SET (fillfactor = 50)",
            "CREATE TEMPORARY TABLE moved_instances ON COMMIT DROP AS SELECT * FROM alert_instances",
            "DELETE FROM alert_instances",
            "INSERT INTO alert_instances SELECT * FROM moved_instances",
            "CREATE TEMPORARY TABLE moved_rules ON COMMIT DROP AS SELECT * FROM alert_rules",
            "DELETE FROM alert_rules",
            "INSERT INTO alert_rules SELECT * FROM moved_rules",
        ],
        // 7: the rollups add doubles as Swift's `+` (IEEE 754) does, so they equal the SQLite store's for every value: a sum
        // of finite values past the range is ±infinity, where PostgreSQL's `+`, `-` and `sum` raise "value out of range"
        // (SQLSTATE 22003) and failed the write. Below 2^1022 both operands (the common case) `a + b` is taken as it is;
        // above, the sum overflows exactly when half of it (`a * 0.5 + b * 0.5`, halves exact for magnitudes ≥ 1) reaches
        // 2^1023; an infinite or NaN operand never raises. A `LANGUAGE sql` function of one expression, which the planner
        // inlines where its arguments are columns (no call per row).
        [
            """
            CREATE FUNCTION ieee_add(a double precision, b double precision) RETURNS double precision
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN CASE
                WHEN abs(a) < 4.49423283715579e307 AND abs(b) < 4.49423283715579e307 OR abs(a) < 1 OR abs(b) < 1 THEN a + b
                WHEN abs(a * 0.5 + b * 0.5) >= 8.98846567431158e307 AND abs(a * 0.5 + b * 0.5) < 'Infinity'
                    THEN CASE WHEN a > 0 THEN 'Infinity'::float8 ELSE '-Infinity'::float8 END
                ELSE a + b
            END
            """,
            // A sample's counter increase over the one before it, as `SampleSummary.merging` takes it: the step when it is
            // not negative, else (a reset, or NaN, which PostgreSQL orders above every number) the value.
            """
            CREATE FUNCTION counter_step(value double precision, previous double precision) RETURNS double precision
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN CASE WHEN ieee_add(value, -previous) >= 0 AND ieee_add(value, -previous) <> 'NaN' THEN ieee_add(value, -previous) ELSE value END
            """,
            // `increase + later_increase + counter_step(later_first, last)`, as `SampleSummary.merging` adds them: written out
            // where no operand can overflow (an `ieee_add` of an `ieee_add` is not inlined), else by the functions above.
            """
            CREATE FUNCTION merged_increase(
                increase double precision, later_increase double precision, last double precision, later_first double precision
            ) RETURNS double precision
            LANGUAGE sql IMMUTABLE PARALLEL SAFE
            RETURN CASE
                WHEN abs(increase) < 2.247116418577895e307 AND abs(later_increase) < 2.247116418577895e307
                    AND abs(last) < 2.247116418577895e307 AND abs(later_first) < 2.247116418577895e307
                THEN increase + later_increase + CASE WHEN later_first - last >= 0 THEN later_first - last ELSE later_first END
                ELSE ieee_add(ieee_add(increase, later_increase), counter_step(later_first, last))
            END
            """,
            // `sum` by `ieee_add`, the first value its start (as Swift folds a bucket). The step is PL/pgSQL, which evaluates
            // the inlined `ieee_add` as a cached expression: a `LANGUAGE sql` step runs as a function call per row, 4× slower.
            """
            CREATE FUNCTION ieee_sum_step(total double precision, value double precision) RETURNS double precision
            LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
            AS $$ BEGIN RETURN ieee_add(total, value); END $$
            """,
            "CREATE AGGREGATE ieee_sum(double precision) (SFUNC = ieee_sum_step, STYPE = double precision)",
        ],
        // 8: a transition is unique by its time first: the rows a round records (all at its instant, after every earlier
        // one) go in at the right edge of the index rather than all over it, and the index serves the history's and
        // housekeeping's reads by time, so the index on `at` alone goes (a round that recorded 2,834 transitions spent a
        // quarter of its insert on it).
        [
            "ALTER TABLE alert_transitions DROP CONSTRAINT alert_transitions_group_name_alert_labels_kind_at_key",
            "ALTER TABLE alert_transitions ADD CONSTRAINT alert_transitions_once UNIQUE (at, group_name, alert, labels, kind)",
            "DROP INDEX alert_transitions_by_time",
        ],
    ]

    static var currentVersion: Int { migrations.count }

    /// Brings the database up to ``currentVersion`` and checks that its daily rollups are cut in `timeZone`.
    static func migrate(_ store: PostgresMetricStore, timeZone: TimeZone) async throws {
        let zone = timeZone.identifier
        let stored = try await store.transaction { connection -> String? in
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: PostgresMetricStore.logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: PostgresMetricStore.logger)
            var applied = 0
            for try await version in try await connection.query(
                "SELECT coalesce(max(version), 0) FROM schema_migrations", logger: PostgresMetricStore.logger
            ).decode(Int.self) {
                applied = version
            }
            guard applied <= currentVersion else {
                throw PostgresStoreError(
                    database: store.database,
                    message: "its schema is version \(applied), newer than this build's \(currentVersion): upgrade vitals")
            }
            for version in applied..<currentVersion {
                for statement in migrations[version] {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: PostgresMetricStore.logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version) VALUES (\(version + 1))", logger: PostgresMetricStore.logger)
            }
            try await connection.query(
                "INSERT INTO metadata (key, value) VALUES ('day_time_zone', \(zone)) ON CONFLICT (key) DO NOTHING", logger: PostgresMetricStore.logger
            )
            var stored: String?
            for try await value in try await connection.query(
                "SELECT value FROM metadata WHERE key = 'day_time_zone'", logger: PostgresMetricStore.logger
            ).decode(String.self) {
                stored = value
            }
            return stored
        }
        guard stored == zone else {
            throw PostgresStoreError(
                database: store.database,
                message: "its daily rollups are cut in the time zone \(stored ?? "?"), not \(zone); set `time_zone: \(stored ?? "?")` to use it")
        }
    }
}
