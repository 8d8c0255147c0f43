import Foundation
import GRDB
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore
import VitalsTestSupport

/// The evaluation round against a real SQLite file, reopened between rounds as a restarted process would.
@Suite struct ServiceRoundTests {
    /// A slot of the `api` group's grid (08:02:26.583), whether its interval is 1m or 5m, so rounds at whole minutes after
    /// it evaluate at the time they are run at.
    static let start = RFC3339.parse("2026-11-25T08:00:00Z")!
        .adding(EvaluationGrid(file: "rules/api.yml", group: "api", interval: .minutes(5)).offset)
    static let api: Labels = ["service": "api"]

    let folder: TemporaryFolder
    let path: String

    init() throws {
        folder = try TemporaryFolder()
        path = folder.url.appendingPathComponent("vitals.db").path
    }

    /// A new store object on the same file: what a restarted process opens.
    func reopen() async throws -> SQLiteMetricStore { try await SQLiteMetricStore(path: path, timeZone: .gmt, retention: .days(400)) }

    func at(minutes: Int64) -> Timestamp { Self.start.adding(.minutes(minutes)) }

    /// Writes `error_ratio{service="api"}` once a minute from `from` to `through` (minutes after the start).
    func writeRatio(_ value: Double, from: Int64, through: Int64) async throws {
        let samples = (from...through).map { Sample("error_ratio", Self.api, kind: .gauge, unit: .ratio, at: at(minutes: $0), value: value) }
        try await reopen().write(samples)
    }

    func round(_ yaml: String, muteWindows: [MuteWindow] = [], lookback: LookbackPolicy = LookbackPolicy()) throws -> AlertEvaluationRound {
        try AlertEvaluationRound(files: [RuleFileLoader.parse(yaml, file: "rules/api.yml")], muteWindows: muteWindows, lookback: lookback)
    }

    static let pendingRule = """
        groups:
          - name: api
            interval: 5m
            rules:
              - alert: HighErrorRate
                expr: error_ratio > 5%
                for: 10m
        """

    func evaluate(_ round: AlertEvaluationRound, minutes: Int64) async throws -> AlertRoundResult {
        let store = try await reopen()
        return try await round.run(at: at(minutes: minutes), metrics: store, alerts: store)
    }

    @Test func aSummaryAnnotationIsRenderedForTheNotification() async throws {
        try await writeRatio(0.0725, from: 0, through: 1)
        let rule = """
            groups:
              - name: api
                rules:
                  - alert: HighErrorRate
                    expr: error_ratio > 5%
                    annotations:
                      summary: "{{ $labels.service }} fails {{ $value | humanizePercentage }} of requests ({{ $labels.__name__ }})"
            """
        let fired = try await evaluate(try round(rule), minutes: 1)
        #expect(fired.notifications.map(\.summary) == ["api fails 7.25% of requests (error_ratio)"])
    }

    @Test func aForInProgressSurvivesRestartsAndFiresOnTime() async throws {
        try await writeRatio(0.07, from: 0, through: 10)
        let round = try round(Self.pendingRule)
        #expect(try await evaluate(round, minutes: 0).transitions.map(\.description) == ["{service=\"api\"} inactive→pending"])
        #expect(try await evaluate(round, minutes: 5).transitions.isEmpty)
        let fired = try await evaluate(round, minutes: 10)
        #expect(fired.transitions.map(\.description) == ["{service=\"api\"} pending→firing"])
        #expect(fired.notifications.map(\.summary) == ["HighErrorRate firing {service=\"api\"} = 0.07"])
        let alerts = try await reopen().activeAlerts()
        #expect(alerts.map(\.instance.activeAt) == [at(minutes: 0)])
        #expect(alerts.map(\.instance.firedAt) == [at(minutes: 10)])
    }

    @Test func evaluatingTwiceAtTheSameTimeChangesNothing() async throws {
        try await writeRatio(0.07, from: 0, through: 10)
        let round = try round(Self.pendingRule.replacingOccurrences(of: "for: 10m", with: "for: 0s"))
        #expect(try await evaluate(round, minutes: 10).notifications.count == 1)
        let again = try await evaluate(round, minutes: 10)
        #expect(again.evaluated.isEmpty)
        #expect(again.notDue == [.init(group: "api", dueAt: at(minutes: 15))])
        #expect(try await reopen().outbox().count == 1)
        #expect(try await reopen().alertHistory(since: Self.start).map(\.transition.to) == [.firing])
    }

