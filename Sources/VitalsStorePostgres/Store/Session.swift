import Logging
import NIOCore
import PostgresNIO

/// A pooled connection that refuses to send a statement once the connection has closed.
///
/// postgres-nio 1.33.2 loses a statement written to a connection whose channel has closed: the write fails, no one hears
/// of it, and the caller waits forever. The pool hears of a close a moment after the connection does, so after a server
/// restart, a failover, `pg_terminate_backend` or the idle-in-transaction timeout it could lend such a connection, and a
/// store call never returned. Every statement of this store goes through a `Session`, which checks first and throws
/// ``ConnectionClosed`` instead.
///
/// The check and the write happen in one turn of the connection's event loop (the task prefers that loop as its executor
/// while it sends), so the connection cannot close between them: a close the loop has not yet finished fails the statement
/// in the library, with the server's reason.
struct Session {
    let connection: PostgresConnection

    /// Whether the connection has closed: a statement sent now would be lost.
    var isClosed: Bool { connection.isClosed }

    /// Runs `query` and returns its rows.
    func query(_ query: PostgresQuery, logger: Logger = PostgresMetricStore.logger) async throws -> PostgresRowSequence {
        try await sending { try await connection.query(query, logger: logger) }
    }

    /// Runs a prepared statement (prepared on this connection the first time) and returns its rows.
    func execute<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger = PostgresMetricStore.logger) async throws
        -> AsyncThrowingMapSequence<PostgresRowSequence, Statement.Row>
    {
        try await sending { try await connection.execute(statement, logger: logger) }
    }

    /// Runs a prepared statement that returns no rows to its end, so that its error (a missing partition, a lost lock) is
    /// thrown here. The (empty) rows are read rather than the command tag, which postgres-nio may not have yet when it returns.
    func run<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws where Statement.Row == () {
        for try await _ in try await execute(statement) {}
    }

    /// Copies the rows `writeData` writes into `table` (`COPY … FROM STDIN`).
    func copyFrom(
        table: String, columns: [String], logger: Logger = PostgresMetricStore.logger, writeData: (PostgresCopyFromWriter) async throws -> Void
    ) async throws {
        try await sending {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                // The rows are encoded off the event loop, which other connections share.
                try await withTaskExecutorPreference(globalConcurrentExecutor) { try await writeData(writer) }
            }
        }
    }

    /// Whether `error` says the session has ended: the server ended it (an error of severity `FATAL` or `PANIC`, such as
    /// `pg_terminate_backend`'s 57P01, a shutdown or the idle-in-transaction timeout), or its connection closed.
    static func ended(by error: any Error) -> Bool {
        if error is ConnectionClosed { return true }
        guard let error = error as? PSQLError else { return false }
        if [.serverClosedConnection, .clientClosedConnection, .connectionError].contains(error.code) { return true }
        return ["FATAL", "PANIC"].contains(error.serverInfo?[.severity])
    }

    /// Waits until the connection has finished closing, when the pool hears of it, or for 2 s at most: a connection that
    /// the server ended while it was starting can take a moment to close, and fails its statements until then.
    func settle() async {
        let settled = connection.eventLoop.makePromise(of: Void.self)
        connection.closeFuture.cascade(to: settled)
        connection.eventLoop.scheduleTask(in: .seconds(2)) { settled.succeed() }
        try? await settled.futureResult.get()
    }

    /// Runs `send`, a call of the library that sends a statement, on the connection's event loop, unless the connection
    /// has closed. The library writes before its first suspension, in the turn of the loop that saw the connection open.
    private func sending<T>(_ send: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(EventLoopExecutor(loop: connection.eventLoop)) {
            if connection.isClosed { throw ConnectionClosed() }
            return try await send()
        }
    }
}

/// An event loop as the executor a task prefers: its jobs run on the loop's thread.
private final class EventLoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// A statement was not sent because its connection had closed (the server ended the session, or the network failed).
struct ConnectionClosed: Error {}
