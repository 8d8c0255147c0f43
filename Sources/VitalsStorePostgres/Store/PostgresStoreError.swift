public import Foundation
import NIOCore
import NIOPosix
import PostgresNIO
import VitalsPorts

/// A failure of the PostgreSQL store, saying which database and what the server or the connection said (never a password).
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    public let database: String
    public let message: String
    /// The server's SQLSTATE code, when the server refused a statement.
    public let sqlState: String?

    init(database: String, message: String, sqlState: String? = nil) {
        self.database = database
        self.message = message
        self.sqlState = sqlState
    }

    public var description: String { "PostgreSQL store \(database): \(message)" }

    /// Wraps what the connection library threw: its description hides the server's message, which the user needs.
    /// `connecting` says the error came from reaching the server, which the message then says first.
    static func wrapping(_ error: any Error, database: String, connecting: Bool = false) -> any Error {
        if error is ConnectionClosed { return PostgresStoreError(database: database, message: closed) }
        if error is CancellationError || error is PostgresStoreError || error is LeaseFenceError || error is AlertRoundConflict { return error }
        let prefix = connecting ? "cannot connect: " : ""
        guard let error = error as? PSQLError else { return PostgresStoreError(database: database, message: prefix + oneLine("\(error)")) }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let detail = info[.detail].map { ": \($0)" } ?? ""
            return PostgresStoreError(database: database, message: prefix + message + detail + state, sqlState: info[.sqlState])
        }
        if connecting, let underlying = error.underlying, let reason = unreachable(underlying) {
            return PostgresStoreError(database: database, message: prefix + reason)
        }
        if !connecting, Session.ended(by: error) {
            return PostgresStoreError(database: database, message: closed + (error.underlying.map { oneLine(": \($0)") } ?? ""))
        }
        if let underlying = error.underlying {
            return PostgresStoreError(database: database, message: prefix + oneLine("\(error.code): \(underlying)"))
        }
        return PostgresStoreError(database: database, message: prefix + "\(error.code)")
    }

    /// Why the server could not be reached, in `psql`'s words, from the socket or name lookup error under the connection
    /// library's own (whose text is its internals: "connectionError: Connection errors: SingleConnectionFailure(…)"); nil
    /// for any other failure.
    static func unreachable(_ error: any Error) -> String? {
        switch error {
        case let error as IOError:
            "\(String(cString: strerror(error.errnoCode))); is the server running there and accepting connections?"
        case let error as SocketAddressError.UnknownHost:
            "could not translate host name \"\(error.host)\" to address: \(error.errorDescription)"
        case let error as NIOConnectionError:
            if let lookup = error.dnsAError ?? error.dnsAAAAError {
                unreachable(lookup)
            } else {
                error.connectionErrors.lazy.compactMap { unreachable($0.error) }.first
            }
        default: nil
        }
    }

    /// What a call that lost its connection says.
    private static let closed = "the connection to the server closed (a restart, a failover or an ended session)"

    /// A message on one line, as a command prints it.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
