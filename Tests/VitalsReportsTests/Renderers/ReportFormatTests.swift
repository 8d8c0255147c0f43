import Testing
import VitalsReports

@Suite struct ReportFormatTests {
    @Test func parsesKnownFormats() throws {
        #expect(try ReportFormat(parsing: "md") == .md)
        #expect(try ReportFormat(parsing: "json") == .json)
        #expect(ReportFormat.md.renderer is MarkdownRenderer)
        #expect(ReportFormat.slack.renderer == nil)
        #expect(ReportFormat.slack.fileExtension == "slack.json")
        #expect(ReportFormat.html.digestRenderer is HTMLRenderer)
        #expect(ReportFormat.json.renderer is JSONRenderer)
    }

    @Test func anUnknownFormatListsTheAllowedOnes() {
        #expect(throws: ReportFormatError(value: "pdf")) { try ReportFormat(parsing: "pdf") }
        #expect(ReportFormatError(value: "pdf").description == "unknown report format 'pdf'; allowed: md, json, slack, html")
    }
}
