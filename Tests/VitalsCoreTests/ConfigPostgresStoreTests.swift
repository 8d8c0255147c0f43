import Testing
import VitalsCollectors
import VitalsCore

/// `store:` naming a PostgreSQL database: the URL from the variable `url_env` names, never a password in the file.
@Suite struct ConfigPostgresStoreTests {
    let environment = ["DB_URL": "postgres://ana:s3cret@db.internal:6543/vitals?sslmode=verify-full", "BAD_URL": "postgres://ana:s3cret@db/x?ssl=on"]

    /// libpq's defaults without its environment variables, for a user logged in as `ana`.
    static let builtIn = PostgresURL.Defaults(loginName: "ana")

    func parse(_ text: String) throws(ConfigError) -> VitalsConfig {
        try ConfigLoader.parse(text, file: "vitals.yml", environment: environment, sourceTypes: SourceRegistry.types)
    }

    @Test func theURLComesFromTheNamedVariable() throws {
        let url = try #require(try parse("store:\n  postgres:\n    url_env: DB_URL\n").postgres)
        #expect(url.description == "postgres://ana@db.internal:6543/vitals")
        #expect(url.password == "s3cret")
        #expect(url.sslMode == "verify-full")
    }

    /// Every libpq `sslmode` is read, with `sslrootcert`; another mode, or an empty root file, is refused.
    @Test(arguments: PostgresURL.sslModes) func libpqsSSLModesAndRootCertificateAreRead(mode: String) throws {
        let url = try PostgresURL(
            parsing: "postgres://ana@db/vitals?sslmode=\(mode)&sslrootcert=/etc/ssl/db-ca.pem", passwordFrom: nil, defaults: Self.builtIn)
        #expect(url.sslMode == mode)
        #expect(url.sslRootCert == "/etc/ssl/db-ca.pem")
        #expect(url.description == "postgres://ana@db:5432/vitals")
    }

    /// As for libpq, a host that is an absolute path is the folder of the server's Unix-domain socket: as a `host`
    /// parameter (with `port`), or percent-encoded in the host's place.
    @Test(arguments: [
        "postgres://ana@/vitals?host=/var/run/postgresql&port=5433",
        "postgres://ana@%2Fvar%2Frun%2Fpostgresql:5433/vitals",
        "postgresql://ana@db.internal:5433/vitals?host=/var/run/postgresql",
    ])
    func aHostThatIsAPathIsTheSocketsFolder(text: String) throws {
        let url = try PostgresURL(parsing: text, passwordFrom: nil, defaults: Self.builtIn)
        #expect(url.host == "/var/run/postgresql")
        #expect(url.port == 5433)
        #expect(url.database == "vitals")
    }

    /// An IPv6 address is written in brackets, which are not part of the host connected to; messages show them again.
    @Test func anIPv6HostLosesItsBrackets() throws {
        let url = try PostgresURL(parsing: "postgresql://ana@[::1]:6543/vitals", passwordFrom: nil, defaults: Self.builtIn)
        #expect(url.host == "::1")
        #expect(url.port == 6543)
        #expect(url.description == "postgres://ana@[::1]:6543/vitals")
    }

