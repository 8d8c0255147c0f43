import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

/// What every backend of ``LatestSampleReader`` and ``StoreMaintenance`` does, against the protocols only (with the
/// metric, job-run and alert ports to fill the store).
enum MaintenanceContract {
    typealias Ports = MetricStore & JobRunLog & AlertStore & AlertHistory & LatestSampleReader & StoreMaintenance

    static let now = RFC3339.parse("2026-06-01T03:00:00Z")!

    static func checkAll(_ make: () async throws -> any Ports) async throws {
        try await theNewestSampleOfEachSeriesOutlivesItsRawSamples(make())
        try await eachKindOfRowIsKeptForItsOwnAge(make())
    }

    /// Every series with its newest sample, by name then labels; past retention the newest hourly rollup's last value.
    static func theNewestSampleOfEachSeriesOutlivesItsRawSamples(_ store: any Ports) async throws {
        #expect(try await store.latestSamples().isEmpty)
        let old = now.subtracting(.days(40))
        try await store.write([
            Sample("b", ["x": "2"], kind: .gauge, unit: .count, at: now.subtracting(.minutes(5)), value: 5),
            Sample("b", ["x": "10"], kind: .gauge, unit: .count, at: now.subtracting(.minutes(9)), value: 1),
            Sample("b", ["x": "10"], kind: .gauge, unit: .count, at: now.subtracting(.minutes(3)), value: 2),
            Sample("a", [:], kind: .counter, unit: .count, at: old, value: 7),
            Sample("a", [:], kind: .counter, unit: .count, at: old.adding(.minutes(1)), value: 8),
        ])
        #expect(try await store.applyRetention(now: now) == 2)
        let latest = try await store.latestSamples()
        #expect(latest.map(\.series.key) == [SeriesKey("a", [:]), SeriesKey("b", ["x": "10"]), SeriesKey("b", ["x": "2"])])
        #expect(
            latest.map(\.sample) == [
                SamplePoint(old.adding(.minutes(1)), 8), SamplePoint(now.subtracting(.minutes(3)), 2), SamplePoint(now.subtracting(.minutes(5)), 5),
            ])
        #expect(latest.first?.series.kind == .counter)
        #expect(try await store.sizeInBytes() > 0)
    }

    /// Raw samples go at the retention (30 days here), alert transitions and job runs at the ages asked for.
    static func eachKindOfRowIsKeptForItsOwnAge(_ store: any Ports) async throws {
        try await store.write([
            Sample("m", [:], kind: .gauge, unit: .count, at: now.subtracting(.days(31)), value: 1),
            Sample("m", [:], kind: .gauge, unit: .count, at: now.subtracting(.days(29)), value: 2),
        ])
        for age in [91, 89] {
            let started = now.subtracting(.days(Int64(age)))
            try await store.recordJobRun(JobRun(source: "collect", started: started, finished: started, status: .ok, samplesWritten: 0))
        }
        let rule = AlertRuleID(group: "g", alert: "a")
        for age in [401, 399] {
            let at = now.subtracting(.days(Int64(age)))
            let transition = AlertTransition(labels: [:], from: .pending, to: .firing, severity: nil, value: nil, at: at)
            try await store.commit(
                slots: [:],
                rules: [AlertRoundRecord.RuleRecord(rule: rule, state: AlertRuleState(evaluatedAt: at), transitions: [transition], notifications: [])]
            )
        }
        let result = try await store.prune(now: now, transitionsAge: .days(400), jobRunsAge: .days(90))
        #expect(result == HousekeepingResult(samples: 1, alertTransitions: 1, jobRuns: 1))
        #expect(try await store.jobRuns(source: nil, limit: 10).map(\.started) == [now.subtracting(.days(89))])
        #expect(try await store.alertHistory(since: .init(milliseconds: 0)).map(\.transition.at) == [now.subtracting(.days(399))])
        #expect(try await store.prune(now: now, transitionsAge: .days(400), jobRunsAge: .days(90)) == HousekeepingResult())
        try await store.compact()
    }
}

@Suite struct MaintenanceContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheMaintenanceContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any MaintenanceContract.Ports).self, retention: .days(30)) { make in
            try await MaintenanceContract.checkAll { try await make() }
        }
    }
}
