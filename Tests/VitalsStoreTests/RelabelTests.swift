import Foundation
import Testing
import VitalsCore
import VitalsStore

/// `relabelSeries`: a label value changes on stored series without losing their history, merging where the new series exists.
@Suite struct RelabelTests {
    static let start = time("2026-03-02T10:00:00Z")

    static func gauge(_ labels: Labels, _ hour: Int64, _ value: Double) -> Sample {
        Sample("coverage_lines_ratio", labels, kind: .gauge, unit: .ratio, at: start.adding(.hours(hour)), value: value)
    }

    static let all = Period(from: time("2026-01-01T00:00:00Z"), to: time("2027-01-01T00:00:00Z"))

    @Test(arguments: StoreKind.allCases)
    func aSeriesWhoseNewLabelsAreFreeIsRenamedWithItsHistory(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let old: Labels = ["repo": "main"]
            try await store.write([Self.gauge(old, 0, 0.5), Self.gauge(old, 30, 0.6), Self.gauge(["repo": "other"], 0, 0.1)])
            // Read once so the store's caches know the old key.
            _ = try await store.samples(of: SeriesKey("coverage_lines_ratio", old), in: Self.all)

            let changed = try await store.relabelSeries(
                named: ["coverage_lines_ratio"], where: { $0["repo"] == "main" }, setting: "repo", to: "acme/shop")

            #expect(changed == 1)
            #expect(try await store.series(named: nil).map(\.key.labels.canonical) == [#"repo="acme/shop""#, #"repo="other""#])
            let new = SeriesKey("coverage_lines_ratio", ["repo": "acme/shop"])
            #expect(try await store.samples(of: new, in: Self.all).map(\.value) == [0.5, 0.6])
            #expect(try await store.samples(of: SeriesKey("coverage_lines_ratio", old), in: Self.all).isEmpty)
            // A write under the new key after the rename extends the same series.
            try await store.write([Self.gauge(["repo": "acme/shop"], 40, 0.7)])
            #expect(try await store.samples(of: new, in: Self.all).map(\.value) == [0.5, 0.6, 0.7])
        }
    }

    /// Into a series that already exists: its own values win on equal timestamps, and every rollup equals a summary of the
    /// merged raw samples.
    @Test(arguments: StoreKind.allCases)
    func aSeriesIsMergedIntoTheOneAlreadyCarryingItsNewLabels(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let old: Labels = ["repo": "shop"]
            let new: Labels = ["repo": "shop", "source": "coverage"]
            try await store.write([Self.gauge(old, 0, 0.1), Self.gauge(old, 1, 0.2), Self.gauge(old, 26, 0.3)])
            try await store.write([Self.gauge(new, 1, 0.9), Self.gauge(new, 2, 0.8), Self.gauge(new, 50, 0.7)])

            let changed = try await store.relabelSeries(
                named: ["coverage_lines_ratio", "unrelated"], where: { $0["source"] == nil }, setting: "source", to: "coverage")

            #expect(changed == 1)
            #expect(try await store.series(named: nil).map(\.key) == [SeriesKey("coverage_lines_ratio", new)])
            let merged = try await store.samples(of: SeriesKey("coverage_lines_ratio", new), in: Self.all)
            #expect(merged.map(\.value) == [0.1, 0.9, 0.8, 0.3, 0.7])
            for (first, hours) in [(Self.start, 1), (time("2026-03-01T23:00:00Z"), 24)] {
                let boundaries = (0...4).map { first.adding(.hours(Int64($0 * hours))) }
                let expected = zip(boundaries, boundaries.dropFirst()).map { from, to in
                    bruteForceSummary(merged.filter { $0.timestamp >= from && $0.timestamp < to })
                }
                #expect(try await store.summaries(of: SeriesKey("coverage_lines_ratio", new), boundaries: boundaries) == expected)
            }
        }
    }

    /// Days past retention live only in the rollups; merging keeps them.
    @Test func rollupsPastRetentionMoveWithTheSeries() async throws {
        let store = try await SQLiteMetricStore.inMemory(timeZone: berlin, retention: .days(10))
        let old: Labels = ["repo": "shop"]
        let new: Labels = ["repo": "shop", "source": "coverage"]
        try await store.write([Self.gauge(old, 0, 0.4)])
        try await store.write([Self.gauge(new, 24 * 30, 0.5)])
        try await store.applyRetention(now: Self.start.adding(.days(30)))

        try await store.relabelSeries(named: ["coverage_lines_ratio"], where: { $0["source"] == nil }, setting: "source", to: "coverage")

        let day = [time("2026-03-01T23:00:00Z"), time("2026-03-02T23:00:00Z")]
        let summary = try #require(try await store.summaries(of: SeriesKey("coverage_lines_ratio", new), boundaries: day).first ?? nil)
        #expect(summary.last.value == 0.4)
    }

    @Test(arguments: StoreKind.allCases)
    func seriesNotSelectedOrNotNamedStayAsTheyAre(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.write([Self.gauge(["repo": "a"], 0, 1), Sample("code_markers", ["repo": "a"], kind: .gauge, at: Self.start, value: 2)])
            #expect(try await store.relabelSeries(named: ["coverage_lines_ratio"], where: { $0["repo"] == "b" }, setting: "repo", to: "c") == 0)
            #expect(try await store.relabelSeries(named: ["coverage_lines_ratio"], where: { _ in true }, setting: "repo", to: "a") == 0)
            #expect(try await store.relabelSeries(named: [], where: { _ in true }, setting: "repo", to: "z") == 0)
            #expect(try await store.series(named: nil).map(\.key.description) == [#"code_markers{repo="a"}"#, #"coverage_lines_ratio{repo="a"}"#])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func sourceStateIsKeptPerSource(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.sourceState(of: "git").isEmpty)
            try await store.setSourceState(["repo": "acme/shop", "repo_folder": "/work/main"], of: "git")
            try await store.setSourceState(["repo": "lib"], of: "markers")
            try await store.setSourceState(["repo": "acme/web"], of: "git")
            #expect(try await store.sourceState(of: "git") == ["repo": "acme/web"])
            #expect(try await store.sourceState(of: "markers") == ["repo": "lib"])
        }
    }
}
