import GRDB
public import VitalsCore
public import VitalsPorts

/// The leader lease in the store's `leader_lease` row. Each call is one `BEGIN IMMEDIATE` transaction, so two daemons
/// on one file take turns at the write lock and never both see the lease free. The lease's writes are not fenced
/// (``WriteFence``): a leader renews and releases its own lease.
extension SQLiteMetricStore: LeaderLease {
    public func acquireOrRenew(holder: String, ttl: TimeSpan, now: Timestamp) async throws -> LeaseClaim {
        let expires = now.adding(ttl)
        return try await unfenced { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT holder, epoch, expires FROM leader_lease WHERE id = 1") else {
                try db.execute(
                    sql: "INSERT INTO leader_lease (id, holder, epoch, expires) VALUES (1, ?, 1, ?)", arguments: [holder, expires.milliseconds])
                return .held(epoch: 1, expires: expires)
            }
            let current: String = row["holder"]
            let epoch: Int64 = row["epoch"]
            let currentExpiry = Timestamp(milliseconds: row["expires"])
            if current == holder {
                try db.execute(sql: "UPDATE leader_lease SET expires = ? WHERE id = 1", arguments: [expires.milliseconds])
                return .held(epoch: epoch, expires: expires)
            }
            guard currentExpiry <= now else { return .heldByOther(holder: current, epoch: epoch, expires: currentExpiry) }
            try db.execute(
                sql: "UPDATE leader_lease SET holder = ?, epoch = ?, expires = ? WHERE id = 1", arguments: [holder, epoch + 1, expires.milliseconds])
            return .held(epoch: epoch + 1, expires: expires)
        }
    }

    public func release(holder: String, epoch: Int64) async throws {
        // The row stays (with its epoch), expired, so the next holder's epoch is larger.
        try await unfenced { db in
            try db.execute(sql: "UPDATE leader_lease SET expires = 0 WHERE id = 1 AND holder = ? AND epoch = ?", arguments: [holder, epoch])
        }
    }

    public func isCurrent(holder: String, epoch: Int64, now: Timestamp) async throws -> Bool {
        do {
            return try await writer.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM leader_lease WHERE id = 1 AND holder = ? AND epoch = ? AND expires > ?",
                    arguments: [holder, epoch, now.milliseconds]) ?? false
            }
        } catch let error as DatabaseError {
            throw StoreError(error, file: file, busyTimeout: busyTimeout)
        }
    }
}

extension SQLiteMetricStore {
    /// ``writing(_:)`` without the write fence.
    private func unfenced<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        try await WriteFence.$current.withValue(nil) { try await writing(body) }
    }
}
