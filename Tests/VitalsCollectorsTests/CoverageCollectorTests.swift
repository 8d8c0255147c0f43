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

    /// Where `Coverage/swiftpm-tally.llvm-cov.json` was made (Fixtures/README.md).
    static let tallyFolder = "/tmp/vitals-fixture/tally"

    /// The package's own file only, as `llvm-cov report … Sources/Tally/Tally.swift` prints it: lines 24 (4 missed,
    /// 83.33%), functions 12 (3 missed, 75.00%). The export's own totals (215 lines, 29.30%) include SwiftPM's generated
    /// test runner under `.build/` and the test file.
    @Test func readsSwiftPMExportFromItsConventionalPlaceCountingTheProjectsOwnFiles() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        // SwiftPM's layout: `.build/debug` is a symbolic link to the triple's folder.
        try repository.placeExport(
            "Coverage/swiftpm-tally.llvm-cov.json", madeIn: Self.tallyFolder, at: ".build/x86_64-unknown-linux-gnu/debug/codecov/Tally.json")
        try repository.link(".build/debug", to: "x86_64-unknown-linux-gnu/debug")

        let samples = try await CoverageCollector(repository: repository.root).collect(request)

        let labels: Labels = ["repo": "shop"]
        let tally = labels.setting("path", to: "Sources/Tally/Tally.swift")
        #expect(
            samples == [
                gauge("coverage_lines_ratio", labels, .ratio, 20.0 / 24.0),
                gauge("coverage_lines_covered", labels, .count, 20),
                gauge("coverage_lines_valid", labels, .count, 24),
                gauge("coverage_functions_ratio", labels, .ratio, 9.0 / 12.0),
                gauge("coverage_file_lines_missed", tally, .count, 4),
                gauge("coverage_file_lines_valid", tally, .count, 24),
            ])
        #expect(String(format: "%.2f %.2f", 20.0 / 24.0 * 100, 9.0 / 12.0 * 100) == "83.33 75.00")
    }

    static let filterCases: [([String: ConfigValue], CoverageTotals)] = [
        // Everything under the root: llvm-cov's TOTAL row, 63 of 215 lines, 15 of 50 functions.
        (["exclude": .list([])], CoverageTotals(lines: .init(covered: 63, total: 215), functions: .init(covered: 15, total: 50))),
        (
            ["include": .list(["Tests"]), "exclude": .list([])],
            CoverageTotals(lines: .init(covered: 10, total: 10), functions: .init(covered: 2, total: 2))
        ),
        (
            ["include": .list(["**/*.swift"]), "exclude": .string(".build")],
            CoverageTotals(lines: .init(covered: 30, total: 34), functions: .init(covered: 11, total: 14))
        ),
        (
            ["exclude": .list(["Tests/**", "**/.build"])],
            CoverageTotals(lines: .init(covered: 20, total: 24), functions: .init(covered: 9, total: 12))
        ),
    ]

    @Test(arguments: filterCases)
    func includeAndExcludeChooseTheExportsFiles(options: [String: ConfigValue], expected: CoverageTotals) async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.placeExport("Coverage/swiftpm-tally.llvm-cov.json", madeIn: Self.tallyFolder, at: "Tally.json")
        let config = SourceConfig(name: "coverage", type: .coverage, options: options.merging(["paths": .string("Tally.json")]) { old, _ in old })

        let samples = try await CoverageCollector(config: config, repository: repository.root).collect(request)

        let labels: Labels = ["repo": "shop"]
        #expect(
            samples.first { $0.series.key.name == "coverage_lines_covered" }
                == gauge("coverage_lines_covered", labels, .count, Double(expected.lines.covered)))
        #expect(
            samples.first { $0.series.key.name == "coverage_lines_valid" }
                == gauge("coverage_lines_valid", labels, .count, Double(expected.lines.total)))
        #expect(
            samples.first { $0.series.key.name == "coverage_functions_ratio" }
                == gauge("coverage_functions_ratio", labels, .ratio, try #require(expected.functions?.ratio)))
    }

    /// coverage.py measured `shipping.py` (15 lines, 10 covered, 4 of 10 branches, 2 of 2 functions) and its test file
    /// `test_shipping.py` (5 of 5 lines, 2 of 2 functions).
    @Test(arguments: ["Coverage/coveragepy.lcov", "Coverage/coveragepy.xml"])
    func configuredPatternsChooseTheFilesOfLcovAndCoberturaToo(fixture: String) async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.place(fixture, at: "report")
        func collect(_ options: [String: ConfigValue]) async throws -> [Sample] {
            let config = SourceConfig(name: "coverage", type: .coverage, options: options.merging(["paths": .string("report")]) { old, _ in old })
            return try await CoverageCollector(config: config, repository: repository.root).collect(request)
        }
        func lines(_ samples: [Sample]) -> [Double] {
            samples.filter { $0.series.key.name == "coverage_lines_covered" || $0.series.key.name == "coverage_lines_valid" }.map(\.value)
        }

        // Without include or exclude, every file the tool measured.
        #expect(lines(try await collect([:])) == [15, 20])
        #expect(lines(try await collect(["exclude": .string("test_*.py")])) == [10, 15])
        #expect(lines(try await collect(["include": .list(["shipping.py"])])) == [10, 15])
        let error = try await #require(throws: CollectorError.self) { try await collect(["include": .string("src")]) }
        #expect(
            error.message
                == "report: none of its 2 files counts: 0 are outside \(repository.root.path), 2 are left out by include src; "
                + "exclude **/.build, **/Tests, **/*Tests.swift; set the source's include and exclude options to choose the files")
    }

    @Test func anExportWithNoFileOfTheProjectFailsSayingWhy() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        // Made in another folder (another machine's CI), so every path is outside this repository.
        try repository.place("Coverage/swiftpm-tally.llvm-cov.json", at: ".build/debug/codecov/Tally.json")

        let error = try await #require(throws: CollectorError.self) { try await CoverageCollector(repository: repository.root).collect(request) }
        #expect(
            error.message
                == ".build/debug/codecov/Tally.json: none of its 4 files counts: 4 are outside \(repository.root.path), 0 are left out by "
                + "exclude **/.build, **/Tests, **/*Tests.swift; set the source's include and exclude options to choose the files")
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
                gauge("coverage_file_lines_missed", xml.setting("path", to: "shipping.py"), .count, 5),
                gauge("coverage_file_lines_valid", xml.setting("path", to: "shipping.py"), .count, 15),
                gauge("coverage_lines_ratio", lcov, .ratio, 0.75),
                gauge("coverage_lines_covered", lcov, .count, 15),
                gauge("coverage_lines_valid", lcov, .count, 20),
                gauge("coverage_branches_ratio", lcov, .ratio, 0.4),
                gauge("coverage_functions_ratio", lcov, .ratio, 1),
                gauge("coverage_file_lines_missed", lcov.setting("path", to: "shipping.py"), .count, 5),
                gauge("coverage_file_lines_valid", lcov.setting("path", to: "shipping.py"), .count, 15),
            ])
    }

    @Test func detectsTheFormatByContentNotByName() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        // An lcov tracefile where the conventional Cobertura file would be: only lcov has function totals.
        try repository.place("Coverage/coveragepy.lcov", at: "coverage.xml")

        let samples = try await CoverageCollector(repository: repository.root).collect(request)

        #expect(samples.contains(gauge("coverage_functions_ratio", ["repo": "shop"], .ratio, 1)))
        #expect(samples.count == 5 + 2)
    }

    /// coverage.py on the package `store/` (Fixtures/README.md): `coverage report` lists export.py 7 statements, 7 missed;
    /// stock.py 8, 5; cart.py 13, 5; fees.py 4, 1; tax.py 4, 1; `__init__.py` 0. Most uncovered lines first; stock.py (37.5%)
    /// before cart.py (61.5%), which miss as many; fees.py before tax.py, which tie on both, by path. No sample for the empty
    /// `__init__.py`, which has nothing to cover.
    @Test(arguments: ["Coverage/coveragepy-store.lcov", "Coverage/coveragepy-store.xml"])
    func writesTheLeastCoveredFilesMostUncoveredLinesFirst(fixture: String) async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.place(fixture, at: "coverage/report")

        let samples = try await CoverageCollector(repository: repository.root, paths: ["coverage/report"]).collect(request)

        var expected: [Sample] = []
        for (path, missed, valid) in [("store/export.py", 7.0, 7.0), ("store/stock.py", 5, 8), ("store/cart.py", 5, 13), ("store/fees.py", 1, 4), ("store/tax.py", 1, 4)] {
            let labels: Labels = ["repo": "shop", "path": path]
            expected += [gauge("coverage_file_lines_missed", labels, .count, missed), gauge("coverage_file_lines_valid", labels, .count, valid)]
        }
        #expect(samples.filter { $0.series.key.name.hasPrefix("coverage_file_") } == expected)
        #expect(samples.first == gauge("coverage_lines_ratio", ["repo": "shop"], .ratio, 17.0 / 36.0))
    }

    /// Only the ``CoverageCollector/leastCoveredLimit`` files with most uncovered lines are written, whatever the report's size.
    @Test func writesNoMoreThanTheLimitOfFiles() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        // File i has i + 1 uncovered lines of 30, and one fully covered file.
        var lcov = (0..<25).map { index in
            "SF:src/f\(index).c\n" + (1...30).map { "DA:\($0),\($0 <= index + 1 ? 0 : 1)\n" }.joined() + "end_of_record\n"
        }.joined()
        lcov += "SF:src/done.c\nDA:1,1\nend_of_record\n"
        try repository.write(Data(lcov.utf8), at: "coverage/lcov.info")

        let samples = try await CoverageCollector(repository: repository.root).collect(request)

        let files = samples.filter { $0.series.key.name == "coverage_file_lines_missed" }
        #expect(CoverageCollector.leastCoveredLimit == 10)
        #expect(files.map { $0.series.key.labels["path"] } == (15..<25).reversed().map { "src/f\($0).c" })
        #expect(files.map(\.value) == (15..<25).reversed().map { Double($0 + 1) })
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

