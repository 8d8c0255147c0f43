import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore

/// The round's read-ahead: metric windows merged, and selects inside them answered from what was read.
@Suite struct ServiceReadAheadTests {
    static let start = RFC3339.parse("2026-11-25T08:00:00Z")!

    func minute(_ minutes: Int64) -> Timestamp { Self.start.adding(.minutes(minutes)) }

    func window(_ name: String, _ from: Int64, _ to: Int64) -> MetricWindow {
        MetricWindow(name: name, period: Period(from: minute(from), to: minute(to)))
    }

    @Test func overlappingAndTouchingWindowsOfAMetricAreJoinedAndOthersKept() {
        let merged = MetricWindow.merged([window("m", 5, 10), window("n", 0, 1), window("m", 0, 5), window("m", 8, 12), window("m", 20, 30)])
        #expect(merged == [window("m", 0, 12), window("m", 20, 30), window("n", 0, 1)])
    }

    func newest(_ name: String, _ from: Int64, _ to: Int64) -> MetricWindow {
        MetricWindow(name: name, period: Period(from: minute(from), to: minute(to)), newestOnly: true)
    }

    /// Windows of only the newest samples are joined only when equal, dropped where a whole window covers them (the newest
    /// sample is among its samples), and come after the whole windows.
    @Test func windowsOfTheNewestSamplesAreKeptApartFromWholeOnes() {
        let merged = MetricWindow.merged([
            newest("m", 5, 10), window("m", 0, 8), newest("m", 5, 10), newest("m", 2, 6), newest("n", 0, 1), newest("m", 4, 10),
        ])
        #expect(merged == [window("m", 0, 8), newest("m", 4, 10), newest("m", 5, 10), newest("n", 0, 1)])
    }

    /// A window of only the newest samples answers an instant selector of exactly its period, with each series' newest
    /// point; a range selector over the same period, which needs every point, is not answered from it but read.
    @Test func aWindowOfTheNewestSamplesAnswersOnlyInstantSelectorsOfItsPeriod() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
        try await store.write((0...20).map { Sample("m", ["service": "api"], kind: .gauge, unit: .count, at: minute($0), value: Double($0)) })
        let querier = StoreSeriesQuerier(store: store)
        // As a rule prepares it: the instant selector's period, its end included (half-open, so 1 ms past it).
        let period = Period(from: minute(10), to: Timestamp(milliseconds: minute(15).milliseconds + 1))
        try await querier.prefetch([MetricWindow(name: "m", period: period, newestOnly: true)])
        let name = try LabelMatcher("__name__", .equal, "m")
        #expect(querier.selectNewest([name], from: minute(10), through: minute(15)).map(\.points) == [[SamplePoint(minute(15), 15)]])
        #expect(querier.select([name], from: minute(10), through: minute(15)).isEmpty)
        #expect(try await querier.readMissed())
        #expect(querier.select([name], from: minute(10), through: minute(15)).first?.points == (10...15).map { SamplePoint(minute($0), Double($0)) })
        // Another period: as `select`, from what was read for it.
        #expect(querier.selectNewest([name], from: minute(11), through: minute(15)).isEmpty)
    }

    @Test func aSelectInsideAPrefetchedWindowSeesItsSeriesAndOneOutsideIsReadAfterTheEvaluation() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400))
        try await store.write(
            (0...20).flatMap { at in
                ["api", "web"].map { Sample("m", ["service": $0], kind: .gauge, unit: .count, at: minute(at), value: Double(at)) }
            })
        let querier = StoreSeriesQuerier(store: store)
        try await querier.prefetch([window("m", 10, 21)])
        let api = try LabelMatcher("service", .equal, "api")
        let name = try LabelMatcher("__name__", .equal, "m")
        let inside = querier.select([name, api], from: minute(15), through: minute(20))
        #expect(inside.map(\.labels) == [["__name__": "m", "service": "api"]])
        // The whole prefetched window comes back; the evaluator narrows it.
        #expect(inside.first?.points == (10...20).map { SamplePoint(minute($0), Double($0)) })
        // Outside: nothing yet, the selection noted; once read, the same select is answered from memory.
        #expect(querier.select([name, api], from: minute(2), through: minute(4)).isEmpty)
        #expect(try await querier.readMissed())
        #expect(try await !querier.readMissed())
        let outside = querier.select([name, api], from: minute(2), through: minute(4))
        #expect(outside.map(\.labels) == [["__name__": "m", "service": "api"]])
        #expect(outside.first?.points == (2...4).map { SamplePoint(minute($0), Double($0)) })
    }
}
