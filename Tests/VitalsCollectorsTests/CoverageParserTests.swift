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
        #expect(totals == CoverageTotals(lines: Count(covered: 3, total: 5), branches: Count(covered: 5, total: 6)))
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
            InputFileError(file: "f", at: .path("data[0].totals.lines.count"), "expected a whole number, found another type")
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

    @Test func otherXMLIsNotTakenForCobertura() throws {
        let clover = #"<?xml version="1.0"?><coverage generated="1" clover="4.4"><project/></coverage>"#
        #expect(
            throws: InputFileError(
                file: "clover.xml", at: .line(1, column: 58),
                "the root element is <coverage> without line-rate; expected Cobertura's <coverage line-rate=...>")
        ) { try CoverageCollector.totals(of: Data(clover.utf8), file: "clover.xml") }
    }
}
