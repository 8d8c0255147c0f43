import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore
import VitalsTestSupport

/// Rounds on a grid: each group is evaluated at the slots aligned to its interval, whenever in the slot the round runs.
@Suite struct EvaluationGridTests {
    static let midnight = RFC3339.parse("2026-11-25T00:00:00Z")!

    static func rules(interval: String) -> String {
        """
        groups:
          - name: api
            interval: \(interval)
            rules:
              - alert: HighErrorRate
                expr: error_ratio > 5%
        """
    }

    /// The rounds at `calls` against one store; the groups each evaluated, flattened.
    func evaluations(interval: String, at calls: [Timestamp]) async throws -> [AlertRoundResult.EvaluatedGroup] {
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
        let round = try AlertEvaluationRound(files: [RuleFileLoader.parse(Self.rules(interval: interval), file: "rules/api.yml")])
        var evaluated: [AlertRoundResult.EvaluatedGroup] = []
        for call in calls { evaluated += try await round.run(at: call, metrics: store, alerts: store).evaluated }
        return evaluated
    }

    /// One call a `every` for a day, each started 0–900 ms late.
    static func cronCalls(every: TimeSpan, seed: UInt64) -> [Timestamp] {
        var random = SplitMix64(seed: seed)
        return stride(from: 0, to: 86_400_000, by: Int(every.milliseconds)).map {
            midnight.adding(TimeSpan(milliseconds: Int64($0) + Int64.random(in: 0...900, using: &random)))
        }
    }

    @Test func theOffsetIsFNV1aOfTheFileNameAndGroupNameWhereverTheFileLies() {
        // FNV-1a 64 of "api.yml\0api" is 0x0b542603e83683d7; modulo 300000 that is 146583.
        let grid = EvaluationGrid(file: "rules/api.yml", group: "api", interval: .minutes(5))
        #expect(grid.offset.milliseconds == 146_583)
        #expect(EvaluationGrid(file: "/srv/vitals/rules/api.yml", group: "api", interval: .minutes(5)) == grid)
        #expect(EvaluationGrid(file: "api.yml", group: "api", interval: .minutes(1)).offset.milliseconds == 26_583)
    }

    @Test func groupsWithDifferentNamesGetDifferentOffsets() {
        let api = EvaluationGrid(file: "rules/api.yml", group: "api", interval: .minutes(5))
        let db = EvaluationGrid(file: "rules/api.yml", group: "db", interval: .minutes(5))
        #expect(api.offset != db.offset)
    }

    @Test func theSlotIsTheLatestAlignedTimeAtOrBeforeNow() {
        let grid = EvaluationGrid(file: "rules/api.yml", group: "api", interval: .minutes(5))
        let slot = Self.midnight.adding(grid.offset)
        #expect(grid.slot(at: slot) == slot)
        #expect(grid.slot(at: slot.adding(TimeSpan(milliseconds: 299_999))) == slot)
        #expect(grid.slot(at: slot.subtracting(TimeSpan(milliseconds: 1))) == slot.subtracting(.minutes(5)))
        #expect(grid.slot(after: slot.adding(.seconds(7))) == slot.adding(.minutes(5)))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aDayOfJitteredMinuteCallsEvaluatesEverySlotOnce(seed: UInt64) async throws {
        let grid = EvaluationGrid(file: "rules/api.yml", group: "api", interval: .minutes(1))
        let evaluated = try await evaluations(interval: "1m", at: Self.cronCalls(every: .minutes(1), seed: seed))
        #expect(evaluated.count == 1440)
        #expect(Set(evaluated.map(\.at)).count == 1440)
        #expect(evaluated.allSatisfy { grid.slot(at: $0.at) == $0.at && $0.missedSlots == 0 })
    }

    @Test func aCallEveryTwoMinutesMissesEveryOtherSlot() async throws {
        let evaluated = try await evaluations(interval: "1m", at: Self.cronCalls(every: .minutes(2), seed: 7))
        #expect(evaluated.count == 720)
        #expect(evaluated.dropFirst().allSatisfy { $0.missedSlots == 1 })
        #expect(zip(evaluated, evaluated.dropFirst()).allSatisfy { $1.at.milliseconds - $0.at.milliseconds == 120_000 })
    }

    @Test func aFiveMinuteGroupCalledEveryMinuteIsEvaluatedOncePerFiveMinutes() async throws {
        let evaluated = try await evaluations(interval: "5m", at: Self.cronCalls(every: .minutes(1), seed: 11))
        // The day's 288 slots, and the one before midnight that the first call evaluates (the offset is 2m26.583s).
        #expect(evaluated.count == 289)
        #expect(zip(evaluated, evaluated.dropFirst()).allSatisfy { $1.at.milliseconds - $0.at.milliseconds == 300_000 && $1.missedSlots == 0 })
    }

    @Test func theRuleIsEvaluatedAtTheSlotNotAtNow() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
        let grid = EvaluationGrid(file: "rules/api.yml", group: "api", interval: .minutes(1))
        let slot = Self.midnight.adding(grid.offset)
        try await store.write([Sample("error_ratio", ["service": "api"], kind: .gauge, unit: .ratio, at: slot, value: 0.07)])
        let round = try AlertEvaluationRound(files: [RuleFileLoader.parse(Self.rules(interval: "1m"), file: "rules/api.yml")])
        let result = try await round.run(at: slot.adding(TimeSpan(milliseconds: 800)), metrics: store, alerts: store)
        #expect(result.evaluated == [.init(group: "api", at: slot)])
        #expect(result.transitions.map(\.at) == [slot])
        #expect(try await store.groupEvaluations() == ["api": slot])
        let again = try await round.run(at: slot.adding(.seconds(59)), metrics: store, alerts: store)
        #expect(again.evaluated.isEmpty)
        #expect(again.notDue == [.init(group: "api", dueAt: slot.adding(.minutes(1)))])
    }

    /// A store written before rounds were slotted holds the `now` of the last round, between two slots.
    @Test func aLastEvaluationBetweenSlotsIsFollowedByTheNextSlot() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
        let grid = EvaluationGrid(file: "rules/api.yml", group: "api", interval: .minutes(1))
        let slot = Self.midnight.adding(grid.offset)
        let unaligned = slot.adding(.seconds(20))
        try await store.commit(AlertRoundRecord(evaluatedAt: unaligned, groups: ["api"], rules: []))
        let round = try AlertEvaluationRound(files: [RuleFileLoader.parse(Self.rules(interval: "1m"), file: "rules/api.yml")])
        let early = try await round.run(at: unaligned.adding(.seconds(30)), metrics: store, alerts: store)
        #expect(early.notDue == [.init(group: "api", dueAt: slot.adding(.minutes(1)))])
        let next = try await round.run(at: slot.adding(.minutes(1)), metrics: store, alerts: store)
        #expect(next.evaluated == [.init(group: "api", at: slot.adding(.minutes(1)))])
    }
}
