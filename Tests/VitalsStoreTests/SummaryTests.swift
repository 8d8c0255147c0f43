import Foundation
import Testing
import VitalsCore
import VitalsStore

/// A counter sampled every 7 minutes around the 2026 spring-forward in Berlin (29 March is 23 hours long), with resets
/// and a four-hour gap, in whole numbers so sums are exact whatever order they are added in.
enum CounterFixture {
    static let key = SeriesKey("deploys_total", ["env": "prod"])
    static let descriptor = SeriesDescriptor(key, kind: .counter, unit: .count)
    static let start = time("2026-03-26T21:03:00Z")
    static let gap = Period(from: time("2026-03-30T05:00:00Z"), to: time("2026-03-30T09:00:00Z"))

    static let points: [SamplePoint] = (0..<1300).compactMap { index in
        let timestamp = start.adding(.minutes(Int64(index) * 7))
        return gap.contains(timestamp) ? nil : SamplePoint(timestamp, Double(index * 13 % 50))
    }

    static var samples: [Sample] { points.map { Sample(descriptor, at: $0.timestamp, value: $0.value) } }

    static func expected(_ boundaries: [Timestamp]) -> [SampleSummary?] {
        zip(boundaries, boundaries.dropFirst()).map { from, to in
            bruteForceSummary(points.filter { $0.timestamp >= from && $0.timestamp < to })
        }
    }

    static func steps(from: String, every span: TimeSpan, count: Int) -> [Timestamp] {
        (0...count).map { time(from).adding(TimeSpan(milliseconds: span.milliseconds * Int64($0))) }
    }

    /// Bucket layouts a report or rule asks for: whole Berlin days, whole hours across the DST change, unaligned buckets, a mix.
    static let layouts: [(name: String, boundaries: [Timestamp])] = [
        (
            "Berlin days incl. the 23-hour day",
            Period(from: time("2026-03-25T23:00:00Z"), to: time("2026-04-01T22:00:00Z")).dayStarts(in: berlin)
                + [time("2026-04-01T22:00:00Z")]
        ),
        ("hours across the DST change and the gap", steps(from: "2026-03-28T20:00:00Z", every: .hours(1), count: 60)),
        ("97-minute buckets off every boundary", steps(from: "2026-03-27T00:13:00Z", every: .minutes(97), count: 60)),
        (
            "midnight, mid-hour, midnight, hour",
            [
                time("2026-03-26T23:00:00Z"), time("2026-03-29T10:30:00Z"), time("2026-03-31T22:00:00Z"), time("2026-04-01T05:00:00Z"),
            ]
        ),
        ("one unaligned bucket over everything", [time("2026-03-26T21:17:00Z"), time("2026-04-01T03:41:00Z")]),
        ("empty and before any sample", [time("2026-03-20T00:00:00Z"), time("2026-03-20T00:00:00Z"), time("2026-03-21T00:00:00Z")]),
    ]
}

@Suite struct SummaryTests {
    static let cases = StoreKind.allCases.flatMap { kind in CounterFixture.layouts.indices.map { (kind, $0) } }

    @Test("summaries equal a brute-force summary of the raw samples", arguments: cases)
    func summariesEqualRaw(kind: StoreKind, layout: Int) async throws {
        let boundaries = CounterFixture.layouts[layout].boundaries
        try await withStore(kind) { store in
            // Written out of order and in two batches, so rollups of a bucket are rebuilt after it gained samples.
            let samples = CounterFixture.samples
            try await store.write(Array(samples[600...]))
            try await store.write(Array(samples[..<600].reversed()))
            #expect(try await store.summaries(of: CounterFixture.key, boundaries: boundaries) == CounterFixture.expected(boundaries))
        }
    }

    @Test("appending in batches that split hours and days keeps rollups equal to raw", arguments: cases)
    func appendedBatchesEqualRaw(kind: StoreKind, layout: Int) async throws {
        let boundaries = CounterFixture.layouts[layout].boundaries
        try await withStore(kind) { store in
            // Each batch comes after everything stored, so rollups are extended by merging rather than rebuilt; one batch is
            // shuffled and repeats a timestamp with a new value (the last one written wins), as a batch may.
            let samples = CounterFixture.samples
            for start in stride(from: 0, to: samples.count, by: 37) {
                var batch = Array(samples[start..<min(start + 37, samples.count)])
                if start == 370 {
                    batch.append(Sample(CounterFixture.descriptor, at: batch[3].timestamp, value: -1))
                    batch.append(batch[3])
                    batch.reverse()
                    batch.swapAt(0, batch.count - 1)
                }
                try await store.write(batch)
            }
            #expect(try await store.summaries(of: CounterFixture.key, boundaries: boundaries) == CounterFixture.expected(boundaries))
        }
    }

    @Test func theSpringForwardDayHoldsTwentyThreeHoursOfSamples() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: berlin, retention: .days(400))
        try await store.write(CounterFixture.samples)
        let day = try await #require(
            try store.summaries(of: CounterFixture.key, boundaries: [time("2026-03-28T23:00:00Z"), time("2026-03-29T22:00:00Z")])[0])
        // The first sample of the day is 2997 min after the start rounded up to a 7-minute step (23:06 UTC); from there to
        // 22:00 UTC is 1374 minutes, 196 further steps: 197 samples, where a 24-hour day would hold 205 or 206.
        #expect(day.count == 197)
        #expect(day.first.timestamp == time("2026-03-28T23:06:00Z"))
    }

    @Test func anUnknownSeriesHasNoSummaries() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: berlin, retention: .days(400))
        #expect(try await store.summaries(of: SeriesKey("nope"), boundaries: [time("2026-03-01"), time("2026-03-02"), time("2026-03-03")]) == [nil, nil])
    }
}
