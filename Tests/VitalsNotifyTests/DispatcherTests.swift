import Foundation
import Synchronization
import Testing
import VitalsCore
import VitalsNotify
import VitalsPorts
import VitalsStore

/// A channel that answers from a script and records what it was sent and when.
final class ScriptedChannel: Notifier, Sendable {
    let channel: String
    let clock: ManualClock
    private let script: @Sendable (OutboxMessage, Int) -> DeliveryOutcome
    private let log = Mutex<[(key: String, at: Timestamp)]>([])

    /// `script` gets the message and how many times it was sent before.
    init(_ channel: String, clock: ManualClock, script: @escaping @Sendable (OutboxMessage, Int) -> DeliveryOutcome = { _, _ in .delivered(status: 200) }) {
        self.channel = channel
        self.clock = clock
        self.script = script
    }

    func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        let earlier = log.withLock { log in
            defer { log.append((message.idempotencyKey, clock.timestamp)) }
            return log.filter { $0.key == message.idempotencyKey }.count
        }
        return script(message, earlier)
    }

    var keys: [String] { log.withLock { $0.map(\.key) } }
    var times: [Timestamp] { log.withLock { $0.map(\.at) } }
}

@Suite(.timeLimit(.minutes(1))) struct DispatcherTests {
    static let t0 = Timestamp(milliseconds: 1_764_316_800_000)
    let clock = ManualClock(start: t0)
    let store: SQLiteMetricStore

    init() async throws {
        store = try await SQLiteMetricStore.inMemory(timeZone: TimeZone(identifier: "UTC")!, retention: .days(400))
    }

    static func alert(_ name: String, severity: Severity? = .warning) -> OutboxMessage.Payload {
        .alert(
            AlertMessage(
                group: "api", alert: name, labels: ["service": "api"], event: .firing, severity: severity, value: 1, summary: "\(name) fires", at: t0))
    }

    func dispatcher(
        _ notifiers: [any Notifier], policy: DeliveryPolicy = DeliveryPolicy(jitter: { $0 }), rateLimits: [String: TimeSpan] = [:],
        routing: ChannelRouting = ChannelRouting()
    ) -> Dispatcher {
        let clock = self.clock
        return Dispatcher(
            store: store, notifiers: notifiers, routing: routing, policy: policy, rateLimits: rateLimits, clock: clock, now: { clock.timestamp })
    }

    func queue(_ keys: [String], to channels: [String], severity: Severity? = .warning) async throws {
        for key in keys {
            _ = try await store.enqueue(key: key, payload: Self.alert(key, severity: severity), channels: channels, at: clock.timestamp, force: false)
        }
    }

    @Test func everyChannelGetsItsMessagesInQueueOrder() async throws {
        let slack = ScriptedChannel("slack", clock: clock)
        let file = ScriptedChannel("file", clock: clock)
        try await queue(["a", "b", "c"], to: ["slack", "file"])
        let summary = try await dispatcher([slack, file]).dispatchDue()
        #expect(summary.delivered == 6 && summary.pending == 0 && summary.dead.isEmpty)
        #expect(slack.keys == ["a", "b", "c"] && file.keys == ["a", "b", "c"])
        #expect(try await store.deliveries(status: .delivered).count == 6)
        // Nothing is sent twice.
        #expect(try await dispatcher([slack, file]).dispatchDue().delivered == 0)
        #expect(slack.keys.count == 3)
    }

    @Test func failuresBackOffExponentiallyWithTheInjectedJitter() async throws {
        let slack = ScriptedChannel("slack", clock: clock) { _, earlier in
            earlier < 3 ? .retry(DeliveryFailure(status: 503, "unavailable"), retryAfter: nil) : .delivered(status: 200)
        }
        try await queue(["a"], to: ["slack"])
        // Three quarters of each backoff: the jitter decides, not the dispatcher.
        let policy = DeliveryPolicy(baseDelay: .seconds(10), jitter: { TimeSpan(milliseconds: $0.milliseconds * 3 / 4) })
        let summary = try await dispatcher([slack], policy: policy).flush(waitingUpTo: .minutes(5))
        #expect(summary.delivered == 1 && summary.retried == 3 && summary.pending == 0)
        // Waits of 7.5 s, 15 s and 30 s: 10 s doubling, three quarters of each.
        #expect(slack.times.map { $0.milliseconds - Self.t0.milliseconds } == [0, 7_500, 22_500, 52_500])
    }

    @Test func retryAfterIsHonouredInsteadOfTheBackoff() async throws {
        let slack = ScriptedChannel("slack", clock: clock) { _, earlier in
            earlier == 0 ? .retry(DeliveryFailure(status: 429, "rate_limited"), retryAfter: .seconds(42)) : .delivered(status: 200)
        }
        try await queue(["a"], to: ["slack"])
        let summary = try await dispatcher([slack]).flush(waitingUpTo: .minutes(1))
        #expect(summary.delivered == 1)
        #expect(slack.times.map { $0.milliseconds - Self.t0.milliseconds } == [0, 42_000])
    }

    @Test func aRateLimitSpacesOneChannelsMessagesOnly() async throws {
        let slack = ScriptedChannel("slack", clock: clock)
        let file = ScriptedChannel("file", clock: clock)
        try await queue(["a", "b", "c"], to: ["slack"])
        try await queue(["d", "e"], to: ["file"])
        _ = try await dispatcher([slack, file], rateLimits: ["slack": .seconds(1)]).dispatchDue()
        #expect(slack.times.map { $0.milliseconds - Self.t0.milliseconds } == [0, 1_000, 2_000])
        #expect(file.keys == ["d", "e"])
        #expect(clock.sleeps.filter { $0 > .zero } == [.seconds(1), .seconds(1)])
    }

    @Test func aRejectDeadLettersAtOnceWithTheReceiversWordsAndTheChannelMovesOn() async throws {
        let slack = ScriptedChannel("slack", clock: clock) { message, _ in
            message.idempotencyKey == "a" ? .reject(DeliveryFailure(status: 400, "invalid_blocks")) : .delivered(status: 200)
        }
        try await queue(["a", "b"], to: ["slack"])
        let summary = try await dispatcher([slack]).dispatchDue()
        #expect(summary.dead.map(\.error) == ["400: invalid_blocks"])
        #expect(summary.delivered == 1)
        let dead = try await store.deliveries(status: .dead)
        #expect(dead.map(\.message.idempotencyKey) == ["a"] && dead.map(\.lastStatus) == [400] && dead.map(\.attempts) == [1])
    }

    @Test func aDeliveryIsDeadLetteredAfterItsLastAttempt() async throws {
        let slack = ScriptedChannel("slack", clock: clock) { _, _ in .retry(DeliveryFailure(status: 500, "rollup_error"), retryAfter: nil) }
        try await queue(["a"], to: ["slack"])
        let policy = DeliveryPolicy(maxAttempts: 4, baseDelay: .seconds(1), jitter: { $0 })
        let summary = try await dispatcher([slack], policy: policy).flush(waitingUpTo: .hours(1))
        #expect(slack.keys.count == 4)
        #expect(summary.dead.map(\.error) == ["gave up after 4 attempts: 500: rollup_error"] && summary.pending == 0)
    }

    @Test func aDeliveryIsDeadLetteredOnceItsMessageIsTooOld() async throws {
        let slack = ScriptedChannel("slack", clock: clock) { _, _ in .retry(DeliveryFailure(status: nil, "connection refused"), retryAfter: nil) }
        try await queue(["a"], to: ["slack"])
        let policy = DeliveryPolicy(maxAttempts: 100, maxAge: .minutes(10), baseDelay: .minutes(4), maxDelay: .minutes(4), jitter: { $0 })
        let summary = try await dispatcher([slack], policy: policy).flush(waitingUpTo: .hours(1))
        #expect(slack.times.map { ($0.milliseconds - Self.t0.milliseconds) / 60_000 } == [0, 4, 8, 12])
        #expect(summary.dead.map(\.error) == ["gave up after 10m (4 attempts): connection refused"])
    }

    @Test func aRetryHoldsTheChannelsLaterMessagesSoItsOrderIsKept() async throws {
        let slack = ScriptedChannel("slack", clock: clock) { message, earlier in
            message.idempotencyKey == "a" && earlier == 0 ? .retry(DeliveryFailure(status: 503, "busy"), retryAfter: .seconds(5)) : .delivered(status: 200)
        }
        let file = ScriptedChannel("file", clock: clock)
        try await queue(["a", "b"], to: ["slack", "file"])
        let first = try await dispatcher([slack, file]).dispatchDue()
        #expect(slack.keys == ["a"] && file.keys == ["a", "b"])
        #expect(first.pending == 2)
        _ = try await dispatcher([slack, file]).flush(waitingUpTo: .seconds(10))
        #expect(slack.keys == ["a", "a", "b"])
    }

    @Test func flushStopsWhenTheNextAttemptLiesBeyondTheWait() async throws {
        let slack = ScriptedChannel("slack", clock: clock) { _, _ in .retry(DeliveryFailure(status: 429, "rate_limited"), retryAfter: .seconds(120)) }
        try await queue(["a"], to: ["slack"])
        let summary = try await dispatcher([slack]).flush(waitingUpTo: .seconds(60))
        #expect(summary.pending == 1 && slack.keys.count == 1)
        #expect(clock.timestamp == Self.t0)
    }

    @Test func messagesWithoutChannelsAreRoutedBySeverityElseToTheDefaults() async throws {
        let names = ["pager", "slack", "mail"]
        let channels = names.map { ScriptedChannel($0, clock: clock) }
        try await queue(["crit"], to: [], severity: .critical)
        try await queue(["warn"], to: [], severity: .warning)
        try await queue(["info"], to: [], severity: .info)
        try await queue(["named"], to: ["mail"], severity: .critical)
        let routing = ChannelRouting(bySeverity: [.critical: ["pager", "slack"], .warning: ["slack"]], defaults: ["mail"])
        _ = try await dispatcher(channels, routing: routing).dispatchDue()
        #expect(channels.map(\.keys) == [["crit"], ["crit", "warn"], ["info", "named"]])
    }

    @Test func aChannelThatIsNotConfiguredDeadLettersItsDeliveries() async throws {
        try await queue(["a"], to: ["gone"])
        let summary = try await dispatcher([ScriptedChannel("slack", clock: clock)]).dispatchDue()
        #expect(summary.dead.map(\.error) == ["no channel named 'gone' in vitals.yml (channels: slack)"])
    }

    @Test(arguments: [(1, 10), (2, 20), (3, 40), (7, 640), (12, 3_600), (200, 3_600)])
    func backoffDoublesUpToItsCap(attempts: Int, seconds: Int64) {
        #expect(DeliveryPolicy(baseDelay: .seconds(10)).backoff(afterAttempt: attempts) == .seconds(seconds))
    }

    @Test func theDefaultJitterStaysBetweenHalfAndAllOfTheBackoff() {
        for _ in 0..<1_000 {
            let wait = DeliveryPolicy.halfJitter(.seconds(10))
            #expect(wait >= .seconds(5) && wait <= .seconds(10))
        }
    }
}
