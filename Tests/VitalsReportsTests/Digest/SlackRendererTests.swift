import Foundation
import Testing
import VitalsCore

@testable import VitalsReports

@Suite struct SlackRendererTests {
    typealias Limits = SlackRenderer.Limits

    /// Checks one payload as Slack would, from the JSON actually written; returns the problems.
    static func problems(in message: [String: Any]) -> [String] {
        var problems: [String] = []
        func text(_ object: Any?) -> String? { (object as? [String: Any])?["text"] as? String }
        if (message["text"] as? String ?? "").isEmpty { problems.append("no text fallback") }
        let blocks = message["blocks"] as? [[String: Any]] ?? []
        if blocks.isEmpty || blocks.count > Limits.blocksPerMessage { problems.append("\(blocks.count) blocks") }
        for block in blocks {
            switch block["type"] as? String {
            case "header":
                let header = text(block["text"]) ?? ""
                if header.isEmpty || header.count > Limits.headerText { problems.append("header of \(header.count) characters") }
            case "section":
                let body = text(block["text"]) ?? ""
                if body.isEmpty || body.count > Limits.sectionText { problems.append("section text of \(body.count) characters") }
                let fields = block["fields"] as? [[String: Any]] ?? []
                if fields.count > Limits.fieldsPerSection { problems.append("\(fields.count) fields") }
                for field in fields where (field["text"] as? String ?? "").count > Limits.fieldText {
                    problems.append("a field over 2,000 characters")
                }
            case "context":
                let elements = block["elements"] as? [[String: Any]] ?? []
                if elements.isEmpty || elements.count > Limits.contextElements { problems.append("\(elements.count) context elements") }
            case "divider":
                break
            case let type:
                problems.append("unknown block type \(type ?? "none")")
            }
        }
        return problems
    }

    @Test func everyShippedReportFitsSlacksLimitsOnLargeAndEmptyStores() async throws {
        for (name, digest) in try await ShippedReportStores.allDigests() {
            let json = try SlackRenderer().render(digest)
            let messages = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], "\(name)")
            #expect(!messages.isEmpty, "\(name)")
            for (index, message) in messages.enumerated() {
                #expect(Self.problems(in: message) == [], "\(name), message \(index + 1) of \(messages.count)")
            }
            let blocks = messages.flatMap { $0["blocks"] as? [[String: Any]] ?? [] }
            #expect(blocks.first?["type"] as? String == "header", "\(name)")
            #expect(blocks.last?["type"] as? String == "context", "\(name)")
            if name.hasSuffix("large store") { #expect(messages.count > 1, "\(name): expected follow-up messages") }
        }
    }

    /// URLs go out as Slack links, `<url|text>`, never bare or as Markdown links; `&`, `<`, `>` are escaped in both parts.
    @Test(arguments: [
        ("see https://github.com/acme/shop/pull/12).", "see <https://github.com/acme/shop/pull/12|github.com/acme/shop/pull/12>)."),
        ("a < b: http://x.test/q?a=1&b=2, done", "a &lt; b: <http://x.test/q?a=1&amp;b=2|x.test/q?a=1&amp;b=2>, done"),
        ("no link & <b>", "no link &amp; &lt;b&gt;"),
    ])
    func urlsAreSlackLinks(text: String, mrkdwn: String) {
        #expect(SlackRenderer.mrkdwn(text) == mrkdwn)
    }

    @Test func textIsMrkdwnWithSlacksEscapes() async throws {
        #expect(SlackRenderer.escape("a < b & c > d") == "a &lt; b &amp; c &gt; d")
        let cut = SlackRenderer.cut(String(repeating: "x", count: 200), to: 150)
        #expect(cut.count == 150 && cut.hasSuffix("…"))
        let digest = try await ShippedReportStores.digest(try ShippedReportStores.definitions()[0], store: try await ReportFixture(.memory), alerts: nil)
        let message = try #require(SlackRenderer().messages(digest).first)
        #expect(message.text == "Daily digest 2026-11-24: score – (no metric with data)")
        let json = try SlackRenderer().render(digest)
        #expect(json.contains("\"text\" : \"*Score – (no metric with data)* · Code quality – · Stability – · Velocity –"))
        #expect(json.contains("*Velocity* — no metric with data"))
        #expect(!json.contains("**"))
    }
}
