import Foundation
import Synchronization
import Testing
import VitalsCore
import VitalsNotify
import VitalsPorts
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// What every ``OutboxStore`` backend does with claims (``OutboxStore/claimDueDeliveries(at:limit:claimant:until:)``),
/// against the protocol only: a channel stays with the claimant of its oldest pending delivery until the claim runs out,
/// so two dispatchers never send one delivery, and each channel's messages still go out in order.
enum OutboxClaimContract {
    static let t0 = Timestamp(milliseconds: 1_764_316_800_000)
    static let until = t0.adding(.minutes(10))

    static func checkAll(_ make: () async throws -> any OutboxStore) async throws {
        try await aChannelStaysWithTheClaimantOfItsOldestDelivery(make())
        try await anExpiredClaimIsTakenOver(make())
    }

    static func queue(_ outbox: any OutboxStore, _ key: String, to channels: [String]) async throws {
        _ = try await outbox.enqueue(
            key: key, payload: .report(ReportMessage(name: key, title: key, bodies: [:])), channels: channels, at: t0, force: false)
    }

    static func keys(_ deliveries: [OutboxDelivery]) -> [String] { deliveries.map { "\($0.message.idempotencyKey)/\($0.channel)" } }

    static func aChannelStaysWithTheClaimantOfItsOldestDelivery(_ outbox: any OutboxStore) async throws {
        try await queue(outbox, "m1", to: ["slack", "pager"])
        try await queue(outbox, "m2", to: ["slack"])
        #expect(keys(try await outbox.claimDueDeliveries(at: t0, limit: 1, claimant: "a", until: until)) == ["m1/slack"])
        // slack's oldest delivery is a's, so its later message waits for a too: b gets pager only.
        let pager = try await outbox.claimDueDeliveries(at: t0, limit: 10, claimant: "b", until: until)
        #expect(keys(pager) == ["m1/pager"])
        try await outbox.record(.delivered(status: 200), forDelivery: try #require(pager.first).id, at: t0)
        #expect(keys(try await outbox.claimDueDeliveries(at: t0, limit: 10, claimant: "a", until: until)) == ["m1/slack", "m2/slack"])
        // Claims do not change what is due.
        #expect(keys(try await outbox.dueDeliveries(at: t0, limit: 10)) == ["m1/slack", "m2/slack"])

        let due = try await outbox.claimDueDeliveries(at: t0, limit: 10, claimant: "a", until: until)
        let first = try #require(due.first)
        try await outbox.record(.delivered(status: 200), forDelivery: first.id, at: t0)
        // m2 is slack's oldest now, and a claimed it too.
        #expect(try await outbox.claimDueDeliveries(at: t0, limit: 10, claimant: "b", until: until).isEmpty)
        let second = try #require(due.last)
        try await outbox.record(.retry(at: t0.adding(.seconds(30)), status: 503, error: "503: busy"), forDelivery: second.id, at: t0)
        #expect(try await outbox.claimDueDeliveries(at: t0.adding(.seconds(10)), limit: 10, claimant: "b", until: until).isEmpty, "not due yet")
        // Recording the attempt ended a's claim: when the retry is due, b may send it.
        #expect(keys(try await outbox.claimDueDeliveries(at: t0.adding(.seconds(30)), limit: 10, claimant: "b", until: until)) == ["m2/slack"])
        #expect(try await outbox.claimDueDeliveries(at: t0.adding(.seconds(30)), limit: 10, claimant: "a", until: until).isEmpty)
    }

    /// A dispatcher that died holds its channels until its claim ends; then the next claimant takes them over, and keeps them.
    static func anExpiredClaimIsTakenOver(_ outbox: any OutboxStore) async throws {
        try await queue(outbox, "m1", to: ["slack", "pager"])
        #expect(try await outbox.claimDueDeliveries(at: t0, limit: 10, claimant: "a", until: until).count == 2)
        #expect(try await outbox.claimDueDeliveries(at: until.subtracting(.seconds(1)), limit: 10, claimant: "b", until: until.adding(.minutes(10))).isEmpty)
        let later = until.adding(.minutes(10))
        #expect(keys(try await outbox.claimDueDeliveries(at: until, limit: 10, claimant: "b", until: later)) == ["m1/slack", "m1/pager"])
        #expect(try await outbox.claimDueDeliveries(at: until, limit: 10, claimant: "a", until: later).isEmpty)
    }
}

@Suite struct OutboxClaimContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheOutboxClaimContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any OutboxStore).self) { make in try await OutboxClaimContract.checkAll { try await make() } }
    }

    /// Two stores on one database (the same object for an in-memory SQLite store), as two instances would open it.
    func twoStores(_ backend: ContractBackend, in folder: borrowing TemporaryFolder) async throws -> (any OutboxStore, any OutboxStore) {
        switch backend {
        case .sqliteMemory:
            let store = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
            return (store, store)
        case .sqliteFile:
            let path = (folder.path as NSString).appendingPathComponent("store.db")
            return (
                try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400)),
                try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400))
            )
        case .postgres:
            let configuration = try await freshDatabase(in: try await PostgresTestCluster.shared())
            return (
                try await PostgresMetricStore(configuration: configuration, timeZone: utc, retention: .days(400)),
                try await PostgresMetricStore(configuration: configuration, timeZone: utc, retention: .days(400))
            )
        }
    }

    /// Two dispatchers (two instances) deliver from one store at the same time, in small batches, to webhook channels on a
    /// loopback receiver: every message arrives at each of its channels exactly once.
    @Test(arguments: ContractBackend.allCases) func twoDispatchersAtOnceDeliverEachMessageOnce(backend: ContractBackend) async throws {
        let folder = try TemporaryFolder()
        let server = try LoopbackHTTPServer { _ in .init(status: 204, delay: .milliseconds(2)) }
        defer { server.stop() }
        let channels = (0..<4).map { "hook\($0)" }
        let context = NotifierContext(
            environment: Dictionary(uniqueKeysWithValues: channels.map { ("\($0.uppercased())_URL", server.baseURL.appendingPathComponent($0).absoluteString) }))
        let notifiers = channels.map { WebhookNotifier(channel: $0, config: WebhookChannelConfig(urlEnv: "\($0.uppercased())_URL"), context: context) }
        let (first, second) = try await twoStores(backend, in: folder)
        let keys = (0..<30).map { "m\($0)" }
        for key in keys {
            _ = try await first.enqueue(
                key: key, payload: OutboxMessage.Payload.report(ReportMessage(name: key, title: key, bodies: [:])), channels: channels, at: SystemClock().now(), force: false)
        }
        let dispatchers = [(first, "a"), (second, "b")].map { store, claimant in
            Dispatcher(store: store, notifiers: notifiers, now: { SystemClock().now() }, batchSize: 3, claimant: claimant)
        }
        let delivered = try await withThrowingTaskGroup(of: Int.self) { group in
            for dispatcher in dispatchers {
                group.addTask {
                    var delivered = 0
                    // Until the outbox is empty: a pass ends when its claim finds nothing more of its own.
                    for _ in 0..<1_000 {
                        let summary = try await dispatcher.dispatchDue()
                        delivered += summary.delivered
                        if summary.pending == 0 { break }
                    }
                    return delivered
                }
            }
            return try await group.reduce(0, +)
        }
        server.waitUntilIdle()
        let received = server.requests.map { "\($0.path) \($0.header("X-Vitals-Idempotency-Key") ?? "?")" }
        let expected = channels.flatMap { channel in keys.map { "/\(channel) \($0)" } }
        #expect(received.count == expected.count, "\(received.count) requests for \(expected.count) deliveries")
        #expect(Set(received) == Set(expected))
        #expect(delivered == expected.count)
        #expect(try await first.pendingCount() == 0)
    }
}
