import ArgumentParser
import Foundation
import VitalsCore
import VitalsPorts
import VitalsStore

/// `vitals store migrate`: copies one store into another through `StoreMigration`, resumably, and compares them.
struct StoreMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy every row of one store into another (SQLite to PostgreSQL or back), resumably, then compare the two.",
        discussion: """
            Copies the series, raw samples, hourly and daily rollups, the job-run log, what sources remember, the alert \
            state, history (transitions) and silences, and the outbox (messages and their deliveries, with status, attempts \
            and progress), ids included, a batch per transaction. --from and --to are each a SQLite file or \
            postgres://USER@HOST[:PORT]/DB[?sslmode=MODE][&sslrootcert=FILE] (sslmode as libpq's, and what the URL leaves out \
            from libpq's PGUSER, PGHOST, PGPORT, PGDATABASE and PGSSLMODE, else libpq's defaults); the password comes from \
            $PGPASSWORD, never from the URL. Both stores are opened with the configuration's time_zone, which cuts their daily rollups.

            The destination must be empty, or hold an unfinished migration from the same --from: it records how far each \
            table got, so after a kill or a failure the same command continues where it stopped and copies nothing twice. \
            Stop whatever writes to --from (the daemon, cron jobs) first: a row changed after its table was copied is not \
            copied again, and the comparison shows it.

            Standard error shows the progress (per table, rows and rows per second). At the end both stores are read again \
            and every table's row count and checksum (over its rows in a canonical form, in any order) are printed side \
            by side; the exit status is 1 when any differs. See docs/postgres.md.

            Examples:
              vitals store migrate --from .vitals/vitals.db --to postgres://vitals@db.internal/vitals
              vitals store migrate --from postgres://vitals@db.internal/vitals --to backup.db
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("The store to copy: a SQLite file, or postgres://user@host:port/db.", valueName: "store"))
    var from: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store to copy into, empty or holding this migration unfinished: a SQLite file, or a postgres:// URL.", valueName: "store"))
    var to: String

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Rows copied per transaction.", valueName: "rows"))
    var batchSize = 10_000

    /// After this many batches (imported, their progress not yet recorded) the command stops and waits to be killed: how the
    /// tests kill it in the middle of a copy at a known point.
    static let pauseVariable = "VITALS_MIGRATE_PAUSE_AFTER_BATCHES"

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size: \(batchSize) is no number of rows; give 1 or more") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let (config, root, _) = try Workspace.configuration(global, environment: environment, requireTokens: false)
        if !PostgresURL.names(from), !FileManager.default.fileExists(atPath: from) {
            throw CommandFailure("--from: there is no store at \(from)")
        }
        let source = try await StoreBackend.open(from, option: "--from", global, config: config, root: root, access: .read, environment: environment)
        let destination = try await StoreBackend.open(
            to, option: "--to", global, config: config, root: root, access: .readWrite, environment: environment)
        guard source.name != destination.name else { throw ValidationError("--from and --to both name \(source.name)") }
        let progress = MigrationProgress(
            from: source.name, to: destination.name, pauseAfterBatches: environment[Self.pauseVariable].flatMap { Int($0) })
        let comparisons = try await StoreMigration(
            from: source.store, named: source.name, to: destination.store, named: destination.name, batchSize: batchSize
        )
        .run { await progress.observe($0) }
        let rows =
            [["TABLE", "ROWS (FROM)", "ROWS (TO)", "CHECKSUM (FROM)", "CHECKSUM (TO)", ""]]
            + comparisons.map { comparison in
                [
                    comparison.table.rawValue, "\(comparison.source.rows)", "\(comparison.destination.rows)", comparison.source.description,
                    comparison.destination.description, comparison.matches ? "ok" : "DIFFERS",
                ]
            }
        print(AlertsText.table(rows, indent: "").joined(separator: "\n"))
        let differing = comparisons.filter { !$0.matches }.map(\.table.rawValue)
        guard differing.isEmpty else {
            throw CommandFailure(
                "\(destination.name) differs from \(source.name) in \(differing.joined(separator: ", ")); was \(source.name) written to during "
                    + "the migration? Migrate again into a new, empty store with nothing writing to \(source.name)")
        }
    }
}

extension StoreMigrationError: UserFacingError {
    var userMessage: String { "vitals: \(description)" }
}

extension StoreTransferError: UserFacingError {
    var userMessage: String { "vitals: \(description)" }
}
