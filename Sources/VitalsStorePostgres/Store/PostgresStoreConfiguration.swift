public import Foundation

/// Where the PostgreSQL store lives and how vitals connects to it.
///
/// The password is never part of a URL or a configuration file vitals reads: it comes from the environment
/// (`PGPASSWORD`, as libpq reads it), so it shows in no process list, log or error.
public struct PostgresStoreConfiguration: Sendable, Hashable {
    /// libpq's `sslmode`, as far as the connection library offers it.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it (libpq's default).
        case prefer
        /// TLS or no connection; the server's certificate is verified (libpq's `verify-full`).
        case require = "verify-full"
    }

    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String?
    public var tls: TLSMode
    /// The most connections the store opens at once (the pool's bound); callers beyond it wait for a free one.
    public var maximumConnections: Int

    public init(
        host: String, port: Int = 5432, database: String, user: String, password: String?, tls: TLSMode = .prefer, maximumConnections: Int = 8
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.tls = tls
        self.maximumConnections = maximumConnections
    }

    /// Where the store is, for messages: never the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
