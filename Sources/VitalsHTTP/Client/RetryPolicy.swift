/// How ``HTTPClient`` retries: exponential backoff with jitter, and the server's `Retry-After` when it gives one.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The delay before the second attempt; each later one doubles it.
    public var baseDelay: Duration
    /// The longest delay between attempts, and the longest `Retry-After` waited for: a server that asks for more fails
    /// the request with its answer.
    public var maxDelay: Duration
    /// Turns a backoff delay into the one waited; the default waits a random time between half and all of it, so
    /// clients that failed together do not retry together. Tests inject a fixed function.
    public var jitter: @Sendable (Duration) -> Duration

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(60),
        jitter: @escaping @Sendable (Duration) -> Duration = RetryPolicy.halfJitter
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// No retries.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// A random delay in `[delay/2, delay]`.
    public static let halfJitter: @Sendable (Duration) -> Duration = { delay in delay / 2 + (delay / 2) * Double.random(in: 0...1) }

    /// The backoff before attempt `attempt + 1`, after `attempt` failed attempts (1-based), jitter applied.
    public func backoff(after attempt: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(1, attempt) where delay < maxDelay { delay *= 2 }
        return jitter(min(delay, maxDelay))
    }
}
