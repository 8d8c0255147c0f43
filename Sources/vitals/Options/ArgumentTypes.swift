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
