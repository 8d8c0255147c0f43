import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// What every ``MetricStore`` backend does, written against the protocol only: each check takes a factory of fresh, empty
/// stores whose time zone is Europe/Berlin and whose retention is 400 days.
enum MetricStoreContract {
    static let start = RFC3339.parse("2026-03-02T10:00:00Z")!
    static let all = Period(from: RFC3339.parse("2026-01-01T00:00:00Z")!, to: RFC3339.parse("2027-01-01T00:00:00Z")!)

    static func sample(_ name: String, _ labels: Labels, kind: MetricKind = .gauge, minutes: Int64, _ value: Double) -> Sample {
        Sample(name, labels, kind: kind, unit: .count, at: start.adding(.minutes(minutes)), value: value)
    }

    static func checkAll(_ make: () async throws -> any MetricStore) async throws {
        try await rewritingIsIdempotentAndReplacesValues(make())
        try await readsAreOrderedAndPeriodsHalfOpen(make())
        try await summariesEqualTheRawSamplesAcrossRollups(make())
        try await rollupsAddAsSwiftAddsAtTheEdgeOfTheDoubleRange(make())
        try await relabellingMergesIntoAnExistingSeries(make())
        try await seriesThatBecomeOneAreMergedInKeyOrder(make())
        try await activeSeriesLastSampleAndRetention(make())
        try await batchedReadsEqualSingleReads(make())
        try await batchedSummariesAndLastSamplesEqualSingleOnes(make())
        try await aRoundsManyWindowsReadAtOnceEqualEachReadAlone(make())
        try await windowsOfTheNewestSamplesHoldEachSeriesNewestSample(make())
    }

    /// Writing the same samples again changes nothing; writing a new value at a stored instant replaces it.
    static func rewritingIsIdempotentAndReplacesValues(_ store: any MetricStore) async throws {
        let samples = (0..<5).map { sample("m", ["a": "1"], minutes: $0, Double($0)) }
        #expect(try await store.write(samples) == 5)
        try await store.write(samples)
        let key = SeriesKey("m", ["a": "1"])
        #expect(try await store.samples(of: key, in: all) == samples.map { SamplePoint($0.timestamp, $0.value) })
        try await store.write([sample("m", ["a": "1"], minutes: 2, 20)])
        #expect(try await store.samples(of: key, in: all).map(\.value) == [0, 1, 20, 3, 4])
        #expect(try await store.series(named: "m").count == 1)
    }

    /// Samples come back oldest first whatever order they were written in; series sorted by key; a period includes its
    /// start and excludes its end.
    static func readsAreOrderedAndPeriodsHalfOpen(_ store: any MetricStore) async throws {
        try await store.write([
            sample("m", ["b": "2"], minutes: 30, 3), sample("m", ["a": "1"], minutes: 10, 1), sample("m", ["b": "2"], minutes: 0, 0),
        ])
        try await store.write([sample("m", ["b": "2"], minutes: 20, 2), sample("n", [:], minutes: 0, 9)])
        #expect(try await store.series(named: "m").map(\.key) == [SeriesKey("m", ["a": "1"]), SeriesKey("m", ["b": "2"])])
        #expect(try await store.series(named: nil).map(\.key.name) == ["m", "m", "n"])
        #expect(try await store.series(named: "absent").isEmpty)
        let key = SeriesKey("m", ["b": "2"])
        #expect(try await store.samples(of: key, in: all).map(\.value) == [0, 2, 3])
        let period = Period(from: start.adding(.minutes(20)), to: start.adding(.minutes(30)))
        #expect(try await store.samples(of: key, in: period).map(\.value) == [2])
        #expect(try await store.samples(of: SeriesKey("m", ["c": "3"]), in: all).isEmpty)
    }

