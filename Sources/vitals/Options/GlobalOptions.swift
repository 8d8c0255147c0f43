import ArgumentParser
import VitalsCore

/// Options every command takes: where the configuration and the store are, and what time it is.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file (default ./vitals.yml, or $VITALS_CONFIG).", valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The SQLite store file, or postgres://user@host:port/db[?sslmode=MODE][&sslrootcert=FILE] (sslmode as libpq's: "
                + "disable, allow, prefer (the default), require, verify-ca or verify-full; the password from $PGPASSWORD; what the URL "
                + "leaves out from PGUSER, PGHOST, PGPORT, PGDATABASE and PGSSLMODE, else as psql: postgres:///vitals is the local "
                + "server's socket, as your login user), overriding the configuration's `store`.", valueName: "path"))
    var store: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Act as if it were this instant (RFC 3339), e.g. to re-run a past day's collection or report.", valueName: "time"))
    var now: String?

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "After a time_zone change, recut the daily rollups even when some old days cannot be rebuilt (their totals are lost)."))
    var acceptDayLoss = false

    func validate() throws {
        if let now { _ = try parseTime(now, option: "--now") }
    }
}
