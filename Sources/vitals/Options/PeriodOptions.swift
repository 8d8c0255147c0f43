import ArgumentParser
import Foundation
import VitalsCore

/// `--since SPAN` or `--from T --to T`: the period a query or report covers.
struct PeriodOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "How far back: 12h, 7d, 4w. Day and week spans cover whole days in the configured time zone, today included.",
            valueName: "span"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Start of the period (RFC 3339, included).", valueName: "time"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("End of the period (RFC 3339, excluded). Default: now.", valueName: "time"))
    var to: String?

    func validate() throws {
        if since != nil, from != nil || to != nil {
            throw ValidationError("use either --since or --from/--to, not both")
        }
        if let since { _ = try parseSpan(since) }
        if to != nil, from == nil { throw ValidationError("--to needs --from") }
        if let from, let to, try parseTime(from, option: "--from") >= parseTime(to, option: "--to") {
            throw ValidationError("--from must be before --to")
        }
    }

    /// The period these options name at `now`; `defaultSpan` when none is given.
    func period(now: Timestamp, timeZone: TimeZone, defaultSpan: TimeSpan) throws -> Period {
        if let from {
            return Period(from: try parseTime(from, option: "--from"), to: try to.map { try parseTime($0, option: "--to") } ?? now)
        }
        return Period.since(try since.map(parseSpan) ?? defaultSpan, now: now, timeZone: timeZone)
    }
}
