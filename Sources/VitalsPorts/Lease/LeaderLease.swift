public import VitalsCore

/// One leader per store: the daemons sharing a store take turns holding a lease with an expiry, and only the holder runs
/// jobs. The holder renews the lease well before it expires; when it dies, the lease runs out and a standby takes it.
///
/// Every change of holder gives the lease a new, larger epoch. A holder checks its epoch before each unit of work
/// (``isCurrent(holder:epoch:now:)``), so a leader that was paused past its expiry and replaced finds its epoch stale and
/// stops before it starts more work; and each write of its work carries the epoch (``WriteFence``), which the backend
/// checks in the write's own transaction against the lease's epoch, so work already under way cannot write either. `now` is an argument so that the lease's time is the caller's clock; a backend that
/// shares a lease across machines may use its own clock instead.
public protocol LeaderLease: Sendable {
    /// Takes the lease for `holder` when it is free, expired, or already `holder`'s, setting its expiry to `now + ttl`;
    /// otherwise leaves it as it is and says who holds it. The epoch grows only when the holder changes.
    func acquireOrRenew(holder: String, ttl: TimeSpan, now: Timestamp) async throws -> LeaseClaim

    /// Gives the lease up at once, if `holder` still holds it at `epoch`, so a standby need not wait for the expiry.
    func release(holder: String, epoch: Int64) async throws

    /// Whether `holder` still holds the lease at `epoch` and it has not expired at `now`.
    func isCurrent(holder: String, epoch: Int64, now: Timestamp) async throws -> Bool
}

/// The outcome of ``LeaderLease/acquireOrRenew(holder:ttl:now:)``.
public enum LeaseClaim: Sendable, Hashable {
    /// The caller holds the lease at `epoch` until `expires`.
    case held(epoch: Int64, expires: Timestamp)
    /// Another holder has it until `expires`.
    case heldByOther(holder: String, epoch: Int64, expires: Timestamp)
}
