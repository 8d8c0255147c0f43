public import VitalsCore
public import VitalsPorts

/// A configured delivery channel (a Slack webhook, a PagerDuty service, an SMTP mailbox, ...): sends one outbox message.
///
/// A notifier makes one attempt and says how it went; retries, backoff, rate limits and dead-lettering are the dispatcher's
/// job, so every channel gets them the same way.
public protocol Notifier: Sendable {
    /// The channel's name as configured (`slack`, `oncall`, ...): what rules and reports name in `notify:` and `channels:`.
    var channel: String { get }
    /// Sends `message` once.
    func deliver(_ message: OutboxMessage) async -> DeliveryOutcome

    /// Sends `message` once, continuing after the parts `progress` says were delivered, and hands `record` the progress
    /// after each part the receiver accepts, which the dispatcher keeps with the delivery. A notifier that sends every
    /// message as one part need not implement it.
    func deliver(_ message: OutboxMessage, resuming progress: DeliveryProgress?, record: @escaping @Sendable (DeliveryProgress) async throws -> Void)
        async -> DeliveryOutcome
}

extension Notifier {
    public func deliver(
        _ message: OutboxMessage, resuming progress: DeliveryProgress?, record: @escaping @Sendable (DeliveryProgress) async throws -> Void
    ) async -> DeliveryOutcome {
        await deliver(message)
    }
}

/// What one delivery attempt came to.
public enum DeliveryOutcome: Hashable, Sendable {
    /// The receiver accepted the message. `status` is the HTTP or SMTP reply code, when there is one.
    case delivered(status: Int?)
    /// It failed in a way a later attempt may not (a network error, 5xx, 429): try again, not before `retryAfter` when the
    /// receiver said when (`Retry-After`).
    case retry(DeliveryFailure, retryAfter: TimeSpan?)
    /// It failed in a way no retry will change (an invalid payload, `channel_not_found`, a revoked token): dead-letter it now.
    case reject(DeliveryFailure)
}

/// Why an attempt failed, in words a user can act on; never a secret (a token, a webhook URL, a routing key).
public struct DeliveryFailure: Hashable, Sendable, CustomStringConvertible {
    /// The HTTP or SMTP reply code, when the receiver answered.
    public let status: Int?
    /// What the receiver said (Slack's error string, PagerDuty's message) or what went wrong on the way.
    public let message: String

    public init(status: Int?, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { status.map { "\($0): \(message)" } ?? message }
}
