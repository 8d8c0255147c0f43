/// The leader lease's epoch that a leader's writes carry (fencing per write).
///
/// While a daemon leads, its work (jobs, alert rounds, deliveries, and whatever commands its jobs run) runs with
/// ``current`` set to the epoch of its term. Every port method that writes, called with a fence set, checks inside its own
/// write transaction that the lease has no newer epoch, and otherwise throws ``LeaseFenceError`` and writes nothing. So a
/// leader that was paused (a stopped process, a stalled disk) past its expiry and replaced cannot write once it resumes,
/// even in the middle of a run. The lease's own methods (``LeaderLease``) are never fenced. Outside a leader's term
/// (one-shot commands) no fence is set and nothing is checked.
///
/// The fence travels as a task-local value so that it reaches every write of the term's work, through the commands a
/// job runs in-process and the stores they open, without a fence parameter on each port method; child tasks inherit
/// it. A backend reads ``current`` in its write path on the calling task, before it hands the work to its own queues.
public struct WriteFence: Sendable, Hashable, CustomStringConvertible {
    /// The lease's epoch at which the writer leads.
    public let epoch: Int64

    public init(epoch: Int64) {
        self.epoch = epoch
    }

    /// The fence of the leader's work running in this task; nil outside a leader's term.
    @TaskLocal public static var current: WriteFence?

    public var description: String { "leader lease epoch \(epoch)" }
}

/// A write refused by its fence: the leader lease moved on to a newer epoch since the writer's term began. Nothing of the
/// write was kept.
public struct LeaseFenceError: Error, Hashable, CustomStringConvertible {
    /// The fence the write carried.
    public let fence: WriteFence
    /// The lease's epoch when the write was refused.
    public let leaseEpoch: Int64

    public init(fence: WriteFence, leaseEpoch: Int64) {
        self.fence = fence
        self.leaseEpoch = leaseEpoch
    }

    public var description: String {
        "write refused by its fence (\(fence)): the lease is at epoch \(leaseEpoch) now, another daemon leads this store; nothing was written"
    }
}
