import ArgumentParser
import VitalsCore

/// Parses a duration option, turning a bad value into a usage error that lists the accepted units.
func parseSpan(_ text: String) throws -> TimeSpan {
    do {
        return try TimeSpan(parsing: text)
    } catch {
        throw ValidationError(error.description)
    }
}

/// Parses a time option, turning a bad value into a usage error that says what is wrong and where.
func parseTime(_ text: String, option: String) throws -> Timestamp {
    do {
        return try Timestamp(rfc3339: text)
    } catch {
        throw ValidationError("\(option): \(error)")
    }
}

/// Parses a duration option whose work grows with its length; longer than `limit` is a usage error that says the limit.
func parseSpan(_ text: String, option: String, atMost limit: SpanLimit) throws -> TimeSpan {
    let span = try parseSpan(text)
    try limit.check(span, option: "\(option) \(text)")
    return span
}

/// The longest spans of history a command works through: it reads or writes one row or bucket per day, so a mistyped
/// `--since 3000y` would run for hours and fill memory. docs/configuration.md lists them.
struct SpanLimit {
    /// What the span is, for the message.
    let what: String
    let longest: TimeSpan

    /// A report's or query's period (`--since`, `--from`/`--to`).
    static let period = SpanLimit(what: "a period", longest: .longestHistory)
    /// How far back `collect --backfill` reads history (git further bounds it by the repository's first commit).
    static let backfill = SpanLimit(what: "a backfill", longest: .longestHistory)

    /// Throws a usage error naming `option` (as written) when `span` is longer than the limit.
    func check(_ span: TimeSpan, option: String) throws {
        guard span > longest else { return }
        throw ValidationError("\(option): \(what) is at most \(longest.years)y (\(longest.days)d)")
    }
}
