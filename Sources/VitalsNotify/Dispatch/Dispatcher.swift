public import CoreMetrics
public import Foundation
import Synchronization
public import VitalsCore
public import VitalsPorts

/// Delivers what the outbox holds: routes new messages to their channels, sends each due delivery through its channel's
/// ``Notifier`` and records the outcome, one channel's deliveries in the order they were queued.
///
/// The outcome is committed after the channel answered, so a crash between the two sends that delivery again on the next
/// run: the one window in which a message can arrive twice (`docs/delivery.md`). Dispatchers of several processes may run
/// on one store at once: each claims what it sends (``OutboxStore/claimDueDeliveries(at:limit:claimant:until:)``) for
/// ``claimTime``, and starts a delivery only while at least half of its claim remains, so an attempt ends before another
/// dispatcher may take the delivery over. Waits (rate limits, backoffs while
/// flushing) go through the injected `clock`, and times are read from `now`, so tests never sleep. Each attempt is counted
/// in `metrics` as `vitals_deliveries_total{channel, outcome}` (outcome: `delivered`, `retried`, `dead`).
public struct Dispatcher: Sendable {
    public let store: any OutboxStore
    let notifiers: [String: any Notifier]
    public let routing: ChannelRouting
    public let policy: DeliveryPolicy
    /// The shortest time between two sends to a channel, by channel name (Slack webhooks: 1 s); none when absent.
    let rateLimits: [String: TimeSpan]
    let clock: any Clock<Duration>
    let now: @Sendable () -> Timestamp
    /// How many due deliveries one read takes.
    let batchSize: Int
    let metrics: any MetricsFactory
    /// Who claims the deliveries this dispatcher sends: unique per dispatcher.
    let claimant: String
    /// How long a claim lasts: a dispatcher that dies holds its channels this long at most.
    public static var claimTime: TimeSpan { .minutes(10) }
    private let lastSent = SendTimes()

    public init(
        store: any OutboxStore, notifiers: [any Notifier], routing: ChannelRouting = ChannelRouting(), policy: DeliveryPolicy = DeliveryPolicy(),
        rateLimits: [String: TimeSpan] = [:], clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Timestamp, batchSize: Int = 100, metrics: any MetricsFactory = MetricsSystem.factory,
        claimant: String = UUID().uuidString
    ) {
        self.metrics = metrics
        self.claimant = claimant
        self.store = store
        self.notifiers = Dictionary(notifiers.map { ($0.channel, $0) }) { first, _ in first }
        self.routing = routing
        self.policy = policy
        self.rateLimits = rateLimits
        self.clock = clock
        self.now = now
        self.batchSize = batchSize
    }

    /// What one ``dispatchDue()`` or ``flush(waitingUpTo:)`` did.
    public struct Summary: Sendable, Equatable {
        public var delivered = 0
        /// Attempts that failed and were scheduled again.
        public var retried = 0
        /// Deliveries given up on now.
        public var dead: [DeadLetter] = []
        /// Deliveries still pending when it returned.
        public var pending = 0

        public init() {}

        mutating func add(_ other: Summary) {
            delivered += other.delivered
            retried += other.retried
            dead += other.dead
        }
    }

    /// A delivery given up on: which message, which channel, why.
    public struct DeadLetter: Sendable, Equatable {
        public let deliveryID: Int64
        public let key: String
        public let channel: String
        public let error: String
    }

    /// Routes the unrouted messages, then sends every delivery due now, channels side by side.
    public func dispatchDue() async throws -> Summary {
        try await routeNew()
        var summary = Summary()
        while true {
            let claimed = now()
            let due = try await store.claimDueDeliveries(at: claimed, limit: batchSize, claimant: claimant, until: claimed.adding(Self.claimTime))
            // The last moment a delivery of this claim may start.
            let last = claimed.adding(TimeSpan(milliseconds: Self.claimTime.milliseconds / 2))
            guard !due.isEmpty else { break }
            var byChannel: [(channel: String, deliveries: [OutboxDelivery])] = []
            for delivery in due {
                if let index = byChannel.firstIndex(where: { $0.channel == delivery.channel }) {
                    byChannel[index].deliveries.append(delivery)
                } else {
                    byChannel.append((delivery.channel, [delivery]))
                }
            }
            summary.add(
                try await withThrowingTaskGroup(of: Summary.self) { group in
                    for (channel, deliveries) in byChannel {
                        group.addTask { try await send(deliveries, to: channel, startingUntil: last) }
                    }
                    return try await group.reduce(into: Summary()) { $0.add($1) }
                })
            // A short batch was everything due; a full one may have left more.
            if due.count < batchSize { break }
        }
        summary.pending = try await store.pendingCount()
        return summary
    }

