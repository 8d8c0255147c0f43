import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

/// The leader-lease contract, written against the `LeaderLease` port so that every backend runs it unchanged; here
/// against the SQLite store in memory and on disk and the PostgreSQL store.
@Suite struct LeaderLeaseContractTests {
    static let ttl = TimeSpan.seconds(30)
    static let start = time("2026-03-02T10:00:00Z")

    @Test("a free lease is taken, renewed by its holder and refused to others until it expires", arguments: ContractBackend.allCases)
    func takeRenewRefuse(backend: ContractBackend) async throws {
        try await withLease(backend) { (lease: any LeaderLease) async throws in
            #expect(try await lease.acquireOrRenew(holder: "a", ttl: Self.ttl, now: Self.start) == .held(epoch: 1, expires: Self.at(30)))
            #expect(
                try await lease.acquireOrRenew(holder: "b", ttl: Self.ttl, now: Self.at(10))
                    == .heldByOther(holder: "a", epoch: 1, expires: Self.at(30)))
            // Renewing keeps the epoch and moves the expiry.
            #expect(try await lease.acquireOrRenew(holder: "a", ttl: Self.ttl, now: Self.at(20)) == .held(epoch: 1, expires: Self.at(50)))
            #expect(
                try await lease.acquireOrRenew(holder: "b", ttl: Self.ttl, now: Self.at(49))
                    == .heldByOther(holder: "a", epoch: 1, expires: Self.at(50)))
            #expect(try await lease.isCurrent(holder: "a", epoch: 1, now: Self.at(49)))
            #expect(try await !lease.isCurrent(holder: "b", epoch: 1, now: Self.at(49)))
        }
    }

    @Test("an expired lease goes to the next claimant with a larger epoch, and fences the old holder out", arguments: ContractBackend.allCases)
    func takeoverFencesTheOldHolder(backend: ContractBackend) async throws {
        try await withLease(backend) { (lease: any LeaderLease) async throws in
            _ = try await lease.acquireOrRenew(holder: "a", ttl: Self.ttl, now: Self.start)
            // a is paused past its expiry: not current any more, even before anyone takes over.
            #expect(try await !lease.isCurrent(holder: "a", epoch: 1, now: Self.at(30)))
            #expect(try await lease.acquireOrRenew(holder: "b", ttl: Self.ttl, now: Self.at(31)) == .held(epoch: 2, expires: Self.at(61)))
            // a wakes up: its epoch is stale and its renewal is refused.
            #expect(try await !lease.isCurrent(holder: "a", epoch: 1, now: Self.at(32)))
            #expect(
                try await lease.acquireOrRenew(holder: "a", ttl: Self.ttl, now: Self.at(32))
                    == .heldByOther(holder: "b", epoch: 2, expires: Self.at(61)))
            #expect(try await lease.isCurrent(holder: "b", epoch: 2, now: Self.at(32)))
        }
    }

    @Test("a released lease is free at once; a release by a stale holder changes nothing", arguments: ContractBackend.allCases)
    func release(backend: ContractBackend) async throws {
        try await withLease(backend) { (lease: any LeaderLease) async throws in
            _ = try await lease.acquireOrRenew(holder: "a", ttl: Self.ttl, now: Self.start)
            try await lease.release(holder: "a", epoch: 2)
            try await lease.release(holder: "b", epoch: 1)
            #expect(try await lease.isCurrent(holder: "a", epoch: 1, now: Self.at(1)))
            try await lease.release(holder: "a", epoch: 1)
            #expect(try await !lease.isCurrent(holder: "a", epoch: 1, now: Self.at(2)))
            #expect(try await lease.acquireOrRenew(holder: "b", ttl: Self.ttl, now: Self.at(2)) == .held(epoch: 2, expires: Self.at(32)))
        }
    }

    @Test func twoStoresOnOneFileSeeOneLease() async throws {
        let folder = try TemporaryFolder()
        let first = try await SQLiteMetricStore(path: folder.file("vitals.db"), timeZone: berlin, retention: .days(10))
        let second = try await SQLiteMetricStore(path: folder.file("vitals.db"), timeZone: berlin, retention: .days(10))
        async let a = first.acquireOrRenew(holder: "a", ttl: Self.ttl, now: Self.start)
        async let b = second.acquireOrRenew(holder: "b", ttl: Self.ttl, now: Self.start)
        let claims = try await [a, b]
        #expect(claims.filter { if case .held = $0 { true } else { false } }.count == 1)
    }

    static func at(_ seconds: Int64) -> Timestamp { start.adding(.seconds(seconds)) }

    private func withLease(_ backend: ContractBackend, _ body: (any LeaderLease) async throws -> Void) async throws {
        try await withStoreFactory(backend, as: (any LeaderLease).self, timeZone: berlin, retention: .days(10)) { make in try await body(make()) }
    }
}
