import MetricsTestKit
import Synchronization
import Testing
import VitalsCore
import VitalsRules
import VitalsService

@Suite struct SlottedRoundServiceTests {
    /// Two groups on grids of 1m and 5m: the service wakes only at their slots, evaluates each slot once, and counts the
    /// slots a group passed over while the daemon was not there.
    @Test func roundsRunAtEachSlotAndMissedSlotsAreCounted() async throws {
        let fastGrid = EvaluationGrid(file: "a.yml", group: "fast", interval: .minutes(1))
        let round = GridRound(grids: [fastGrid, EvaluationGrid(file: "a.yml", group: "slow", interval: .minutes(5))])
        let start = Harness.time("2026-03-02T10:00:00Z")
        let clock = ManualClock(at: start)
        let metrics = TestMetrics()
        let service = SlottedRoundService(name: "alerts", round: round, clock: clock.service, logger: Harness.quiet, metrics: metrics)
        try await Harness.running(service) { _ in
            for _ in 0..<12 {
                clock.advance(to: await clock.nextDeadline())
                await round.waitForRounds(round.rounds + 1)
            }
            // The daemon is away for ten minutes (the machine slept): the next round counts what was passed over.
            _ = await clock.nextDeadline()
            clock.advance(to: fastGrid.slot(after: clock.now.timestamp).adding(.minutes(10)))
            await round.waitForRounds(round.rounds + 1)
        }
        let evaluated = round.evaluated
        let fast = evaluated.filter { $0.group == "fast" }
        #expect(Set(fast.map(\.slot)).count == fast.count, "no slot twice")
        #expect(evaluated.allSatisfy { round.grids[$0.group]!.slot(at: $0.slot) == $0.slot }, "every evaluation on its group's grid")
        #expect(evaluated.filter { $0.group == "slow" }.count >= 3)
        #expect(metrics.counterTotal(label: "vitals_rule_group_iterations_missed_total", dimensions: [("rule_group", "fast")]) == 10)
        #expect(metrics.counterTotal(label: "vitals_rule_group_iterations_total", dimensions: [("rule_group", "fast")]) == Int64(fast.count))
    }

    /// `whenIdle` is called once after each round, when the service goes back to sleep; not before the first round.
    @Test func afterEachRoundTheServiceIsIdle() async throws {
        let round = GridRound(grids: [EvaluationGrid(file: "a.yml", group: "fast", interval: .minutes(1))])
        let clock = ManualClock(at: Harness.time("2026-03-02T10:00:30Z"))
        let calls = Mutex(0)
        let (idles, idle) = AsyncStream<Void>.makeStream()
        let service = SlottedRoundService(
            name: "alerts", round: round, clock: clock.service, logger: Harness.quiet,
            whenIdle: {
                calls.withLock { $0 += 1 }
                idle.yield()
            })
        try await Harness.running(service) { _ in
            var waiting = idles.makeAsyncIterator()
            _ = await clock.nextDeadline()
            #expect(calls.withLock { $0 } == 0)
            for count in 1...3 {
                clock.advance(to: await clock.nextDeadline())
                #expect(await waiting.next() != nil)
                #expect(round.rounds == count)
            }
        }
        #expect(calls.withLock { $0 } == 3)
    }
}

/// Groups on evaluation grids, remembering the slot each was last evaluated at, as the alert store does.
final class GridRound: SlottedRound {
    let grids: [String: EvaluationGrid]
    private let state = Mutex<(last: [String: Timestamp], evaluated: [SlotIteration], waiters: [(Int, CheckedContinuation<Void, Never>)])>(
        ([:], [], []))

    init(grids: [EvaluationGrid]) {
        self.grids = Dictionary(uniqueKeysWithValues: zip(["fast", "slow"], grids))
    }

    var evaluated: [SlotIteration] { state.withLock { $0.evaluated } }
    var rounds: Int { state.withLock { Set($0.evaluated.map(\.slot)).count } }

    func nextSlot(after instant: Timestamp) -> Timestamp? { grids.values.map { $0.slot(after: instant) }.min() }

    func run(at now: Timestamp) async throws -> [SlotIteration] {
        let (iterations, ready) = state.withLock { state in
            var iterations: [SlotIteration] = []
            for (group, grid) in grids.sorted(by: { $0.key < $1.key }) {
                let slot = grid.slot(at: now)
                if let last = state.last[group], slot <= last { continue }
                let missed = state.last[group].map { Int((slot.milliseconds - $0.milliseconds) / grid.interval.milliseconds) - 1 } ?? 0
                state.last[group] = slot
                iterations.append(SlotIteration(group: group, slot: slot, missedSlots: missed))
            }
            state.evaluated += iterations
            let count = Set(state.evaluated.map(\.slot)).count
            let ready = state.waiters.filter { $0.0 <= count }
            state.waiters.removeAll { $0.0 <= count }
            return (iterations, ready.map(\.1))
        }
        for waiter in ready { waiter.resume() }
        return iterations
    }

    func waitForRounds(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if Set(state.evaluated.map(\.slot)).count >= count { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}
