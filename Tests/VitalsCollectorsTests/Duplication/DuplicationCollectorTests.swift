import Foundation
import Testing
import VitalsCollectors
import VitalsCore

@Suite struct DuplicationCollectorTests {
    let request = CollectionRequest(now: RFC3339.parse("2026-03-02T12:00:00Z")!, timeZone: .gmt)

    @Test func aJscpdReportGivesItsTotals() throws {
        let totals = try DuplicationCollector.totals(of: try FixtureRepository.data("Duplication/jscpd-report.json"), file: "jscpd-report.json")
        #expect(totals == DuplicationTotals(ratio: 21.0 / 120.0, lines: 21, blocks: 2))
    }

    /// 12 lines in 2 files and 8 lines in 3 files: the copies beyond the first.
    @Test func aCpdReportCountsTheCopiesBeyondTheFirst() throws {
        let totals = try DuplicationCollector.totals(of: try FixtureRepository.data("Duplication/cpd.xml"), file: "cpd.xml")
        #expect(totals == DuplicationTotals(ratio: nil, lines: 12 * 1 + 8 * 2, blocks: 1 + 2))
    }

    @Test func reportsInTheDefaultPlacesAreReadEachWithItsFileLabel() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.place("Duplication/jscpd-report.json", at: "report/jscpd-report.json")
        try repository.place("Duplication/cpd.xml", at: "target/cpd.xml")

        let samples = try await DuplicationCollector(repository: repository.root).collect(request)
        let rows = samples.map { "\($0.series.key.name){file=\($0.series.key.labels["file"] ?? "")} \($0.value)" }
        #expect(
            rows == [
                "duplicated_lines_ratio{file=report/jscpd-report.json} 0.175", "duplicated_lines{file=report/jscpd-report.json} 21.0",
                "duplicated_blocks{file=report/jscpd-report.json} 2.0", "duplicated_lines{file=target/cpd.xml} 28.0",
                "duplicated_blocks{file=target/cpd.xml} 3.0",
            ])
        #expect(samples.allSatisfy { $0.series.key.labels["repo"] == "shop" && $0.timestamp == request.now })
    }

    @Test func oneReportHasNoFileLabel() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.place("Duplication/cpd.xml", at: "build/reports/cpd/cpdCheck.xml")

        let samples = try await DuplicationCollector(repository: repository.root).collect(request)
        #expect(samples.map(\.series.key.labels) == [["repo": "shop"], ["repo": "shop"]])
    }

    @Test func noReportInTheDefaultPlacesSkipsTheRun() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }

        let searched = DuplicationCollector.conventionalPaths.joined(separator: ", ")
        await #expect(
            throws: CollectionSkipped(source: "duplication", "no input: no jscpd or PMD CPD file found under \(repository.root.path); searched \(searched)")
        ) { try await DuplicationCollector(repository: repository.root).collect(request) }
    }

    @Test func noReportWhereTheConfigurationSaysFailsTheSource() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }

        await #expect(
            throws: CollectorError(source: "dup", "no jscpd or PMD CPD file found under \(repository.root.path); searched out/cpd.xml")
        ) { try await DuplicationCollector(source: "dup", repository: repository.root, paths: ["out/cpd.xml"]).collect(request) }
    }

    @Test func aBrokenReportFailsTheSourceNamingTheFileAndPlace() async throws {
        let repository = try FixtureRepository()
        defer { repository.remove() }
        try repository.write(Data("<pmd-cpd>\n<duplication lines=\"3\">\n".utf8), at: "cpd.xml")

        await #expect(
            throws: CollectorError(source: "duplication", "cpd.xml, line 2, column 24: not well-formed XML: the document ends early or has content after its root element where the file ends; is it truncated?")
        ) { try await DuplicationCollector(repository: repository.root).collect(request) }
    }

    static let cpdOccurrence = "<file path=\"A.java\" line=\"1\"/>"

    /// Hostile or broken reports: each an error naming the place and what was expected.
    @Test(arguments: [
        ("", "r: the file is empty; expected a jscpd JSON report or a PMD CPD XML report"),
        ("PK\u{3}\u{4}", "r, byte 0: neither a jscpd JSON report ({...}) nor a PMD CPD XML report (<pmd-cpd>)"),
        ("<coverage/>", "r, line 1, column 10: the root element is <coverage>; expected PMD CPD's <pmd-cpd>"),
        (
            "<pmd-cpd>\n<duplication lines=\"x\">", "r, line 2, column 23: <duplication lines=\"x\">: expected a line count ≥ 1"
        ),
        (
            "<pmd-cpd>\n<duplication lines=\"4\">\(cpdOccurrence)</duplication></pmd-cpd>",
            "r, line 2, column 68: the <duplication> opened on line 2 has 1 <file> occurrence(s); expected at least 2"
        ),
        (
            "<pmd-cpd><duplication lines=\"4\">\n<file line=\"1\"/>", "r, line 2, column 15: <file> of a duplication has no path; expected <file path=\"...\" line=\"...\"/>"
        ),
        ("<?xml version=\"1.0\"?>\n<?cpd?><pmd-cpd/>", "r, line 2: processing instruction '<?cpd?>' has no content, which the XML reader cannot read; remove it"),
        ("{\"statistics\": {\"total\": {\"lines\": 10, \"clones\": 1, \"duplicatedLines\": 4, \"percentage\": \"40\"}}}",
         "r, statistics.total.percentage: expected a number, found another type"),
        ("{\"statistics\": {\"total\": {\"lines\": 10, \"clones\": 1, \"duplicatedLines\": 11, \"percentage\": 40}}}",
         "r, statistics.total.duplicatedLines: 11 duplicated lines of 10 lines; expected no more than the lines read"),
        ("{\"statistics\": {\"total\": {\"lines\": 10, \"clones\": -1, \"duplicatedLines\": 1, \"percentage\": 10}}}",
         "r, statistics.total.clones: expected a count ≥ 0, found -1"),
        ("{\"statistics\": {\"total\": {\"lines\": 10, \"clones\": 1, \"duplicatedLines\": 1, \"percentage\": 1000}}}",
         "r, statistics.total.percentage: expected a percentage from 0 to 100, found 1000.0"),
        ("{\"duplicates\": []}", "r, the top level: the required key 'statistics' is missing"),
    ])
    func aBrokenReportIsAPositionedError(text: String, expected: String) {
        #expect(throws: InputFileError.self) { try DuplicationCollector.totals(of: Data(text.utf8), file: "r") }
        do {
            _ = try DuplicationCollector.totals(of: Data(text.utf8), file: "r")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func aTruncatedReportSaysSo() throws {
        let full = try FixtureRepository.data("Duplication/cpd.xml")
        let cut = full.prefix(full.count / 2)
        do {
            _ = try DuplicationCollector.totals(of: Data(cut), file: "cpd.xml")
            Issue.record("a truncated report was read")
        } catch {
            #expect(error.description.hasSuffix("is it truncated?"))
        }
        let json = try FixtureRepository.data("Duplication/jscpd-report.json")
        do {
            _ = try DuplicationCollector.totals(of: Data(json.prefix(json.count / 2)), file: "jscpd.json")
            Issue.record("a truncated report was read")
        } catch {
            #expect(error.description.hasPrefix("jscpd.json"))
            #expect(error.description.contains("not valid JSON"))
        }
    }
}
