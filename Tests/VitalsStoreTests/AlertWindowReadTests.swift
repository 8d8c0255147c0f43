import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore

/// The read-ahead of an evaluation round: every series of several metric windows in one read.
@Suite struct AlertWindowReadTests {
    let start = time("2026-11-25T08:00:00Z")

    func sample(_ name: String, _ service: String, minute: Int64, _ value: Double) -> Sample {
        Sample(name, ["service": service], kind: .gauge, unit: .count, at: start.adding(.minutes(minute)), value: value)
    }

    @Test(arguments: StoreKind.allCases) func eachWindowReturnsItsSeriesByLabelsWithTheirSamplesInThePeriod(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Written out of label order; `old` has samples only before the window, so it is left out.
            try await store.write([
                sample("m", "web", minute: 1, 10), sample("m", "api", minute: 1, 1), sample("m", "api", minute: 2, 2),
                sample("m", "api", minute: 3, 3), sample("m", "old", minute: 0, 9), sample("n", "api", minute: 2, 20),
            ])
            let read = try await store.series(in: [
                MetricWindow(name: "m", period: Period(from: start.adding(.minutes(1)), to: start.adding(.minutes(3)))),
                MetricWindow(name: "n", period: Period(from: start, to: start.adding(.minutes(5)))),
                MetricWindow(name: "missing", period: Period(from: start, to: start.adding(.minutes(5)))),
            ])
            #expect(read.count == 3)
            #expect(read[0].map(\.key) == [SeriesKey("m", ["service": "api"]), SeriesKey("m", ["service": "web"])])
            #expect(read[0].map(\.points) == [
                [SamplePoint(start.adding(.minutes(1)), 1), SamplePoint(start.adding(.minutes(2)), 2)], [SamplePoint(start.adding(.minutes(1)), 10)],
            ])
            #expect(read[1].map(\.key) == [SeriesKey("n", ["service": "api"])])
            #expect(read[1].map(\.points) == [[SamplePoint(start.adding(.minutes(2)), 20)]])
            #expect(read[2].isEmpty)
            // The batch read per key answers from the same query, in the order of the keys asked for.
            let keys = [SeriesKey("n", ["service": "api"]), SeriesKey("m", ["service": "old"]), SeriesKey("m", ["service": "web"])]
            #expect(try await store.samples(of: keys, in: Period(from: start, to: start.adding(.minutes(2)))) == [
                [], [SamplePoint(start, 9)], [SamplePoint(start.adding(.minutes(1)), 10)],
            ])
        }
    }
}
