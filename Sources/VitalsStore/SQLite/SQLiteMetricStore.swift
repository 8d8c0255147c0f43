public import Foundation
import GRDB
import Synchronization
public import VitalsCore
public import VitalsPorts

/// The embedded store: one SQLite file (or memory) with series, raw samples, hourly and daily rollups, and the job-run log.
///
/// It implements every port (samples, the job-run log, source state, alert state, history and silences). Each call runs on
/// GRDB's own connection queues (its async `read` and `write`), never blocking a thread of the cooperative pool; a task
/// cancelled while it waits for a connection gets a `CancellationError`.
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
    /// parsing their label texts again every round would cost more than the reads. Only relabelling changes or deletes
    /// series rows (see ``forgetSeries()``).
    let seriesKeys = Mutex<[Int64: SeriesKey]>([:])
    /// This object's identity in the marks of its write history (``samplesWritten(named:since:)``).
    let instance = StoreInstance()
    /// The write history's epoch when this object last read it: another process relabelling series advances it, and then
    /// the ids and keys cached above may name other series.
    let seenEpoch = Mutex<Int64?>(nil)

    /// How long a command waits for another process's write lock before giving up: overlapping runs (cron jobs, a
    /// collection beside an alert round) take turns; the longest transaction, a long backfill's write, takes seconds.
    public static let defaultBusyTimeout = Duration.seconds(30)
    /// How long this store waits for another connection's write lock (SQLite's busy timeout).
    let busyTimeout: Duration

    /// Opens (creating it and its folder if needed) the store at `path`, in WAL mode, and migrates it to the current schema.
    ///
    /// `timeZone` is where daily rollups are cut; opening a store with another zone than last time recuts them, and refuses
    /// (``StoreError/timeZoneChangeLosesDays``) when some days could not be rebuilt, unless `acceptingDayLoss`.
    /// With `access: .read`, a store this user cannot write (its file or folder) is opened read-only instead of refused.
    public convenience init(
        path: String, timeZone: TimeZone, retention: TimeSpan, access: StoreAccess = .readWrite, busyTimeout: Duration = defaultBusyTimeout,
        acceptingDayLoss: Bool = false
    ) async throws {
        let location = StoreLocation(path: path)
        try location.checkReadable()
        if location.exists, !location.isWritable {
            guard access == .read else {
                throw StoreError.readOnly(
                    path,
                    "this user cannot write \(location.folderIsWritable ? "the file" : "its folder \(location.folder)"); "
                        + "run the commands that write (collect, alerts) as the store's owner, or give this user write permission there; "
                        + "query and report --no-collect can read it as it is")
            }
            try await self.init(
                writer: Self.openReadOnly(location, busyTimeout: busyTimeout), file: path, timeZone: timeZone, retention: retention,
                busyTimeout: busyTimeout, readOnly: true)
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: location.folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path, "cannot create the folder \(location.folder): \((error as NSError).localizedDescription)")
        }
        let pool = try await Self.openPool(path, busyTimeout: busyTimeout)
        try await self.init(
            writer: pool, file: path, timeZone: timeZone, retention: retention, busyTimeout: busyTimeout, readOnly: false,
            acceptingDayLoss: acceptingDayLoss)
    }

    private static func configuration(readOnly: Bool, busyTimeout: Duration) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(busyTimeout.timeInterval)
        // 64 MiB of page cache (SQLite's default is 2 MiB): bulk writes touch one B-tree leaf per series, and reports read
        // rollups of many series; both stay in memory instead of re-reading pages.
        // Automatic WAL checkpoints would land inside whichever transaction crosses the threshold (an alert round's commit,
        // say, taking it from milliseconds to most of a second); instead `checkpoint()` runs between units of work.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 0; PRAGMA mmap_size = 2147418112")
        }
        return configuration
    }

    /// Opens the file in WAL mode. Switching a new file to WAL mode (GRDB does it on opening) upgrades a read lock to an
    /// exclusive one, which SQLite refuses at once, without its busy handler, when another process opening the same new file
    /// holds a lock; so opening is tried again, within the busy timeout, until one of them has switched the file.
    private static func openPool(_ path: String, busyTimeout: Duration) async throws -> DatabasePool {
        let clock = ContinuousClock()
        let deadline = clock.now + busyTimeout
        while true {
            do {
                return try await offThePool { try DatabasePool(path: path, configuration: configuration(readOnly: false, busyTimeout: busyTimeout)) }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && clock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            } catch let error as DatabaseError {
                throw StoreError(error, file: path, busyTimeout: busyTimeout)
            }
        }
    }

    /// Runs `open` on a dispatch thread and suspends meanwhile: opening a file may wait for another process's lock (switching
    /// a new file to WAL mode), which must not hold a thread of the cooperative pool.
    private static func offThePool<T: Sendable>(_ open: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result(catching: open)) }
        }
    }

    /// A store this user may read but not write. SQLite reads a WAL-mode file read-only when its `-wal` and `-shm` files exist
    /// or can be created; in a folder this user cannot write, with no `-wal` file (the last writer closed cleanly, so every
    /// committed transaction is in the file itself), it is read as an immutable file instead.
    private static func openReadOnly(_ location: StoreLocation, busyTimeout: Duration) async throws -> DatabaseQueue {
        let configuration = configuration(readOnly: true, busyTimeout: busyTimeout)
        do {
            let queue = try await offThePool { try DatabaseQueue(path: location.path, configuration: configuration) }
            _ = try await queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
            return queue
        } catch let error as DatabaseError {
            guard !FileManager.default.fileExists(atPath: location.path + "-wal") else {
                throw StoreError(error, file: location.path, busyTimeout: busyTimeout)
            }
        }
        do {
            let immutable = URL(fileURLWithPath: location.path).absoluteString + "?immutable=1"
            return try await offThePool { try DatabaseQueue(path: immutable, configuration: configuration) }
        } catch let error as DatabaseError {
            throw StoreError(error, file: location.path, busyTimeout: busyTimeout)
        }
    }

    /// Copies the write-ahead log into the database file, without waiting for readers (SQLite's passive checkpoint).
    ///
    /// Automatic checkpoints are off, so that no write pays for one; commands call this when their work is done, and closing
    /// the last connection checkpoints too. When another process is checkpointing the same file (an overlapping run), this one
    /// is skipped: the other copies the log, or the next run does. A no-op for an in-memory or read-only store.
    public func checkpoint() async throws {
        guard let pool = writer as? DatabasePool else { return }
        do {
            try await pool.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return
        } catch let error as DatabaseError {
            throw StoreError(error, file: file, busyTimeout: busyTimeout)
        }
    }

    /// A store that lives in memory only, for tests and dry runs.
    public static func inMemory(timeZone: TimeZone, retention: TimeSpan) async throws -> SQLiteMetricStore {
        try await SQLiteMetricStore(
            writer: DatabaseQueue(), file: ":memory:", timeZone: timeZone, retention: retention, busyTimeout: defaultBusyTimeout, readOnly: false)
    }

    private init(
        writer: any DatabaseWriter, file: String, timeZone: TimeZone, retention: TimeSpan, busyTimeout: Duration, readOnly: Bool,
        acceptingDayLoss: Bool = false
    ) async throws {
        self.writer = writer
        self.file = file
        self.busyTimeout = busyTimeout
        self.grid = BucketGrid(timeZone: timeZone)
        self.retention = retention
        do {
            try await checkIsVitalsDatabase()
            if readOnly {
                try await checkReadableAsItIs()
            } else {
                try await StoreSchema.migrator(grid: grid).migrate(writer)
                try await recutDaysIfZoneChanged(acceptingDayLoss: acceptingDayLoss)
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: file, busyTimeout: busyTimeout)
        }
    }

    /// Refuses files that another program owns or that a newer vitals migrated, before any migration writes to them.
    private func checkIsVitalsDatabase() async throws {
        try await reading { db in
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

    /// A read-only store cannot be migrated or recut: refuses one that would need either, rather than read it wrongly.
    private func checkReadableAsItIs() async throws {
        let (pending, zone) = try await reading { [grid] db in (try StoreSchema.migrator(grid: grid).pending(db), try storedDayZone(db)) }
        let fix = "open it once with a command that writes (vitals collect) as a user who can write it"
        if !pending.isEmpty {
            throw StoreError.readOnly(
                file, "it has schema v\(StoreSchema.currentVersion - pending.count) and this build reads v\(StoreSchema.currentVersion); \(fix)")
        }
        if let zone, zone != grid.timeZone.identifier {
            throw StoreError.readOnly(
                file,
                "its days are cut in \(zone) and the configuration's time_zone is \(grid.timeZone.identifier); set time_zone: \(zone), or \(fix)")
        }
    }

    /// The zone the stored daily rollups were cut in.
    private func storedDayZone(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = ?", arguments: [StoreMetadata.dayTimeZone])
    }

    /// Repairs daily rows cut before every day start came from the calendar (once per store), then recuts them when the zone
    /// differs from the one they were cut in (see ``DayRecut``); nothing changes when a day could not be recut in the new
    /// zone and the loss is not accepted.
    private func recutDaysIfZoneChanged(acceptingDayLoss: Bool) async throws {
        @Sendable func metadata(_ db: Database, _ key: String) throws -> String? {
            try String.fetchOne(db, sql: "SELECT value FROM metadata WHERE key = ?", arguments: [key])
        }
        // Read first: every command opens the store, and opening must not wait for another process's write lock.
        let upToDate = try await reading { db in
            try storedDayZone(db) == grid.timeZone.identifier && metadata(db, StoreMetadata.dayStartsRepaired) != nil
        }
        guard !upToDate else { return }
        try await writing { db in
            let stored = try storedDayZone(db)
            let storedGrid = stored.flatMap(TimeZone.init(identifier:)).map(BucketGrid.init)
            let repaired = try metadata(db, StoreMetadata.dayStartsRepaired) != nil
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

    /// Runs `body` in a read transaction on one of GRDB's connection queues, suspending the task meanwhile; SQLite's failures
    /// become ``StoreError``s that name the file and say what to do.
    func reading<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch let error as DatabaseError {
            throw StoreError(error, file: file, busyTimeout: busyTimeout)
        }
    }

    /// The rows `sql` selects, each made a value by `transform` inside the read (GRDB's rows do not leave their connection).
    func fetchRows<T: Sendable>(sql: String, arguments: StatementArguments = StatementArguments(), _ transform: @Sendable (Row) throws -> T)
        async throws -> [T]
    {
        try await reading { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(transform) }
    }

    /// Runs `body` in a write transaction that takes the write lock first (`BEGIN IMMEDIATE`), waiting up to the busy timeout
    /// for another process's: a transaction that read first and then wrote would have to upgrade its read, which SQLite
    /// refuses at once, without waiting, when another process wrote in between. Errors as for ``reading(_:)``.
    ///
    /// With a ``WriteFence`` set (a leader's work), the transaction first checks that the leader lease has no newer epoch,
    /// and throws ``LeaseFenceError`` instead of writing.
    func writing<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        let fence = WriteFence.current
        do {
            return try await writer.writeWithoutTransaction { db in
                try Self.immediateTransaction(db) { db in
                    if let fence { try Self.check(fence, db) }
                    return try body(db)
                }
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: file, busyTimeout: busyTimeout)
        }
    }

    /// Throws when the leader lease's epoch is newer than `fence`'s; inside the write transaction, under the write lock, so
    /// no takeover can come between the check and the write.
    static func check(_ fence: WriteFence, _ db: Database) throws {
        guard let epoch = try Int64.fetchOne(db, sql: "SELECT epoch FROM leader_lease WHERE id = 1"), epoch > fence.epoch else { return }
        throw LeaseFenceError(fence: fence, leaseEpoch: epoch)
    }

    /// Runs `body` in a transaction on `db` that takes the write lock first (`BEGIN IMMEDIATE`) and commits unless it throws.
    static func immediateTransaction<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        var result: T?
        try db.inTransaction(.immediate) {
            result = try body(db)
            return .commit
        }
        return result!
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

extension Duration {
    /// The duration in seconds, as SQLite's busy timeout takes it.
    var timeInterval: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
