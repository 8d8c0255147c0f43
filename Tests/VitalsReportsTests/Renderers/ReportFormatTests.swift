import Testing
import VitalsReports

@Suite struct ReportFormatTests {
    @Test func parsesKnownFormats() throws {
        #expect(try ReportFormat(parsing: "md") == .md)
        #expect(try ReportFormat(parsing: "json") == .json)
        #expect(ReportFormat.md.renderer is MarkdownRenderer)
        #expect(ReportFormat.json.renderer is JSONRenderer)
    }

    @Test func anUnknownFormatListsTheAllowedOnes() {
        #expect(throws: ReportFormatError(value: "html")) { try ReportFormat(parsing: "html") }
        #expect(ReportFormatError(value: "html").description == "unknown report format 'html'; allowed: md, json")
    }
}
