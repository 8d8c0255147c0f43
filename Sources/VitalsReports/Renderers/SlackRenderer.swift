import Foundation
import VitalsCore

/// The digest as Slack Block Kit messages: header, score, per-section fields, what to look at, alerts and a context line,
/// each message with a `text` fallback. Text is Slack mrkdwn (`*bold*`, `&lt;` escapes, no tables), built for Slack rather
/// than converted from the Markdown.
///
/// Slack rejects a message over its limits, so every block is cut to them (``Limits``) and a digest with more blocks than
/// one message takes continues in follow-up messages (meant for the first message's thread). `render` writes the list of
/// message payloads as a JSON array.
public struct SlackRenderer: DigestRenderer {
    /// Slack's documented Block Kit limits.
    public enum Limits {
        public static let blocksPerMessage = 50
        public static let sectionText = 3000
        public static let fieldsPerSection = 10
        public static let fieldText = 2000
        public static let headerText = 150
        public static let contextElements = 10
        /// Slack truncates a message's top-level `text` beyond this.
        public static let messageText = 40000
        /// Dead letters listed one by one; the rest are counted, `vitals outbox list` has them all. Ours, not Slack's.
        public static let deadLetters = 20
    }

    public init() {}

    public func render(_ digest: Digest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(messages(digest)), as: UTF8.self) + "\n"
    }

    /// The messages of the digest: the first with the header, each later one a continuation.
    public func messages(_ digest: Digest) -> [SlackMessage] {
        let local = digest.local
        let period = local.period(digest.period)
        var blocks: [SlackBlock] = [
            .header(Self.cut("\(digest.title): \(period)", to: Limits.headerText)),
            .section(
                text: Self.cut(
                    "*Score \(Self.escape(DigestText.score(digest.score)))* · \(Self.escape(DigestText.sectionScores(digest)))"
                        + (digest.unscored.isEmpty ? "" : "\nNot scored, no data: \(Self.escape(digest.unscored.joined(separator: ", ")))"),
                    to: Limits.sectionText), fields: []),
        ]
        if !digest.lookAt.isEmpty {
            blocks.append(.divider)
            let items = digest.lookAt.enumerated().map { index, item in
                "\(index + 1). *\(Self.escape(item.name))* \(Self.escape(item.valueText)) — \(item.grade.rawValue) (\(Self.escape(item.thresholdText))); "
                    + "\(Self.escape(item.trendText))\n\(Self.mrkdwn(item.recommendation))"
            }
            blocks.append(.section(text: Self.cut("*What to look at*\n" + items.joined(separator: "\n"), to: Limits.sectionText), fields: []))
        }
        for section in digest.sections {
            blocks.append(.divider)
            let fields = section.rows.map { row -> String in
                var text = "*\(Self.escape(row.name))*\n\(Self.escape(DigestText.valueWithBreakdown(row)))"
                if row.change != nil { text += " (\(Self.escape(DigestText.change(row))))" }
                text += " `\(row.sparkline)`"
                let grade = DigestText.grade(row)
                if !grade.isEmpty { text += " · \(grade)" }
                let notes = DigestText.notes(row, now: digest.generatedAt, local: local)
                if !notes.isEmpty { text += "\n_\(Self.escape(notes))_" }
                return Self.cut(text, to: Limits.fieldText)
            }
            let heading = Self.cut("*\(Self.escape(section.title))* — \(DigestText.sectionScore(section.score))", to: Limits.sectionText)
            if fields.isEmpty {
                blocks.append(.section(text: heading + "\nNo series.", fields: []))
            }
            for (index, start) in stride(from: 0, to: fields.count, by: Limits.fieldsPerSection).enumerated() {
                let chunk = Array(fields[start..<min(start + Limits.fieldsPerSection, fields.count)])
                blocks.append(.section(text: index == 0 ? heading : "\(heading) (continued)", fields: chunk))
            }
        }
        if let alerts = digest.alerts {
            blocks.append(.divider)
            let firing = alerts.firing.map { "• " + Self.escape(DigestText.alert($0, local: local)) }
            let resolved = alerts.resolved.map { "• " + Self.escape(DigestText.alert($0, local: local)) }
            blocks += Self.sections(titled: "*Alerts firing now*", lines: firing.isEmpty ? ["none"] : firing)
            blocks += Self.sections(titled: "*Fired and resolved in the period*", lines: resolved.isEmpty ? ["none"] : resolved)
        }
        if !digest.delivery.deadLetters.isEmpty {
            blocks.append(.divider)
            blocks += Self.sections(
                titled: "*\(Self.escape(DigestText.deadLettersHeading(digest.delivery, local: local)))*",
                lines: digest.delivery.deadLetters.prefix(Limits.deadLetters).map { "• " + Self.escape(DigestText.deadLetter($0, local: local)) }
                    + (digest.delivery.deadLetters.count > Limits.deadLetters
                        ? ["… and \(digest.delivery.deadLetters.count - Limits.deadLetters) more: vitals outbox list --status dead"] : []))
        }
        let sources = digest.sources.map { Self.escape(DigestText.source($0, local: local)) }.joined(separator: " · ")
        blocks.append(
            .context([
                Self.cut(
                    "Period \(period) (\(digest.timeZone)) vs \(Self.escape(DigestText.comparison(digest, local: local))) · generated \(local.time(digest.generatedAt))",
                    to: Limits.fieldText),
                Self.cut(sources.isEmpty ? "No sources configured." : sources, to: Limits.fieldText),
            ]))
        let fallback =
            "\(digest.title) \(period): score \(DigestText.score(digest.score))"
            + (digest.lookAt.isEmpty ? "" : "; look at: " + digest.lookAt.map { "\($0.name) \($0.valueText)" }.joined(separator: ", "))
        let chunks = stride(from: 0, to: blocks.count, by: Limits.blocksPerMessage).map {
            Array(blocks[$0..<min($0 + Limits.blocksPerMessage, blocks.count)])
        }
        return chunks.enumerated().map { index, chunk in
            let text = index == 0 ? fallback : "\(digest.title) \(period), continued (\(index + 1) of \(chunks.count))"
            return SlackMessage(text: Self.cut(Self.escape(text), to: Limits.messageText), blocks: chunk)
        }
    }

    /// Lines under a title, in as many sections as the text limit needs.
    static func sections(titled title: String, lines: [String]) -> [SlackBlock] {
        var blocks: [SlackBlock] = []
        var current = title
        for line in lines {
            let line = cut(line, to: Limits.sectionText - title.count - 1)
            if current.count + 1 + line.count > Limits.sectionText {
                blocks.append(.section(text: current, fields: []))
                current = title
            }
            current += "\n" + line
        }
        blocks.append(.section(text: current, fields: []))
        return blocks
    }

    /// Slack's three escapes for mrkdwn text: `&`, `<`, `>`.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `text` in mrkdwn: escaped, and each http(s) URL in it a link, `<url|text>`, shown without its scheme; punctuation
    /// after a URL (`…/pull/12).`) ends the sentence, not the URL.
    static func mrkdwn(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let match = rest.firstMatch(of: #/https?://[^\s<>|]+/#) {
            var url = match.output
            while let last = url.last, ".,;:)".contains(last) { url = url.dropLast() }
            let shown = url.drop { $0 != "/" }.dropFirst(2)
            out += escape(String(rest[..<url.startIndex])) + "<\(escape(String(url)))|\(escape(String(shown)))>"
            rest = rest[url.endIndex...]
        }
        return out + escape(String(rest))
    }

    /// `text` within `limit` characters, ending in `…` when cut.
    static func cut(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}

