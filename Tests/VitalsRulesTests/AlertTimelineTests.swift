import Testing
import VitalsCore
import VitalsRules

/// One evaluation of a timeline: the minute after the start, what the conditions said, and what must happen.
struct AlertStep: Sendable {
    /// Minutes after 2026-11-25T08:00:00Z.
    let minute: Int64
    /// `fire` (optionally `fire:critical`), `resolve` (the resolve condition holds), `none` (neither holds), `nodata`.
    let input: String
    /// Transitions (`pending→firing`, `severity_raised critical`), then `send KIND`, then `hold KIND REASON`.
    let expected: [String]

    init(_ minute: Int64, _ input: String, _ expected: [String] = []) {
        self.minute = minute
        self.input = input
        self.expected = expected
    }
}

struct AlertTimeline: Sendable, CustomTestStringConvertible {
    let name: String
    let settings: AlertRuleSettings
    var muting: AlertMuting = .none
    let steps: [AlertStep]

    var testDescription: String { name }

    static let start = RFC3339.parse("2026-11-25T08:00:00Z")!
    static let labels: Labels = ["service": "api"]

    static func at(_ minute: Int64) -> Timestamp { start.adding(.minutes(minute)) }

    static func input(_ step: AlertStep) -> AlertEvaluationInput {
        let parts = step.input.split(separator: ":").map(String.init)
        var input = AlertEvaluationInput(now: at(step.minute))
        switch parts[0] {
        case "fire": input.firing = [labels: AlertSample(value: 0.07, severity: parts.count > 1 ? Severity(rawValue: parts[1]) : nil)]
        case "resolve": input.resolving = [labels]
        case "nodata": input.noData = [labels]
        default: break
        }
        return input
    }

    /// Runs the timeline and returns, per step, what happened in the expected notation.
    func run() -> [[String]] {
        let machine = AlertStateMachine(settings)
        var state = AlertRuleState.initial
        return steps.map { step in
            let evaluation = machine.evaluate(state, Self.input(step), muting: muting)
            state = evaluation.state
            return Self.describe(evaluation)
        }
    }

    static func describe(_ evaluation: AlertEvaluation) -> [String] {
        evaluation.transitions.map {
            $0.kind == .phase ? "\($0.from.rawValue)→\($0.to.rawValue)" : "\($0.kind.rawValue) \($0.severity?.rawValue ?? "none")"
        }
            + evaluation.notifications.map { "send \($0.kind.rawValue)" }
            + evaluation.held.map { "hold \($0.notification.kind.rawValue) \($0.reason.rawValue)" }
    }
}

@Suite struct AlertTimelineTests {
    static func rule(
        for hold: TimeSpan = .minutes(0), keepFiringFor: TimeSpan = .minutes(0), cooldown: TimeSpan = .minutes(60), resolve: Bool = false,
        noData: NoDataPolicy = .ok, sendResolved: Bool = true
    ) -> AlertRuleSettings {
        AlertRuleSettings(
            group: "api", alert: "HighErrorRate", holdDuration: hold, keepFiringFor: keepFiringFor, cooldown: cooldown, hasResolveCondition: resolve,
            noData: noData, sendResolved: sendResolved)
    }

    static let silenceUntil30 = AlertMuting(silences: [
        Silence(
            id: "s1", matchers: [try! SilenceMatcher(name: "alertname", op: .equal, value: "HighErrorRate")], startsAt: AlertTimeline.at(0),
            endsAt: AlertTimeline.at(30), comment: "deploy")
    ])

    static let silence10to30 = AlertMuting(silences: [
        Silence(
            id: "s2", matchers: [try! SilenceMatcher(name: "service", op: .equal, value: "api")], startsAt: AlertTimeline.at(10),
            endsAt: AlertTimeline.at(30))
    ])

