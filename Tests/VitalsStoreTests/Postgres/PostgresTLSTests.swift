import Foundation
import Logging
import PostgresNIO
import Testing
import VitalsCore
import VitalsTestSupport

@testable import VitalsStorePostgres

/// Each `sslmode` connects, encrypts and checks the server's certificate as libpq's does, against a server with TLS on and
/// a self-signed certificate for `localhost` only, and against one without TLS; a host that is a folder is the server's
/// Unix-domain socket.
@Suite struct PostgresTLSTests {
    typealias Mode = PostgresStoreConfiguration.TLSMode

    /// How a connection should go: encrypted or not, or refused.
    enum Outcome: Equatable {
        case encrypted, plain, refused
    }

    @Test func eachSSLModeConnectsAndChecksTheCertificateAsLibpqDoes() async throws {
        let secure = try PostgresTestCluster.start(durable: false, tls: true)
        let withTLS = try await freshDatabase(in: secure)
        let root = try #require(secure.certificate)
        let cases: [(host: String, mode: Mode, root: String?, outcome: Outcome)] = [
            ("127.0.0.1", .disable, nil, .plain),
            ("127.0.0.1", .allow, nil, .encrypted),
            ("127.0.0.1", .prefer, nil, .encrypted),
            ("127.0.0.1", .require, nil, .encrypted),
            // No authority the system trusts signed the certificate.
            ("127.0.0.1", .verifyCA, nil, .refused),
            ("localhost", .verifyFull, nil, .refused),
            // With the certificate as the root, `require` checks it as `verify-ca` does.
            ("127.0.0.1", .require, root, .encrypted),
            ("127.0.0.1", .verifyCA, root, .encrypted),
            // The certificate names localhost, not 127.0.0.1.
            ("127.0.0.1", .verifyFull, root, .refused),
            ("localhost", .verifyFull, root, .encrypted),
        ]
        for (host, mode, root, outcome) in cases {
            var database = withTLS
            database.host = host
            database.tls = mode
            database.rootCertificate = root
            #expect(try await Self.connect(database) == outcome, "\(mode.rawValue) to \(host), root \(root ?? "none")")
        }

        // A server without TLS: only the modes that may go without it connect.
        let plain = try await freshDatabase(in: PostgresTestCluster.shared())
        for mode in Mode.allCases {
            var database = plain
            database.tls = mode
            #expect(try await Self.connect(database) == ([.disable, .allow, .prefer].contains(mode) ? .plain : .refused), "\(mode.rawValue)")
        }
    }

    /// A host that is a folder (as for libpq) reaches the server through its Unix-domain socket there, where `sslmode` does
    /// not apply (as libpq ignores it): even `verify-full` connects, to a server without TLS.
    @Test func aHostThatIsAFolderConnectsThroughTheServersSocket() async throws {
        let cluster = try await PostgresTestCluster.shared()
        var database = try await freshDatabase(in: cluster)
        database.host = cluster.socketDirectory
        database.tls = .verifyFull
        let store = try await PostgresMetricStore(configuration: database, timeZone: TimeZone(identifier: "UTC")!, retention: .days(10))
        defer { store.close() }
        // The server's address of a session on a Unix-domain socket is NULL.
        let overSocket = try await store.reading { session in
            var found = false
            for try await isNull in try await session.query("SELECT inet_server_addr() IS NULL").decode(Bool.self) { found = isNull }
            return found
        }
        #expect(overSocket)
        database.host = cluster.socketDirectory + "/missing"
        await #expect(throws: PostgresStoreError.self) {
            _ = try await PostgresMetricStore(configuration: database, timeZone: TimeZone(identifier: "UTC")!, retention: .days(10))
        }
    }

    /// A server that cannot be reached is said as `psql` says it, not in the connection library's terms: the system's
    /// reason, and whether the server runs there; a host name that does not resolve, as such.
    @Test(arguments: [
        ("127.0.0.1", 1, "cannot connect: Connection refused; is the server running there and accepting connections?"),
        (
            "/nonexistent-vitals-socket-folder", 5432,
            "cannot connect: No such file or directory; is the server running there and accepting connections?"
        ),
        ("nosuchhost.invalid", 5432, "cannot connect: could not translate host name \"nosuchhost.invalid\" to address: "),
    ])
    func anUnreachableServerIsSaidAsPsqlSaysIt(host: String, port: Int, message: String) async {
        let database = PostgresStoreConfiguration(host: host, port: port, database: "vitals", user: "ana", password: "hunter2", tls: .disable)
        let error = await #expect(throws: PostgresStoreError.self) {
            _ = try await PostgresMetricStore(configuration: database, timeZone: TimeZone(identifier: "UTC")!, retention: .days(10))
        }
        #expect(error?.message.hasPrefix(message) == true, "\(String(describing: error))")
        #expect(error?.description.contains("hunter2") == false)
    }

    /// Every `sslmode` a URL may name is a mode of the store, by the same name (`vitals` maps one to the other by name).
    @Test func theURLsModesAreTheStoresModes() {
        #expect(Mode.allCases.map(\.rawValue) == PostgresURL.sslModes)
    }

    /// Opens a store on `database` and asks the server whether its session is encrypted.
    static func connect(_ database: PostgresStoreConfiguration) async throws -> Outcome {
        let store: PostgresMetricStore
        do {
            store = try await PostgresMetricStore(configuration: database, timeZone: TimeZone(identifier: "UTC")!, retention: .days(10))
        } catch let error as PostgresStoreError {
            #expect(error.message.hasPrefix("cannot connect: "), "\(error)")
            return .refused
        }
        defer { store.close() }
        let encrypted = try await store.reading { session in
            var found = false
            for try await ssl in try await session.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").decode(Bool.self) { found = ssl }
            return found
        }
        return encrypted ? .encrypted : .plain
    }
}