/// One Slack message payload: `text` (the notification and fallback) and its blocks.
public struct SlackMessage: Sendable, Encodable, Hashable {
    public let text: String
    public let blocks: [SlackBlock]
}

/// The Block Kit blocks a digest uses.
public enum SlackBlock: Sendable, Encodable, Hashable {
    case header(String)
    case section(text: String, fields: [String])
    case divider
    case context([String])

    private enum Keys: String, CodingKey {
        case type, text, fields, elements
    }

    private struct Text: Encodable {
        let type: String
        let text: String
        let emoji: Bool?
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .header(let text):
            try container.encode("header", forKey: .type)
            try container.encode(Text(type: "plain_text", text: text, emoji: true), forKey: .text)
        case .section(let text, let fields):
            try container.encode("section", forKey: .type)
            try container.encode(Text(type: "mrkdwn", text: text, emoji: nil), forKey: .text)
            if !fields.isEmpty { try container.encode(fields.map { Text(type: "mrkdwn", text: $0, emoji: nil) }, forKey: .fields) }
        case .divider:
            try container.encode("divider", forKey: .type)
        case .context(let elements):
            try container.encode("context", forKey: .type)
            try container.encode(elements.map { Text(type: "mrkdwn", text: $0, emoji: nil) }, forKey: .elements)
        }
    }
}
