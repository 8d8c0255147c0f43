import Foundation
import Testing
import VitalsCollectors
import VitalsCore

@Suite struct CoverageCollectorTests {
    let now = Timestamp(seconds: 1_795_600_000)
    var request: CollectionRequest { CollectionRequest(now: now, timeZone: TimeZone(identifier: "UTC")!) }

    func gauge(_ name: String, _ labels: Labels, _ unit: MetricUnit, _ value: Double) -> Sample {
        Sample(name, labels, kind: .gauge, unit: unit, at: now, value: value)
    }

    @Test func readsSwiftPMExportFromItsConventionalPlace() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        // SwiftPM's layout: `.build/debug` is a symbolic link to the triple's folder.
        try repository.place("Coverage/swift-grade.llvm-cov.json", at: ".build/x86_64-unknown-linux-gnu/debug/codecov/Grade.json")
        try repository.link(".build/debug", to: "x86_64-unknown-linux-gnu/debug")

        let samples = try await CoverageCollector(repository: repository.root).collect(request)

        let labels: Labels = ["repo": "shop"]
        #expect(
            samples == [
                gauge("coverage_lines_ratio", labels, .ratio, 51.0 / 205.0),
                gauge("coverage_lines_covered", labels, .count, 51),
                gauge("coverage_lines_valid", labels, .count, 205),
                gauge("coverage_functions_ratio", labels, .ratio, 8.0 / 41.0),
            ])
    }

    @Test func labelsEachFileWhenSeveralMatchTheConfiguredGlobs() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.place("Coverage/coveragepy.lcov", at: "reports/python/lcov.info")
        try repository.place("Coverage/coveragepy.xml", at: "reports/cobertura.xml")
        try repository.place("Coverage/swift-grade.llvm-cov.json", at: "reports/ignored.json")

        let collector = CoverageCollector(repository: repository.root, paths: ["reports/**/*.info", "reports/*.xml"])
        let samples = try await collector.collect(request)

        let xml: Labels = ["repo": "shop", "file": "reports/cobertura.xml"]
        let lcov: Labels = ["repo": "shop", "file": "reports/python/lcov.info"]
        #expect(
            samples == [
                gauge("coverage_lines_ratio", xml, .ratio, 0.75),
                gauge("coverage_lines_covered", xml, .count, 15),
                gauge("coverage_lines_valid", xml, .count, 20),
                gauge("coverage_branches_ratio", xml, .ratio, 0.4),
                gauge("coverage_lines_ratio", lcov, .ratio, 0.75),
                gauge("coverage_lines_covered", lcov, .count, 15),
                gauge("coverage_lines_valid", lcov, .count, 20),
                gauge("coverage_branches_ratio", lcov, .ratio, 0.4),
                gauge("coverage_functions_ratio", lcov, .ratio, 1),
            ])
    }

    @Test func detectsTheFormatByContentNotByName() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        // An lcov tracefile where the conventional Cobertura file would be: only lcov has function totals.
        try repository.place("Coverage/coveragepy.lcov", at: "coverage.xml")

        let samples = try await CoverageCollector(repository: repository.root).collect(request)

        #expect(samples.last == gauge("coverage_functions_ratio", ["repo": "shop"], .ratio, 1))
        #expect(samples.count == 5)
    }

    @Test func configuredSourceKeepsItsNameIntervalAndPaths() {
        let config = SourceConfig(name: "py-coverage", type: .coverage, interval: .minutes(30), options: ["paths": .string("cov.xml")])
        let collector = CoverageCollector(config: config, repository: URL(fileURLWithPath: "/repo"))
        #expect(collector.source == "py-coverage")
        #expect(collector.interval == .minutes(30))
        #expect(collector.paths == ["cov.xml"])
        #expect(collector.family == .quality)
    }

    @Test func noFileInTheDefaultPlacesSkipsTheRunListingThePlacesSearched() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }

        let collector = CoverageCollector(source: "cov", repository: repository.root)
        await #expect(
            throws: CollectionSkipped(
                source: "cov",
                "no input: no coverage file found under \(repository.root.path); searched .build/debug/codecov/*.json, coverage/lcov.info, coverage.xml"
            )
        ) { try await collector.collect(request) }
    }

    @Test func noFileWhereTheConfigurationSaysFailsTheSource() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }

        let collector = CoverageCollector(source: "cov", repository: repository.root, paths: ["app/lcov.info", "lib/*.xml"])
        await #expect(
            throws: CollectorError(source: "cov", "no coverage file found under \(repository.root.path); searched app/lcov.info, lib/*.xml")
        ) { try await collector.collect(request) }
    }

    @Test func aMalformedFileFailsTheSourceNamingTheFile() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.place("Coverage/coveragepy.lcov", at: "coverage/lcov.info")
        try repository.place("Coverage/Malformed/wrong-types.lcov", at: "coverage.xml")

        await #expect(
            throws: CollectorError(source: "coverage", "coverage.xml, line 18: LH: 'ten' is not a count; expected a whole number ≥ 0")
        ) { try await CoverageCollector(repository: repository.root).collect(request) }
    }
}
