import Foundation
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

    /// Many windows (read in parts), a metric of 200 series (more than one packed row of the PostgreSQL store holds) whose
    /// ids run against key order, whole windows and windows of only the newest sample: each window gives its series in
    /// key order with exactly its samples, on every backend.
    @Test(arguments: ContractBackend.allCases) func manyWindowsOfManySeriesReadInKeyOrder(_ backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any MetricStore).self, timeZone: utc) { make in
            let store = try await make()
            // Each write makes its series' ids, in descending key order over the writes.
            let services = (0..<200).map { "s" + String(format: "%03d", $0) }
            var written: [String: [SamplePoint]] = [:]
            for chunk in stride(from: 200, to: 0, by: -50) {
                var samples: [Sample] = []
                for service in services[(chunk - 50)..<chunk].reversed() {
                    for minute in Int64(0)..<6 where (minute + Int64(service.dropFirst())!) % 4 != 0 {
                        samples.append(sample("big", service, minute: minute, Double(minute) * 1.5))
                        written[service, default: []].append(SamplePoint(start.adding(.minutes(minute)), Double(minute) * 1.5))
                    }
                }
                try await store.write(samples)
            }
            let windows = (0..<240).map { index in
                MetricWindow(
                    name: index.isMultiple(of: 3) ? "big" : "other\(index)",
                    period: Period(from: start.adding(.minutes(Int64(index % 4))), to: start.adding(.minutes(Int64(index % 4) + 2))),
                    newestOnly: index.isMultiple(of: 2))
            }
            let read = try await store.series(in: windows)
            for (window, found) in zip(windows, read) {
                guard window.name == "big" else {
                    #expect(found.isEmpty)
                    continue
                }
                let expected = services.compactMap { service -> (key: SeriesKey, points: [SamplePoint])? in
                    let inside = written[service]!.filter { $0.timestamp >= window.period.from && $0.timestamp < window.period.to }
                    guard let last = inside.last else { return nil }
                    return (SeriesKey("big", ["service": service]), window.newestOnly ? [last] : inside)
                }
                #expect(found.map(\.key) == expected.map(\.key), "\(window)")
                #expect(found.map(\.points) == expected.map(\.points), "\(window)")
            }
        }
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
