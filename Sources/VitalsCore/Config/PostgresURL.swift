import Foundation

/// A PostgreSQL store named by a URL, `postgres://USER@HOST:PORT/DB?sslmode=MODE&sslrootcert=FILE` (`docs/postgres.md`).
///
/// As for libpq, a host that is an absolute path (`?host=/var/run/postgresql`, or `%2Fvar%2Frun%2Fpostgresql` in place of
/// the host) is the folder of the server's Unix-domain socket, and what the URL leaves out is libpq's default
/// (``Defaults``): `postgres:///vitals` is the database `vitals` on this machine's server, as the login user.
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
    /// One of ``sslModes``; `prefer` when neither the URL nor `PGSSLMODE` names one, as libpq.
    public var sslMode: String
    /// libpq's `sslrootcert`: the file of the certificate authorities that sign the server's certificate, when not the
    /// system's.
    public var sslRootCert: String?

    /// What libpq takes for what a URL leaves out: its environment variables, then its built-in defaults.
    public struct Defaults: Sendable, Equatable {
        /// `PGUSER`, else the name this process's user logs in with.
        public var user: String?
        /// `PGHOST`, else the folder of the server's socket that Debian's libpq and PostgreSQL use.
        public var host: String
        /// `PGPORT`, else 5432 (unread until a URL leaves the port out: a bad `PGPORT` fails only then).
        public var port: String?
        /// `PGDATABASE`, else the user's name.
        public var database: String?
        /// `PGSSLMODE`, else `prefer`.
        public var sslMode: String?
        /// `PGSSLROOTCERT`.
        public var sslRootCert: String?

        /// The socket folder of Debian's libpq and server (`DEFAULT_PGSOCKET_DIR`).
        public static let socketFolder = "/var/run/postgresql"

        /// libpq's built-in defaults alone, as for an environment without its variables, for a user named `loginName`.
        public init(loginName: String?) {
            user = loginName
            host = Self.socketFolder
        }

        /// The defaults of a libpq client run with `environment` by a user named `loginName` (``loginName()`` for this
        /// process); an empty variable counts as unset, as for libpq.
        public init(environment: [String: String], loginName: String?) {
            func variable(_ name: String) -> String? { PostgresURL.given(environment[name]) }
            user = variable("PGUSER") ?? loginName
            host = variable("PGHOST") ?? Self.socketFolder
            port = variable("PGPORT")
            database = variable("PGDATABASE")
            sslMode = variable("PGSSLMODE")
            sslRootCert = variable("PGSSLROOTCERT")
        }

        /// The login name of this process's effective user, as libpq takes it; nil when the user has no entry.
        public static func loginName() -> String? {
            guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
            return String(cString: name)
        }
    }

    /// Whether `text` is meant as a PostgreSQL URL rather than a SQLite file.
    public static func names(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    /// Reads `text`, taking what it leaves out from `defaults`; `passwordFrom` says where a password would have to go
    /// instead, or nil when the URL may hold one. Messages never repeat the password.
    public init(parsing text: String, passwordFrom: String?, defaults: Defaults) throws(PostgresURLError) {
        let example = "expected postgres://user@host:port/db[?sslmode=\(Self.sslModes.joined(separator: "|"))][&sslrootcert=FILE]"
        guard Self.names(text), let components = URLComponents(string: text) else { throw PostgresURLError("not a PostgreSQL URL; \(example)") }
        if components.password != nil, let passwordFrom {
            throw PostgresURLError("a PostgreSQL URL here must not hold a password; \(passwordFrom)")
        }
        // An IPv6 address comes in brackets (`[::1]`), which are the URL's, not the address's.
        let bracketed = components.host ?? ""
        var host: String? = bracketed.hasPrefix("[") && bracketed.hasSuffix("]") ? String(bracketed.dropFirst().dropLast()) : bracketed
        var port = components.port.map(String.init)
        var named = (user: components.user, database: String(components.path.drop { $0 == "/" }))
        var sslMode: String?
        var sslRootCert: String?
        for item in components.queryItems ?? [] {
            guard let value = item.value, !value.isEmpty else { throw PostgresURLError("the URL parameter '\(item.name)' has no value") }
            switch item.name {
            case "host": host = value
            case "port": port = value
            case "user": named.user = value
            case "dbname": named.database = value
            case "sslmode": sslMode = value
            case "sslrootcert": sslRootCert = value
            default:
                throw PostgresURLError("unknown URL parameter '\(item.name)'; only host, port, user, dbname, sslmode and sslrootcert are read")
            }
        }
        guard let user = Self.given(named.user) ?? defaults.user else {
            throw PostgresURLError("the URL names no user, PGUSER is not set, and this process's user has no login name; \(example)")
        }
        let database = Self.given(named.database) ?? defaults.database ?? user
        guard !database.contains("/") else { throw PostgresURLError("the database name '\(database)' holds a '/'; \(example)") }
        let number: Int? = if let text = Self.given(port) ?? defaults.port { Int(text) } else { 5432 }
        guard let number, (1...65_535).contains(number) else {
            throw PostgresURLError("\(port == nil ? "PGPORT" : "port") must be a number from 1 to 65535")
        }
        let mode = sslMode ?? defaults.sslMode ?? "prefer"
        guard Self.sslModes.contains(mode) else {
            throw PostgresURLError("\(sslMode == nil ? "PGSSLMODE" : "sslmode") must be one of \(Self.sslModes.joined(separator: ", "))")
        }
        self.user = user
        password = components.password
        self.host = Self.given(host) ?? defaults.host
        self.port = number
        self.database = database
        self.sslMode = mode
        self.sslRootCert = sslRootCert ?? defaults.sslRootCert
    }

    /// `value`, unless it is empty: libpq takes an empty part or variable for one not given.
    private static func given(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }

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
