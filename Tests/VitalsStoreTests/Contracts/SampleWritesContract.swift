import Foundation
import Testing
import VitalsCore
import VitalsPorts

/// What every backend's write history (``MetricStore/samplesWritten(named:since:)``) does: the samples written since a
/// mark by write order, whatever their timestamps, and no answer where the history cannot tell (another store's mark,
/// samples moved since). Stores have a 30-day retention.
enum SampleWritesContract {
    static let start = MetricStoreContract.start

    static func sample(_ name: String, _ series: String, minutes: Int64, _ value: Double) -> Sample {
        MetricStoreContract.sample(name, ["s": series], minutes: minutes, value)
    }

    static func checkAll(_ make: () async throws -> any MetricStore) async throws {
        try await writesAreFoundByWriteOrderNotByTime(make())
        try await aMarkOfAnotherStoreOrFromBeforeAMoveIsNotContinued(make(), other: make())
        try await retentionIsReportedNotAnEndOfTheHistory(make())
        try await housekeepingRestartsTheHistory(make())
    }

    static func changes(_ store: any MetricStore, _ names: [String], since mark: SampleWriteMark?) async throws -> SampleChanges {
        try #require(try await store.samplesWritten(named: names, since: mark))
    }

    /// After a mark, a write is found whether it appends, backfills an older time or replaces a stored value; series come in
    /// key order with their points oldest first; other metrics' writes are left out; nothing written, nothing found.
    static func writesAreFoundByWriteOrderNotByTime(_ store: any MetricStore) async throws {
        let first = try await changes(store, ["m"], since: nil)
        #expect(first.series == nil)
        try await store.write((0..<10).map { sample("m", "a", minutes: $0 * 2, Double($0)) } + [sample("n", "a", minutes: 0, 1)])
        let cold = try await changes(store, ["m"], since: nil)
        #expect(cold.series == nil)
        let idle = try await changes(store, ["m", "n"], since: cold.mark)
        #expect(try #require(idle.series).isEmpty)
        #expect(idle.mark == cold.mark)
        // A backfill between stored times, a replaced value, an appended time, a new series, another metric.
        try await store.write([sample("m", "b", minutes: 3, 30), sample("m", "a", minutes: 5, 50), sample("m", "a", minutes: 4, 40)])
        try await store.write([sample("m", "a", minutes: 30, 300), sample("n", "a", minutes: 1, 2)])
        let warm = try await changes(store, ["m"], since: cold.mark)
        let series = try #require(warm.series)
        #expect(series.map(\.key) == [SeriesKey("m", ["s": "a"]), SeriesKey("m", ["s": "b"])])
        #expect(series.first?.points.map(\.value) == [40, 50, 300])
        #expect(series.first?.points.map(\.timestamp) == [4, 5, 30].map { start.adding(.minutes($0)) })
        #expect(series.last?.points == [SamplePoint(start.adding(.minutes(3)), 30)])
        #expect(warm.mark.sequence > cold.mark.sequence)
        #expect(warm.removedBefore == nil)
        #expect(try #require(try await changes(store, ["m"], since: warm.mark).series).isEmpty)
        // Both writes after the first mark, even one replacing a value written since.
        try await store.write([sample("m", "a", minutes: 30, 301)])
        let again = try await changes(store, ["m", "n"], since: cold.mark)
        #expect(try #require(again.series).map(\.key.name) == ["m", "m", "n"])
        #expect(again.series?.first?.points.map(\.value) == [40, 50, 301])
        #expect(again.series?.first?.points.last == SamplePoint(start.adding(.minutes(30)), 301))
    }

    /// A mark from another store object means nothing here; relabelling or merging series moves samples, which the history
    /// does not show, so a mark from before it is not continued either.
    static func aMarkOfAnotherStoreOrFromBeforeAMoveIsNotContinued(_ store: any MetricStore, other: any MetricStore) async throws {
        try await store.write([sample("m", "a", minutes: 0, 1), sample("m", "b", minutes: 1, 2)])
        try await other.write([sample("m", "a", minutes: 0, 1), sample("m", "b", minutes: 1, 2)])
        let mark = try await changes(store, ["m"], since: nil).mark
        #expect(try await changes(other, ["m"], since: mark).series == nil)
        #expect(try await changes(store, ["m"], since: mark).series != nil)
        #expect(try await store.relabelSeries(named: ["m"], where: { $0["s"] == "b" }, setting: "s", to: "a") == 1)
        let moved = try await changes(store, ["m"], since: mark)
        #expect(moved.series == nil)
        #expect(try await changes(store, ["m"], since: moved.mark).series?.isEmpty == true)
    }

    /// Retention does not end the history (it runs after every collection): the changes say from when samples were removed.
    static func retentionIsReportedNotAnEndOfTheHistory(_ store: any MetricStore) async throws {
        try await store.write([sample("m", "a", minutes: 0, 1), sample("m", "a", minutes: 60 * 24 * 20, 2)])
        let mark = try await changes(store, ["m"], since: nil).mark
        let now = start.adding(.days(35))
        #expect(try await store.applyRetention(now: now) == 1)
        let after = try await changes(store, ["m"], since: mark)
        #expect(after.series?.isEmpty == true)
        #expect(after.removedBefore == now.subtracting(.days(30)))
        // A sample older than the cutoff written afterwards is stored, and found.
        try await store.write([sample("m", "a", minutes: 60, 3)])
        let backfilled = try await changes(store, ["m"], since: after.mark)
        #expect(backfilled.removedBefore == nil)
        #expect(backfilled.series?.first?.points == [SamplePoint(start.adding(.minutes(60)), 3)])
    }

    /// Housekeeping empties the history so it stays bounded: a mark from before reads in full once, a mark from after
    /// continues with what was written since.
    static func housekeepingRestartsTheHistory(_ store: any MetricStore) async throws {
        let maintenance = try #require(store as? any StoreMaintenance)
        try await store.write([sample("m", "a", minutes: 0, 1), sample("m", "a", minutes: 1, 2)])
        let before = try await changes(store, ["m"], since: nil).mark
        try await store.write([sample("m", "a", minutes: 2, 3)])
        _ = try await maintenance.prune(now: start.adding(.days(1)), transitionsAge: .days(400), jobRunsAge: .days(90))
        let restarted = try await changes(store, ["m"], since: before)
        #expect(restarted.series == nil)
        try await store.write([sample("m", "a", minutes: 3, 4)])
        let after = try await changes(store, ["m"], since: restarted.mark)
        #expect(after.series?.map(\.points) == [[SamplePoint(start.adding(.minutes(3)), 4)]])
    }
}

@Suite struct SampleWritesContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsItsWriteHistory(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any MetricStore).self, retention: .days(30)) { make in
            try await SampleWritesContract.checkAll { try await make() }
        }
    }
}
