import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsReports
import VitalsStore

/// The next report names what the outbox dead-lettered since the previous report, in every format.
@Suite struct DeadLetterDigestTests {
    static let definition = try! ReportDefinitionLoader.parse(
        """
        title: Team digest
        period: 1d
        alerts: false
        sections:
          - family: velocity
            metrics: [git_commits]
        """, name: "team", file: "team.yml", metrics: Set(MetricCatalog.standard.metrics.map(\.name)), channels: [])

    static let now = ReportFixture.now
    static func hoursAgo(_ hours: Int64) -> Timestamp { now.subtracting(.hours(hours)) }

    static let alert = AlertMessage(
        group: "quality", alert: "CoverageLow", labels: ["repo": "acme/shop"], event: .firing, severity: .warning, value: 0.6,
        summary: "coverage fell", at: hoursAgo(20))

    /// The previous `team` report was queued 30 hours ago; one delivery died before it, an alert's and a report's after it.
    func store(previousReport: Bool) async throws -> SQLiteMetricStore {
        let store = try await ReportFixture(.memory).store
        func dead(_ key: String, _ payload: OutboxMessage.Payload, channel: String, at: Timestamp, error: String) async throws {
            _ = try await store.enqueue(key: key, payload: payload, channels: [channel], at: at.subtracting(.minutes(1)), force: false)
            let delivery = try #require(try await store.deliveries(status: .pending).first { $0.message.idempotencyKey == key })
            try await store.record(.dead(status: 404, error: error), forDelivery: delivery.id, at: at)
        }
        try await dead("old", .alert(Self.alert), channel: "ops", at: Self.hoursAgo(40), error: "404: channel_not_found")
        if previousReport {
            let report = ReportMessage(name: "team", title: "Team digest · 2026-11-23", bodies: ["md": "# Team"])
            _ = try await store.enqueue(key: "report:team@previous", payload: .report(report), channels: ["log"], at: Self.hoursAgo(30), force: false)
        }
        try await dead("alert", .alert(Self.alert), channel: "ops", at: Self.hoursAgo(20), error: "404: channel_not_found")
        let weekly = ReportMessage(name: "weekly", title: "Weekly <digest>", bodies: ["md": "# Weekly"])
        try await dead("weekly", .report(weekly), channel: "mail", at: Self.hoursAgo(2), error: "550: mailbox unavailable")
        return store
    }

    func digest(_ store: SQLiteMetricStore) async throws -> Digest {
        try await DigestBuilder.build(
            definition: Self.definition, store: store, alerts: nil, outbox: store, now: Self.now, timeZone: ReportFixture.berlin, sources: [])
    }

    @Test func deadLettersSinceThePreviousReportAreNamedInEveryFormat() async throws {
        let digest = try await digest(try await store(previousReport: true))
        #expect(digest.delivery.since == Self.hoursAgo(30))
        #expect(digest.delivery.deadLetters.map(\.key) == ["alert", "weekly"])
        let markdown = try DigestMarkdownRenderer().render(digest)
        #expect(
            markdown.contains(
                """
                ## Delivery

                Not delivered since 2026-11-24 04:00 (vitals outbox list --status dead; vitals outbox retry ID sends one again):
                - ops: alert quality/CoverageLow{repo="acme/shop"} firing: 404: channel_not_found (dead-lettered 2026-11-24 14:00 after 1 attempt)
                - mail: report Weekly <digest>: 550: mailbox unavailable (dead-lettered 2026-11-25 08:00 after 1 attempt)
                """))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(DigestJSONRenderer().render(digest).utf8)) as? [String: Any])
        let delivery = try #require(json["delivery"] as? [String: Any])
        #expect(delivery["since"] as? String == "2026-11-24T03:00:00Z")
        let letters = try #require(delivery["dead_letters"] as? [[String: Any]])
        #expect(letters.map { $0["channel"] as? String } == ["ops", "mail"])
        #expect(letters.last?["error"] as? String == "550: mailbox unavailable" && letters.last?["dead_at"] as? String == "2026-11-25T07:00:00Z")
        #expect(letters.last?["message"] as? String == "report Weekly <digest>" && letters.last?["attempts"] as? Int == 1)
        let slack = try SlackRenderer().render(digest)
        #expect(slack.contains("mail: report Weekly &lt;digest&gt;: 550: mailbox unavailable"))
        let html = try HTMLRenderer().render(digest)
        #expect(html.contains("<h2>Delivery</h2>") && html.contains("mail: report Weekly &lt;digest&gt;: 550: mailbox unavailable"))
    }

    @Test func withoutAPreviousReportTheyAreListedForOnePeriodLength() async throws {
        let digest = try await digest(try await store(previousReport: false))
        #expect(digest.delivery.since == Self.hoursAgo(24))
        #expect(digest.delivery.deadLetters.map(\.key) == ["alert", "weekly"])
    }

    @Test func noDeadLetterNoDeliverySection() async throws {
        let store = try await ReportFixture(.memory).store
        let digest = try await digest(store)
        #expect(digest.delivery.deadLetters.isEmpty)
        #expect(!(try DigestMarkdownRenderer().render(digest)).contains("## Delivery"))
    }
}