    static let timelines: [AlertTimeline] = [
        AlertTimeline(
            name: "for: pending, then firing at the first evaluation at least `for` after activeAt", settings: rule(for: .minutes(5)),
            steps: [
                AlertStep(0, "fire", ["inactive→pending"]), AlertStep(1, "fire"), AlertStep(4, "fire"),
                AlertStep(5, "fire", ["pending→firing", "send firing"]), AlertStep(6, "none", ["firing→resolved", "send resolved"]),
                AlertStep(7, "none"),
            ]),
        AlertTimeline(
            name: "for: one false evaluation resets pending", settings: rule(for: .minutes(5)),
            steps: [
                AlertStep(0, "fire", ["inactive→pending"]), AlertStep(3, "none", ["pending→inactive"]), AlertStep(4, "fire", ["inactive→pending"]),
                AlertStep(8, "fire"), AlertStep(9, "fire", ["pending→firing", "send firing"]),
            ]),
        AlertTimeline(
            name: "for 0 fires at the first evaluation", settings: rule(),
            steps: [AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(1, "fire")]),
        AlertTimeline(
            name: "keep_firing_for holds firing until it has passed since the condition cleared", settings: rule(keepFiringFor: .minutes(10)),
            steps: [
                AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(5, "none"), AlertStep(8, "fire"), AlertStep(12, "none"),
                AlertStep(21, "none"), AlertStep(22, "none", ["firing→resolved", "send resolved"]),
            ]),
        AlertTimeline(
            name: "hysteresis: firing resolves only when the resolve condition holds", settings: rule(resolve: true),
            steps: [
                AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(1, "none"), AlertStep(2, "none"),
                AlertStep(3, "resolve", ["firing→resolved", "send resolved"]),
            ]),
        AlertTimeline(
            name: "hysteresis: pending still resets when the fire condition stops holding", settings: rule(for: .minutes(2), resolve: true),
            steps: [AlertStep(0, "fire", ["inactive→pending"]), AlertStep(1, "none", ["pending→inactive"])]),
        AlertTimeline(
            name: "reminders once per cooldown, the first exactly at the cooldown", settings: rule(),
            steps: [
                AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(59, "fire"), AlertStep(60, "fire", ["send reminder"]),
                AlertStep(61, "fire"), AlertStep(119, "fire"), AlertStep(120, "fire", ["send reminder"]),
            ]),
        AlertTimeline(
            name: "flap: a re-fire within the cooldown is held until the cooldown ends", settings: rule(),
            steps: [
                AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(10, "none", ["firing→resolved", "send resolved"]),
                AlertStep(20, "fire", ["resolved→firing", "hold firing flapping"]), AlertStep(30, "fire", ["hold firing flapping"]),
                AlertStep(60, "fire", ["send firing"]), AlertStep(61, "fire"), AlertStep(120, "fire", ["send reminder"]),
            ]),
        AlertTimeline(
            name: "flap: a held re-fire that resolves in the cooldown notifies nothing; the record goes with the cooldown", settings: rule(),
            steps: [
                AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(10, "none", ["firing→resolved", "send resolved"]),
                AlertStep(20, "fire", ["resolved→firing", "hold firing flapping"]), AlertStep(30, "none", ["firing→resolved"]),
                AlertStep(40, "none"), AlertStep(60, "none"), AlertStep(70, "fire", ["inactive→firing", "send firing"]),
            ]),
        AlertTimeline(
            name: "severity: escalation notifies at once, de-escalation is neither a resolve nor a notification", settings: rule(),
            steps: [
                AlertStep(0, "fire:warning", ["inactive→firing", "send firing"]),
                AlertStep(5, "fire:critical", ["severity_raised critical", "send escalated"]),
                AlertStep(10, "fire:warning", ["severity_lowered warning"]),
                AlertStep(15, "fire:critical", ["severity_raised critical", "send escalated"]),
                AlertStep(74, "fire:critical"), AlertStep(75, "fire:critical", ["send reminder"]),
            ]),
        AlertTimeline(
            name: "send_resolved false: the resolve is recorded, not sent", settings: rule(sendResolved: false),
            steps: [AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(1, "none", ["firing→resolved"])]),
        AlertTimeline(
            name: "silence: state advances, the notification waits for the silence to expire", settings: rule(), muting: silenceUntil30,
            steps: [
                AlertStep(0, "fire", ["inactive→firing", "hold firing silenced"]), AlertStep(29, "fire", ["hold firing silenced"]),
                AlertStep(30, "fire", ["send firing"]), AlertStep(31, "fire"),
            ]),
        AlertTimeline(
            name: "silence: a resolve under a silence is held", settings: rule(), muting: silenceUntil30,
            steps: [AlertStep(0, "fire", ["inactive→firing", "hold firing silenced"]), AlertStep(10, "none", ["firing→resolved"])]),
        AlertTimeline(
            name: "silence: a held resolve goes out when the silence ends", settings: rule(), muting: silence10to30,
            steps: [
                AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(15, "none", ["firing→resolved", "hold resolved silenced"]),
                AlertStep(20, "none", ["hold resolved silenced"]), AlertStep(30, "none", ["send resolved"]), AlertStep(31, "none"),
            ]),
        AlertTimeline(
            name: "no_data ok resolves", settings: rule(),
            steps: [AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(1, "nodata", ["firing→resolved", "send resolved"])]),
        AlertTimeline(
            name: "no_data alerting fires", settings: rule(noData: .alerting),
            steps: [AlertStep(0, "nodata", ["inactive→firing", "send firing"]), AlertStep(1, "none", ["firing→resolved", "send resolved"])]),
        AlertTimeline(
            name: "no_data keep_last keeps the state and the pending clock", settings: rule(for: .minutes(5), noData: .keepLast),
            steps: [
                AlertStep(0, "fire", ["inactive→pending"]), AlertStep(3, "nodata"), AlertStep(5, "fire", ["pending→firing", "send firing"]),
                AlertStep(6, "nodata"), AlertStep(7, "none", ["firing→resolved", "send resolved"]),
            ]),
        AlertTimeline(
            name: "re-evaluating at the same time changes nothing, whatever the input", settings: rule(),
            steps: [
                AlertStep(0, "fire", ["inactive→firing", "send firing"]), AlertStep(0, "fire"), AlertStep(0, "none"),
                AlertStep(1, "none", ["firing→resolved", "send resolved"]), AlertStep(1, "fire"),
            ]),
    ]

    @Test(arguments: timelines)
    func timeline(_ timeline: AlertTimeline) {
        let actual = timeline.run()
        for (step, happened) in zip(timeline.steps, actual) {
            #expect(happened == step.expected, "minute \(step.minute) (\(step.input))")
        }
    }
}