@Suite struct LargeCoberturaTests {
    /// 1,500 classes of 300 lines (line i hit unless i is a multiple of 3) and 3 methods each: one whose line ran, one with
    /// no lines but `line-rate="0.5"`, one that never ran. About 15 MB: more than libxml2's 10 MB default limits.
    static func report(classes: Int = 1500, lines: Int = 300) -> Data {
        var xml = Data(
            #"<?xml version="1.0" ?>\#n<coverage line-rate="0.6667" lines-covered="1" lines-valid="1" version="1">\#n<packages><package name="p"><classes>\#n"#
                .utf8)
        for index in 0..<classes {
            xml.append(contentsOf: #"<class name="C\#(index)" filename="src/c\#(index).py" line-rate="0.6667">\#n<methods>\#n"#.utf8)
            xml.append(contentsOf: #"<method name="run" signature="()" line-rate="1"><lines><line number="1" hits="4"/></lines></method>\#n"#.utf8)
            xml.append(contentsOf: #"<method name="lazy" signature="()" line-rate="0.5"/>\#n"#.utf8)
            xml.append(contentsOf: #"<method name="never" signature="(x)" line-rate="0"><lines><line number="3" hits="0"/></lines></method>\#n"#.utf8)
            xml.append(contentsOf: "</methods>\n<lines>\n".utf8)
            for line in 1...lines {
                xml.append(contentsOf: #"    <line number="\#(line)" hits="\#(line % 3 == 0 ? 0 : 2)"/>\#n"#.utf8)
            }
            xml.append(contentsOf: "</lines>\n</class>\n".utf8)
        }
        xml.append(contentsOf: "</classes></package></packages>\n</coverage>\n".utf8)
        return xml
    }

    @Test func aReportOverTenMegabytesIsReadFromTheFile() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        let data = Self.report()
        #expect(data.count > 12_000_000)
        try repository.write(data, at: "coverage.xml")
        let now = Timestamp(seconds: 1_795_600_000)

        let samples = try await CoverageCollector(repository: repository.root).collect(CollectionRequest(now: now, timeZone: .gmt))

        let labels: Labels = ["repo": "shop"]
        #expect(
            samples.prefix(4) == [
                Sample("coverage_lines_ratio", labels, kind: .gauge, unit: .ratio, at: now, value: 300_000.0 / 450_000.0),
                Sample("coverage_lines_covered", labels, kind: .gauge, unit: .count, at: now, value: 300_000),
                Sample("coverage_lines_valid", labels, kind: .gauge, unit: .count, at: now, value: 450_000),
                Sample("coverage_functions_ratio", labels, kind: .gauge, unit: .ratio, at: now, value: 2.0 / 3.0),
            ])
        // Every class misses 100 of 300 lines: the first ten paths in byte order.
        let paths = (0..<1500).map { "src/c\($0).py" }.sorted().prefix(10)
        #expect(samples.dropFirst(4).compactMap { $0.series.key.labels["path"] } == paths.flatMap { [$0, $0] })
        #expect(samples.dropFirst(4).map(\.value) == Array(repeating: [100.0, 300], count: 10).flatMap { $0 })
    }
}
