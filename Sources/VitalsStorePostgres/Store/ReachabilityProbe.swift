/// Whether the server can be reached, found by connecting to it directly (``PostgresMetricStore/checkReachable(_:tls:)``),
/// for every call that waits for the pool: one connection at a time, its outcome kept for a while, so that a pool merely
/// busy with a hundred calls waiting gets one connection every ``PostgresMetricStore/probeAfter``, not a hundred.
actor ReachabilityProbe {
    private let connect: @Sendable () async throws -> Void
    private var last: (at: ContinuousClock.Instant, failure: (any Error)?)?
    private var running: Task<(any Error)?, Never>?

    init(connect: @escaping @Sendable () async throws -> Void) {
        self.connect = connect
    }

    /// Why the server cannot be reached, or nil when it can: the last outcome when it is more recent than `age`, else a new
    /// connection's (shared with the calls that ask while it is made).
    func failure(within age: Duration) async -> (any Error)? {
        let clock = ContinuousClock()
        if let last, last.at.duration(to: clock.now) < age { return last.failure }
        if let running { return await running.value }
        let connect = connect
        let attempt = Task<(any Error)?, Never> {
            do {
                try await connect()
                return nil
            } catch {
                return error
            }
        }
        running = attempt
        let failure = await attempt.value
        last = (clock.now, failure)
        running = nil
        return failure
    }
}
