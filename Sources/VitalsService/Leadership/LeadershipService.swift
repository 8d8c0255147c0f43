public import Logging
public import ServiceLifecycle
public import VitalsCore
public import VitalsPorts

/// Runs the services only the leader may run (the job scheduler, the alert rounds) while this daemon holds the store's
/// leader lease, and waits as a standby while another daemon does.
///
/// - Standby: tries to take the lease every ``retryInterval`` (a third of the TTL), so it takes over within the TTL and
///   one interval of the holder's death.
/// - Leader: starts a term's services (built by `term` with the lease's fencing check), with the term's ``WriteFence``
///   set so that each of their writes carries the term's epoch, and renews the lease every
///   ``retryInterval``. When a renewal finds another holder, or cannot reach the store until the lease would expire, the
///   term's services are cancelled and the daemon goes back to standby; when the fencing check fails first (a paused
///   daemon), the services stop themselves (``LeadershipLost``) before they start another run.
/// - Graceful shutdown: a standby stops at once; a leader lets its services finish (they see the shutdown too), keeps
///   renewing meanwhile, runs its `closing` work (the daemon's: send what the outbox holds) if the fencing check still
///   passes, then releases the lease so a standby takes over without waiting for the expiry.
public final class LeadershipService<C: Clock>: Service where C.Duration == Duration {
    /// Builds the services of one term. `isCurrent` is the fencing check: whether this daemon still holds the lease at
    /// the term's epoch; a service calls it before each unit of work.
    public typealias Term = @Sendable (_ epoch: Int64, _ isCurrent: @escaping @Sendable () async -> Bool) -> [any Service]

    let lease: any LeaderLease
    let holder: String
    let ttl: TimeSpan
    let clock: ServiceClock<C>
    let logger: Logger
    let term: Term
    /// The last work of a leader that stops gracefully, after the term's services have returned and before the lease is
    /// released.
    let closing: @Sendable () async -> Void

    public static var defaultTTL: TimeSpan { .seconds(30) }

    /// How often a standby tries and a leader renews.
    public var retryInterval: TimeSpan { TimeSpan(milliseconds: max(ttl.milliseconds / 3, 1)) }

    public init(
        lease: any LeaderLease, holder: String, ttl: TimeSpan = defaultTTL, clock: ServiceClock<C>, logger: Logger,
        closing: @escaping @Sendable () async -> Void = {}, term: @escaping Term
    ) {
        self.lease = lease
        self.closing = closing
        self.holder = holder
        self.ttl = ttl
        self.clock = clock
        self.logger = logger
        self.term = term
    }

    public func run() async throws {
        while let (epoch, expires) = await standby() {
            if try await lead(epoch: epoch, expires: expires) { return }
        }
    }

    /// Waits for the lease; nil on graceful shutdown.
    private func standby() async -> (Int64, Timestamp)? {
        var waitingFor: String?
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                switch try await lease.acquireOrRenew(holder: holder, ttl: ttl, now: clock.now()) {
                case .held(let epoch, let expires):
                    logger.notice("leader: holding the lease", metadata: ["holder": "\(holder)", "epoch": "\(epoch)"])
                    return (epoch, expires)
                case .heldByOther(let other, _, let expires):
                    if waitingFor != other {
                        logger.notice("standby: another daemon holds the lease", metadata: ["leader": "\(other)", "expires": "\(expires)"])
                        waitingFor = other
                    }
                }
            } catch {
                logger.error("cannot read the leader lease; trying again", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { [clock, retryInterval] in try await clock.sleep(for: retryInterval) }
        }
        return nil
    }

    private enum TermEnd {
        case servicesEnded
        case leaseLost
    }

    /// Runs one term; true when it ended for good (graceful shutdown, or the services returned).
    private func lead(epoch: Int64, expires: Timestamp) async throws -> Bool {
        let isCurrent: @Sendable () async -> Bool = { [lease, holder, clock, logger] in
            do {
                return try await lease.isCurrent(holder: holder, epoch: epoch, now: clock.now())
            } catch {
                logger.error("cannot check the leader lease; running nothing", metadata: ["error": "\(error)"])
                return false
            }
        }
        let services = term(epoch, isCurrent)
        // Every write of the term's work carries its epoch: the store refuses it once a newer leader took the lease.
        let fence = WriteFence(epoch: epoch)
        let end: TermEnd
        do {
            end = try await withThrowingTaskGroup(of: TermEnd.self) { group in
                group.addTask {
                    try await WriteFence.$current.withValue(fence) {
                        try await withThrowingTaskGroup(of: Void.self) { inner in
                            for service in services { inner.addTask { try await service.run() } }
                            try await inner.waitForAll()
                        }
                    }
                    return .servicesEnded
                }
                group.addTask { [self] in
                    try await renew(epoch: epoch, expires: expires)
                    return .leaseLost
                }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
        } catch is LeadershipLost {
            logger.error("lost the leader lease (fencing check failed); back to standby", metadata: ["epoch": "\(epoch)"])
            return false
        }
        switch end {
        case .leaseLost:
            logger.error("lost the leader lease; back to standby", metadata: ["epoch": "\(epoch)"])
            return false
        case .servicesEnded:
            if Task.isShuttingDownGracefully, await isCurrent() { await WriteFence.$current.withValue(fence) { await closing() } }
            do {
                try await lease.release(holder: holder, epoch: epoch)
                logger.notice("released the leader lease", metadata: ["epoch": "\(epoch)"])
            } catch {
                logger.error("cannot release the leader lease; it expires by itself", metadata: ["error": "\(error)"])
            }
            return true
        }
    }

    /// Renews until the lease is lost; returns then (and throws only on cancellation).
    private func renew(epoch: Int64, expires: Timestamp) async throws {
        var expires = expires
        while true {
            try await clock.sleep(for: retryInterval)
            do {
                switch try await lease.acquireOrRenew(holder: holder, ttl: ttl, now: clock.now()) {
                case .held(let renewed, let until) where renewed == epoch:
                    expires = until
                case .held, .heldByOther:
                    return
                }
            } catch {
                logger.error("cannot renew the leader lease", metadata: ["error": "\(error)", "expires": "\(expires)"])
                if clock.now() >= expires { return }
            }
        }
    }
}