    @Test func aCrashInsideTheRoundLeavesNothingAndTheRerunQueuesExactlyOnce() async throws {
        try await writeRatio(0.07, from: 0, through: 10)
        let round = try round(Self.pendingRule.replacingOccurrences(of: "for: 10m", with: "for: 0s"))
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TRIGGER crash BEFORE INSERT ON alert_outbox BEGIN SELECT RAISE(ABORT, 'killed'); END")
        }
        await #expect(throws: (any Error).self) { try await evaluate(round, minutes: 10) }
        #expect(try await reopen().groupEvaluations().isEmpty)
        #expect(try await reopen().alertHistory(since: Self.start).isEmpty)
        try await DatabaseQueue(path: path).write { try $0.execute(sql: "DROP TRIGGER crash") }
        let rerun = try await evaluate(round, minutes: 10)
        #expect(rerun.transitions.map(\.description) == ["{service=\"api\"} inactive→firing"])
        #expect(try await reopen().outbox().map(\.idempotencyKey) == ["api/HighErrorRate{service=\"api\"}/firing@\(at(minutes: 10))"])
    }

    @Test func thresholdsEscalateAndTheResolveConditionHoldsTheAlertUntilItIsMet() async throws {
        let rule = """
            groups:
              - name: api
                interval: 1m
                rules:
                  - alert: HighErrorRate
                    expr: error_ratio
                    thresholds: {warning: 2%, critical: 5%}
                    resolve: error_ratio < 1%
            """
        let round = try round(rule)
        try await writeRatio(0.03, from: 0, through: 0)
        #expect(try await evaluate(round, minutes: 0).notifications.map(\.notification.severity) == [.warning])
        try await writeRatio(0.06, from: 1, through: 1)
        #expect(try await evaluate(round, minutes: 1).notifications.map(\.notification.kind) == [.escalated])
        try await writeRatio(0.015, from: 2, through: 2)
        let between = try await evaluate(round, minutes: 2)
        #expect(between.transitions.isEmpty)
        #expect(try await reopen().activeAlerts().map(\.instance.phase) == [.firing])
        try await writeRatio(0.005, from: 3, through: 3)
        #expect(try await evaluate(round, minutes: 3).notifications.map(\.notification.kind) == [.resolved])
    }

    @Test func aSilenceHoldsTheNotificationWhileTheStateAdvances() async throws {
        try await writeRatio(0.07, from: 0, through: 0)
        try await reopen().addSilence(
            Silence(id: "s1", matchers: try SilenceMatcher.parseList("alertname=HighErrorRate"), startsAt: Self.start, endsAt: at(minutes: 30)))
        let result = try await evaluate(try round(Self.pendingRule.replacingOccurrences(of: "for: 10m", with: "for: 0s")), minutes: 0)
        #expect(result.notifications.isEmpty)
        #expect(result.rules.flatMap(\.held).map(\.reason) == [.silenced])
        #expect(try await reopen().activeAlerts().map(\.instance.phase) == [.firing])
        #expect(try await reopen().outbox().isEmpty)
    }

    @Test func aMuteWindowHoldsTheNotification() async throws {
        try await writeRatio(0.07, from: 0, through: 0)
        let window = try MuteWindow(name: "mornings", times: [TimeOfDayRange(start: "07:00", end: "09:00")], location: "UTC")
        let result = try await evaluate(
            try round(Self.pendingRule.replacingOccurrences(of: "for: 10m", with: "for: 0s"), muteWindows: [window]), minutes: 0)
        #expect(result.rules.flatMap(\.held).map(\.reason) == [.silenced])
        #expect(try await reopen().outbox().isEmpty)
    }

    @Test func aDailyMetricIsSeenThroughItsSourcesLookback() async throws {
        try await reopen().write([Sample("coverage_ratio", kind: .gauge, unit: .ratio, at: Self.start, value: 0.5)])
        let rule = """
            groups:
              - name: quality
                rules:
                  - alert: LowCoverage
                    expr: coverage_ratio < 0.6
            """
        let later = Self.start.adding(.hours(20))
        let withoutTable = try await round(rule).run(at: later, metrics: try reopen(), alerts: try reopen())
        #expect(withoutTable.transitions.isEmpty)
        let table = LookbackPolicy(byMetric: ["coverage_ratio": .hours(48)])
        let withTable = try await round(rule, lookback: table).run(at: later.adding(.minutes(1)), metrics: try reopen(), alerts: try reopen())
        #expect(withTable.transitions.map(\.description) == ["{} inactive→firing"])
        #expect(withTable.notifications.map(\.notification.value) == [0.5])
    }

    @Test func anEvaluationErrorKeepsTheRulesStateAndOtherRulesRun() async throws {
        try await writeRatio(0.07, from: 0, through: 0)
        try await reopen().write([Sample("error_ratio", ["service": "api", "zone": "b"], kind: .gauge, unit: .ratio, at: Self.start, value: 0.07)])
        let rule = """
            groups:
              - name: api
                rules:
                  - alert: Ambiguous
                    expr: sum without (zone) (error_ratio) + on() error_ratio
                  - alert: HighErrorRate
                    expr: error_ratio{zone=""} > 5%
            """
        let result = try await evaluate(try round(rule), minutes: 0)
        #expect(result.rules.map { $0.error != nil } == [true, false])
        #expect(result.notifications.map(\.notification.alert) == ["HighErrorRate"])
    }

    /// 60 rules on `error_ratio` (more than one part of the evaluation) and a last one whose selector names no metric, which
    /// the round cannot read ahead and reads from the store after the evaluation that asked for it.
    static let manyRules = """
        groups:
          - name: api
            rules:
        """ + (0..<60).map { "\n      - alert: A\($0)\n        expr: error_ratio > 5%" }.joined()
        + "\n      - alert: Unnamed\n        expr: '{__name__=~\"error_.*\", service=\"api\"} > 5%'"

    @Test(arguments: [false, true])
    func rulesAreCommittedInRuleOrderAndSelectorsWithoutANameStillReadTheStore(inMemory: Bool) async throws {
        let store = inMemory ? try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400)) : try await reopen()
        try await store.write([Sample("error_ratio", Self.api, kind: .gauge, unit: .ratio, at: Self.start, value: 0.07)])
        let result = try await round(Self.manyRules).run(at: Self.start, metrics: store, alerts: store)
        let alerts = (0..<60).map { "A\($0)" } + ["Unnamed"]
        #expect(result.notifications.map(\.notification.alert) == alerts)
        #expect(try await store.outbox().map(\.rule.alert) == alerts)
        #expect(try await store.alertStates().count == 61)
    }

    @Test func aStoreErrorMetByALaterRuleWritesNothingOfTheRound() async throws {
        try await writeRatio(0.07, from: 0, through: 0)
        // A series whose labels text is not canonical: reading it by name fails, which only the last rule's selector does.
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO series (name, labels, kind, unit) VALUES ('error_broken', 'not canonical', 'gauge', 'ratio')")
        }
        await #expect(throws: StoreError.self) { try await evaluate(try round(Self.manyRules), minutes: 0) }
        #expect(try await reopen().groupEvaluations().isEmpty)
        #expect(try await reopen().alertStates().isEmpty)
        #expect(try await reopen().outbox().isEmpty)
    }

    /// The mixins' pattern: one alert name at two severities. The warning rule fires and resolves while the critical one,
    /// held by `keep_firing_for`, keeps firing; each keeps its own state through every reopen of the file.
    @Test func twoRulesOfOneNameFireAndResolveOnTheirOwn() async throws {
        let rules = """
            groups:
              - name: api
                interval: 1m
                rules:
                  - alert: HighErrorRate
                    expr: error_ratio > 2%
                    labels: {severity: warning}
                  - alert: HighErrorRate
                    expr: error_ratio > 5%
                    keep_firing_for: 10m
                    labels: {severity: critical}
            """
        let round = try round(rules)
        func changes(_ result: AlertRoundResult) -> [String] {
            result.rules.flatMap { outcome in outcome.transitions.map { "\(outcome.rule) \($0)" } }
        }
        try await writeRatio(0.07, from: 0, through: 0)
        let fired = try await evaluate(round, minutes: 0)
        #expect(changes(fired) == ["api/HighErrorRate {service=\"api\"} inactive→firing", "api/HighErrorRate#2 {service=\"api\"} inactive→firing"])
        #expect(
            fired.notifications.map(\.notification.idempotencyKey) == [
                "api/HighErrorRate{service=\"api\"}/firing@\(Self.start)", "api/HighErrorRate#2{service=\"api\"}/firing@\(Self.start)",
            ])
        // Both alerts are named HighErrorRate, as Prometheus names them: a silence on the name holds both.
        #expect(fired.notifications.map(\.notification.alert) == ["HighErrorRate", "HighErrorRate"])

        try await writeRatio(0.01, from: 1, through: 1)
        let calmer = try await evaluate(round, minutes: 1)
        #expect(changes(calmer) == ["api/HighErrorRate {service=\"api\"} firing→resolved"])
        #expect(calmer.notifications.map(\.notification.kind) == [.resolved])
        #expect(try await reopen().activeAlerts().map { "\($0.rule) fired \($0.instance.firedAt!)" } == ["api/HighErrorRate#2 fired \(at(minutes: 0))"])

        try await writeRatio(0.03, from: 2, through: 2)
        let again = try await evaluate(round, minutes: 2)
        #expect(changes(again) == ["api/HighErrorRate {service=\"api\"} resolved→firing"])
        let states = try await reopen().alertStates()
        #expect(states[AlertRuleID(group: "api", alert: "HighErrorRate")]?.instances.map(\.firedAt) == [at(minutes: 2)])
        #expect(states[AlertRuleID(group: "api", alert: "HighErrorRate", ordinal: 1)]?.instances.map(\.firedAt) == [at(minutes: 0)])
        await #expect(
            try reopen().alertHistory(since: Self.start).map { "\($0.rule) \($0.transition.to)" } == [
                "api/HighErrorRate firing", "api/HighErrorRate#2 firing", "api/HighErrorRate resolved", "api/HighErrorRate firing",
            ])
    }

    /// A store written while the group had one rule of the name (as every store before ordinals): adding a second rule
    /// of that name, as switching to a mixin does, leaves the first one's `for` in progress where it was.
    @Test func aSecondRuleOfANameLeavesTheFirstOnesStateAlone() async throws {
        try await writeRatio(0.07, from: 0, through: 10)
        #expect(try await evaluate(try round(Self.pendingRule), minutes: 0).transitions.map(\.description) == ["{service=\"api\"} inactive→pending"])
        let twoRules = Self.pendingRule + "\n      - alert: HighErrorRate\n        expr: error_ratio > 20%\n        labels: {severity: critical}"
        let round = try round(twoRules)
        #expect(try await evaluate(round, minutes: 5).transitions.isEmpty)
        let fired = try await evaluate(round, minutes: 10)
        #expect(
            fired.rules.map { "\($0.rule): \($0.transitions.map(\.description).joined(separator: ", "))" } == [
                "api/HighErrorRate: {service=\"api\"} pending→firing", "api/HighErrorRate#2: ",
            ])
        #expect(try await reopen().activeAlerts().map(\.instance.activeAt) == [at(minutes: 0)])
    }

    @Test func aRuleNamedAsTheKeyOfAnotherRuleOfItsGroupIsRefused() throws {
        let rules = """
            groups:
              - name: api
                rules:
                  - alert: A#2
                    expr: x > 1
                  - alert: A
                    expr: x > 1
                  - alert: A
                    expr: x > 2
            """
        let error = try #require(throws: RuleFileError.self) { try round(rules) }
        #expect(
            error.description == "rules/api.yml:8:9: alert 'A' keeps its state as 'A#2', which the alert at rules/api.yml:4:9 also does; rename one")
    }

    /// A zero byte in a group or alert name (YAML's `"\0"`, which promtool accepts) is refused where the state is keyed by it:
    /// PostgreSQL refused the round's commit whole, SQLite gave the names back cut and lost the rule's state.
    @Test(arguments: [
        (#"  - name: "a\0pi""# + "\n    rules:\n      - alert: A\n", "rules/api.yml:2:5: group name 'a\\0pi' holds a zero byte"),
        ("  - name: api\n    rules:\n" + #"      - alert: "A\0""# + "\n", "rules/api.yml:4:9: alert name 'A\\0' holds a zero byte"),
    ])
    func aZeroByteInANameThatKeysStateIsRefused(group: String, message: String) throws {
        let file = try RuleFileLoader.parse("groups:\n" + group + "        expr: x > 1\n", file: "rules/api.yml")
        let error = try #require(throws: RuleFileError.self) { try AlertEvaluationRound(files: [file]) }
        #expect(error.description.hasPrefix(message), "\(error.description)")
        #expect(error.description.hasSuffix("alert state is kept by this name and no store can keep that byte, so remove it"))
    }

    @Test func groupNamesMustBeUniqueAcrossFiles() throws {
        let file = try RuleFileLoader.parse(Self.pendingRule, file: "rules/a.yml")
        let other = try RuleFileLoader.parse(Self.pendingRule, file: "rules/b.yml")
        let error = try #require(throws: RuleFileError.self) { try AlertEvaluationRound(files: [file, other]) }
        #expect(
            error.description == "rules/b.yml:2:5: group name 'api' is also used at rules/a.yml:2:5; alert state is kept by group name, so rename one"
        )
    }
}
