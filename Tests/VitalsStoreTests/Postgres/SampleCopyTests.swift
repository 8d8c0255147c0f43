import Foundation
import Logging
import PostgresNIO
import Testing
import VitalsCore
import VitalsPorts
@testable import VitalsStorePostgres
import VitalsTestSupport

/// Points a write appends go into `samples` by binary COPY (`SampleCopy`): what is read back is what was written, bit for
/// bit, whatever the bytes of the times and values.
@Suite struct SampleCopyTests {
    /// Many series in one write, each a first write (new series) and then a second write after it, with times before and
    /// after 1970 over five monthly partitions and values of random bits (every sign, exponent and byte), with the extremes
    /// the store keeps (±∞, the smallest magnitudes; −0 reads back as 0, as from the SQLite store). NaN is left out: the SQLite store cannot keep it (it
    /// stores NaN as NULL, which its NOT NULL column refuses). The second write is over 1 MB of rows, sent in several chunks.
    @Test(arguments: [11, 12] as [UInt64]) func appendedPointsReadBackAsWritten(seed: UInt64) async throws {
        var database = try await freshDatabase(in: PostgresTestCluster.shared())
        // One connection, so that the statements prepared on it tell which paths the writes took.
        database.maximumConnections = 1
        let store = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(40_000))
        defer { store.close() }
        var random = SplitMix64(seed: seed)
        let descriptors = (0..<300).map { SeriesDescriptor(SeriesKey("copy_\($0 % 3)", ["n": String($0)]), kind: .gauge, unit: .count) }
        let extremes: [Double] = [.infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, -0.0, 0]
        func value() -> Double {
            if Int.random(in: 0..<10, using: &random) == 0 { return extremes.randomElement(using: &random)! }
            // Random sign, exponent and significand bits, every normal exponent (rollup sums past the range are infinite).
            let significand = Double(bitPattern: 0x3FF0_0000_0000_0000 | random.next() >> 12)
            return Double(sign: Bool.random(using: &random) ? .minus : .plus, exponent: Int.random(in: -1_022...1_023, using: &random), significand: significand)
        }
        // Five months around the start of 1970, on 1969-11-01 (a negative time) … 1970-03-31, with -1 ms and 0 among them.
        let from = time("1969-11-01T00:00:00Z").milliseconds
        let to = time("1970-04-01T00:00:00Z").milliseconds
        var written: [SeriesKey: [(ms: Int64, value: Double)]] = [:]
        for (index, descriptor) in descriptors.enumerated() {
            var times = Set((0..<Int.random(in: 60...140, using: &random)).map { _ in Int64.random(in: from..<to, using: &random) })
            if index == 0 { times.formUnion([-1, 0]) }
            written[descriptor.key] = times.sorted().map { ($0, value()) }
        }
        // The first write gives each series its first point, the second all the others, in an order mixing the series.
        var first: [Sample] = []
        var second: [Sample] = []
        for descriptor in descriptors {
            let points = try #require(written[descriptor.key])
            let head = try #require(points.first)
            first.append(Sample(descriptor, at: Timestamp(milliseconds: head.ms), value: head.value))
            second += points.dropFirst().map { Sample(descriptor, at: Timestamp(milliseconds: $0.ms), value: $0.value) }
        }
        #expect(second.count * 50 > SampleCopy.chunkBytes)
        let names = ["copy_0", "copy_1", "copy_2"]
        let before = try #require(try await store.samplesWritten(named: names, since: nil)).mark
        try await store.write(first.shuffled(using: &random))
        try await store.write(second.shuffled(using: &random))
        let everything = Period(from: Timestamp(milliseconds: from), to: Timestamp(milliseconds: to))
        for descriptor in descriptors {
            let read = try await store.samples(of: descriptor.key, in: everything)
            let expected = try #require(written[descriptor.key])
            #expect(read.map(\.timestamp.milliseconds) == expected.map(\.ms))
            #expect(read.map(\.value.bitPattern) == expected.map(\.value.withPositiveZero.bitPattern), "values of \(descriptor.key)")
        }
        // The alert rounds' reads (every window's series, and what was written since a mark) get the same points, decoded
        // from the bytes they are packed in.
        let windows = try await store.series(in: names.map { MetricWindow(name: $0, period: everything) }).flatMap { $0 }
        let changed = try #require(try await store.samplesWritten(named: names, since: before)?.series)
        for (reader, series) in [("series(in:)", windows), ("samplesWritten", changed)] {
            #expect(series.count == descriptors.count, "\(reader)")
            for (key, points) in series {
                let expected = try #require(written[key])
                #expect(points.map(\.timestamp.milliseconds) == expected.map(\.ms), "\(reader): times of \(key)")
                #expect(points.map(\.value.bitPattern) == expected.map(\.value.withPositiveZero.bitPattern), "\(reader): values of \(key)")
            }
        }
        // Both writes appended (new series, then points after the stored ones): the replacing insert never ran.
        let prepared = try await store.reading { connection in
            var names: [String] = []
            for try await name in try await connection.query("SELECT name FROM pg_prepared_statements", logger: Logger(label: "t")).decode(String.self) {
                names.append(name)
            }
            return names
        }
        #expect(prepared.contains("vitals_series_ids") && !prepared.contains("vitals_insert_samples"))
    }

    /// A write that gives one time of a series several times keeps the value given last, whichever order the times come in,
    /// as a second write would; the rollups count the time once.
    @Test func aWriteGivingATimeTwiceKeepsTheLastValue() async throws {
        let database = try await freshDatabase(in: PostgresTestCluster.shared())
        let store = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
        defer { store.close() }
        func sample(_ minute: Int64, _ value: Double) -> Sample {
            Sample("m", [:], kind: .gauge, unit: .count, at: time("2026-03-02T10:00:00Z").adding(.minutes(minute)), value: value)
        }
        // A new series (appended), then points after its stored ones (appended), then a rewrite (replacing).
        try await store.write([sample(2, 1), sample(0, 2), sample(2, 3), sample(1, 4), sample(0, 5)])
        try await store.write([sample(4, 6), sample(3, 7), sample(4, 8)])
        try await store.write([sample(5, 9), sample(1, 10), sample(5, 11), sample(1, 12)])
        let hour = [time("2026-03-02T10:00:00Z"), time("2026-03-02T11:00:00Z")]
        #expect(try await store.samples(of: SeriesKey("m", [:]), in: Period(from: hour[0], to: hour[1])).map(\.value) == [5, 12, 3, 7, 8, 11])
        #expect(try await store.summaries(of: SeriesKey("m", [:]), boundaries: hour).first??.count == 6)
    }

    /// A COPY into a month whose partition another instance's retention dropped fails as an insert does (no partition for
    /// the row), and the write makes the partition again and copies once more.
    @Test func aCopyIntoAMonthAnotherInstanceDroppedMakesItAgain() async throws {
        let database = try await freshDatabase(in: PostgresTestCluster.shared())
        let writer = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(400))
        let cleaner = try await PostgresMetricStore(configuration: database, timeZone: utc, retention: .days(30))
        defer {
            writer.close()
            cleaner.close()
        }
        try await writer.write([Sample("m", [:], kind: .gauge, unit: .count, at: time("2026-01-10T00:00:00Z"), value: 1)])
        #expect(try await cleaner.applyRetention(now: time("2026-03-15T00:00:00Z")) == 1)
        // A new series: its points are appended, by COPY, into January, which the writer still thinks is there.
        let points = (0..<3).map { Sample("n", [:], kind: .gauge, unit: .count, at: time("2026-01-20T00:00:00Z").adding(.minutes(Int64($0))), value: Double($0)) }
        try await writer.write(points)
        let january = Period(from: time("2026-01-01T00:00:00Z"), to: time("2026-02-01T00:00:00Z"))
        #expect(try await writer.samples(of: SeriesKey("n", [:]), in: january).map(\.value) == [0, 1, 2])
    }
}
