public import Foundation

/// A PostgreSQL store named by a URL, `postgres://USER@HOST:PORT/DB?sslmode=MODE&sslrootcert=FILE` (`docs/postgres.md`).
///
/// As for libpq, a host that is an absolute path (`?host=/var/run/postgresql`, or `%2Fvar%2Frun%2Fpostgresql` in place of
/// the host) is the folder of the server's Unix-domain socket.
///
/// The password comes from the environment only: `PGPASSWORD`, or the URL held by the variable that `store.postgres.url_env`
/// names. A URL given on the command line or written in `vitals.yml` must not hold one; ``description`` never shows it.
public struct PostgresURL: Sendable, Equatable {
    /// libpq's `sslmode` values.
    public static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    public var user: String
    public var password: String?
    /// A host name or address, or (an absolute path) the folder of the server's Unix-domain socket.
    public var host: String
    public var port: Int
    public var database: String
    /// One of ``sslModes``; `prefer` when the URL names none, as libpq.
    public var sslMode: String
    /// libpq's `sslrootcert`: the file of the certificate authorities that sign the server's certificate, when not the
    /// system's.
    public var sslRootCert: String?

    /// Whether `text` is meant as a PostgreSQL URL rather than a SQLite file.
    public static func names(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Reads `text`; `passwordFrom` says where a password would have to go instead, or nil when the URL may hold one.
    /// Messages never repeat the password.
    public init(parsing text: String, passwordFrom: String?) throws(PostgresURLError) {
        let example = "expected postgres://user@host:port/db[?sslmode=\(Self.sslModes.joined(separator: "|"))][&sslrootcert=FILE]"
        guard Self.names(text), let components = URLComponents(string: text) else { throw PostgresURLError("not a PostgreSQL URL; \(example)") }
        if components.password != nil, let passwordFrom {
            throw PostgresURLError("a PostgreSQL URL here must not hold a password; \(passwordFrom)")
        }
        guard let user = components.user, !user.isEmpty else { throw PostgresURLError("the URL names no user; \(example)") }
        // An IPv6 address comes in brackets (`[::1]`), which are the URL's, not the address's.
        let bracketed = components.host ?? ""
        var host = bracketed.hasPrefix("[") && bracketed.hasSuffix("]") ? String(bracketed.dropFirst().dropLast()) : bracketed
        var port = components.port ?? 5432
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw PostgresURLError("the URL names no database; \(example)") }
        var sslMode = "prefer"
        var sslRootCert: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "host":
                guard let value = item.value, !value.isEmpty else { throw PostgresURLError("host names no host") }
                host = value
            case "port":
                guard let value = item.value.flatMap({ Int($0) }), (1...65_535).contains(value) else {
                    throw PostgresURLError("port must be a number from 1 to 65535")
                }
                port = value
            case "sslmode":
                guard let value = item.value, Self.sslModes.contains(value) else {
                    throw PostgresURLError("sslmode must be one of \(Self.sslModes.joined(separator: ", "))")
                }
                sslMode = value
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else { throw PostgresURLError("sslrootcert names no file") }
                sslRootCert = value
            default:
                throw PostgresURLError("unknown URL parameter '\(item.name)'; only host, port, sslmode and sslrootcert are read")
            }
        }
        guard !host.isEmpty else { throw PostgresURLError("the URL names no host; \(example)") }
        self.user = user
        password = components.password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
    }

    /// `postgres://user@host:port/db`: where the store is, for messages; never the password.
    public var description: String { Self.describe(user: user, host: host, port: port, database: database) }

    /// `postgres://user@host:port/db`, an IPv6 address in brackets.
    public static func describe(user: String, host: String, port: Int, database: String) -> String {
        "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }
}

/// Why a PostgreSQL URL was refused; the message never holds the password.
public struct PostgresURLError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
