public import Foundation
import VitalsCore

/// Where the PostgreSQL store lives and how vitals connects to it.
///
/// The password is never part of a URL or a configuration file vitals reads: it comes from the environment
/// (`PGPASSWORD`, as libpq reads it), so it shows in no process list, log or error.
public struct PostgresStoreConfiguration: Sendable, Hashable {
    /// libpq's `sslmode`: whether the connection is encrypted, and how much of the server's certificate is checked.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Never TLS.
        case disable
        /// TLS when the server offers it, its certificate unchecked. libpq tries without TLS first; the connection library
        /// tries TLS first, so the connection is made in the same cases, and encrypted where the server offers it.
        case allow
        /// TLS when the server offers it, its certificate unchecked (libpq's default).
        case prefer
        /// TLS or no connection; the certificate is unchecked, unless ``PostgresStoreConfiguration/rootCertificate`` is
        /// given, which makes it `verify-ca`, as libpq does when a root certificate file exists.
        case require
        /// TLS or no connection; the certificate must be signed by a trusted authority (the system's, or those of
        /// ``PostgresStoreConfiguration/rootCertificate``), for any host name.
        case verifyCA = "verify-ca"
        /// `verify-ca`, and the certificate must also name the host connected to.
        case verifyFull = "verify-full"
    }

    /// A host name or address, or (an absolute path, as for libpq) the folder of the server's Unix-domain socket.
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    public var password: String?
    public var tls: TLSMode
    /// libpq's `sslrootcert`: a PEM file of the authorities that sign the server's certificate, instead of the system's.
    public var rootCertificate: String?
    /// The most connections the store opens at once (the pool's bound); callers beyond it wait for a free one.
    public var maximumConnections: Int

    public init(
        host: String, port: Int = 5432, database: String, user: String, password: String?, tls: TLSMode = .prefer, rootCertificate: String? = nil,
        maximumConnections: Int = 8
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.tls = tls
        self.rootCertificate = rootCertificate
        self.maximumConnections = maximumConnections
    }

    /// The server's Unix-domain socket, `HOST/.s.PGSQL.PORT`, when ``host`` is a folder.
    var socketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

    /// Where the store is, for messages: never the password.
    public var description: String { PostgresURL.describe(user: user, host: host, port: port, database: database) }
}
