import Foundation
import Testing
import VitalsCore
import VitalsRules

@Suite struct AlertStateMachineTests {
    let machine = AlertStateMachine(
        AlertRuleSettings(group: "api", alert: "HighErrorRate", holdDuration: .minutes(5), cooldown: .hours(4), channels: ["ops"]))
    let api: Labels = ["service": "api"]
    let web: Labels = ["service": "web"]

    func at(_ minute: Int64) -> Timestamp { AlertTimeline.at(minute) }

    @Test func instanceRecordsItsTimesAndLastValue() {
        var state = AlertRuleState.initial
        state = machine.evaluate(state, AlertEvaluationInput(now: at(0), firing: [api: AlertSample(value: 0.06, severity: .warning)])).state
        state = machine.evaluate(state, AlertEvaluationInput(now: at(5), firing: [api: AlertSample(value: 0.08, severity: .critical)])).state
        #expect(
            state[api]
                == AlertInstance(
                    labels: api, phase: .firing, activeAt: at(0), firedAt: at(5), lastSentAt: at(5), lastFiringSentAt: at(5), firingNotified: true,
                    severity: .critical, value: 0.08))
        state = machine.evaluate(state, AlertEvaluationInput(now: at(6))).state
        #expect(state[api]?.phase == .resolved)
        #expect(state[api]?.resolvedAt == at(6))
        #expect(state[api]?.lastSentAt == at(6))
        #expect(state[api]?.lastFiringSentAt == at(5))
        #expect(state.evaluatedAt == at(6))
    }

    @Test func labelSetsAreIndependentAndSorted() {
        var state = machine.evaluate(.initial, AlertEvaluationInput(now: at(0), firing: [web: AlertSample(value: 1)])).state
        let evaluation = machine.evaluate(state, AlertEvaluationInput(now: at(5), firing: [api: AlertSample(value: 1), web: AlertSample(value: 2)]))
        state = evaluation.state
        #expect(state.instances.map(\.labels) == [api, web])
        #expect(state.instances.map(\.phase) == [.pending, .firing])
        #expect(evaluation.transitions.map(\.description) == [#"{service="api"} inactive→pending"#, #"{service="web"} pending→firing"#])
    }

    @Test func notificationCarriesTheAlertAndAReplayableKey() throws {
        let pending = machine.evaluate(.initial, AlertEvaluationInput(now: at(0), firing: [api: AlertSample(value: 0.07, severity: .critical)]))
        let input = AlertEvaluationInput(now: at(5), firing: [api: AlertSample(value: 0.09, severity: .critical)])
        let fired = machine.evaluate(pending.state, input)
        let notification = try #require(fired.notifications.first)
        #expect(
            notification
                == AlertNotification(
                    group: "api", alert: "HighErrorRate", labels: api, kind: .firing, severity: .critical, value: 0.09, at: at(5), channels: ["ops"]))
        #expect(notification.idempotencyKey == #"api/HighErrorRate{service="api"}/firing@2026-11-25T08:05:00Z"#)
        // A crash after the outbox write but before the state write replays the same evaluation: the same key comes out.
        #expect(machine.evaluate(pending.state, input).notifications.map(\.idempotencyKey) == [notification.idempotencyKey])
    }

    @Test func evaluatingAtOrBeforeTheLastTimeChangesNothing() {
        let first = machine.evaluate(.initial, AlertEvaluationInput(now: at(10), firing: [api: AlertSample(value: 1)]))
        for minute: Int64 in [10, 9] {
            let again = machine.evaluate(first.state, AlertEvaluationInput(now: at(minute)))
            #expect(again == AlertEvaluation(state: first.state))
        }
    }

    @Test func stateSurvivesACodableRoundTrip() throws {
        let state = machine.evaluate(.initial, AlertEvaluationInput(now: at(0), firing: [api: AlertSample(value: 0.5, severity: .info)])).state
        let data = try JSONEncoder().encode(state)
        #expect(try JSONDecoder().decode(AlertRuleState.self, from: data) == state)
    }

    @Test func settingsFromALoadedRule() throws {
        let text = """
            groups:
              - name: api
                labels: {team: core, severity: info}
                rules:
                  - alert: HighErrorRate
                    expr: x > 1
                    for: 10m
                    keep_firing_for: 2m
                    cooldown: 30m
                    resolve: x < 0.5
                    no_data: alerting
                    send_resolved: false
                    notify: [ops]
                    labels: {severity: critical}
            """
        let group = try RuleFileLoader.parse(text, file: "rules.yml").groups[0]
        let settings = AlertRuleSettings(group.rules[0], group: group)
        #expect(
            settings
                == AlertRuleSettings(
                    group: "api", alert: "HighErrorRate", holdDuration: .minutes(10), keepFiringFor: .minutes(2), cooldown: .minutes(30),
                    hasResolveCondition: true, noData: .alerting, sendResolved: false, ruleLabels: ["team": "core", "severity": "critical"],
                    channels: ["ops"]))
        #expect(settings.ruleLabels["alertname"] == "HighErrorRate")
    }

    @Test func silencesMatchOnRuleLabelsToo() {
        let machine = AlertStateMachine(AlertRuleSettings(group: "api", alert: "HighErrorRate", ruleLabels: ["team": "core"]))
        let muting = AlertMuting(silences: [
            Silence(id: "s", matchers: [try! SilenceMatcher(name: "team", op: .equal, value: "core")], startsAt: at(0), endsAt: at(60))
        ])
        let evaluation = machine.evaluate(.initial, AlertEvaluationInput(now: at(0), firing: [api: AlertSample(value: 1)]), muting: muting)
        #expect(evaluation.notifications.isEmpty)
        #expect(evaluation.held.map(\.reason) == [.silenced])
    }

    @Test(arguments: [(0.01, nil), (0.02, Severity.warning), (0.049, .warning), (0.05, .critical), (0.2, .critical)] as [(Double, Severity?)])
    func thresholdsGiveTheHighestCrossedSeverity(value: Double, expected: Severity?) {
        let thresholds = Thresholds(op: .greaterOrEqual, levels: [.warning: 0.02, .critical: 0.05])
        #expect(thresholds.severity(of: value) == expected)
    }

    @Test(arguments: [(0.9, nil), (0.8, nil), (0.7, Severity.warning), (0.5, .critical)] as [(Double, Severity?)])
    func downwardThresholds(value: Double, expected: Severity?) {
        #expect(Thresholds(op: .less, levels: [.warning: 0.8, .critical: 0.6]).severity(of: value) == expected)
    }
}
