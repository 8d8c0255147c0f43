import Foundation
import Testing
import VitalsCore
import VitalsReports

@Suite struct TemplateRendererTests {
    func digest() async throws -> Digest {
        let tests = DigestBuilderTests()
        return try await tests.digest(try await tests.store())
    }

    @Test func aTemplateSeesTheJSONDocument() async throws {
        let template = """
            # {{title}} <{{score}}>
            {{#sections}}
            ## {{title}}{{#score}} {{.}}{{/score}}
            {{#rows}}
            - {{name}}: {{value}}
            {{/rows}}
            {{/sections}}
            """
        let text = try TemplateRenderer(text: template, format: .md, file: "daily.md.mustache").render(try await digest())
        let lines = text.split(separator: "\n")
        // Markdown is not HTML-escaped: `<43>` stays as written.
        #expect(lines.first == "# Team digest <43>")
        #expect(lines.contains("## Code quality 53"))
        #expect(lines.contains("- Line coverage: 0.6"))
        #expect(lines.contains("- Code markers: 31"))
        let html = try TemplateRenderer(text: "<h1>{{title}}</h1>{{#look_at}}<p>{{recommendation}}</p>{{/look_at}}", format: .html, file: "x")
        #expect(try await html.render(try digest()).hasPrefix("<h1>Team digest</h1><p>Cover 200 more lines"))
    }

    @Test(arguments: [
        ("# {{title}\n", "daily.md.mustache:1:10: a tag is not finished; close it with }}"),
        ("a\n{{#sections}}\n{{title}}\n", "daily.md.mustache:4:1: a section is not closed; end it with {{/name}}"),
        ("{{#rows}}\n{{/row}}\n", "daily.md.mustache:2:4: a section is closed with another name than it was opened with"),
    ])
    func templateMistakesArePositioned(text: String, message: String) {
        let error = #expect(throws: TemplateError.self) { try TemplateRenderer(text: text, format: .md, file: "daily.md.mustache") }
        #expect(error?.description == message)
    }
}
