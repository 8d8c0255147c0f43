import Synchronization
import Testing

@testable import VitalsStorePostgres

/// The store's check that its server can be reached, shared by every call that waits for the pool.
@Suite(.timeLimit(.minutes(1))) struct ReachabilityProbeTests {
    struct Refused: Error, Equatable {}

    /// Counts the connections made; with a gate, each waits until the test opens it, and those made after pass.
    final class Connections: Sendable {
        let made = Mutex(0)
        let gate = Mutex<(opened: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))
        let fails: Bool

        init(fails: Bool, gated: Bool) {
            self.fails = fails
            gate.withLock { $0.opened = !gated }
        }

        func connect() async throws {
            made.withLock { $0 += 1 }
            await withCheckedContinuation { continuation in
                let pass = gate.withLock { gate in
                    if !gate.opened { gate.waiting.append(continuation) }
                    return gate.opened
                }
                if pass { continuation.resume() }
            }
            if fails { throw Refused() }
        }

        /// Waits until a connection is being made, then lets every one go on.
        func open() async {
            while gate.withLock({ $0.waiting.isEmpty }) { await Task.yield() }
            let waiting = gate.withLock { gate in
                gate.opened = true
                defer { gate.waiting = [] }
                return gate.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    /// Twenty calls asking at once get one connection's outcome, and it is kept: a pool merely busy with many waiting calls
    /// costs the server one connection per interval, not one per call.
    @Test(arguments: [false, true]) func callsAskingAtOnceShareOneConnection(fails: Bool) async {
        let connections = Connections(fails: fails, gated: true)
        let probe = ReachabilityProbe { try await connections.connect() }
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 { group.addTask { await probe.failure(within: .seconds(3600)) != nil } }
            await connections.open()
            for await failed in group { #expect(failed == fails) }
        }
        #expect(connections.made.withLock { $0 } == 1)
        #expect((await probe.failure(within: .seconds(3600)) != nil) == fails)
        #expect(connections.made.withLock { $0 } == 1)
    }

    /// An outcome older than asked for is found again by a new connection.
    @Test func anOutcomeOlderThanAskedForIsFoundAgain() async {
        let connections = Connections(fails: true, gated: false)
        let probe = ReachabilityProbe { try await connections.connect() }
        #expect(await probe.failure(within: .zero) as? Refused == Refused())
        #expect(await probe.failure(within: .zero) as? Refused == Refused())
        #expect(connections.made.withLock { $0 } == 2)
    }
}
