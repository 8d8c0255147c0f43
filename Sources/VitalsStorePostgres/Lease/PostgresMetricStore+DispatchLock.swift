import PostgresNIO

/// The outbox dispatch lock on PostgreSQL: the session advisory lock ("vitals" and 4) on a connection held for the
/// dispatch, so two processes on one database never send the same delivery at once (what the lock file beside a SQLite
/// store does). The server frees it when the connection ends, however the process ends.
extension PostgresMetricStore {
    static let dispatchLock: Int64 = 0x7669_7461_6C73_0004

    /// Runs `body` while holding the dispatch lock, waiting at most `timeout` for another dispatcher to finish;
    /// ``PostgresStoreError`` says so when it does not. `body` uses the store's other connections.
    public func holdingDispatchLock<T: Sendable>(waitingUpTo timeout: Duration, _ body: () async throws -> T) async throws -> T {
        let milliseconds = timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000
        do {
            return try await client.withConnection { connection in
                try await connection.query("SELECT set_config('lock_timeout', \("\(milliseconds)"), false)", logger: Self.logger)
                do {
                    try await connection.query("SELECT pg_advisory_lock(\(Self.dispatchLock))", logger: Self.logger)
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55P03" {
                    throw PostgresStoreError(
                        database: database, message: "another vitals process has been delivering from this database for \(timeout); try again later")
                }
                do {
                    let result = try await body()
                    try await connection.query("SELECT pg_advisory_unlock(\(Self.dispatchLock))", logger: Self.logger)
                    return result
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.dispatchLock))", logger: Self.logger)
                    throw error
                }
            }
        } catch let error as PSQLError {
            throw PostgresStoreError.wrapping(error, database: database)
        }
    }
}
