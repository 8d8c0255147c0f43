import Foundation
import Testing
import VitalsCollectors
import VitalsCore

@Suite struct SARIFCollectorTests {
    let now = Timestamp(seconds: 1_795_600_000)
    var request: CollectionRequest { CollectionRequest(now: now, timeZone: TimeZone(identifier: "UTC")!) }

    func count(_ name: String, _ labels: Labels, _ value: Double) -> Sample {
        Sample(name, labels, kind: .gauge, unit: .count, at: now, value: value)
    }

    @Test func sumsTheLogsInTheConventionalPlacesOnly() async throws {
        let repository = try FixtureRepository(name: "api")
        defer { repository.remove() }
        try repository.place("SARIF/flawfinder.sarif", at: "flawfinder.sarif")
        try repository.place("SARIF/bandit.sarif", at: "sarif/python/bandit.sarif")
        try repository.place("SARIF/codeql-shaped.sarif", at: "sarif/codeql.sarif")
        try repository.place("SARIF/flawfinder.sarif", at: ".build/checkouts/dependency/flawfinder.sarif")
        try repository.place("SARIF/Malformed/truncated.sarif", at: "Tests/Fixtures/truncated.sarif")

        let samples = try await SarifCollector(repository: repository.root).collect(request)

        func labels(_ name: String, _ value: String) -> Labels { ["repo": "api", name: value] }
        #expect(
            samples == [
                count("security_findings", labels("level", "error"), 3 + 1 + 5),
                count("security_findings", labels("level", "warning"), 0 + 2 + 2),
                count("security_findings", labels("level", "note"), 2 + 4 + 2),
                count("security_findings", labels("severity", "critical"), 2),
                count("security_findings", labels("severity", "high"), 2),
                count("security_findings", labels("severity", "medium"), 3),
                count("security_findings", labels("severity", "low"), 1),
                count("security_findings_new", labels("level", "error"), 2),
                count("security_findings_new", labels("level", "warning"), 1),
                count("security_findings_new", labels("level", "note"), 2),
            ])
    }

    @Test func configuredPathsReadOnlyThoseFilesAndEmitEveryLevel() async throws {
        let repository = try FixtureRepository(name: "api")
        defer { repository.remove() }
        try repository.place("SARIF/bandit.sarif", at: "reports/bandit.json")
        try repository.place("SARIF/codeql-shaped.sarif", at: "codeql.sarif")

        let samples = try await SarifCollector(source: "bandit", repository: repository.root, paths: ["reports/*.json"]).collect(request)

        #expect(
            samples.map(\.series.key.description) == [
                #"security_findings{level="error",repo="api"}"#, #"security_findings{level="warning",repo="api"}"#,
                #"security_findings{level="note",repo="api"}"#, #"security_findings_new{level="error",repo="api"}"#,
                #"security_findings_new{level="warning",repo="api"}"#, #"security_findings_new{level="note",repo="api"}"#,
            ])
        #expect(samples.map(\.value) == [1, 2, 4, 0, 0, 0])
    }

    @Test func configuredSourceKeepsItsNameIntervalAndPaths() {
        let config = SourceConfig(name: "codeql", type: .sarif, options: ["paths": .list(["a.sarif", "b/*.sarif"])])
        let collector = SarifCollector(config: config, repository: URL(fileURLWithPath: "/repo"))
        #expect(collector.source == "codeql")
        #expect(collector.interval == .hours(1))
        #expect(collector.paths == ["a.sarif", "b/*.sarif"])
    }

    @Test func noFileInTheDefaultPlacesSkipsTheRunListingThePlacesSearched() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.place("SARIF/bandit.sarif", at: ".build/bandit.sarif")

        await #expect(
            throws: CollectionSkipped(
                source: "sarif", "no input: no SARIF file found under \(repository.root.path); searched *.sarif, sarif/**/*.sarif")
        ) { try await SarifCollector(repository: repository.root).collect(request) }
    }

    @Test func noFileWhereTheConfigurationSaysFailsTheSource() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }

        await #expect(
            throws: CollectorError(source: "sarif", "no SARIF file found under \(repository.root.path); searched build/lint.sarif")
        ) { try await SarifCollector(repository: repository.root, paths: ["build/lint.sarif"]).collect(request) }
    }

    @Test func aMalformedLogFailsTheSourceNamingTheFile() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.place("SARIF/bandit.sarif", at: "a.sarif")
        try repository.place("SARIF/Malformed/wrong-version.sarif", at: "sarif/b.sarif")

        await #expect(
            throws: CollectorError(source: "sarif", "sarif/b.sarif, version: '2.0.0' is not supported; expected '2.1.0'")
        ) { try await SarifCollector(repository: repository.root).collect(request) }
    }
}
