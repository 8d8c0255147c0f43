import VitalsCore
import VitalsStore

/// An error whose text is complete as it stands (e.g. `vitals.yml:4:3: unknown key ...`): printed without a prefix, exit 1.
protocol UserFacingError: Error {
    var userMessage: String { get }
}

/// A failure of the command itself, with what to do about it.
struct CommandFailure: UserFacingError {
    let userMessage: String

    init(_ message: String) {
        userMessage = "vitals: \(message)"
    }
}

extension ConfigError: UserFacingError {
    var userMessage: String { description }
}

extension StoreError: UserFacingError {
    var userMessage: String { "vitals: \(description)" }
}