    @Test(arguments: [
        ("postgres://ana@db/vitals?sslmode=verify", "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full"),
        ("postgres://ana@db/vitals?sslrootcert=", "the URL parameter 'sslrootcert' has no value"),
        ("postgres://ana@db/vitals?port=0", "port must be a number from 1 to 65535"),
        (
            "postgres://ana@db/vitals?application_name=x",
            "unknown URL parameter 'application_name'; only host, port, user, dbname, sslmode and sslrootcert are read"
        ),
    ])
    func anUnknownModeOrAnEmptyRootFileIsRefused(text: String, message: String) {
        #expect(throws: PostgresURLError.self) { try PostgresURL(parsing: text, passwordFrom: nil, defaults: Self.builtIn) }
        do {
            _ = try PostgresURL(parsing: text, passwordFrom: nil, defaults: Self.builtIn)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func aURLWithoutPasswordInTheFileIsReadAndAFilePathStaysOne() throws {
        let url = try #require(try parse("store: postgresql://ana@db/vitals\n").postgres)
        #expect(url.description == "postgres://ana@db:5432/vitals")
        #expect(url.sslMode == "prefer")
        let file = try parse("store: data/vitals.db\n")
        #expect(file.postgres == nil)
        #expect(file.storePath == "data/vitals.db")
    }

    /// One libpq case: a URL, the environment of libpq's variables, and what libpq connects to (as `psql` does with them).
    struct LibpqCase: Sendable, CustomTestStringConvertible {
        let url: String
        let environment: [String: String]
        let expected: (user: String, host: String, port: Int, database: String, sslMode: String, sslRootCert: String?)
        var testDescription: String { "\(url) with \(environment.keys.sorted())" }
    }

    static let everyVariable = [
        "PGUSER": "bo", "PGHOST": "db.internal", "PGPORT": "6543", "PGDATABASE": "metrics", "PGSSLMODE": "require", "PGSSLROOTCERT": "/etc/ca.pem",
    ]

    /// What a URL leaves out is libpq's: its variable (`PGUSER`, `PGHOST`, `PGPORT`, `PGDATABASE`, `PGSSLMODE`,
    /// `PGSSLROOTCERT`), else its built-in default (the login name, the socket folder, 5432, the user's name, `prefer`). What
    /// the URL says, in its place or as a parameter, wins; an empty variable is unset.
    @Test(arguments: [
        LibpqCase(url: "postgres:///vitals", environment: [:], expected: ("ana", "/var/run/postgresql", 5432, "vitals", "prefer", nil)),
        LibpqCase(url: "postgresql://", environment: [:], expected: ("ana", "/var/run/postgresql", 5432, "ana", "prefer", nil)),
        LibpqCase(url: "postgres://", environment: everyVariable, expected: ("bo", "db.internal", 6543, "metrics", "require", "/etc/ca.pem")),
        LibpqCase(url: "postgres://db2/", environment: ["PGUSER": "bo"], expected: ("bo", "db2", 5432, "bo", "prefer", nil)),
        LibpqCase(
            url: "postgres://ana@db:5433/vitals?sslmode=disable&sslrootcert=/ca2.pem", environment: everyVariable,
            expected: ("ana", "db", 5433, "vitals", "disable", "/ca2.pem")),
        LibpqCase(
            url: "postgres:///?user=cy&dbname=logs&host=/tmp&port=5434", environment: everyVariable,
            expected: ("cy", "/tmp", 5434, "logs", "require", "/etc/ca.pem")),
        LibpqCase(
            url: "postgres:///vitals", environment: ["PGUSER": "", "PGHOST": ""],
            expected: ("ana", "/var/run/postgresql", 5432, "vitals", "prefer", nil)),
    ])
    func whatTheURLLeavesOutIsLibpqsDefault(libpq: LibpqCase) throws {
        let url = try PostgresURL(
            parsing: libpq.url, passwordFrom: nil, defaults: PostgresURL.Defaults(environment: libpq.environment, loginName: "ana"))
        #expect(url.user == libpq.expected.user)
        #expect(url.host == libpq.expected.host)
        #expect(url.port == libpq.expected.port)
        #expect(url.database == libpq.expected.database)
        #expect(url.sslMode == libpq.expected.sslMode)
        #expect(url.sslRootCert == libpq.expected.sslRootCert)
    }

    /// A default that is needed and missing or wrong is refused, naming the variable.
    @Test(arguments: [
        (
            [String: String](), nil as String?,
            "the URL names no user, PGUSER is not set, and this process's user has no login name; expected postgres://user@host:port/db[?sslmode=disable|allow|prefer|require|verify-ca|verify-full][&sslrootcert=FILE]"
        ),
        (["PGPORT": "five"], "ana", "PGPORT must be a number from 1 to 65535"),
        (["PGSSLMODE": "on"], "ana", "PGSSLMODE must be one of disable, allow, prefer, require, verify-ca, verify-full"),
    ])
    func aMissingOrWrongDefaultIsRefusedByName(environment: [String: String], loginName: String?, message: String) {
        let error = #expect(throws: PostgresURLError.self) {
            try PostgresURL(
                parsing: "postgres:///vitals", passwordFrom: nil, defaults: PostgresURL.Defaults(environment: environment, loginName: loginName))
        }
        #expect(error?.description == message)
    }

    /// `store:` in vitals.yml takes libpq's defaults from the environment vitals runs in.
    @Test func theConfiguredURLTakesItsDefaultsFromTheEnvironment() throws {
        let config = try ConfigLoader.parse(
            "store: postgres:///vitals\n", file: "vitals.yml", environment: ["PGUSER": "bo", "PGHOST": "db.internal", "PGPORT": "6543"],
            sourceTypes: SourceRegistry.types)
        #expect(try #require(config.postgres).description == "postgres://bo@db.internal:6543/vitals")
    }

    @Test(arguments: [
        (
            "store: postgres://ana:s3cret@db/vitals\n",
            "vitals.yml:1:8: store: a PostgreSQL URL here must not hold a password; put it in PGPASSWORD, or the whole URL in an "
                + "environment variable named by store: {postgres: {url_env: NAME}}"
        ),
        ("store: {postgres: {url: x}}\n", "vitals.yml:1:20: unknown key 'url' in store.postgres; allowed: url_env"),
        ("store: {sqlite: x}\n", "vitals.yml:1:9: unknown key 'sqlite' in store; allowed: postgres"),
        (
            "store:\n  postgres: {}\n",
            "vitals.yml:2:13: store.postgres: missing required key 'url_env', the name of the environment variable holding the URL"
        ),
        ("store:\n  postgres:\n    url_env: UNSET\n", "vitals.yml:3:14: store.postgres.url_env: the environment variable named here is not set"),
        (
            "store:\n  postgres:\n    url_env: BAD_URL\n",
            "vitals.yml:3:14: store.postgres.url_env: the URL in BAD_URL: unknown URL parameter 'ssl'; only host, port, user, dbname, sslmode and sslrootcert are read"
        ),
        (
            "store: postgres://ana@db/metrics/vitals\n",
            "vitals.yml:1:8: store: the database name 'metrics/vitals' holds a '/'; expected postgres://user@host:port/db[?sslmode=disable|allow|prefer|require|verify-ca|verify-full][&sslrootcert=FILE]"
        ),
    ])
    func aBadStoreSectionIsAnErrorAtItsPlace(document: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try parse(document) }
        #expect(error?.description == message)
    }
}
