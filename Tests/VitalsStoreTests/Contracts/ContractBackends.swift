import Foundation
import Logging
import PostgresNIO
import Testing
import VitalsCore
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// The backends the contract suites run on: each suite runs on every one.
enum ContractBackend: String, CaseIterable, CustomTestStringConvertible {
    case sqliteFile
    case sqliteMemory
    /// A new database in the test process's private PostgreSQL cluster (``PostgresTestCluster``).
    case postgres

    var testDescription: String { rawValue }
}

/// The port a backend's store was asked as does not hold: a contract suite was given a backend that does not implement it.
struct PortNotImplemented: Error, CustomStringConvertible {
    let backend: ContractBackend
    let port: String

    var description: String { "the \(backend) store does not implement \(port)" }
}

/// Runs `body` with a factory of fresh, empty stores of `backend`, seen as `port` (each file-backed SQLite store a new file
/// in a folder removed afterwards, each PostgreSQL store a new database). The contract suites take such a factory typed as
/// the port they test, so every backend runs them unchanged.
func withStoreFactory<Port>(
    _ backend: ContractBackend, as port: Port.Type, timeZone: TimeZone = berlin, retention: TimeSpan = .days(400),
    _ body: (@escaping () async throws -> Port) async throws -> Void
) async throws {
    let folder = try TemporaryFolder()
    let path = folder.path
    let cluster = backend == .postgres ? try await PostgresTestCluster.shared() : nil
    try await body {
        let store: Any =
            switch backend {
            case .sqliteMemory: try await SQLiteMetricStore.inMemory(timeZone: timeZone, retention: retention)
            case .sqliteFile:
                try await SQLiteMetricStore(
                    path: (path as NSString).appendingPathComponent("store-\(UUID().uuidString).db"), timeZone: timeZone, retention: retention)
            case .postgres:
                try await PostgresMetricStore(configuration: freshDatabase(in: cluster!), timeZone: timeZone, retention: retention)
            }
        guard let store = store as? Port else { throw PortNotImplemented(backend: backend, port: "\(Port.self)") }
        return store
    }
}

/// A new, empty database in `cluster`, and how to reach it.
func freshDatabase(in cluster: PostgresTestCluster) async throws -> PostgresStoreConfiguration {
    let name = "vitals_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let admin = try await PostgresConnection.connect(
        configuration: .init(
            host: cluster.host, port: cluster.port, username: cluster.user, password: cluster.password, database: "postgres", tls: .disable),
        id: 0, logger: Logger(label: "vitals.tests.postgres", factory: { _ in SwiftLogNoOpLogHandler() }))
    do {
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Logger(label: "vitals.tests.postgres"))
    } catch {
        try? await admin.close()
        throw error
    }
    try await admin.close()
    return PostgresStoreConfiguration(
        host: cluster.host, port: cluster.port, database: name, user: cluster.user, password: cluster.password, tls: .disable, maximumConnections: 4)
}
