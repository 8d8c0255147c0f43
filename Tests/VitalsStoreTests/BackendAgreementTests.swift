import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// The SQLite and PostgreSQL stores given the same random writes (seeded) give back the same numbers, bit for bit, from
/// every read of the metric store's port: raw samples, newest samples, active series, summaries over boundaries of any
/// kind (raw times, whole hours, local midnights), alert windows, the newest sample of every series; after writes, after a
/// relabelling that merges series, and after retention; and each store copied into the other (`StoreMigration`, as `vitals
/// store migrate` copies) compares equal and reads as its source.
///
/// The cases reach what the contract suites' fixtures do not: random zones (and the odd ones: offsets of quarter hours,
/// Lord Howe's half-hour daylight saving), times on both sides of 1970 and to 2036, times in whole minutes and not, values
/// at the edges of the double range and −0, rewrites of stored samples within and across writes, label values holding NUL,
/// quotes, backslashes and non-ASCII text. `VITALS_AGREEMENT_CASES` and `VITALS_AGREEMENT_SEED` run more or other cases.
@Suite struct BackendAgreementTests {
    static let cases = Int(ProcessInfo.processInfo.environment["VITALS_AGREEMENT_CASES"] ?? "") ?? 8
    static let seed = UInt64(ProcessInfo.processInfo.environment["VITALS_AGREEMENT_SEED"] ?? "") ?? 1

    static let zones = ["Asia/Kathmandu", "Australia/Lord_Howe", "America/St_Johns", "Pacific/Chatham", "Europe/Berlin", "UTC", "Asia/Kolkata"]
    static let labelValues = ["\u{0}", "a\u{0}b", "\\0", "a\u{7F}", "a", "ü", "Z", "a b", "\u{1F600}", "x=y,z", "\"q\"", "\\"]
    static let edgeValues = [1e308, -1e308, .leastNonzeroMagnitude, -0.0, 0.0, .greatestFiniteMagnitude, 0.1, 1e-300]

    @Test(.timeLimit(.minutes(5))) func sqliteAndPostgresGiveBackTheSameNumbers() async throws {
        let cluster = try await PostgresTestCluster.shared()
        var random = SplitMix64(seed: Self.seed)
        for number in 0..<Self.cases {
            var scenario = Scenario(&random)
            let sqlite = try await SQLiteMetricStore.inMemory(timeZone: scenario.zone, retention: scenario.retention)
            let postgres = try await PostgresMetricStore(
                configuration: freshDatabase(in: cluster), timeZone: scenario.zone, retention: scenario.retention)
            defer { postgres.close() }
            let stores = Stores(sqlite: sqlite, postgres: postgres, name: "case \(number) (seed \(Self.seed), zone \(scenario.zone.identifier))")
            for batch in scenario.writes() {
                let written = (try await sqlite.write(batch), try await postgres.write(batch))
                #expect(written.0 == written.1, "\(stores.name): written")
            }
            try await stores.compare("after the writes", &scenario)
            // `vitals store migrate` both ways: each copy compares equal by its checksums, and reads as its source does.
            let copies = (
                sqlite: try await SQLiteMetricStore.inMemory(timeZone: scenario.zone, retention: scenario.retention),
                postgres: try await PostgresMetricStore(
                    configuration: freshDatabase(in: cluster), timeZone: scenario.zone, retention: scenario.retention)
            )
            defer { copies.postgres.close() }
            for (source, destination) in [(sqlite, copies.postgres), (postgres, copies.sqlite)]
                as [(any StoreMigration.Store, any StoreMigration.Store)]
            {
                let comparisons = try await StoreMigration(from: source, named: "source", to: destination, named: "copy", batchSize: 37).run()
                #expect(comparisons.allSatisfy { $0.matches }, "\(stores.name): migration \(comparisons.filter { !$0.matches })")
            }
            try await Stores(sqlite: sqlite, postgres: copies.postgres, name: stores.name + ", SQLite copied to PostgreSQL")
                .compare("after the migration", &scenario)
            try await Stores(sqlite: copies.sqlite, postgres: postgres, name: stores.name + ", PostgreSQL copied to SQLite")
                .compare("after the migration", &scenario)
            if let relabelling = scenario.relabelling() {
                let changed = (
                    try await sqlite.relabelSeries(named: ["m0", "m1"], where: relabelling.selects, setting: "k", to: relabelling.value),
                    try await postgres.relabelSeries(named: ["m0", "m1"], where: relabelling.selects, setting: "k", to: relabelling.value)
                )
                #expect(changed.0 == changed.1, "\(stores.name): relabelled")
                try await stores.compare("after the relabelling", &scenario)
            }
            let now = Timestamp(milliseconds: scenario.instant())
            let removed = (try await sqlite.applyRetention(now: now), try await postgres.applyRetention(now: now))
            #expect(removed.0 == removed.1, "\(stores.name): retention at \(now)")
            try await stores.compare("after retention at \(now)", &scenario)
        }
    }

