import Testing
import VitalsCollectors
import VitalsCore

/// `store:` naming a PostgreSQL database: the URL from the variable `url_env` names, never a password in the file.
@Suite struct ConfigPostgresStoreTests {
    let environment = ["DB_URL": "postgres://ana:s3cret@db.internal:6543/vitals?sslmode=verify-full", "BAD_URL": "postgres://ana:s3cret@db/x?ssl=on"]

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
        let url = try PostgresURL(parsing: "postgres://ana@db/vitals?sslmode=\(mode)&sslrootcert=/etc/ssl/db-ca.pem", passwordFrom: nil)
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
        let url = try PostgresURL(parsing: text, passwordFrom: nil)
        #expect(url.host == "/var/run/postgresql")
        #expect(url.port == 5433)
        #expect(url.database == "vitals")
    }

    /// An IPv6 address is written in brackets, which are not part of the host connected to; messages show them again.
    @Test func anIPv6HostLosesItsBrackets() throws {
        let url = try PostgresURL(parsing: "postgresql://ana@[::1]:6543/vitals", passwordFrom: nil)
        #expect(url.host == "::1")
        #expect(url.port == 6543)
        #expect(url.description == "postgres://ana@[::1]:6543/vitals")
    }

    @Test(arguments: [
        ("postgres://ana@db/vitals?sslmode=verify", "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full"),
        ("postgres://ana@db/vitals?sslrootcert=", "sslrootcert names no file"),
        ("postgres://ana@db/vitals?port=0", "port must be a number from 1 to 65535"),
        (
            "postgres://ana@/vitals",
            "the URL names no host; expected postgres://user@host:port/db[?sslmode=disable|allow|prefer|require|verify-ca|verify-full][&sslrootcert=FILE]"
        ),
    ])
    func anUnknownModeOrAnEmptyRootFileIsRefused(text: String, message: String) {
        #expect(throws: PostgresURLError.self) { try PostgresURL(parsing: text, passwordFrom: nil) }
        do {
            _ = try PostgresURL(parsing: text, passwordFrom: nil)
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
            "vitals.yml:3:14: store.postgres.url_env: the URL in BAD_URL: unknown URL parameter 'ssl'; only host, port, sslmode and sslrootcert are read"
        ),
        (
            "store: postgres://db/vitals\n",
            "vitals.yml:1:8: store: the URL names no user; expected postgres://user@host:port/db[?sslmode=disable|allow|prefer|require|verify-ca|verify-full][&sslrootcert=FILE]"
        ),
    ])
    func aBadStoreSectionIsAnErrorAtItsPlace(document: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try parse(document) }
        #expect(error?.description == message)
    }
}
