import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// The `source` label, the migrations that keep series continuous when labels change, and sources skipped for lack of input.
@Suite struct SeriesIdentityTests {
    let utc = TimeZone(identifier: "UTC")!
    let now = RFC3339.parse("2026-11-25T12:00:00Z")!
    let all = Period(from: RFC3339.parse("2026-01-01T00:00:00Z")!, to: RFC3339.parse("2027-01-01T00:00:00Z")!)

    func store() async throws -> SQLiteMetricStore { try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400)) }

    func series(_ store: SQLiteMetricStore, _ name: String) async throws -> [String] {
        try await store.series(named: name).map(\.key.labels.canonical)
    }

    func values(_ store: SQLiteMetricStore, _ name: String, _ labels: Labels) async throws -> [Double] {
        try await store.samples(of: SeriesKey(name, labels), in: all).map(\.value)
    }

    /// The example of docs/configuration.md: two coverage sources in one repository used to write the same `{repo}` series.
    @Test func twoSourcesOfOneTypeWriteTheirOwnSeries() async throws {
        let repository = try GitRepository(name: "shop")
        try repository.write("app/lcov.info", "SF:a.c\nLF:2\nLH:1\nend_of_record\n")
        try repository.write("lib/lcov.info", "SF:b.c\nLF:4\nLH:3\nend_of_record\n")
        let sources = [
            SourceConfig(name: "app-coverage", type: .coverage, options: ["paths": .string("app/lcov.info")]),
            SourceConfig(name: "lib-coverage", type: .coverage, options: ["paths": .string("lib/lcov.info")]),
        ]
        let store = try await store()

        let collectors = sources.map { SourceRegistry.collector(for: $0, root: repository.url) }
        _ = try await CollectionRunner(store: store, sources: sources).run(collectors, now: now, timeZone: utc)

        #expect(try await series(store, "coverage_lines_ratio") == [#"repo="shop",source="app-coverage""#, #"repo="shop",source="lib-coverage""#])
        #expect(try await values(store, "coverage_lines_ratio", ["repo": "shop", "source": "app-coverage"]) == [0.5])
        #expect(try await values(store, "coverage_lines_ratio", ["repo": "shop", "source": "lib-coverage"]) == [0.75])
    }

    /// A store written before the `source` label and before `origin` named the repository (`repo` was the folder's name): the
    /// first run moves the history onto `{repo="acme/shop",source="git"}`, and nothing stays under the old labels.
    @Test func anUpgradedStoreKeepsItsHistoryUnderTheNewLabels() async throws {
        let repository = try GitRepository(name: "main")
        try repository.write("a.txt", "a\n")
        try repository.commit("start", at: "2026-11-24T10:00:00+00:00")
        try repository.git("remote", "add", "origin", "git@github.com:acme/shop.git")
        let store = try await store()
        let old: Labels = ["repo": "main"]
        let longAgo = RFC3339.parse("2026-06-01T00:00:00Z")!
        try await store.write([
            Sample("git_commits", old, kind: .event, at: longAgo, value: 7),
            Sample("git_author_commits", old.setting("author", to: "ana@example.org"), kind: .event, at: longAgo, value: 7),
        ])
        let sources = [SourceConfig(name: "git", type: .git)]

        _ = try await CollectionRunner(store: store, sources: sources).run([GitCollector(repository: repository.url)], now: now, timeZone: utc)

        let new: Labels = ["repo": "acme/shop", "source": "git"]
        #expect(try await series(store, "git_commits") == [new.canonical])
        #expect(try await values(store, "git_commits", new).first == 7)
        #expect(try await series(store, "git_author_commits") == [new.setting("author", to: "ana@example.org").canonical])
        #expect(try await store.sourceState(of: "git") == ["series_adopted": "yes", "repo": "acme/shop", "repo_folder": repository.url.path])
    }

    /// With two sources of one type, which of them wrote a series from before the label cannot be told: it stays unlabelled.
    @Test func seriesFromBeforeTheLabelStayWhenTwoSourcesShareTheirType() async throws {
        let repository = try GitRepository(name: "shop")
        try repository.write("app/lcov.info", "SF:a.c\nLF:2\nLH:1\nend_of_record\n")
        let store = try await store()
        try await store.write([Sample("coverage_lines_ratio", ["repo": "shop"], kind: .gauge, unit: .ratio, at: now.subtracting(.days(3)), value: 0.4)])
        let sources = [
            SourceConfig(name: "app-coverage", type: .coverage, options: ["paths": .string("app/lcov.info")]),
            SourceConfig(name: "lib-coverage", type: .coverage, options: ["paths": .string("lib/lcov.info")]),
        ]

        _ = try await CollectionRunner(store: store, sources: sources).run(
            [SourceRegistry.collector(for: sources[0], root: repository.url)], now: now, timeZone: utc)

        #expect(try await series(store, "coverage_lines_ratio") == [#"repo="shop""#, #"repo="shop",source="app-coverage""#])
    }

    /// The same folder labelled differently (a `repo:` option set) moves the source's series; another folder starts new ones.
    @Test func aNewLabelForTheSameFolderMovesTheSeries() async throws {
        let repository = try GitRepository(name: "shop")
        try repository.write("a.c", "// TODO: one\n")
        try repository.commit("start", at: "2026-11-24T10:00:00+00:00")
        let other = try GitRepository(name: "web")
        try other.commit("start", at: "2026-11-24T10:00:00+00:00")
        let store = try await store()
        let runner = CollectionRunner(store: store, sources: [SourceConfig(name: "markers", type: .markers)])
        let todo = { (repo: String) in Labels(["repo": repo, "source": "markers", "kind": "todo"]) }

        _ = try await runner.run([MarkersCollector(repository: repository.url)], now: now, timeZone: utc)
        // Later runs also backfill the day before the last run (2026-11-24, counted at its end), so each run adds that day.
        _ = try await runner.run([MarkersCollector(repository: repository.url, repo: "acme/shop")], now: now.adding(.hours(1)), timeZone: utc)
        #expect(try await values(store, "code_markers", todo("acme/shop")) == [1, 1, 1])
        #expect(try await values(store, "code_markers", todo("shop")).isEmpty)

        _ = try await runner.run([MarkersCollector(repository: other.url)], now: now.adding(.hours(2)), timeZone: utc)
        #expect(try await values(store, "code_markers", todo("acme/shop")) == [1, 1, 1])
        #expect(try await values(store, "code_markers", todo("web")) == [0, 0])
    }

    /// No coverage file where the source looks by default: skipped, no `vitals_source_up`; where the configuration says: failed.
    @Test func aSourceWithoutInputIsSkippedUnlessItsPathsAreConfigured() async throws {
        let repository = try GitRepository(name: "shop")
        let store = try await store()
        let collectors: [any Collector] = [
            CoverageCollector(repository: repository.url), SarifCollector(source: "lint", repository: repository.url, paths: ["lint.sarif"]),
        ]

        let outcomes = try await CollectionRunner(store: store).run(collectors, now: now, timeZone: utc)

        #expect(outcomes.map(\.status) == [.skipped, .failed])
        #expect(outcomes[0].error?.hasPrefix("no input: no coverage file found under ") == true)
        let runs = try await store.jobRuns(source: nil, limit: 10)
        #expect(Set(runs.map { "\($0.source):\($0.status.rawValue)" }) == ["coverage:skipped", "lint:failed"])
        #expect(try await series(store, "vitals_source_up") == [#"source="lint""#])
    }
}
