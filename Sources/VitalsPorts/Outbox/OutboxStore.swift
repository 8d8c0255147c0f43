public import VitalsCore

/// Where messages wait for delivery: the outbox seam a backend implements (SQLite today, PostgreSQL next).
///
/// The outbox keeps each message once and one ``OutboxDelivery`` per channel, so one channel's success and another's retry
/// are recorded apart. Every method is one transaction: a crash leaves a message and its deliveries as the last committed
/// call left them. `docs/delivery.md` describes the guarantee the dispatcher builds on this.
public protocol OutboxStore: Sendable {
    /// Queues `payload` for `channels` (routed at once; an empty list leaves the message for ``unroutedMessages(limit:)``).
    ///
    /// A message whose idempotency key the outbox already holds is ignored (nil is returned), unless `force`: then the held
    /// message takes the new payload and each of `channels` gets a fresh pending delivery, delivered again.
    func enqueue(key: String, payload: OutboxMessage.Payload, channels: [String], at now: Timestamp, force: Bool) async throws -> OutboxMessage?

    /// Messages queued without deliveries yet (the alert round queues them with the channels its rule names, possibly none),
    /// oldest first, each with the channels it asked for.
    func unroutedMessages(limit: Int) async throws -> [UnroutedMessage]

    /// Gives an unrouted message one pending delivery per channel, due at `now`; none marks it routed to nobody.
    func route(messageID: Int64, to channels: [String], at now: Timestamp) async throws

    /// The pending deliveries due at `now` in the order their messages were queued, at most `limit`; none of a channel whose
    /// oldest pending message is waiting for a retry, so each channel receives its messages in order.
    func dueDeliveries(at now: Timestamp, limit: Int) async throws -> [OutboxDelivery]

    /// Claims the deliveries due at `now` for `claimant` until `until`, so that dispatchers of several instances sharing the
    /// store never send one delivery twice (`docs/delivery.md`, "Several dispatchers").
    ///
    /// A channel goes to whoever claims its oldest pending delivery, so each channel still receives its messages in order:
    /// the result is what ``dueDeliveries(at:limit:)`` returns, less the channels whose oldest pending delivery another
    /// claimant holds a claim on that runs past `now` (or is claiming at this moment), and each delivery returned is now
    /// claimed by `claimant` until `until` (a claim it already held is extended). A claim ends at `until` or when
    /// ``record(_:forDelivery:at:)`` records an attempt; a dispatcher that died holds its channels until then, and the
    /// first claim after it takes them over. The caller sends a claimed delivery only well before `until`.
    func claimDueDeliveries(at now: Timestamp, limit: Int, claimant: String, until: Timestamp) async throws -> [OutboxDelivery]

    /// Records how an attempt at delivery `id` went: counts the attempt, sets the status the result says and ends the
    /// delivery's claim.
    func record(_ result: DeliveryResult, forDelivery id: Int64, at now: Timestamp) async throws

    /// Keeps how far pending delivery `id` got with a message sent in parts (a report as a Slack thread), so an attempt
    /// after a crash or restart continues it instead of sending the parts again. Counts no attempt; ignored unless the
    /// delivery is pending. ``retry(deliveryID:at:)`` keeps it (the parts sent stay sent); queueing the key again with
    /// `force` clears it.
    func recordProgress(_ progress: DeliveryProgress, forDelivery id: Int64) async throws

    /// The deliveries with `status` (all when nil), in the order their messages were queued.
    func deliveries(status: DeliveryStatus?) async throws -> [OutboxDelivery]

    /// How many deliveries are pending.
    func pendingCount() async throws -> Int

    /// Makes delivery `id` pending again, due at `now`, with its attempts counted from zero. False when there is no such delivery
    /// or it was delivered.
    func retry(deliveryID id: Int64, at now: Timestamp) async throws -> Bool

    /// The earliest time a pending delivery is due (for each channel, its oldest pending one, which holds the rest), nil when
    /// none is pending.
    func nextDue() async throws -> Timestamp?

    /// Deletes the messages whose every delivery ended (delivered or dead) before `cutoff`; returns how many.
    func prune(finishedBefore cutoff: Timestamp) async throws -> Int
}

/// A message without deliveries yet, and the channels it named.
public struct UnroutedMessage: Hashable, Sendable {
    public let message: OutboxMessage
    /// Empty: the configured routing decides.
    public let channels: [String]

    public init(message: OutboxMessage, channels: [String]) {
        self.message = message
        self.channels = channels
    }
}

/// Where one delivery stands.
public enum DeliveryStatus: String, Hashable, Sendable, CaseIterable, Codable {
    /// Not delivered yet: due at ``OutboxDelivery/nextAttemptAt``.
    case pending
    case delivered
    /// Given up on (rejected, or out of attempts or time): listed by `vitals outbox list` until retried or pruned.
    case dead
}

/// One message to one channel.
public struct OutboxDelivery: Hashable, Sendable {
    public let id: Int64
    public let message: OutboxMessage
    public let channel: String
    public let status: DeliveryStatus
    /// Attempts made so far.
    public let attempts: Int
    /// When it is due (pending deliveries).
    public let nextAttemptAt: Timestamp
    /// The receiver's reply code at the last attempt, when it answered.
    public let lastStatus: Int?
    /// Why the last attempt failed, as the channel said it (never a secret).
    public let lastError: String?
    /// When it was delivered or dead-lettered.
    public let finishedAt: Timestamp?
    /// How far the parts of the message got, as last recorded; nil before any part was.
    public let progress: DeliveryProgress?

    public init(
        id: Int64, message: OutboxMessage, channel: String, status: DeliveryStatus, attempts: Int, nextAttemptAt: Timestamp, lastStatus: Int?,
        lastError: String?, finishedAt: Timestamp?, progress: DeliveryProgress? = nil
    ) {
        self.id = id
        self.message = message
        self.channel = channel
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.finishedAt = finishedAt
        self.progress = progress
    }
}

/// How far a delivery in several parts got: the parts the receiver accepted, and the thread they went to.
public struct DeliveryProgress: Hashable, Sendable {
    /// The parts accepted so far, in order (the first `partsDelivered` of the message's parts).
    public let partsDelivered: Int
    /// Where the later parts go: a Slack thread's `ts` (the first message's); nil for a channel without threads.
    public let thread: String?

    public init(partsDelivered: Int, thread: String?) {
        self.partsDelivered = partsDelivered
        self.thread = thread
    }
}

/// What the dispatcher decided after an attempt.
public enum DeliveryResult: Hashable, Sendable {
    case delivered(status: Int?)
    /// Try again at `at`.
    case retry(at: Timestamp, status: Int?, error: String)
    /// Give up: dead-lettered.
    case dead(status: Int?, error: String)
}
