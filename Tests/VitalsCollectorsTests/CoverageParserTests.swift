import Foundation
import Testing
import VitalsCollectors

/// The totals each parser reads from files written by the real tools, compared with what those tools report
/// (the numbers are recorded in Fixtures/README.md).
@Suite struct CoverageParserTests {
    typealias Count = CoverageTotals.Count

    @Test func llvmCovExportFromSwiftTestMatchesLlvmCovReport() throws {
        let totals = try CoverageCollector.totals(of: try FixtureRepository.data("Coverage/swift-grade.llvm-cov.json"), file: "Grade.json")
        #expect(totals == CoverageTotals(lines: Count(covered: 51, total: 205), branches: nil, functions: Count(covered: 8, total: 41)))
        // llvm-cov report prints 24.88% lines and 19.51% functions.
        #expect(try #require(totals.lines.ratio) == 51.0 / 205.0)
        #expect(String(format: "%.2f", try #require(totals.functions?.ratio) * 100) == "19.51")
    }

    @Test func lcovFromCoveragePySumsRecords() throws {
        let totals = try CoverageCollector.totals(of: try FixtureRepository.data("Coverage/coveragepy.lcov"), file: "coverage.lcov")
        #expect(
            totals
                == CoverageTotals(
                    lines: Count(covered: 15, total: 20), branches: Count(covered: 4, total: 10), functions: Count(covered: 4, total: 4)))
    }

    /// coverage.py writes `SF:` then `end_of_record` for an empty `__init__.py`; `coverage json` says 8 of 13
    /// statements, 3 of 8 branches; the lcov file's own FNH/FNF say 1 of 2 functions.
    @Test func lcovFromCoveragePyPackageWithEmptyInitCountsItAsZeroLines() throws {
        let totals = try CoverageCollector.totals(of: try FixtureRepository.data("Coverage/coveragepy-package.lcov"), file: "coverage.lcov")
        #expect(
            totals
                == CoverageTotals(
                    lines: Count(covered: 8, total: 13), branches: Count(covered: 3, total: 8), functions: Count(covered: 1, total: 2)))
    }

    /// geninfo 1.16 (Debian 12's lcov) writes detail records only, no LF/LH, FNF/FNH or BRF/BRH lines; `lcov --summary
    /// --rc lcov_branch_coverage=1` prints lines 9 of 13, functions 3 of 4, branches 4 of 8.
    @Test func lcovFromGeninfoWithoutSummaryLinesCountsItsDetailRecords() throws {
        let totals = try CoverageCollector.totals(of: try FixtureRepository.data("Coverage/geninfo-clamp.info"), file: "clamp.info")
        #expect(
            totals
                == CoverageTotals(
                    lines: Count(covered: 9, total: 13), branches: Count(covered: 4, total: 8), functions: Count(covered: 3, total: 4)))
    }

    @Test func lcovRecordsOfOneFileMergeAsLcovMergesThem() throws {
        let text = """
            TN:unit
            SF:a.c
            FN:1,f
            FNDA:0,f
            DA:1,0
            DA:2,1
            BRDA:2,0,0,0
            BRDA:2,0,1,-
            end_of_record
            TN:integration
            SF:a.c
            FN:1,f
            FNDA:3,f
            DA:1,2
            DA:2,0
            BRDA:2,0,0,0
            BRDA:2,0,1,1
            end_of_record
            SF:b.c
            LF:10
            LH:4
            end_of_record
            """
        let report = try CoverageCollector.report(of: Data(text.utf8), file: "merged.info")
        // a.c: 2 lines, both run in one test or the other; f ran; one of two branches taken. b.c: its summary, 4 of 10.
        #expect(
            report.totals
                == CoverageTotals(
                    lines: Count(covered: 6, total: 12), branches: Count(covered: 1, total: 2), functions: Count(covered: 1, total: 1)))
        #expect(report.files == ["a.c": Count(covered: 2, total: 2), "b.c": Count(covered: 4, total: 10)])
    }

    /// Each format's lines per source file, which add up to its line totals; a file with nothing to cover (coverage.py's
    /// empty `__init__.py`) has none. llvm-cov's are its files' `summary.lines` (Fixtures/README.md lists them).
    @Test(arguments: [
        ("Coverage/coveragepy-package.lcov", ["parcels/rates.py": Count(covered: 8, total: 13)]),
        ("Coverage/coveragepy-package.xml", ["parcels/rates.py": Count(covered: 8, total: 13)]),
        ("Coverage/geninfo-clamp.info", ["/tmp/vitals-fixture/clamp/clamp.c": Count(covered: 9, total: 13)]),
        (
            "Coverage/swift-grade.llvm-cov.json",
            [
                "/tmp/fx/swiftcov/.build/x86_64-unknown-linux-gnu/debug/GradePackageDiscoveredTests.derived/all-discovered-tests.swift":
                    Count(covered: 7, total: 7),
                "/tmp/fx/swiftcov/.build/x86_64-unknown-linux-gnu/debug/GradePackageTests.derived/runner.swift": Count(covered: 26, total: 174),
                "/tmp/fx/swiftcov/Sources/Grade/Grade.swift": Count(covered: 11, total: 17),
                "/tmp/fx/swiftcov/Tests/GradeTests/GradeTests.swift": Count(covered: 7, total: 7),
            ]
        ),
    ])
    func everyFormatCountsTheLinesOfEachFile(fixture: String, files: [String: Count]) throws {
        let report = try CoverageCollector.report(of: try FixtureRepository.data(fixture), file: "report")
        #expect(report.files == files)
        #expect(report.files.values.reduce(Count(covered: 0, total: 0)) { Count(covered: $0.covered + $1.covered, total: $0.total + $1.total) } == report.totals.lines)
    }

    @Test func coberturaFromCoveragePyPackageMatchesCoverageJSON() throws {
        let totals = try CoverageCollector.totals(of: try FixtureRepository.data("Coverage/coveragepy-package.xml"), file: "coverage.xml")
        #expect(totals == CoverageTotals(lines: Count(covered: 8, total: 13), branches: Count(covered: 3, total: 8), functions: nil))
    }

    @Test(arguments: [
        (
            "SF:a.py\nLF:2\nLH:3\nend_of_record\n",
            InputFileError(
                file: "f", at: .line(3), "LH:3 is more than LF:2 in the record for 'a.py' (from line 1); expected LH ≤ LF")
        ),
        (
            "SF:a.py\nLF:2\nLH:1\nend_of_record\nSF:b.py\nBRH:1\nend_of_record\n",
            InputFileError(
                file: "f", at: .line(6), "BRH:1 is more than BRF:0 in the record for 'b.py' (from line 5); expected BRH ≤ BRF")
        ),
        (
            "SF:a.py\nFNF:1\nFNH:2\nLF:0\nLH:0\nend_of_record\n",
            InputFileError(
                file: "f", at: .line(3), "FNH:2 is more than FNF:1 in the record for 'a.py' (from line 1); expected FNH ≤ FNF")
        ),
    ])
    func lcovRecordWithMoreHitThanFoundIsAnError(text: String, expected: InputFileError) {
        #expect(throws: expected) { try CoverageCollector.totals(of: Data(text.utf8), file: "f") }
    }

    @Test func coberturaFromCoveragePyEqualsItsRootAttributes() throws {
        let totals = try CoverageCollector.totals(of: try FixtureRepository.data("Coverage/coveragepy.xml"), file: "coverage.xml")
        #expect(totals == CoverageTotals(lines: Count(covered: 15, total: 20), branches: Count(covered: 4, total: 10), functions: nil))
        // The root element says line-rate="0.75" branch-rate="0.4".
        #expect(totals.lines.ratio == 0.75)
        #expect(totals.branches?.ratio == 0.4)
    }

    @Test func coberturaCountsEachDistinctLineOnce() throws {
        // A file split over two classes, with method lines repeating class lines, as JaCoCo-converted reports have.
        let xml = """
            <?xml version="1.0" ?>
            <coverage line-rate="0.5" lines-covered="99" lines-valid="99">
              <packages><package name="p"><classes>
                <class name="A" filename="src/A.java">
                  <methods><method name="run"><lines>
                    <line number="1" hits="0"/>
                    <line number="2" hits="3" branch="true" condition-coverage="50% (1/2)"/>
                  </lines></method></methods>
                  <lines>
                    <line number="1" hits="0"/>
                    <line number="2" hits="3" branch="true" condition-coverage="50% (1/2)"/>
                    <line number="3" hits="0"/>
                  </lines>
                </class>
                <class name="A$Inner" filename="src/A.java">
                  <lines><line number="3" hits="2"/><line number="4" hits="0"/></lines>
                </class>
                <class name="B" filename="src/B.java">
                  <lines><line number="1" hits="1" branch="true" condition-coverage="100% (4/4)"/></lines>
                </class>
              </classes></package></packages>
            </coverage>
            """
        let totals = try CoverageCollector.totals(of: Data(xml.utf8), file: "coverage.xml")
        // The one method ran (its line 2 has hits).
        #expect(
            totals
                == CoverageTotals(lines: Count(covered: 3, total: 5), branches: Count(covered: 5, total: 6), functions: Count(covered: 1, total: 1)))
    }

    @Test func coberturaMethodsCountOncePerFileClassNameAndSignature() throws {
        let xml = """
            <?xml version="1.0" ?>
            <coverage line-rate="0.5">
              <packages><package name="p"><classes>
                <class name="A" filename="a.js">
                  <methods>
                    <method name="f" signature="()" line-rate="0"><lines><line number="1" hits="0"/></lines></method>
                    <method name="f" signature="(x)" line-rate="0"><lines><line number="5" hits="0"/></lines></method>
                    <method name="g" signature="()" line-rate="0.25"/>
                    <method name="h" signature="()" line-rate="0"/>
                  </methods>
                  <lines><line number="1" hits="0"/><line number="5" hits="0"/></lines>
                </class>
                <class name="A" filename="a.js">
                  <methods><method name="f" signature="()" line-rate="1"><lines><line number="1" hits="2"/></lines></method></methods>
                  <lines><line number="1" hits="2"/></lines>
                </class>
              </classes></package></packages>
            </coverage>
            """
        let totals = try CoverageCollector.totals(of: Data(xml.utf8), file: "coverage.xml")
        // f() ran in the second listing, f(x) never, g has no lines but a line-rate above 0, h neither.
        #expect(totals == CoverageTotals(lines: Count(covered: 1, total: 2), branches: nil, functions: Count(covered: 2, total: 4)))
    }

    @Test func coberturaCutAfterACompleteElementIsTruncated() throws {
        let whole = String(decoding: try FixtureRepository.data("Coverage/coveragepy-package.xml"), as: UTF8.self)
        let cut = whole.components(separatedBy: "\n").prefix(14).joined(separator: "\n") + "\n"
        #expect(cut.hasSuffix("</class>\n") || cut.hasSuffix(">\n"))
        let error = try #require(throws: InputFileError.self) { try CoverageCollector.totals(of: Data(cut.utf8), file: "f") }
        #expect(error.message.hasSuffix("is it truncated?"))
    }

    @Test(arguments: [
        (
            "Coverage/Malformed/truncated.lcov",
            InputFileError(
                file: "f", at: .line(21), "the record for 'shipping.py' (from line 1) has no end_of_record; is the file truncated?")
        ),
        (
            "Coverage/Malformed/wrong-types.lcov",
            InputFileError(file: "f", at: .line(18), "LH: 'ten' is not a count; expected a whole number ≥ 0")
        ),
        (
            "Coverage/Malformed/truncated.xml",
            InputFileError(
                file: "f", at: .line(23, column: 27),
                "not well-formed XML: an attribute is incomplete; expected name=\"value\" where the file ends; is it truncated?")
        ),
        (
            "Coverage/Malformed/wrong-types.xml",
            InputFileError(file: "f", at: .line(17, column: 35), "<line number=\"4\" hits=\"many\">: expected a hit count ≥ 0")
        ),
        (
            "Coverage/Malformed/truncated.json",
            InputFileError(file: "f", "not valid JSON: Unexpected end of file during JSON parse. (is the file truncated?)")
        ),
        (
            "Coverage/Malformed/wrong-types.json",
            InputFileError(file: "f", at: .path("data[0].files[2].summary.lines.count"), "expected a whole number, found another type")
        ),
        (
            "Coverage/Malformed/empty.info",
            InputFileError(file: "f", "the file is empty; expected an lcov tracefile, Cobertura XML or llvm-cov export JSON")
        ),
        (
            "Coverage/Malformed/unknown-format.txt",
            InputFileError(
                file: "f", at: .line(1),
                "unknown format starting 'Name      Stmts   Miss  Cover'; expected an lcov tracefile, Cobertura XML or llvm-cov export JSON")
        ),
    ])
    func malformedFileSaysWhereAndWhat(fixture: String, expected: InputFileError) throws {
        let data = try FixtureRepository.data(fixture)
        #expect(throws: expected) { try CoverageCollector.totals(of: data, file: "f") }
    }

    @Test func llvmCovFileSummaryWithMoreCoveredThanCountIsAnError() {
        let json = """
            {"type": "llvm.coverage.json.export", "version": "3.0.1", "data": [{"files": [
              {"filename": "/r/a.swift", "summary": {"lines": {"count": 4, "covered": 4}, "functions": {"count": 1, "covered": 1}}},
              {"filename": "/r/b.swift", "summary": {"lines": {"count": 4, "covered": 2}, "functions": {"count": 1, "covered": 2}}}
            ], "totals": {}}]}
            """
        #expect(
            throws: InputFileError(
                file: "f", at: .path("data[0].files[1].summary.functions"), "covered 2 of count 1; expected 0 ≤ covered ≤ count")
        ) { try CoverageCollector.totals(of: Data(json.utf8), file: "f") }
    }

    @Test func llvmCovTotalsAreTheSumsOfTheFilesCounted() throws {
        let data = try FixtureRepository.data("Coverage/swiftpm-tally.llvm-cov.json")
        let all = try CoverageCollector.totals(of: data, file: "Tally.json")
        // The export's own totals, and llvm-cov report's TOTAL row over all four files.
        #expect(all == CoverageTotals(lines: Count(covered: 63, total: 215), branches: nil, functions: Count(covered: 15, total: 50)))
        let own = try CoverageCollector.totals(
            of: data, file: "Tally.json", project: ProjectFiles(root: URL(fileURLWithPath: "/tmp/vitals-fixture/tally")))
        // llvm-cov report … Sources/Tally/Tally.swift: Lines 24, 4 missed; Functions 12, 3 missed.
        #expect(own == CoverageTotals(lines: Count(covered: 20, total: 24), branches: nil, functions: Count(covered: 9, total: 12)))
    }

    @Test func otherXMLIsNotTakenForCobertura() throws {
        let clover = #"<?xml version="1.0"?><coverage generated="1" clover="4.4"><project/></coverage>"#
        #expect(
            throws: InputFileError(
                file: "clover.xml", at: .line(1, column: 58),
                "the root element is <coverage> without line-rate; expected Cobertura's <coverage line-rate=...>")
        ) { try CoverageCollector.totals(of: Data(clover.utf8), file: "clover.xml") }
    }
}
