import ArgumentParser
import Foundation
import VitalsCore

/// `--since SPAN` or `--from T --to T`: the period a query or report covers.
struct PeriodOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "How far back: 12h, 7d, 4w (at most 100y). Day and week spans cover whole days in the configured time zone, today included.",
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
        if let since { _ = try parseSpan(since, option: "--since", atMost: .period) }
        if to != nil, from == nil { throw ValidationError("--to needs --from") }
        if let from, let to { _ = try range(from: from, to: parseTime(to, option: "--to"), toOption: "--to") }
    }

    /// The period these options name at `now`; `defaultSpan` when none is given.
    func period(now: Timestamp, timeZone: TimeZone, defaultSpan: TimeSpan) throws -> Period {
        if let from {
            return try to.map { try range(from: from, to: parseTime($0, option: "--to"), toOption: "--to") }
                ?? range(from: from, to: now, toOption: "now (\(now))")
        }
        return Period.since(try since.map { try parseSpan($0, option: "--since", atMost: .period) } ?? defaultSpan, now: now, timeZone: timeZone)
    }

    /// `[--from, end)`, checked to be non-empty and within the longest period.
    private func range(from: String, to end: Timestamp, toOption: String) throws -> Period {
        let start = try parseTime(from, option: "--from")
        guard start < end else { throw ValidationError("--from must be before \(toOption)") }
        let period = Period(from: start, to: end)
        try SpanLimit.period.check(period.length, option: "--from/--to")
        return period
    }
}
