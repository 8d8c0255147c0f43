import Foundation
import Testing
import VitalsCore
import VitalsStore
import VitalsTestSupport

/// `vitals alerts ...` run as a user would, on a store filled with real samples.
@Suite struct AlertsCommandTests {
    static let rules = """
        groups:
          - name: api
            interval: 5m
            rules:
              - alert: HighErrorRate
                expr: error_ratio > 5%
                for: 5m
                labels: {severity: critical}
        """

    let folder: TemporaryFolder

    init() async throws {
        folder = try TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        // Rounds are slotted (docs/alerting.md): the FNV-1a 64 hash of "api-575715.yml\0api" is a multiple of 5m, so the
        // group's slots fall on whole multiples of 5 minutes and the times below are the ones the rounds evaluate at.
        _ = try folder.write("rules/api-575715.yml", Self.rules)
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(400))
        let start = RFC3339.parse("2026-11-25T08:00:00Z")!
        try await store.write(
            (0...10).map { Sample("error_ratio", ["service": "api"], kind: .gauge, unit: .ratio, at: start.adding(.minutes($0)), value: 0.07) })
    }

    func vitals(_ arguments: String...) throws -> VitalsProcess.Result {
        try VitalsProcess.run(arguments, in: folder.url)
    }

    @Test func evaluateRecordsPendingThenFiringAndListAndHistoryShowIt() throws {
        let first = try vitals("alerts", "evaluate", "--now", "2026-11-25T08:00:00Z")
        #expect(first.status == 0)
        #expect(
            first.stdout == """
                evaluated api at 2026-11-25T08:00:00Z
                transitions:
                  api/HighErrorRate  {service="api"}  inactive→pending  severity critical, value 0.07

                """)
        let notDue = try vitals("alerts", "evaluate", "--now", "2026-11-25T08:04:00Z")
        #expect(notDue.stdout == "no group due at 2026-11-25T08:04:00Z\nnot due: api (next at 2026-11-25T08:05:00Z)\nno transitions\n")
        let fired = try vitals("alerts", "evaluate", "--now", "2026-11-25T08:05:00Z")
        #expect(
            fired.stdout == """
                evaluated api at 2026-11-25T08:05:00Z
                transitions:
                  api/HighErrorRate  {service="api"}  pending→firing  severity critical, value 0.07
                queued in the outbox:
                  firing  HighErrorRate firing [critical] {service="api"} = 0.07  api/HighErrorRate{service="api"}/firing@2026-11-25T08:05:00Z

                """)
        let list = try vitals("alerts", "list", "--now", "2026-11-25T08:06:00Z")
        #expect(
            list.stdout == """
                STATE   ALERT              LABELS           SINCE                 VALUE  SEVERITY
                firing  api/HighErrorRate  {service="api"}  2026-11-25T08:05:00Z  0.07   critical

                """)
        let history = try vitals("alerts", "history", "--since", "1h", "--now", "2026-11-25T08:06:00Z")
        #expect(history.stdout.split(separator: "\n").count == 3)
        #expect(history.stdout.contains("2026-11-25T08:05:00Z  api/HighErrorRate  {service=\"api\"}  pending→firing"))
        let runs = try vitals("query", "--runs", "--format", "csv")
        #expect(runs.stdout.split(separator: "\n").filter { $0.hasPrefix("alerts,") }.map { $0.split(separator: ",").prefix(3).joined(separator: ",") } == [
            "alerts,2026-11-25T08:05:00Z,ok", "alerts,2026-11-25T08:04:00Z,ok", "alerts,2026-11-25T08:00:00Z,ok",
        ])
    }

    /// Cron starts a round a little late: it evaluates the slot it belongs to; a round that did not run is a missed slot.
    @Test func aLateRoundEvaluatesItsSlotAndCountsMissedSlots() throws {
        #expect(try vitals("alerts", "evaluate", "--now", "2026-11-25T08:00:00.700Z").stdout.hasPrefix("evaluated api at 2026-11-25T08:00:00Z\n"))
        #expect(try vitals("alerts", "evaluate", "--now", "2026-11-25T08:05:00.300Z").stdout.hasPrefix("evaluated api at 2026-11-25T08:05:00Z\n"))
        let late = try vitals("alerts", "evaluate", "--now", "2026-11-25T08:20:00.100Z")
        #expect(late.stdout.hasPrefix("evaluated api at 2026-11-25T08:20:00Z (2 slots missed)\n"))
    }

    @Test func silenceListUnsilence() throws {
        let silenced = try vitals(
            "alerts", "silence", "--match", "alertname=HighErrorRate,service=api", "--for", "2h", "--comment", "deploy", "--author", "ana", "--now",
            "2026-11-25T08:00:00Z")
        #expect(silenced.status == 0)
        let id = try #require(silenced.stdout.split(separator: " ").dropFirst().first.map(String.init))
        #expect(
            silenced.stdout
                == "silence \(id) from 2026-11-25T08:00:00Z until 2026-11-25T10:00:00Z: alertname=\"HighErrorRate\",service=\"api\"\n")
        let evaluated = try vitals("alerts", "evaluate", "--now", "2026-11-25T08:05:00Z")
        #expect(!evaluated.stdout.contains("queued"))
        let listed = try vitals("alerts", "silences", "--now", "2026-11-25T08:30:00Z")
        #expect(listed.stdout.contains("\(id)  active  2026-11-25T08:00:00Z  2026-11-25T10:00:00Z"))
        let ended = try vitals("alerts", "unsilence", id, "--now", "2026-11-25T08:30:00Z")
        #expect(ended.stdout == "silence \(id) ended at 2026-11-25T08:30:00Z\n")
        #expect(try vitals("alerts", "silences", "--now", "2026-11-25T08:31:00Z").stdout == "no silences\n")
        let unknown = try vitals("alerts", "unsilence", "nope", "--now", "2026-11-25T08:31:00Z")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "vitals: no silence with id nope; there are no active silences\n")
    }

    @Test(arguments: [
        ("service", "--match: invalid matcher 'service': expected name, an operator (= != =~ !~) and a value, as in service=api"),
        ("service=~\"(api\"", "--match: invalid matcher 'service=~(api': '(api' is not a valid regular expression"),
        ("1x=api", "--match: invalid matcher '1x=api': '1x' is not a label name (letters, digits and _, not starting with a digit)"),
    ])
    func aBadMatcherIsAUsageError(match: String, message: String) throws {
        let result = try vitals("alerts", "silence", "--match", match, "--for", "2h")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: \(message)\n"))
    }

    @Test func aBadRuleFileIsReportedAtItsPosition() throws {
        _ = try folder.write("rules/broken.yml", "groups:\n  - name: x\n    rules:\n      - alert: A\n        expr: rate(errors[5m]\n")
        let result = try vitals("alerts", "evaluate", "--now", "2026-11-25T08:00:00Z")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("rules/broken.yml:5:"))
    }

    @Test func helpTeaches() throws {
        let help = try vitals("alerts", "--help")
        #expect(
            help.stdout.contains("  vitals alerts silence --for 2h --comment \"deploy\" \\\n      --match 'alertname=HighErrorRate,service=api'\n"))
        #expect(help.stdout.contains("evaluate"))
        #expect(help.stdout.contains("unsilence"))
    }

    /// A named report's Alerts section reads the alert state and history: firing with its start and duration, then resolved.
    @Test func aReportListsAlertsFiringNowAndResolvedInThePeriod() async throws {
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("reports"), withIntermediateDirectories: true)
        _ = try folder.write("reports/today.yml", "title: Today\nperiod: 1d\nalerts: true\nsections: []\n")
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(400))
        let start = RFC3339.parse("2026-11-25T08:11:00Z")!
        try await store.write((0...20).map { Sample("error_ratio", ["service": "api"], kind: .gauge, unit: .ratio, at: start.adding(.minutes($0)), value: 0.01) })
        for now in ["2026-11-25T08:00:00Z", "2026-11-25T08:05:00Z"] { _ = try vitals("alerts", "evaluate", "--now", now) }
        let firing = try vitals("report", "today", "--no-collect", "--now", "2026-11-25T08:07:00Z")
        #expect(firing.status == 0, "\(firing.stderr)")
        #expect(firing.stdout.contains("Firing now: \n- api/HighErrorRate [critical] {service=api}: firing since 2026-11-25 08:05, 2m\n"), "\(firing.stdout)")
        _ = try vitals("alerts", "evaluate", "--now", "2026-11-25T08:15:00Z")
        let resolved = try vitals("report", "today", "--no-collect", "--now", "2026-11-25T08:20:00Z")
        #expect(resolved.stdout.contains("Firing now: none."), "\(resolved.stdout)")
        #expect(
            resolved.stdout.contains("- api/HighErrorRate [critical] {service=api}: fired 2026-11-25 08:05, resolved 2026-11-25 08:15, 10m"), "\(resolved.stdout)")
    }
}