    /// Summaries of hour-aligned, day-aligned and ragged buckets equal summaries of the raw samples they cover, across a
    /// week of samples every 7 minutes (so buckets mix daily and hourly rollups with raw edges).
    static func summariesEqualTheRawSamplesAcrossRollups(_ store: any MetricStore) async throws {
        let key = SeriesKey("c", ["repo": "x"])
        let points = (0..<1_440).map { (index: Int) -> SamplePoint in
            // A counter with a reset every 100 samples.
            let value: Double = index % 100 == 0 ? 0 : Double((index * 13) % 17)
            return SamplePoint(start.adding(.minutes(Int64(index) * 7)), value)
        }
        try await store.write(points.map { Sample(SeriesDescriptor(key, kind: .counter, unit: .count), at: $0.timestamp, value: $0.value) })
        let midnight = RFC3339.parse("2026-03-03T00:00:00+01:00")!
        let layouts: [[Timestamp]] = [
            (0...5).map { midnight.adding(.days($0)) },
            (0...30).map { midnight.adding(.hours($0)) },
            [start.adding(.minutes(1)), midnight.adding(.minutes(13)), midnight.adding(.days(2)).adding(.minutes(5)), start.adding(.days(9))],
        ]
        for boundaries in layouts {
            let expected = zip(boundaries, boundaries.dropFirst()).map { from, to in
                bruteForceSummary(points.filter { from <= $0.timestamp && $0.timestamp < to })
            }
            #expect(try await store.summaries(of: key, boundaries: boundaries) == expected)
        }
        #expect(try await store.summaries(of: SeriesKey("c", ["repo": "none"]), boundaries: layouts[0]) == Array(repeating: nil, count: 5))
    }

    /// Rollups add as Swift's `+` adds (IEEE 754), in time order, at the edge of the double range too: a sum or a counter step
    /// past it is ±∞, not an error, whether the bucket is written at once, merged with a later write or rebuilt after a
    /// backfill; infinite samples add as Swift adds them (`∞ - ∞` is no step, `∞ + −∞` a NaN sum, which SQLite, binding NaN
    /// as NULL, refused: the whole write failed); and a rounded sum that differs from the exact one is the rounded one. The hourly and daily summaries equal ``bruteForceSummary(_:)`` of the raw samples.
    static func rollupsAddAsSwiftAddsAtTheEdgeOfTheDoubleRange(_ store: any MetricStore) async throws {
        let big = Double.greatestFiniteMagnitude
        let half = big / 2
        // Per series, its writes in order (minutes after `start`, values). A later write adds one point to each bucket
        // after the stored ones (merged into the rows) or before them (a backfill: the day is rebuilt from raw), so every
        // bucket's summary is its samples' in time order.
        let writes: [String: [[(minutes: Int64, value: Double)]]] = [
            "pair": [[(0, big), (1, big)]],
            "negative pair": [[(0, -big)], [(1, -big)]],
            "step past the range": [[(0, -big)], [(1, big)]],
            "merged": [[(0, half), (1, half)], [(2, half)], [(70, 1)]],
            // Rebuilt: big + half is ∞, and ∞ - big is ∞ (the exact sum is half).
            "backfilled": [[(10, half), (20, -big)], [(5, big)]],
            // 1 + 1e16 and 1e16 + 1 round to 1e16: the sums are not the exact ones.
            "rounded": [[(1, 1), (2, 1e16), (3, 1)], [(4, 1)], [(0, 0.1)]],
            "infinite": [[(0, .infinity)], [(1, .infinity)], [(2, 1)], [(3, -1)]],
            "negative infinite": [[(0, -.infinity)], [(1, 5)]],
            "infinite backfilled": [[(10, .infinity), (20, .infinity)], [(5, 1)]],
            // ∞ + −∞ is NaN: a sum without magnitude, which the bucket keeps.
            "both infinities": [[(0, .infinity)], [(1, -.infinity)]],
            "both infinities backfilled": [[(10, .infinity), (20, 2)], [(5, -.infinity)]],
        ]
        func key(_ name: String) -> SeriesKey { SeriesKey("edge", ["case": name]) }
        // A summary as text, every NaN alike (NaN equals nothing, and ∞ + −∞ leaves whichever NaN the arithmetic made).
        func text(_ summary: SampleSummary?) -> String {
            guard let summary else { return "none" }
            func number(_ value: Double) -> String { value.isNaN ? "NaN" : "\(value)" }
            return [summary.sum, summary.min, summary.max, summary.first.value, summary.last.value, summary.increase].map(number).joined(
                separator: " ")
                + " count \(summary.count), \(summary.first.timestamp.milliseconds)…\(summary.last.timestamp.milliseconds)"
        }
        for index in 0..<writes.values.map(\.count).max()! {
            try await store.write(
                writes.flatMap { name, batches in
                    batches.count > index ? batches[index].map { sample("edge", ["case": name], kind: .counter, minutes: $0.minutes, $0.value) } : []
                })
        }
        let hours = (0...3).map { start.adding(.hours($0)) }
        let day = [RFC3339.parse("2026-03-02T00:00:00+01:00")!, RFC3339.parse("2026-03-03T00:00:00+01:00")!]
        for (name, batches) in writes {
            let points = batches.joined().sorted { $0.minutes < $1.minutes }.map { SamplePoint(start.adding(.minutes($0.minutes)), $0.value) }
            for boundaries in [hours, day] {
                let expected = zip(boundaries, boundaries.dropFirst()).map { from, to in
                    bruteForceSummary(points.filter { from <= $0.timestamp && $0.timestamp < to })
                }
                #expect(try await store.summaries(of: key(name), boundaries: boundaries).map(text) == expected.map(text), "\(name)")
            }
        }
    }

