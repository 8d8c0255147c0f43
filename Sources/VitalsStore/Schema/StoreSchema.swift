public import Foundation
public import GRDB

/// The store's tables, as a list of versioned migrations applied in order.
///
/// A migration is never edited once released; a schema change is a new version, so every older file can be brought up to date.
public enum StoreSchema {
    /// The migration identifiers, oldest first; a store at `versions[i]` has schema version `i + 1`.
    public static let versions = ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11"]

    /// The schema version this build writes.
    public static var currentVersion: Int { versions.count }

    /// The migrator that brings a file up to ``currentVersion``. `grid` cuts the daily rollups when v2 builds them from existing samples.
    static func migrator(grid: BucketGrid) -> SchemaMigrator {
        var migrator = SchemaMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE series (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        labels TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        unit TEXT NOT NULL,
                        UNIQUE (name, labels)
                    );
                    CREATE TABLE samples (
                        series_id INTEGER NOT NULL REFERENCES series(id),
                        ts INTEGER NOT NULL,
                        value REAL NOT NULL,
                        PRIMARY KEY (series_id, ts)
                    ) WITHOUT ROWID;
                    CREATE TABLE job_runs (
                        id INTEGER PRIMARY KEY,
                        source TEXT NOT NULL,
                        started INTEGER NOT NULL,
                        finished INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        error TEXT,
                        samples_written INTEGER NOT NULL
                    );
                    CREATE INDEX job_runs_by_source ON job_runs (source, started);
                    """)
        }
        migrator.registerMigration("v2") { db in
            for table in [RollupBuilder.Table.hourly, .daily] {
                try db.execute(
                    sql: """
                        CREATE TABLE \(table.rawValue) (
                            series_id INTEGER NOT NULL REFERENCES series(id),
                            bucket_start INTEGER NOT NULL,
                            count INTEGER NOT NULL,
                            sum REAL NOT NULL,
                            min REAL NOT NULL,
                            max REAL NOT NULL,
                            first_ts INTEGER NOT NULL,
                            first REAL NOT NULL,
                            last_ts INTEGER NOT NULL,
                            last REAL NOT NULL,
                            increase REAL NOT NULL,
                            PRIMARY KEY (series_id, bucket_start)
                        ) WITHOUT ROWID
                        """)
            }
            try db.execute(sql: "CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
            try db.execute(sql: "INSERT INTO metadata (key, value) VALUES (?, ?)", arguments: [StoreMetadata.dayTimeZone, grid.timeZone.identifier])
            try RollupBuilder(db: db, grid: grid).rebuildAll()
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: AlertTables.creation)
        }
        // What each source's runs remember between them, such as the `repo` label it last wrote (see `SourceState`).
        migrator.registerMigration("v4") { db in
            try db.execute(
                sql: """
                    CREATE TABLE source_state (
                        source TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        PRIMARY KEY (source, key)
                    ) WITHOUT ROWID
                    """)
        }
        // The time the schedule had each job run at, so a late (catch-up) run shows; NULL for runs started by hand.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: "ALTER TABLE job_runs ADD COLUMN scheduled INTEGER")
        }
        // The leader lease of the daemons sharing the store (see `LeaseTable`).
        migrator.registerMigration("v6") { db in
            try db.execute(sql: LeaseTable.creation)
        }
        // One delivery per message and channel, so each channel's progress is recorded apart; reports join the outbox.
        migrator.registerMigration("v7") { db in
            try db.execute(sql: OutboxTables.v7)
        }
        // How far a delivery in parts (a report's Slack thread) got, so a restart continues it (`DeliveryProgress`).
        migrator.registerMigration("v8") { db in
            try db.execute(sql: OutboxTables.v8)
        }
        // A dispatcher's claim on a delivery (`claimDueDeliveries`), so dispatchers of several processes never send one twice.
        migrator.registerMigration("v9") { db in
            try db.execute(sql: OutboxTables.v9)
        }
        // The order samples were written in, so a reader that keeps what it read asks for what changed since
        // (`samplesWritten(named:since:)`): each sample carries the sequence number of the write that last set it, and
        // `sample_writes` holds the last number given, the epoch that moves of samples advance and the last retention's
        // cutoff (see `SampleWriteMark`). Samples
        // written before v10 carry 0, which the partial index leaves out: a reader that kept nothing reads those in full.
        migrator.registerMigration("v10") { db in
            try db.execute(
                sql: """
                    ALTER TABLE samples ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
                    CREATE INDEX samples_by_seq ON samples (seq) WHERE seq > 0;
                    CREATE TABLE sample_writes (
                        id INTEGER PRIMARY KEY CHECK (id = 1), sequence INTEGER NOT NULL, epoch INTEGER NOT NULL, removed_before INTEGER
                    );
                    INSERT INTO sample_writes (id, sequence, epoch) VALUES (1, 0, 0);
                    """)
        }
        // The write history by series instead of by sample: v10's index on `samples.seq` put a second B-tree entry on every
        // sample written and slowed ingest by a third. `sample_changes` holds one row per write and series instead (the
        // write's sequence number and the first and last time it set), so a reader finds a series' written samples by their
        // times; `samples.seq` is no longer written or read.
        migrator.registerMigration("v11") { db in
            try db.execute(
                sql: """
                    DROP INDEX samples_by_seq;
                    CREATE TABLE sample_changes (
                        seq INTEGER NOT NULL, series_id INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,
                        PRIMARY KEY (seq, series_id)
                    ) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    /// Creates (or migrates) the file at `path` up to `version` only, the way a release that knew no later version left it.
    ///
    /// For tests and tools that check upgrades: production code opens stores with ``SQLiteMetricStore/init(path:timeZone:retention:)``.
    public static func migrate(_ writer: any DatabaseWriter, upTo version: String, timeZone: TimeZone) async throws {
        try await migrator(grid: BucketGrid(timeZone: timeZone)).migrate(writer, upTo: version)
    }
}

/// Keys of the `metadata` table.
enum StoreMetadata {
    /// The time zone the daily rollups were cut in.
    static let dayTimeZone = "day_time_zone"
    /// Present once the daily rows were checked for days cut an hour late after a clock change at midnight
    /// (``DayRecut/repairMisplacedDays(_:grid:)``).
    static let dayStartsRepaired = "day_starts_repaired"
}
