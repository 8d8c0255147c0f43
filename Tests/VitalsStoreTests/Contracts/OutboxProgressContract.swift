import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

/// What every ``OutboxStore`` backend does with a delivery's progress through a message sent in parts, against the
/// protocol only.
enum OutboxProgressContract {
    static let t0 = Timestamp(milliseconds: 1_764_316_800_000)
    static let report = OutboxMessage.Payload.report(
        ReportMessage(name: "daily", title: "Daily", bodies: ["slack": #"[{"text":"one"},{"text":"two"},{"text":"three"}]"#]))

    static func checkAll(_ make: () async throws -> any OutboxStore) async throws {
        try await progressIsKeptWithItsPendingDelivery(make())
    }

    /// None at first; kept per delivery through a retry, replaced by the next, not changed once the delivery ended; a
    /// manual retry keeps it and queueing the key again with force clears it.
    static func progressIsKeptWithItsPendingDelivery(_ outbox: any OutboxStore) async throws {
        _ = try await outbox.enqueue(key: "daily", payload: report, channels: ["slack", "file"], at: t0, force: false)
        let due = try await outbox.dueDeliveries(at: t0, limit: 10)
        try #require(due.count == 2)
        #expect(due.allSatisfy { $0.progress == nil })
        let first = DeliveryProgress(partsDelivered: 1, thread: "1700000000.000100")
        try await outbox.recordProgress(first, forDelivery: due[0].id)
        try await outbox.record(.retry(at: t0.adding(.seconds(30)), status: 503, error: "503: busy"), forDelivery: due[0].id, at: t0)
        var all = try await outbox.deliveries(status: nil)
        #expect(all.map(\.progress) == [first, nil])
        #expect(all.first?.attempts == 1, "progress counts no attempt beyond the recorded one")
        let second = DeliveryProgress(partsDelivered: 2, thread: "1700000000.000100")
        try await outbox.recordProgress(second, forDelivery: due[0].id)
        #expect(try await outbox.dueDeliveries(at: t0.adding(.seconds(30)), limit: 10).first { $0.id == due[0].id }?.progress == second)
        try await outbox.record(.dead(status: 400, error: "400: invalid_blocks"), forDelivery: due[0].id, at: t0.adding(.seconds(30)))
        try await outbox.recordProgress(DeliveryProgress(partsDelivered: 3, thread: nil), forDelivery: due[0].id)
        #expect(try await outbox.deliveries(status: .dead).first?.progress == second, "an ended delivery keeps what it had")
        #expect(try await outbox.retry(deliveryID: due[0].id, at: t0.adding(.minutes(5))))
        #expect(try await outbox.deliveries(status: .pending).first { $0.id == due[0].id }?.progress == second)
        try await outbox.recordProgress(DeliveryProgress(partsDelivered: 1, thread: nil), forDelivery: due[1].id)
        _ = try await outbox.enqueue(key: "daily", payload: report, channels: ["slack", "file"], at: t0.adding(.hours(1)), force: true)
        all = try await outbox.deliveries(status: nil)
        #expect(all.map(\.progress) == [nil, nil], "a forced send starts again from the first part")
    }
}

@Suite struct OutboxProgressContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheOutboxProgressContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any OutboxStore).self) { make in try await OutboxProgressContract.checkAll { try await make() } }
    }
}
