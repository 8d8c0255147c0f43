public import VitalsCore
public import VitalsPorts

/// When a failed delivery is tried again and when it is given up: exponential backoff with jitter, `Retry-After` honoured,
/// a cap on attempts and on age.
public struct DeliveryPolicy: Sendable {
    /// Attempts after which a delivery that keeps failing is dead-lettered.
    public var maxAttempts: Int
    /// How long after its message was queued a delivery that keeps failing is dead-lettered.
    public var maxAge: TimeSpan
    /// The wait after the first failure; it doubles after each further one.
    public var baseDelay: TimeSpan
    public var maxDelay: TimeSpan
    /// The shortest wait, even when the receiver asks for less (`Retry-After: 0`), so a receiver cannot make vitals spin.
    public var minDelay: TimeSpan
    /// Turns a backoff into the wait actually used; ``halfJitter`` in production, a fixed function in tests.
    public var jitter: @Sendable (TimeSpan) -> TimeSpan

    public init(
        maxAttempts: Int = 10, maxAge: TimeSpan = .hours(24), baseDelay: TimeSpan = .seconds(30), maxDelay: TimeSpan = .hours(1),
        minDelay: TimeSpan = .seconds(1), jitter: @escaping @Sendable (TimeSpan) -> TimeSpan = DeliveryPolicy.halfJitter
    ) {
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.minDelay = minDelay
        self.jitter = jitter
    }

    /// A random wait between half and all of the backoff, so channels that failed together do not retry together.
    public static let halfJitter: @Sendable (TimeSpan) -> TimeSpan = { delay in
        TimeSpan(milliseconds: delay.milliseconds / 2 + Int64.random(in: 0...max(0, delay.milliseconds - delay.milliseconds / 2)))
    }

    /// The backoff after the `attempts`-th failed attempt (1-based), before jitter: base × 2^(attempts−1), capped.
    public func backoff(afterAttempt attempts: Int) -> TimeSpan {
        let doublings = min(max(attempts - 1, 0), 40)
        let (delay, overflow) = baseDelay.milliseconds.multipliedReportingOverflow(by: Int64(1) << doublings)
        return TimeSpan(milliseconds: overflow ? maxDelay.milliseconds : min(delay, maxDelay.milliseconds))
    }

    /// What to record after `outcome` of an attempt at `delivery` at `now`.
    public func result(of outcome: DeliveryOutcome, for delivery: OutboxDelivery, at now: Timestamp) -> DeliveryResult {
        switch outcome {
        case .delivered(let status):
            return .delivered(status: status)
        case .reject(let failure):
            return .dead(status: failure.status, error: failure.description)
        case .retry(let failure, let retryAfter):
            let attempts = delivery.attempts + 1
            if attempts >= maxAttempts {
                return .dead(status: failure.status, error: "gave up after \(attempts) attempts: \(failure)")
            }
            let age = TimeSpan(milliseconds: now.milliseconds - delivery.message.createdAt.milliseconds)
            if age >= maxAge {
                return .dead(status: failure.status, error: "gave up after \(maxAge) (\(attempts) attempts): \(failure)")
            }
            let wait = max(minDelay, retryAfter ?? jitter(backoff(afterAttempt: attempts)))
            return .retry(at: now.adding(wait), status: failure.status, error: failure.description)
        }
    }
}
