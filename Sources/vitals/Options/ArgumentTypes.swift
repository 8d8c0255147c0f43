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

/// Parses a time option, turning a bad value into a usage error that shows the accepted form.
func parseTime(_ text: String, option: String) throws -> Timestamp {
    guard let timestamp = RFC3339.parse(text) else {
        throw ValidationError("\(option): '\(text)' is not an RFC 3339 time; write it as 2026-11-25T08:00:00Z or 2026-11-25T09:00:00+01:00")
    }
    return timestamp
}
