import Foundation
import Testing
import VitalsCore
import VitalsStore

/// Runs `body` with a factory of fresh, empty SQLite stores of `kind` (each file-backed one a new file in a folder removed
/// afterwards). The contract suites take such a factory typed as the port they test, so another backend (PostgreSQL) runs
/// them unchanged with its own factory.
func withStoreFactory(
    _ kind: StoreKind, timeZone: TimeZone = berlin, retention: TimeSpan = .days(400),
    _ body: (@escaping () async throws -> SQLiteMetricStore) async throws -> Void
) async throws {
    let folder = try TemporaryFolder()
    let path = folder.path
    try await body {
        switch kind {
        case .inMemory: try await SQLiteMetricStore.inMemory(timeZone: timeZone, retention: retention)
        case .onDisk:
            try await SQLiteMetricStore(
                path: (path as NSString).appendingPathComponent("store-\(UUID().uuidString).db"), timeZone: timeZone, retention: retention)
        }
    }
}