    /// In a zone whose offset is not whole hours (Asia/Kolkata, +05:30) a local day starts and ends inside a UTC hour. A
    /// backfill rebuilds the rollups of whole local days from raw: the hours straddling their ends are rebuilt from all
    /// their samples, not only from those inside the days. Samples every 10 minutes from an hour before the local midnight
    /// of `instant`'s day to two hours after the next, one of them backfilled 40 minutes after that midnight; every UTC
    /// hour's and every local day's summary equals the raw samples'. The store's time zone is `zone`.
    static func aRebuildKeepsTheHoursAcrossALocalMidnight(_ store: any MetricStore, zone: TimeZone, around instant: Timestamp) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func midnight(_ date: Date) -> Timestamp {
            Timestamp(milliseconds: Int64((calendar.startOfDay(for: date).timeIntervalSince1970 * 1000).rounded()))
        }
        func date(_ timestamp: Timestamp) -> Date { Date(timeIntervalSince1970: Double(timestamp.milliseconds) / 1000) }
        let hour: Int64 = 3_600_000
        func hourStart(_ timestamp: Timestamp) -> Timestamp {
            Timestamp(milliseconds: timestamp.milliseconds - ((timestamp.milliseconds % hour) + hour) % hour)
        }
        let day = midnight(date(instant))
        let next = midnight(date(day.adding(.hours(36))))
        let first = hourStart(day).adding(.hours(-1))
        let end = hourStart(next).adding(.hours(3))
        let points = stride(from: first.milliseconds, to: end.milliseconds, by: 600_000).enumerated().map { (index: Int, ms: Int64) in
            SamplePoint(Timestamp(milliseconds: ms), Double(index % 7))
        }
        let key = SeriesKey("k", ["zone": zone.identifier])
        let descriptor = SeriesDescriptor(key, kind: .counter, unit: .count)
        let backfilled = points.first { $0.timestamp >= day.adding(.minutes(40)) }!
        try await store.write(points.filter { $0 != backfilled }.map { Sample(descriptor, at: $0.timestamp, value: $0.value) })
        try await store.write([Sample(descriptor, at: backfilled.timestamp, value: backfilled.value)])
        let hours = stride(from: first.milliseconds, through: end.milliseconds, by: Int(hour)).map { (ms: Int64) in Timestamp(milliseconds: ms) }
        let days = [midnight(date(day.adding(.hours(-12)))), day, next, midnight(date(next.adding(.hours(36))))]
        for boundaries in [hours, days] {
            let expected = zip(boundaries, boundaries.dropFirst()).map { from, to in
                bruteForceSummary(points.filter { from <= $0.timestamp && $0.timestamp < to })
            }
            #expect(try await store.summaries(of: key, boundaries: boundaries) == expected, "\(zone.identifier) around \(instant)")
        }
    }

    /// A relabelled series whose new labels another series has merges into it, the other's values winning where both have one.
    static func relabellingMergesIntoAnExistingSeries(_ store: any MetricStore) async throws {
        let old: Labels = ["repo": "shop"]
        let new: Labels = ["repo": "shop", "source": "git"]
        try await store.write([
            sample("g", old, minutes: 0, 1), sample("g", old, minutes: 60, 2), sample("g", ["repo": "other", "source": "x"], minutes: 0, 7),
        ])
        try await store.write([sample("g", new, minutes: 60, 9), sample("g", new, minutes: 120, 3)])
        let changed = try await store.relabelSeries(named: ["g"], where: { $0["source"] == nil }, setting: "source", to: "git")
        #expect(changed == 1)
        #expect(try await store.series(named: "g").map(\.key.labels) == [["repo": "other", "source": "x"], new])
        #expect(try await store.samples(of: SeriesKey("g", new), in: all).map(\.value) == [1, 9, 3])
        let day = [RFC3339.parse("2026-03-02T00:00:00+01:00")!, RFC3339.parse("2026-03-03T00:00:00+01:00")!]
        #expect(try await store.summaries(of: SeriesKey("g", new), boundaries: day).first??.count == 3)
        #expect(try await store.relabelSeries(named: ["g"], where: { _ in false }, setting: "source", to: "y") == 0)
    }

    /// Series that become one new key are changed in key order, whatever order they were written in: the first keeps its
    /// kind and its values win at equal times. (Written in the other order, in one write and in two.)
    static func seriesThatBecomeOneAreMergedInKeyOrder(_ store: any MetricStore) async throws {
        let merged = SeriesKey("h", ["team": "core"])
        try await store.write([sample("h", ["team": "b"], kind: .counter, minutes: 0, 2), sample("h", ["team": "a"], kind: .gauge, minutes: 0, 1)])
        try await store.write([sample("h", ["team": "c"], kind: .event, minutes: 0, 3), sample("h", ["team": "c"], kind: .event, minutes: 1, 4)])
        #expect(try await store.relabelSeries(named: ["h"], where: { _ in true }, setting: "team", to: "core") == 3)
        #expect(try await store.series(named: "h") == [SeriesDescriptor(merged, kind: .gauge, unit: .count)])
        #expect(try await store.samples(of: merged, in: all).map(\.value) == [1, 4])
    }

    /// Active series in a period, the last sample before an instant, and retention removing raw samples only.
    static func activeSeriesLastSampleAndRetention(_ store: any MetricStore) async throws {
        try await store.write([
            sample("e", ["author": "ana"], kind: .event, minutes: 0, 1), sample("e", ["author": "bo"], kind: .event, minutes: 60, 1),
        ])
        let firstHour = Period(from: start, to: start.adding(.minutes(60)))
        #expect(try await store.activeSeries(named: "e", in: firstHour) == [SeriesKey("e", ["author": "ana"])])
        #expect(try await store.activeSeries(named: "e", in: all).count == 2)
        let bo = SeriesKey("e", ["author": "bo"])
        #expect(try await store.lastSample(of: bo, before: start.adding(.minutes(60))) == nil)
        #expect(try await store.lastSample(of: bo, before: start.adding(.minutes(61))) == SamplePoint(start.adding(.minutes(60)), 1))
        // 400 days later the raw samples are past retention; the day's summary stays.
        let later = start.adding(.days(401))
        #expect(try await store.applyRetention(now: later) == 2)
        #expect(try await store.samples(of: bo, in: all).isEmpty)
        let day = [RFC3339.parse("2026-03-02T00:00:00+01:00")!, RFC3339.parse("2026-03-03T00:00:00+01:00")!]
        #expect(try await store.summaries(of: bo, boundaries: day).first??.sum == 1)
        #expect(try await store.applyRetention(now: later) == 0)
        try await store.checkpoint()
    }

    /// Reading several keys or metric windows at once gives what reading them one by one gives, in the order asked.
    static func batchedReadsEqualSingleReads(_ store: any MetricStore) async throws {
        try await store.write(
            (0..<10).flatMap { minute in
                [
                    sample("w", ["s": "a"], minutes: minute, Double(minute)), sample("w", ["s": "b"], minutes: minute, -Double(minute)),
                    sample("v", [:], minutes: minute * 2, 1),
                ]
            })
        let keys = [SeriesKey("w", ["s": "b"]), SeriesKey("v", [:]), SeriesKey("w", ["s": "missing"]), SeriesKey("w", ["s": "a"])]
        let period = Period(from: start.adding(.minutes(3)), to: start.adding(.minutes(8)))
        var single: [[SamplePoint]] = []
        for key in keys { single.append(try await store.samples(of: key, in: period)) }
        #expect(try await store.samples(of: keys, in: period) == single)
        let windows = [MetricWindow(name: "w", period: period), MetricWindow(name: "v", period: Period(from: start, to: start.adding(.minutes(2))))]
        let read = try await store.series(in: windows)
        #expect(read.map { $0.map(\.key) } == [[SeriesKey("w", ["s": "a"]), SeriesKey("w", ["s": "b"])], [SeriesKey("v", [:])]])
        #expect(read[0][0].points == single[3])
        #expect(read[1][0].points == [SamplePoint(start, 1)])
    }

    /// The summaries of several series over one bucket layout, and their last samples before an instant, are each series'
    /// own, in the order asked (a key asked twice twice, an unknown key nil), over buckets that mix daily and hourly rollups
    /// with raw edges, and past retention (when the last sample is the last of the newest hour that ended before the
    /// instant, not of the hour holding it).
    static func batchedSummariesAndLastSamplesEqualSingleOnes(_ store: any MetricStore) async throws {
        let counter = SeriesKey("c", ["repo": "x"])
        let gauge = SeriesKey("g", ["repo": "y"])
        let other = SeriesKey("c", ["repo": "z"])
        let points = (0..<900).map { SamplePoint(start.adding(.minutes(Int64($0) * 7)), Double(($0 * 13) % 17)) }
        try await store.write(points.map { Sample(SeriesDescriptor(counter, kind: .counter, unit: .count), at: $0.timestamp, value: $0.value) })
        try await store.write(
            (0..<300).map { index in
                Sample(
                    SeriesDescriptor(gauge, kind: .gauge, unit: .count), at: start.adding(.minutes(Int64(index) * 11 + 3)), value: Double(index % 5))
            })
        try await store.write([Sample(SeriesDescriptor(other, kind: .counter, unit: .count), at: start.adding(.days(2)), value: 4)])
        let midnight = RFC3339.parse("2026-03-03T00:00:00+01:00")!
        let layouts: [[Timestamp]] = [
            (0...4).map { midnight.adding(.days($0)) },
            [start.adding(.minutes(1)), midnight.adding(.minutes(13)), midnight.adding(.days(2)).adding(.minutes(5)), start.adding(.days(9))],
        ]
        let keys = [gauge, SeriesKey("c", ["repo": "none"]), counter, other, gauge]
        for boundaries in layouts {
            var single: [[SampleSummary?]] = []
            for key in keys { single.append(try await store.summaries(of: key, boundaries: boundaries)) }
            #expect(single[2].contains { $0 != nil } && single[4].contains { $0 != nil })
            #expect(try await store.summaries(of: keys, boundaries: boundaries) == single)
        }
        #expect(try await store.summaries(of: [], boundaries: layouts[0]).isEmpty)
        // Mid-hour, so the hour holding the instant has samples on both sides of it.
        let instants = [start, start.adding(.minutes(700 + 3)), start.adding(.days(2)).adding(.minutes(1)), start.adding(.days(9))]
        func expectLastSamples(_ expected: (Timestamp) -> SamplePoint?) async throws {
            for instant in instants {
                var single: [SamplePoint?] = []
                for key in keys { single.append(try await store.lastSample(of: key, before: instant)) }
                #expect(single[2] == expected(instant))
                #expect(try await store.lastSamples(of: keys, before: instant) == single)
            }
        }
        try await expectLastSamples { instant in points.last { $0.timestamp < instant } }
        try await store.applyRetention(now: start.adding(.days(401)))
        try await expectLastSamples { instant in
            let hours = Dictionary(grouping: points) { $0.timestamp.milliseconds / 3_600_000 }.values.compactMap(\.last)
            return hours.filter { $0.timestamp < instant }.max { $0.timestamp < $1.timestamp }
        }
        #expect(try await store.lastSamples(of: [], before: start).isEmpty)
    }

    /// As many windows as a round reads (a backend may read them in parts at once) give, in the order asked, what each
    /// window read alone gives: windows of 300 metrics, one metric's twice, periods of several lengths, some without samples.
    static func aRoundsManyWindowsReadAtOnceEqualEachReadAlone(_ store: any MetricStore) async throws {
        try await store.write(
            (0..<300).flatMap { metric in
                (0..<6).flatMap { minute in
                    ["b", "a"].map { series in sample("m\(metric)", ["s": series], minutes: Int64(minute), Double(metric * 10 + minute)) }
                }
            })
        let windows =
            (0..<300).map { metric in
                MetricWindow(name: "m\(metric)", period: Period(from: start.adding(.minutes(Int64(metric % 7))), to: start.adding(.minutes(6))))
            } + [MetricWindow(name: "m0", period: Period(from: start, to: start.adding(.minutes(2)))), MetricWindow(name: "missing", period: all)]
        var alone: [[(key: SeriesKey, points: [SamplePoint])]] = []
        for window in windows { alone.append(try #require(try await store.series(in: [window]).first)) }
        let read = try await store.series(in: windows)
        #expect(read.map { $0.map(\.key) } == alone.map { $0.map(\.key) })
        #expect(read.map { $0.map(\.points) } == alone.map { $0.map(\.points) })
        #expect(read.filter(\.isEmpty).count == 1 + 300 / 7)
    }

    /// A window of only the newest samples (an instant selector's) holds, for every series with samples in its period, the
    /// newest of them, whatever order they were written in and whether a backfill came after: the last point of the
    /// whole window's read. Random series, gaps and periods (seeded); read together with whole windows of the same metrics.
    static func windowsOfTheNewestSamplesHoldEachSeriesNewestSample(_ store: any MetricStore) async throws {
        var random = SplitMix64(seed: 11)
        var samples: [Sample] = []
        for metric in 0..<20 {
            for series in 0..<Int.random(in: 1...5, using: &random) {
                for minute in 0..<120 where Int.random(in: 0..<3, using: &random) == 0 {
                    samples.append(sample("n\(metric)", ["s": String(series)], minutes: Int64(minute), Double.random(in: -1...1, using: &random)))
                }
            }
        }
        try await store.write(samples.shuffled(using: &random))
        let windows = (0..<60).map { index in
            let from = Int64.random(in: -10..<120, using: &random)
            return Period(from: start.adding(.minutes(from)), to: start.adding(.minutes(from + Int64.random(in: 1...40, using: &random))))
        }.enumerated().map { MetricWindow(name: "n\($0.offset % 20)", period: $0.element) }
        let whole = try await store.series(in: windows)
        let newest = try await store.series(in: windows.map { MetricWindow(name: $0.name, period: $0.period, newestOnly: true) } + windows)
        #expect(newest.count == 2 * windows.count)
        for (index, window) in windows.enumerated() {
            #expect(newest[index].map(\.key) == whole[index].map(\.key), "\(window)")
            #expect(newest[index].map(\.points) == whole[index].map { [$0.points.last!] }, "\(window)")
            #expect(newest[windows.count + index].map(\.points) == whole[index].map(\.points), "\(window)")
        }
        #expect(whole.contains { $0.contains { $0.points.count > 1 } } && whole.contains(where: \.isEmpty))
    }
}

@Suite struct MetricStoreContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheMetricStoreContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any MetricStore).self) { make in try await MetricStoreContract.checkAll { try await make() } }
    }

    /// Zones whose offsets or daylight-saving shifts are not whole hours, and zones of tzdata picked at random, each at a
    /// random instant in 1970–2040 (seeded, so a failure repeats).
    static let rebuildZones: [(zone: String, instant: Timestamp)] = {
        var random = SplitMix64(seed: 2026)
        let fractional = ["Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "America/St_Johns", "Pacific/Chatham", "Australia/Lord_Howe"]
        let others = (0..<4).map { _ in TimeZone.knownTimeZoneIdentifiers.randomElement(using: &random)! }
        return (fractional + others).map { zone in
            (zone, Timestamp(milliseconds: Int64.random(in: 0..<2_208_988_800_000, using: &random)))
        }
    }()

    @Test(arguments: ContractBackend.allCases) func everyStoreRebuildsWholeHoursWhereDaysStartInsideThem(backend: ContractBackend) async throws {
        for (zone, instant) in Self.rebuildZones {
            let timeZone = try #require(TimeZone(identifier: zone))
            try await withStoreFactory(backend, as: (any MetricStore).self, timeZone: timeZone, retention: .days(30_000)) { make in
                try await MetricStoreContract.aRebuildKeepsTheHoursAcrossALocalMidnight(make(), zone: timeZone, around: instant)
            }
        }
    }
}
