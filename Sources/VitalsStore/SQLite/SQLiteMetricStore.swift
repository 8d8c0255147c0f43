public import Foundation
import GRDB
import Synchronization
public import VitalsCore

/// The embedded store: one SQLite file (or memory) with series, raw samples, hourly and daily rollups, and the job-run log.
///
/// See `docs/storage.md` for the schema and why rollups are rebuilt from raw samples.
public final class SQLiteMetricStore: MetricStore {
    let writer: any DatabaseWriter
    /// The file, for error messages; `:memory:` for an in-memory store.
    let file: String
    let grid: BucketGrid
    let retention: TimeSpan
    /// Series ids by key, so a write costs one dictionary lookup per sample; filled on first use of a series and only after its
    /// transaction commits, so a rolled-back write never leaves an id that is not in the file.
    let seriesIDs = Mutex<[SeriesKey: SeriesRow]>([:])
    /// Where the whole local days of recently asked-for bucket layouts lie: a report asks for the same day buckets for
    /// every series, and finding midnights takes calendar arithmetic that costs more than the reads.
    let bucketPlans = BucketPlanCache()
    /// Series keys by id, the other way round from ``seriesIDs``: an alert round reads thousands of series each time, and
    /// parsing their label texts again every round would cost more than the reads. Series rows are never deleted or changed.
    let seriesKeys = Mutex<[Int64: SeriesKey]>([:])

    /// Opens (creating it and its folder if needed) the store at `path`, in WAL mode, and migrates it to the current schema.
    ///
    /// `timeZone` is where daily rollups are cut; opening a store with another zone than last time recuts them, and refuses
    /// (``StoreError/timeZoneChangeLosesDays``) when some days could not be rebuilt, unless `acceptingDayLoss`.
    public convenience init(path: String, timeZone: TimeZone, retention: TimeSpan, acceptingDayLoss: Bool = false) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path, "cannot create the folder \(folder): \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // 64 MiB of page cache (SQLite's default is 2 MiB): bulk writes touch one B-tree leaf per series, and reports read
        // rollups of many series; both stay in memory instead of re-reading pages.
        // Automatic WAL checkpoints would land inside whichever transaction crosses the threshold (an alert round's commit,
        // say, taking it from milliseconds to most of a second); instead `checkpoint()` runs between units of work.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0; PRAGMA mmap_size = 2147418112")
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(path)
        } catch {
            throw StoreError.cannotOpen(path, "\(error)")
        }
        try self.init(writer: pool, file: path, timeZone: timeZone, retention: retention, acceptingDayLoss: acceptingDayLoss)
    }

    /// Copies the write-ahead log into the database file, without waiting for readers (SQLite's passive checkpoint).
    ///
    /// Automatic checkpoints are off, so that no write pays for one; commands call this when their work is done, and closing
    /// the last connection checkpoints too. A no-op for an in-memory store.
    public func checkpoint() throws {
        guard let pool = writer as? DatabasePool else { return }
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
    }

    /// A store that lives in memory only, for tests and dry runs.
    public static func inMemory(timeZone: TimeZone, retention: TimeSpan) throws -> SQLiteMetricStore {
        try SQLiteMetricStore(writer: DatabaseQueue(), file: ":memory:", timeZone: timeZone, retention: retention)
    }

    private init(writer: any DatabaseWriter, file: String, timeZone: TimeZone, retention: TimeSpan, acceptingDayLoss: Bool = false) throws {
        self.writer = writer
        self.file = file
        self.grid = BucketGrid(timeZone: timeZone)
        self.retention = retention
        do {
            try checkIsVitalsDatabase()
            try StoreSchema.migrator(grid: grid).migrate(writer)
            try recutDaysIfZoneChanged(acceptingDayLoss: acceptingDayLoss)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError.notADatabase(file)
        } catch {
            throw StoreError.cannotOpen(file, "\(error)")
        }
    }

    /// Refuses files that another program owns or that a newer vitals migrated, before any migration writes to them.
    private func checkIsVitalsDatabase() throws {
        try writer.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            guard !tables.isEmpty else { return }
            guard tables.contains("grdb_migrations") else { throw StoreError.notAVitalsDatabase(file, tables: tables) }
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            let unknown = applied.filter { !StoreSchema.versions.contains($0) }
            if !unknown.isEmpty {
                let found = unknown.compactMap { Int($0.dropFirst()) }.max() ?? StoreSchema.currentVersion + 1
                throw StoreError.newerSchema(file, found: found, known: StoreSchema.currentVersion)
            }
        }
    }

    /// Repairs daily rows cut before every day start came from the calendar (once per store), then recuts them when the zone
    /// differs from the one they were cut in (see ``DayRecut``); nothing changes when a day could not be recut in the new
    /// zone and the loss is not accepted.
    private func recutDaysIfZoneChanged(acceptingDayLoss: Bool) throws {
        try writer.write { db in
            func metadata(_ key: String) throws -> String? {
                try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = ?", arguments: [key])
            }
            let stored = try metadata(StoreMetadata.dayTimeZone)
            let storedGrid = stored.flatMap(TimeZone.init(identifier:)).map(BucketGrid.init)
            let repaired = try metadata(StoreMetadata.dayStartsRepaired) != nil
            guard stored != grid.timeZone.identifier || !repaired else { return }
            if !repaired, let storedGrid { try DayRecut.repairMisplacedDays(db, grid: storedGrid) }
            if stored != grid.timeZone.identifier {
                var recut = DayRecut(db: db, from: storedGrid, to: grid)
                try recut.run()
                if !recut.lostDays.isEmpty, !acceptingDayLoss {
                    throw StoreError.timeZoneChangeLosesDays(file, from: stored ?? "?", to: grid, lostDays: recut.lostDays.sorted())
                }
            }
            for (key, value) in [(StoreMetadata.dayTimeZone, grid.timeZone.identifier), (StoreMetadata.dayStartsRepaired, "1")] {
                try db.execute(sql: "INSERT OR REPLACE INTO metadata (key, value) VALUES (?, ?)", arguments: [key, value])
            }
        }
    }

    /// The time zone daily rollups are cut in.
    public var timeZone: TimeZone { grid.timeZone }
}

/// A series' id and the kind and unit it was last written with.
struct SeriesRow: Sendable {
    let id: Int64
    let kind: MetricKind
    let unit: MetricUnit
}
