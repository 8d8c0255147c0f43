import PostgresNIO
public import VitalsCore
public import VitalsPorts

/// The leader lease in the `leader_lease` row, with the epoch that fences a replaced leader out.
///
/// A claim runs in one transaction holding a transaction-scoped advisory lock, so two instances claiming at once take turns
/// and never both see the lease free; the lock ends with the transaction, so a leader that is paused or killed holds
/// nothing but its row, which expires. Expiry and epoch decide, not a session lock: a leader stopped with SIGSTOP keeps its
/// connection (and any session lock) open, and must still be replaced once its lease runs out.
extension PostgresMetricStore: LeaderLease {
    /// The advisory lock a claim holds ("vitals" and 3).
    static let leaseLock: Int64 = 0x7669_7461_6C73_0003

    public func acquireOrRenew(holder: String, ttl: TimeSpan, now: Timestamp) async throws -> LeaseClaim {
        let expires = now.adding(ttl)
        let until = expires.milliseconds
        return try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.leaseLock))", logger: Self.logger)
            var row: (holder: String, epoch: Int64, expires: Int64)?
            for try await found in try await connection.query("SELECT holder, epoch, expires FROM leader_lease WHERE id = 1", logger: Self.logger)
                .decode((String, Int64, Int64).self)
            {
                row = found
            }
            guard let row else {
                try await connection.query(
                    "INSERT INTO leader_lease (id, holder, epoch, expires) VALUES (1, \(holder), 1, \(until))", logger: Self.logger)
                return .held(epoch: 1, expires: expires)
            }
            if row.holder == holder {
                try await connection.query("UPDATE leader_lease SET expires = \(until) WHERE id = 1", logger: Self.logger)
                return .held(epoch: row.epoch, expires: expires)
            }
            let currentExpiry = Timestamp(milliseconds: row.expires)
            guard currentExpiry <= now else { return .heldByOther(holder: row.holder, epoch: row.epoch, expires: currentExpiry) }
            try await connection.query(
                "UPDATE leader_lease SET holder = \(holder), epoch = \(row.epoch + 1), expires = \(until) WHERE id = 1", logger: Self.logger)
            return .held(epoch: row.epoch + 1, expires: expires)
        }
    }

    public func release(holder: String, epoch: Int64) async throws {
        // The row stays (with its epoch), expired, so the next holder's epoch is larger.
        try await transaction { connection in
            try await connection.query(
                "UPDATE leader_lease SET expires = 0 WHERE id = 1 AND holder = \(holder) AND epoch = \(epoch)", logger: Self.logger)
        }
    }

    public func isCurrent(holder: String, epoch: Int64, now: Timestamp) async throws -> Bool {
        try await transaction { connection in
            var current = false
            for try await _ in try await connection.query(
                "SELECT 1 FROM leader_lease WHERE id = 1 AND holder = \(holder) AND epoch = \(epoch) AND expires > \(now.milliseconds)",
                logger: Self.logger
            ) {
                current = true
            }
            return current
        }
    }
}
