import Testing
import VitalsCore
import VitalsRules

/// The notification decision on its own: one row per rule of the policy.
@Suite struct AlertNotificationPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let alert: AlertInstance
        let transition: AlertTransition.Kind?
        let to: AlertPhase
        let now: Int64
        var sendResolved = true
        var silenced = false
        let expected: NotificationDecision

        var testDescription: String { name }
    }

    static func alert(
        _ phase: AlertPhase, notified: Bool = true, lastSent: Int64? = nil, lastFiring: Int64? = nil, resolved: Int64? = nil
    ) -> AlertInstance {
        AlertInstance(
            labels: ["service": "api"], phase: phase, resolvedAt: resolved.map(AlertTimeline.at), lastSentAt: lastSent.map(AlertTimeline.at),
            lastFiringSentAt: lastFiring.map(AlertTimeline.at),
            firingNotified: notified)
    }

    static let cases: [Case] = [
        Case(name: "first firing", alert: alert(.firing, notified: false), transition: .phase, to: .firing, now: 0, expected: .send(.firing)),
        Case(
            name: "firing again inside the cooldown", alert: alert(.firing, notified: false, lastSent: 30, lastFiring: 10), transition: .phase,
            to: .firing, now: 40, expected: .hold(.firing, .flapping)),
        Case(
            name: "firing again exactly at the cooldown", alert: alert(.firing, notified: false, lastSent: 30, lastFiring: 0), transition: .phase,
            to: .firing, now: 60, expected: .send(.firing)),
        Case(
            name: "still firing inside the cooldown", alert: alert(.firing, lastSent: 0, lastFiring: 0), transition: nil, to: .firing, now: 59,
            expected: .none),
        Case(
            name: "reminder counts from the last notification sent, an escalation here", alert: alert(.firing, lastSent: 30, lastFiring: 30),
            transition: nil, to: .firing, now: 60, expected: .none),
        Case(
            name: "reminder at the cooldown", alert: alert(.firing, lastSent: 0, lastFiring: 0), transition: nil, to: .firing, now: 60,
            expected: .send(.reminder)),
        Case(
            name: "escalation inside the cooldown", alert: alert(.firing, lastSent: 0, lastFiring: 0), transition: .severityRaised, to: .firing,
            now: 1, expected: .send(.escalated)),
        Case(
            name: "escalation of a held re-fire is its first firing", alert: alert(.firing, notified: false, lastSent: 0, lastFiring: 0),
            transition: .severityRaised, to: .firing, now: 1, expected: .send(.firing)),
        Case(
            name: "de-escalation waits for the reminder", alert: alert(.firing, lastSent: 0, lastFiring: 0), transition: .severityLowered,
            to: .firing, now: 1, expected: .none),
        Case(
            name: "resolve", alert: alert(.resolved, lastSent: 0, lastFiring: 0, resolved: 1), transition: .phase, to: .resolved, now: 1,
            expected: .send(.resolved)),
        Case(
            name: "resolve without send_resolved", alert: alert(.resolved, lastSent: 0, lastFiring: 0, resolved: 1), transition: .phase,
            to: .resolved, now: 1,
            sendResolved: false, expected: .none),
        Case(
            name: "resolve of a firing nobody was told of", alert: alert(.resolved, notified: false, resolved: 1), transition: .phase, to: .resolved,
            now: 1,
            expected: .none),
        Case(
            name: "resolved and staying so", alert: alert(.resolved, lastSent: 1, lastFiring: 0, resolved: 1), transition: nil, to: .resolved, now: 2,
            expected: .none),
        Case(
            name: "silenced first firing", alert: alert(.firing, notified: false), transition: .phase, to: .firing, now: 0, silenced: true,
            expected: .hold(.firing, .silenced)),
        Case(
            name: "silenced reminder", alert: alert(.firing, lastSent: 0, lastFiring: 0), transition: nil, to: .firing, now: 60, silenced: true,
            expected: .hold(.reminder, .silenced)),
        Case(
            name: "silenced resolve", alert: alert(.resolved, lastSent: 0, lastFiring: 0, resolved: 1), transition: .phase, to: .resolved, now: 1,
            silenced: true,
            expected: .hold(.resolved, .silenced)),
        Case(name: "pending", alert: alert(.pending, notified: false), transition: .phase, to: .pending, now: 0, expected: .none),
    ]

    @Test(arguments: cases)
    func decision(_ row: Case) {
        let transition = row.transition.map {
            AlertTransition(labels: row.alert.labels, kind: $0, from: .pending, to: row.to, severity: nil, value: nil, at: AlertTimeline.at(row.now))
        }
        let decision = NotificationPolicy.decide(
            row.alert, transition: transition, now: AlertTimeline.at(row.now), cooldown: .minutes(60), sendResolved: row.sendResolved,
            silenced: row.silenced)
        #expect(decision == row.expected)
    }
}
