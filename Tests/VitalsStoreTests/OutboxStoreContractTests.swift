import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

/// What every ``OutboxStore`` must do, written against the protocol only: run here on an in-memory and an on-disk SQLite
/// store and on the PostgreSQL store.
@Suite struct OutboxStoreContractTests {
    static let t0 = Timestamp(milliseconds: 1_764_316_800_000)
    static func at(_ seconds: Int64) -> Timestamp { t0.adding(.seconds(seconds)) }

    static let report = OutboxMessage.Payload.report(
        ReportMessage(name: "daily", title: "Daily report · 2026-11-28", bodies: ["md": "# Daily", "slack": #"[{"text":"Daily"}]"#]))
    static let alert = OutboxMessage.Payload.alert(
        AlertMessage(
            group: "api", alert: "HighErrorRate", labels: Labels(["service": "api"]), event: .firing, severity: .critical, value: 0.2,
            summary: "errors at 20%", at: t0))

    /// Runs `body` on a fresh store of `backend`, seen only as an outbox.
    func withOutbox(_ backend: ContractBackend, _ body: (any OutboxStore) async throws -> Void) async throws {
        try await withStoreFactory(backend, as: (any OutboxStore).self, timeZone: utc) { make in try await body(make()) }
    }

    @Test(arguments: ContractBackend.allCases)
    func aMessageIsKeptOnceWithOneDeliveryPerChannel(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            let message = try #require(
                // A channel named twice (a routing that lists it twice) gets one delivery.
                try await outbox.enqueue(key: "daily@1", payload: Self.report, channels: ["slack", "file", "slack"], at: Self.t0, force: false))
            #expect(message.payload == Self.report)
            #expect(try await outbox.enqueue(key: "daily@1", payload: Self.report, channels: ["slack"], at: Self.at(5), force: false) == nil)
            let all = try await outbox.deliveries(status: nil)
            #expect(all.map(\.channel) == ["slack", "file"])
            #expect(all.allSatisfy { $0.message == message && $0.status == .pending && $0.attempts == 0 && $0.nextAttemptAt == Self.t0 })
        }
    }

    /// An alert queued is given back as it was, but for what no store keeps: −0 reads as 0 and a NUL in the summary (which
    /// quotes label values) as U+FFFD. Label values keep their NUL; values may be infinite or not a number.
    @Test(arguments: ContractBackend.allCases)
    func anAlertsFieldsReadBackAsQueued(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            let values: [Double?] = [nil, -0.0, .infinity, -.infinity, .nan, 1e308, -5e-324, 0.1]
            for (index, value) in values.enumerated() {
                let message = AlertMessage(
                    group: "api", alert: "Down#2", labels: Labels(["team": "a\u{0}b", "zone": "Zürich \"1\""]), event: .resolved,
                    severity: index.isMultiple(of: 2) ? nil : .warning, value: value, summary: "team a\u{0}b is down \\ \"now\"", at: Self.t0)
                _ = try await outbox.enqueue(key: "k\(index)", payload: .alert(message), channels: ["slack"], at: Self.t0, force: false)
            }
            let read = try await outbox.deliveries(status: nil).map { delivery -> AlertMessage? in
                guard case .alert(let message) = delivery.message.payload else { return nil }
                return message
            }
            #expect(read.count == values.count)
            for (message, value) in zip(read, values) {
                let message = try #require(message)
                #expect(message.labels == Labels(["team": "a\u{0}b", "zone": "Zürich \"1\""]))
                #expect(message.summary == "team a\u{FFFD}b is down \\ \"now\"")
                #expect(message.group == "api" && message.alert == "Down#2" && message.event == .resolved && message.at == Self.t0)
                // Bit for bit, but −0 as 0 (and any NaN as NaN).
                let expected = value.map { $0 == 0 ? 0.0 : $0 }
                #expect(
                    message.value?.bitPattern == expected?.bitPattern || (message.value?.isNaN == true && expected?.isNaN == true),
                    "\(String(describing: value)) read back as \(String(describing: message.value))")
            }
        }
    }

    @Test(arguments: ContractBackend.allCases)
    func eachChannelsOutcomeIsRecordedApart(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            _ = try await outbox.enqueue(key: "a", payload: Self.alert, channels: ["slack", "pager", "file"], at: Self.t0, force: false)
            let due = try await outbox.dueDeliveries(at: Self.t0, limit: 10)
            #expect(due.map(\.channel) == ["slack", "pager", "file"])
            try await outbox.record(.delivered(status: 200), forDelivery: due[0].id, at: Self.at(1))
            // A receiver's answer quoted in an error may hold NUL, which every store keeps as U+FFFD.
            try await outbox.record(.retry(at: Self.at(60), status: 503, error: "503: unavailable\u{0}"), forDelivery: due[1].id, at: Self.at(1))
            try await outbox.record(.dead(status: 404, error: "404: channel_not_found"), forDelivery: due[2].id, at: Self.at(1))
            let all = try await outbox.deliveries(status: nil)
            #expect(all.map(\.status) == [.delivered, .pending, .dead])
            #expect(all.map(\.attempts) == [1, 1, 1])
            #expect(all.map(\.lastStatus) == [200, 503, 404])
            #expect(all.map(\.lastError) == [nil, "503: unavailable\u{FFFD}", "404: channel_not_found"])
            #expect(all.map(\.finishedAt) == [Self.at(1), nil, Self.at(1)])
            #expect(try await outbox.pendingCount() == 1)
            #expect(try await outbox.dueDeliveries(at: Self.at(59), limit: 10).isEmpty)
            #expect(try await outbox.nextDue() == Self.at(60))
            #expect(try await outbox.dueDeliveries(at: Self.at(60), limit: 10).map(\.channel) == ["pager"])
            #expect(try await outbox.deliveries(status: .dead).map(\.channel) == ["file"])
        }
    }

    @Test(arguments: ContractBackend.allCases)
    func aChannelWaitingForARetryHoldsItsLaterMessages(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            for key in ["1", "2", "3"] {
                _ = try await outbox.enqueue(key: key, payload: Self.alert, channels: ["slack", "file"], at: Self.t0, force: false)
            }
            let first = try await outbox.dueDeliveries(at: Self.t0, limit: 1)
            #expect(first.map(\.message.idempotencyKey) == ["1"])
            try await outbox.record(.retry(at: Self.at(30), status: 429, error: "429: rate limited"), forDelivery: first[0].id, at: Self.t0)
            let due = try await outbox.dueDeliveries(at: Self.at(10), limit: 10)
            #expect(due.map { "\($0.channel) \($0.message.idempotencyKey)" } == ["file 1", "file 2", "file 3"])
            for delivery in due { try await outbox.record(.delivered(status: nil), forDelivery: delivery.id, at: Self.at(10)) }
            // Slack's later messages are due now, but none can go before the first one's retry.
            #expect(try await outbox.nextDue() == Self.at(30))
            #expect(try await outbox.dueDeliveries(at: Self.at(30), limit: 2).map(\.message.idempotencyKey) == ["1", "2"])
        }
    }

    @Test(arguments: ContractBackend.allCases)
    func forcingAKeyQueuesItAgainForTheChannelsGiven(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            let first = try #require(try await outbox.enqueue(key: "daily@1", payload: Self.report, channels: ["slack"], at: Self.t0, force: false))
            let delivery = try #require(try await outbox.dueDeliveries(at: Self.t0, limit: 1).first)
            try await outbox.record(.delivered(status: 200), forDelivery: delivery.id, at: Self.t0)
            let again = try #require(
                try await outbox.enqueue(key: "daily@1", payload: Self.report, channels: ["slack", "file"], at: Self.at(9), force: true))
            #expect(again.id == first.id)
            let all = try await outbox.deliveries(status: nil)
            #expect(all.map(\.channel) == ["slack", "file"])
            #expect(all.allSatisfy { $0.status == .pending && $0.attempts == 0 && $0.nextAttemptAt == Self.at(9) })
        }
    }

    @Test(arguments: ContractBackend.allCases)
    func aMessageWithoutChannelsWaitsToBeRouted(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            let message = try #require(try await outbox.enqueue(key: "a", payload: Self.alert, channels: [], at: Self.t0, force: false))
            #expect(try await outbox.deliveries(status: nil).isEmpty)
            #expect(try await outbox.unroutedMessages(limit: 10) == [UnroutedMessage(message: message, channels: [])])
            try await outbox.route(messageID: message.id, to: ["pager", "slack"], at: Self.at(1))
            #expect(try await outbox.unroutedMessages(limit: 10).isEmpty)
            #expect(try await outbox.dueDeliveries(at: Self.at(1), limit: 10).map(\.channel) == ["pager", "slack"])
        }
    }

    @Test(arguments: ContractBackend.allCases)
    func aDeadDeliveryCanBeRetriedAndADeliveredOneCannot(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            _ = try await outbox.enqueue(key: "a", payload: Self.alert, channels: ["slack", "file"], at: Self.t0, force: false)
            let due = try await outbox.dueDeliveries(at: Self.t0, limit: 10)
            try await outbox.record(.dead(status: 400, error: "400: invalid_blocks"), forDelivery: due[0].id, at: Self.t0)
            try await outbox.record(.delivered(status: nil), forDelivery: due[1].id, at: Self.t0)
            #expect(try await outbox.retry(deliveryID: due[0].id, at: Self.at(5)))
            #expect(try await !outbox.retry(deliveryID: due[1].id, at: Self.at(5)))
            #expect(try await !outbox.retry(deliveryID: 999, at: Self.at(5)))
            let retried = try #require(try await outbox.dueDeliveries(at: Self.at(5), limit: 10).first)
            #expect(retried.id == due[0].id && retried.attempts == 0 && retried.status == .pending)
            // A late record for a delivery no longer pending changes nothing.
            try await outbox.record(.dead(status: nil, error: "late"), forDelivery: due[1].id, at: Self.at(6))
            #expect(try await outbox.deliveries(status: .delivered).map(\.id) == [due[1].id])
        }
    }

    @Test(arguments: ContractBackend.allCases)
    func pruningDropsOnlyMessagesFinishedBeforeTheCutoff(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            for key in ["old", "recent", "waiting"] {
                _ = try await outbox.enqueue(key: key, payload: Self.alert, channels: ["slack"], at: Self.t0, force: false)
            }
            let due = try await outbox.dueDeliveries(at: Self.t0, limit: 10)
            try await outbox.record(.delivered(status: 200), forDelivery: due[0].id, at: Self.at(10))
            try await outbox.record(.dead(status: nil, error: "gone"), forDelivery: due[1].id, at: Self.at(100))
            #expect(try await outbox.prune(finishedBefore: Self.at(50)) == 1)
            #expect(try await outbox.deliveries(status: nil).map(\.message.idempotencyKey) == ["recent", "waiting"])
            // The pruned key can be queued again.
            #expect(try await outbox.enqueue(key: "old", payload: Self.alert, channels: ["slack"], at: Self.at(60), force: false) != nil)
        }
    }

    @Test(arguments: ContractBackend.allCases)
    func theDueListIsCappedInQueueOrder(backend: ContractBackend) async throws {
        try await withOutbox(backend) { outbox in
            for index in 0..<25 {
                _ = try await outbox.enqueue(key: "m\(index)", payload: Self.alert, channels: ["slack"], at: Self.t0, force: false)
            }
            #expect(try await outbox.dueDeliveries(at: Self.t0, limit: 10).map(\.message.idempotencyKey) == (0..<10).map { "m\($0)" })
        }
    }
}
