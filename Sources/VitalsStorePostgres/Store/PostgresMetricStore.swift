public import Foundation
import Logging
import PostgresNIO
import Synchronization
public import VitalsCore
import VitalsPorts
import _ConnectionPoolModule

/// The store on a PostgreSQL database that several vitals instances share (`docs/postgres.md`).
///
/// Every call borrows a connection from a bounded pool (``PostgresStoreConfiguration/maximumConnections``) and runs its
/// statements in one transaction; nothing blocks a thread while the server works. Opening the store migrates the schema
/// under an advisory lock, so instances starting together migrate once.
public final class PostgresMetricStore: Sendable {
    let client: PostgresClient
    private let running: Task<Void, Never>
    let database: String
    /// The pool's bound on its connections.
    let maximumConnections: Int
    /// The direct connection that tells a call waiting for the pool whether the server can be reached (``reachable(_:)``).
    private let probe: ReachabilityProbe
    let days: LocalDays
    public let retention: TimeSpan
    /// The monthly partitions of `samples` known to exist, by the month's first millisecond (UTC).
    let partitions = Mutex<Set<Int64>>([])
    /// This object's identity in the marks of its write history (``samplesWritten(named:since:)``).
    let instance = StoreInstance()
    static let logger = Logger(label: "vitals.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Connects to the database `configuration` names and brings its schema up to date.
    ///
    /// `timeZone` cuts the daily rollups; a database whose rollups were cut in another zone is refused.
    public init(configuration: PostgresStoreConfiguration, timeZone: TimeZone, retention: TimeSpan) async throws {
        let settings = try configuration.tlsSettings()
        try await Self.checkReachable(configuration, tls: settings)
        let tls: PostgresClient.Configuration.TLS =
            switch settings {
            case nil: .disable
            case (let settings, required: false)?: .prefer(settings)
            case (let settings, required: true)?: .require(settings)
            }
        var options =
            if let socket = configuration.socketPath {
                PostgresClient.Configuration(
                    unixSocketPath: socket, username: configuration.user, password: configuration.password, database: configuration.database)
            } else {
                PostgresClient.Configuration(
                    host: configuration.host, port: configuration.port, username: configuration.user, password: configuration.password,
                    database: configuration.database, tls: tls)
            }
        options.options.maximumConnections = configuration.maximumConnections
        options.options.minimumConnections = 0
        // An idle connection is kept for 5 minutes (postgres-nio's default is one): the daemon's jobs and alert rounds come a
        // minute apart, and a round that opened its connections again each minute paid for each connection and its new
        // server process's first statements.
        options.options.connectionIdleTimeout = .seconds(300)
        // The store's statements are index lookups of milliseconds; a server's JIT (on by default, for plans the planner
        // costs high, such as a round's read of every window) compiled each for longer than it ran (120–340 ms a statement).
        // A process stopped inside a transaction (SIGSTOP, a frozen VM) would hold its locks for as long as it stays stopped:
        // a leader stopped while renewing its lease kept the claim's advisory lock, and no standby could take over (a CI run
        // waited 60 s for one). The server ends such a transaction once it has waited 10 s for the next statement; every
        // transaction of this store sends its statements back to back, in milliseconds. Text comes in UTF-8 whatever the
        // database's encoding, as postgres-nio and the packed answers (``PackedColumns``) read it.
        options.options.additionalStartupParameters = [
            ("jit", "off"), ("idle_in_transaction_session_timeout", "10s"), ("client_encoding", "UTF8"),
        ]
        let client = PostgresClient(configuration: options, backgroundLogger: Self.logger)
        self.client = client
        running = Task { await client.run() }
        database = configuration.description
        maximumConnections = configuration.maximumConnections
        probe = ReachabilityProbe { try await Self.checkReachable(configuration, tls: settings) }
        days = LocalDays(timeZone)
        self.retention = retention
        do {
            try await PostgresSchema.migrate(self, timeZone: timeZone)
        } catch {
            running.cancel()
            throw error
        }
    }

    deinit { running.cancel() }

    /// Connects once and closes again, so an unreachable server, a refused login or a missing database is reported at once
    /// with its cause: the pool would retry for a minute and then report only that it gave up.
    /// `settings` are ``PostgresStoreConfiguration/tlsSettings()``.
    static func checkReachable(
        _ configuration: PostgresStoreConfiguration, tls settings: (configuration: TLSConfiguration, required: Bool)?
    ) async throws {
        do {
            let tls: PostgresConnection.Configuration.TLS =
                switch settings {
                case nil: .disable
                case (let settings, required: false)?: .prefer(try NIOSSLContext(configuration: settings))
                case (let settings, required: true)?: .require(try NIOSSLContext(configuration: settings))
                }
            let connection = try await PostgresConnection.connect(
                configuration: configuration.socketPath.map {
                    .init(unixSocketPath: $0, username: configuration.user, password: configuration.password, database: configuration.database)
                }
                    ?? .init(
                        host: configuration.host, port: configuration.port, username: configuration.user, password: configuration.password,
                        database: configuration.database, tls: tls),
                id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw PostgresStoreError.wrapping(error, database: configuration.description, connecting: true)
        }
    }

    /// Closes every connection; the store cannot be used afterwards.
    public func close() {
        running.cancel()
    }

    /// Runs `body` in one transaction on a pooled connection; errors name the database and carry the server's message.
    ///
    /// When `body` throws, the transaction is rolled back, unless the session has ended (the server has then rolled it back
    /// already). A transaction whose connection closes fails: its `COMMIT` may have been under way.
    func transaction<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T {
        try await leasing(rerunIfClosed: false) { session in
            _ = try await session.query("BEGIN")
            let result: T
            do {
                result = try await body(session)
            } catch {
                if !Session.ended(by: error) { _ = try? await session.query("ROLLBACK") }
                throw error
            }
            _ = try await session.query("COMMIT")
            return result
        }
    }

    /// Runs `body`, a read of one statement, on a pooled connection outside a transaction: one statement sees one snapshot
    /// anyway, and `BEGIN` and `COMMIT` would be two more round trips for each of a report's many reads. A read whose
    /// connection closes under it (the server restarted or ended the session) runs again on another.
    func reading<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T {
        try await leasing(rerunIfClosed: true, body)
    }

    /// Runs `body` on a connection of the pool that is still open, and wraps what it throws in ``PostgresStoreError``.
    ///
    /// The pool hears of a connection's close only once the connection has finished closing (see ``Session``), and until
    /// then lends it again. So a connection found closed, or whose session ended under `body`, is given back only once it
    /// has finished closing, and the call leases another: as many times as the pool has connections, and once more.
    private func leasing<T: Sendable>(rerunIfClosed: Bool, _ body: (Session) async throws -> T) async throws -> T {
        do {
            var failure: any Error = ConnectionClosed()
            for _ in 0...maximumConnections {
                let lease: Lease<T> = try await reachable { leased in
                    try await client.withConnection { connection in
                        leased()
                        let session = Session(connection: connection)
                        if session.isClosed {
                            await session.settle()
                            return .closed(nil)
                        }
                        do {
                            return .done(try await body(session))
                        } catch  where Session.ended(by: error) {
                            await session.settle()
                            if rerunIfClosed { return .closed(error) }
                            throw error
                        }
                    }
                }
                switch lease {
                case .done(let result): return result
                case .closed(let error): failure = error ?? failure
                }
            }
            throw failure
        } catch let error as ConnectionPoolError where error == .connectionCreationCircuitBreakerTripped {
            // The pool has failed to connect for a minute and now refuses calls at once until it connects again: say why.
            if let failure = await probe.failure(within: Self.probeAfter) { throw failure }
            throw PostgresStoreError(
                database: database, message: "cannot connect: new connections failed for a minute; the store tries again shortly")
        } catch {
            throw PostgresStoreError.wrapping(error, database: database)
        }
    }

    /// ``transaction(_:)`` for a write: with a ``WriteFence`` set (a leader's work), the transaction first checks that the
    /// leader lease has no newer epoch, and throws ``LeaseFenceError`` instead of writing. The check reads the lease row
    /// `FOR SHARE`, so a takeover (which updates the row) waits for the write to commit, and a write begun after the
    /// takeover sees its epoch: no write of a replaced leader lands after its successor's term began.
    ///
    /// A write of samples, retention and relabelling take the sample-write lock (`lock`) first, before anything else.
    func writing<T: Sendable>(holding lock: SampleWriteLock? = nil, _ body: (Session) async throws -> T) async throws -> T {
        let fence = WriteFence.current
        return try await transaction { connection in
            if let lock { try await Self.take(lock, connection) }
            if let fence { try await Self.check(fence, connection) }
            return try await body(connection)
        }
    }

    /// Throws when the leader lease's epoch is newer than `fence`'s. The lease row stays share-locked until the transaction
    /// ends.
    static func check(_ fence: WriteFence, _ connection: Session) async throws {
        var epoch: Int64?
        for try await found in try await connection.query("SELECT epoch FROM leader_lease WHERE id = 1 FOR SHARE").decode(Int64.self) {
            epoch = found
        }
        if let epoch, epoch > fence.epoch { throw LeaseFenceError(fence: fence, leaseEpoch: epoch) }
    }

    /// How long a call waits for a pooled connection before it connects directly to see whether the server can be reached.
    static let probeAfter = Duration.seconds(2)

    /// Runs `lease`, which waits for a pooled connection, calls `leased` once it has one, and uses it. While it waits, the
    /// store checks every ``probeAfter`` that the server can be reached (``ReachabilityProbe``): when it cannot, the call
    /// fails at once with the reason (`psql`'s words), where the pool would keep it waiting for a minute and then report
    /// only that it gave up. A pool that is merely busy passes the check, and the call waits on.
    private func reachable<T: Sendable>(_ lease: (_ leased: @escaping @Sendable () -> Void) async throws -> T) async throws -> T {
        let wait = LeaseWait()
        return try await withoutActuallyEscaping(lease) { lease in
            let run = LeaseRun(run: lease)
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await run.run { wait.end() } }
                group.addTask {
                    while true {
                        try await Task.sleep(for: Self.probeAfter)
                        guard wait.isWaiting else { return nil }
                        if let failure = await self.probe.failure(within: Self.probeAfter), wait.isWaiting { throw failure }
                    }
                }
                while let outcome = try await group.next() {
                    if let result = outcome {
                        group.cancelAll()
                        return result
                    }
                }
                throw CancellationError()
            }
        }
    }
}

/// Whether a call of ``PostgresMetricStore`` still waits for a pooled connection.
private final class LeaseWait: Sendable {
    private let waiting = Mutex(true)
    var isWaiting: Bool { waiting.withLock { $0 } }
    func end() { waiting.withLock { $0 = false } }
}

/// A call's wait for a connection and its work, handed to the task that runs them. Unchecked: that task is the only one
/// that runs it, and it ends before the call returns (``PostgresMetricStore/reachable(_:)``).
private struct LeaseRun<T>: @unchecked Sendable {
    let run: (_ leased: @escaping @Sendable () -> Void) async throws -> T
}

/// What one lease of a pooled connection came to: the call's result, or a connection that had closed, with the failure it
/// gave the call if it closed under it.
private enum Lease<T: Sendable>: Sendable {
    case done(T)
    case closed((any Error)?)
}
