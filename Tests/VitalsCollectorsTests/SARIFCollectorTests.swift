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
            ] + topRules)
    }

    /// The ten rules with most findings over the three logs: js/xss 3; then the rules with 2 by id (FF1013 before the `js/`
    /// ids, byte order); then the first four of the rules with 1. Each with its tool and, where the log has them, severity
    /// and short description (cut to 100 characters).
    var topRules: [Sample] {
        func rule(_ id: String, _ tool: String, _ value: Double, severity: String? = nil, _ description: String? = nil) -> Sample {
            var labels: Labels = ["repo": "api", "rule": id, "tool": tool]
            if let severity { labels = labels.setting("severity", to: severity) }
            if let description { labels = labels.setting("description", to: description) }
            return count("security_rule_findings", labels, value)
        }
        return [
            rule("js/xss", "CodeQL", 3, severity: "medium", "Cross-site scripting"),
            rule(
                "FF1013", "Flawfinder", 2,
                "Statically-sized arrays can be improperly restricted, leading to potential overflows or other issue…"),
            rule("js/hardcoded-credentials", "CodeQL", 2, severity: "critical", "Hard-coded credentials"),
            rule("js/sql-injection", "CodeQL", 2, severity: "high", "Database query built from user-controlled sources"),
            rule("B101", "Bandit", 1), rule("B105", "Bandit", 1), rule("B301", "Bandit", 1), rule("B307", "Bandit", 1),
            rule("B403", "Bandit", 1), rule("B404", "Bandit", 1),
        ]
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
            ] + ["B101", "B105", "B301", "B307", "B403", "B404", "B602"].map { #"security_rule_findings{repo="api",rule="\#($0)",tool="Bandit"}"# })
        #expect(samples.map(\.value) == [1, 2, 4, 0, 0, 0] + Array(repeating: 1, count: 7))
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
