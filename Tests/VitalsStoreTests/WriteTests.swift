import Foundation
import Testing
import VitalsCore
import VitalsStore

@Suite struct WriteTests {
    static let commits = SeriesDescriptor(SeriesKey("commits_total", ["repo": "vitals"]), kind: .counter, unit: .count)

    @Test(arguments: StoreKind.allCases)
    func rewritingReplacesValuesAndKeepsOneRowPerTimestamp(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let start = time("2026-03-02T10:00:00Z")
            let first = (0..<5).map { Sample(Self.commits, at: start.adding(.minutes(Int64($0))), value: Double($0)) }
            #expect(try await store.write(first) == 5)
            #expect(try await store.write(first) == 5)
            try await store.write([Sample(Self.commits, at: start.adding(.minutes(2)), value: 20)])

            let period = Period(from: start, to: start.adding(.hours(1)))
            #expect(try await store.samples(of: Self.commits.key, in: period).map(\.value) == [0, 1, 20, 3, 4])
            // The hourly and daily rollups follow the replaced value: 0→1→20, reset to 3, →4 is 1 + 19 + 3 + 1.
            let hour = try #require(try await store.summaries(of: Self.commits.key, boundaries: [start, start.adding(.hours(1))]).first ?? nil)
            #expect(hour.sum == 28)
            #expect(hour.increase == 24)
            let day = try await #require(
                try store.summaries(of: Self.commits.key, boundaries: [time("2026-03-01T23:00:00Z"), time("2026-03-02T23:00:00Z")]).first ?? nil)
            #expect(day == hour)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func labelsInAnyOrderNameOneSeries(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let now = time("2026-03-02T10:00:00Z")
            try await store.write([
                Sample("open_issues", ["team": "core", "repo": "vitals"], kind: .gauge, at: now, value: 3),
                Sample("open_issues", ["repo": "vitals", "team": "core", "empty": ""], kind: .gauge, at: now.adding(.seconds(1)), value: 4),
                Sample("open_issues", ["repo": "other"], kind: .gauge, at: now, value: 9),
            ])
            let series = try await store.series(named: "open_issues")
            #expect(series.map(\.key.labels.canonical) == [#"repo="other""#, #"repo="vitals",team="core""#])
            let key = SeriesKey("open_issues", ["repo": "vitals", "team": "core"])
            #expect(try await store.samples(of: key, in: Period(from: now, to: now.adding(.minutes(1)))).map(\.value) == [3, 4])
            #expect(try await store.series(named: nil).count == 2)
            #expect(try await store.series(named: "missing").isEmpty)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aLaterWriteWithAnotherKindUpdatesTheSeries(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let now = time("2026-03-02T10:00:00Z")
            try await store.write([Sample("build_seconds", kind: .gauge, unit: .count, at: now, value: 1)])
            try await store.write([Sample("build_seconds", kind: .gauge, unit: .seconds, at: now.adding(.seconds(1)), value: 2)])
            #expect(try await store.series(named: "build_seconds").map(\.unit) == [.seconds])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func activeSeriesAreThoseWithSamplesInThePeriod(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let day = time("2026-03-02T00:00:00Z")
            try await store.write([
                Sample("author_commits", ["author": "ana"], kind: .event, at: day.adding(.hours(1)), value: 1),
                Sample("author_commits", ["author": "bo"], kind: .event, at: day.adding(.hours(30)), value: 1),
                Sample("author_commits", ["author": "cy"], kind: .event, at: day.adding(.hours(5)), value: 1),
            ])
            let keys = try await store.activeSeries(named: "author_commits", in: Period(from: day, to: day.adding(.hours(24))))
            #expect(keys.map { $0.labels["author"] } == ["ana", "cy"])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func lastSampleIsStrictlyBefore(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let now = time("2026-03-02T10:00:00Z")
            try await store.write([Sample(Self.commits, at: now, value: 1), Sample(Self.commits, at: now.adding(.hours(3)), value: 2)])
            #expect(try await store.lastSample(of: Self.commits.key, before: now.adding(.hours(3))) == SamplePoint(now, 1))
            #expect(try await store.lastSample(of: Self.commits.key, before: now) == nil)
            #expect(try await store.lastSample(of: SeriesKey("nope"), before: now) == nil)
        }
    }

    @Test func writesStayInTheWriteAheadLogUntilACheckpoint() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let store = try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400))
        try await store.checkpoint()
        func size(_ file: String) async throws -> Int { try FileManager.default.attributesOfItem(atPath: file)[.size] as! Int }
        let before = try await size(path)
        let start = time("2026-03-02T00:00:00Z")
        try await store.write((0..<20_000).map { Sample(Self.commits, at: start.adding(.minutes(Int64($0))), value: Double($0)) })
        // No automatic checkpoint: the data is in the log, and the file has not grown.
        #expect(try await size(path) == before)
        #expect(try await size(path + "-wal") > 100_000)
        try await store.checkpoint()
        #expect(try await size(path) > before + 100_000)
        #expect(try await store.samples(of: Self.commits.key, in: Period(from: start, to: start.adding(.days(30)))).count == 20_000)
    }
}