    /// One case's random choices: its zone, retention, series, and the times and values of its writes and reads, all within
    /// four days of an instant.
    struct Scenario {
        var random: SplitMix64
        let zone: TimeZone
        let retention: TimeSpan
        let anchor: Int64
        let series: [SeriesDescriptor]

        init(_ seeds: inout SplitMix64) {
            var random = SplitMix64(seed: seeds.next())
            zone = TimeZone(
                identifier: Bool.random(using: &random)
                    ? BackendAgreementTests.zones.randomElement(using: &random)! : TimeZone.knownTimeZoneIdentifiers.randomElement(using: &random)!)!
            retention = .days(Int64.random(in: 1...3, using: &random))
            anchor =
                Bool.random(using: &random)
                ? Int64.random(in: 0..<2_100_000_000_000, using: &random) : Int64.random(in: -400_000_000..<400_000_000, using: &random)
            series = (0..<Int.random(in: 1...3, using: &random)).map { index in
                SeriesDescriptor(
                    SeriesKey("m\(index % 2)", ["k": BackendAgreementTests.labelValues.randomElement(using: &random)! + "\(index)"]),
                    kind: [.gauge, .counter, .event].randomElement(using: &random)!, unit: .count)
            }
            self.random = random
        }

        /// A time within four days of the anchor, in whole minutes half the time.
        mutating func instant() -> Int64 {
            let time = anchor + Int64.random(in: -4 * 86_400_000...4 * 86_400_000, using: &random)
            return Bool.random(using: &random) ? time : time / 60_000 * 60_000
        }

        mutating func value() -> Double {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: BackendAgreementTests.edgeValues.randomElement(using: &random)!
            case 1...4: Double(Int.random(in: -50...50, using: &random))
            default: Double.random(in: -1000...1000, using: &random)
            }
        }

        mutating func period() -> Period {
            let (a, b) = (instant(), instant())
            return Period(from: Timestamp(milliseconds: min(a, b)), to: Timestamp(milliseconds: max(a, b)))
        }

