import Foundation
import Logging
import PostgresNIO
import Testing
import VitalsTestSupport

@testable import VitalsStorePostgres

/// A session's statements on a connection the server ends: each returns, with the server's reason or ``ConnectionClosed``.
@Suite struct SessionTests {
    /// Statements sent back to back while the server ends the session: postgres-nio 1.33.2 lost a statement written after
    /// the connection closed, and it never returned.
    @Test(.timeLimit(.minutes(1))) func statementsSentAsTheServerEndsTheSessionReturn() async throws {
        let database = try await freshDatabase(in: PostgresTestCluster.shared())
        let logger = Logger(label: "vitals.tests.session", factory: { _ in SwiftLogNoOpLogHandler() })
        for round in 0..<100 {
            let connection = try await PostgresConnection.connect(
                configuration: .init(
                    host: database.host, port: database.port, username: database.user, password: database.password,
                    database: database.database, tls: .disable),
                id: round, logger: logger)
            let session = Session(connection: connection)
            var pid: Int32 = 0
            for try await found in try await session.query("SELECT pg_backend_pid()").decode(Int32.self) { pid = found }
            async let ended = PostgresStoreTests().query(database, "SELECT pg_terminate_backend(\(pid))", as: Bool.self)
            var sent = 0
            do {
                while true {
                    for try await _ in try await session.query("SELECT 1") {}
                    sent += 1
                }
            } catch {
                #expect(Session.ended(by: error), "round \(round) after \(sent): \(String(reflecting: error))")
            }
            #expect(try await ended == [true])
            try? await connection.close()
        }
    }
}