    /// Dispatches until nothing is pending or the next due delivery lies beyond `wait` from now, waiting for backoffs on
    /// the clock meanwhile. The summary's `pending` says what is left (0: the outbox is empty).
    public func flush(waitingUpTo wait: TimeSpan) async throws -> Summary {
        let deadline = now().adding(wait)
        var summary = Summary()
        while true {
            let pass = try await dispatchDue()
            summary.add(pass)
            summary.pending = pass.pending
            guard let next = try await store.nextDue(), next <= deadline else { return summary }
            var pause = next.milliseconds - now().milliseconds
            // Due and yet not attempted: another dispatcher holds its channel; look again in a second.
            if pause <= 0 && pass.delivered + pass.retried + pass.dead.count == 0 { pause = 1_000 }
            if pause > 0 { try await clock.sleep(for: .milliseconds(pause)) }
        }
    }

    /// Gives every message queued without deliveries (the alert round's) its channels.
    func routeNew() async throws {
        while true {
            let unrouted = try await store.unroutedMessages(limit: batchSize)
            for entry in unrouted {
                try await store.route(messageID: entry.message.id, to: routing.channels(for: entry.message, requested: entry.channels), at: now())
            }
            if unrouted.count < batchSize { return }
        }
    }

    /// One channel's due deliveries, in order, each started no later than `last`; a retry stops the channel, so its later
    /// messages wait behind it.
    func send(_ deliveries: [OutboxDelivery], to channel: String, startingUntil last: Timestamp) async throws -> Summary {
        var summary = Summary()
        for delivery in deliveries {
            // The rest waits for the next claim (the loop in dispatchDue claims again), so no attempt outlives its claim.
            guard now() <= last else { return summary }
            let result: DeliveryResult
            if let notifier = notifiers[channel] {
                try await waitForRateLimit(of: channel)
                lastSent.set(channel, now())
                let store = self.store
                let outcome = await notifier.deliver(delivery.message, resuming: delivery.progress) { progress in
                    try await store.recordProgress(progress, forDelivery: delivery.id)
                }
                result = policy.result(of: outcome, for: delivery, at: now())
            } else {
                result = .dead(
                    status: nil,
                    error: "no channel named '\(channel)' in vitals.yml (channels: \(notifiers.keys.sorted().joined(separator: ", ")))")
            }
            try await store.record(result, forDelivery: delivery.id, at: now())
            Counter(label: "vitals_deliveries_total", dimensions: [("channel", channel), ("outcome", result.outcome)], factory: metrics).increment()
            switch result {
            case .delivered: summary.delivered += 1
            case .retry:
                summary.retried += 1
                return summary
            case .dead(_, let error):
                summary.dead.append(DeadLetter(deliveryID: delivery.id, key: delivery.message.idempotencyKey, channel: channel, error: error))
            }
        }
        return summary
    }

    func waitForRateLimit(of channel: String) async throws {
        guard let interval = rateLimits[channel], let last = lastSent.get(channel) else { return }
        let pause = last.adding(interval).milliseconds - now().milliseconds
        if pause > 0 { try await clock.sleep(for: .milliseconds(pause)) }
    }
}

extension DeliveryResult {
    /// The `outcome` label of `vitals_deliveries_total`.
    var outcome: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "retried"
        case .dead: "dead"
        }
    }
}

/// When each channel was last sent to, shared by the channels' tasks.
private final class SendTimes: Sendable {
    private let times = Mutex<[String: Timestamp]>([:])

    func get(_ channel: String) -> Timestamp? { times.withLock { $0[channel] } }
    func set(_ channel: String, _ time: Timestamp) { times.withLock { $0[channel] = time } }
}