        /// One to five writes, each new samples and (after the first) new values for samples written before, shuffled.
        mutating func writes() -> [[Sample]] {
            var written: [Sample] = []
            var batches: [[Sample]] = []
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                var batch = (0..<Int.random(in: 0...150, using: &random)).map { _ in
                    Sample(series.randomElement(using: &random)!, at: Timestamp(milliseconds: instant()), value: value())
                }
                if !written.isEmpty {
                    for _ in 0..<Int.random(in: 0...20, using: &random) {
                        let again = written.randomElement(using: &random)!
                        batch.append(Sample(again.series, at: again.timestamp, value: value()))
                    }
                }
                batch.shuffle(using: &random)
                written += batch
                batches.append(batch)
            }
            return batches
        }

        /// Half the time, a relabelling of the series whose `k` starts as one of them does to another's `k` (merging them).
        mutating func relabelling() -> (selects: @Sendable (Labels) -> Bool, value: String)? {
            guard Bool.random(using: &random) else { return nil }
            let prefix = String(series.randomElement(using: &random)!.key.labels["k"]!.prefix(1))
            return ({ $0["k"]?.hasPrefix(prefix) ?? false }, series.randomElement(using: &random)!.key.labels["k"]!)
        }

        /// Two to seven boundaries of random kinds: raw times, whole hours, local midnights.
        mutating func boundaries() -> [Timestamp] {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let times = (0..<Int.random(in: 2...7, using: &random)).map { _ -> Int64 in
                let time = instant()
                switch Int.random(in: 0..<3, using: &random) {
                case 0: return time
                case 1: return Int64((Double(time) / 3_600_000).rounded(.down)) * 3_600_000
                default:
                    let day = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(time) / 1000))
                    return Int64((day.timeIntervalSince1970 * 1000).rounded())
                }
            }
            return Set(times).sorted().map(Timestamp.init(milliseconds:))
        }

        mutating func windows() -> [MetricWindow] {
            (0..<5).map { _ in
                MetricWindow(name: "m\(Int.random(in: 0...1, using: &random))", period: period(), newestOnly: Bool.random(using: &random))
            }
        }
    }

    struct Stores {
        let sqlite: SQLiteMetricStore
        let postgres: PostgresMetricStore
        let name: String

        /// Every read of both stores, with reads chosen by `scenario`, expected to give the same.
        func compare(_ stage: String, _ scenario: inout Scenario) async throws {
            let what = "\(name) \(stage)"
            let series = try await sqlite.series(named: nil)
            let postgresSeries = try await postgres.series(named: nil)
            #expect(postgresSeries == series, "\(what): series \(series) \(postgresSeries)")
            for key in series.map(\.key) {
                for _ in 0..<4 {
                    let period = scenario.period()
                    let samples = (try await sqlite.samples(of: key, in: period), try await postgres.samples(of: key, in: period))
                    #expect(same(samples.0, samples.1), "\(what): samples of \(key) in \(period)")
                    let last = (try await sqlite.lastSample(of: key, before: period.to), try await postgres.lastSample(of: key, before: period.to))
                    #expect(same(last.0.map { [$0] } ?? [], last.1.map { [$0] } ?? []), "\(what): last sample of \(key) before \(period.to)")
                    let active = (
                        try await sqlite.activeSeries(named: key.name, in: period), try await postgres.activeSeries(named: key.name, in: period)
                    )
                    #expect(active.0 == active.1, "\(what): active series of \(key.name) in \(period)")
                }
                for _ in 0..<6 {
                    let boundaries = scenario.boundaries()
                    guard boundaries.count >= 2 else { continue }
                    let summaries = (
                        try await sqlite.summaries(of: key, boundaries: boundaries), try await postgres.summaries(of: key, boundaries: boundaries)
                    )
                    #expect(
                        summaries.0.count == summaries.1.count && zip(summaries.0, summaries.1).allSatisfy(same),
                        "\(what): summaries of \(key) at \(boundaries.map(\.milliseconds))\n\(summaries.0)\n\(summaries.1)")
                }
            }
            let windows = scenario.windows()
            let read = (try await sqlite.series(in: windows), try await postgres.series(in: windows))
            #expect(
                read.0.count == read.1.count
                    && zip(read.0, read.1).allSatisfy { a, b in
                        a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && same($0.points, $1.points) }
                    },
                "\(what): windows \(windows)")
            let latest = (try await sqlite.latestSamples(), try await postgres.latestSamples())
            #expect(
                latest.0.map(\.series) == latest.1.map(\.series) && same(latest.0.map(\.sample), latest.1.map(\.sample)), "\(what): newest samples")
        }
    }
}

/// Equal to the bit: a sign of zero or a last bit apart is a difference.
private func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }

private func same(_ a: [SamplePoint], _ b: [SamplePoint]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.timestamp == $1.timestamp && same($0.value, $1.value) }
}

private func same(_ a: SampleSummary?, _ b: SampleSummary?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.count == b.count && same(a.sum, b.sum) && same(a.min, b.min) && same(a.max, b.max) && same([a.first, a.last], [b.first, b.last])
        && same(a.increase, b.increase)
}
