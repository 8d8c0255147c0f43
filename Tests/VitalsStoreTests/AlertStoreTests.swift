import Foundation
import GRDB
import Testing
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsStore

/// The alert tables: state, history, outbox and silences written by one round and read back by a new store object.
@Suite struct AlertStoreTests {
    let rule = AlertRuleID(group: "api", alert: "HighErrorRate")
    let api: Labels = ["service": "api"]

    func round(at instant: Timestamp, kind: NotificationKind = .firing) -> AlertRoundRecord {
        let instance = AlertInstance(
            labels: api, phase: .firing, activeAt: time("2026-11-25T08:00:00Z"), firedAt: instant, clearSince: nil, lastSentAt: instant,
            lastFiringSentAt: instant, firingNotified: true, severity: .critical, value: 0.07)
        let transition = AlertTransition(labels: api, from: .pending, to: .firing, severity: .critical, value: 0.07, at: instant)
        let notification = AlertNotification(
            group: "api", alert: "HighErrorRate", labels: api, kind: kind, severity: .critical, value: 0.07, at: instant, channels: ["ops"])
        return AlertRoundRecord(
            evaluatedAt: instant, groups: ["api"],
            rules: [
                .init(
                    rule: rule, state: AlertRuleState(evaluatedAt: instant, instances: [instance]), transitions: [transition],
                    notifications: [QueuedNotification(notification, summary: "HighErrorRate firing")])
            ])
    }

    @Test(arguments: StoreKind.allCases) func aCommittedRoundReadsBackExactly(_ kind: StoreKind) async throws {
        let at = time("2026-11-25T08:10:00Z")
        try await withStore(kind) { store in
            try await store.commit(round(at: at))
            #expect(try await store.groupEvaluations() == ["api": at])
            #expect(try await store.alertStates() == [rule: round(at: at).rules[0].state])
            #expect(try await store.alertHistory(since: at).map(\.transition) == round(at: at).rules[0].transitions)
            #expect(try await store.alertHistory(since: at.adding(.seconds(1))).isEmpty)
            let outbox = try await store.outbox()
            #expect(outbox.count == 1)
            #expect(outbox.first?.idempotencyKey == "api/HighErrorRate{service=\"api\"}/firing@2026-11-25T08:10:00Z")
            #expect(outbox.first?.channels == ["ops"])
            #expect(outbox.first?.status == "pending")
            #expect(outbox.first?.summary == "HighErrorRate firing")
            #expect(try await store.activeAlerts().map(\.instance.labels) == [api])
        }
    }

    @Test(arguments: StoreKind.allCases) func aRuleWhoseInstancesDidNotChangeKeepsThemAndMovesItsEvaluationTime(_ kind: StoreKind) async throws {
        let first = time("2026-11-25T08:10:00Z")
        let next = time("2026-11-25T08:11:00Z")
        try await withStore(kind) { store in
            try await store.commit(round(at: first))
            let unchanged = AlertRoundRecord.RuleRecord(
                rule: rule, state: AlertRuleState(evaluatedAt: next, instances: []), instancesChanged: false, transitions: [], notifications: [])
            try await store.commit(AlertRoundRecord(evaluatedAt: next, groups: ["api"], rules: [unchanged]))
            let stored = try #require(try await store.alertStates()[rule])
            #expect(stored.evaluatedAt == next)
            #expect(stored.instances == round(at: first).rules[0].state.instances)
            #expect(try await store.groupEvaluations() == ["api": next])
        }
    }

    @Test func committingTheSameRoundTwiceQueuesOneNotificationAndOneTransition() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let at = time("2026-11-25T08:10:00Z")
        try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400)).commit(round(at: at))
        // A process that crashed after committing but before recording it had finished runs the same round again.
        let reopened = try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400))
        try await reopened.commit(round(at: at))
        #expect(try await reopened.outbox().count == 1)
        #expect(try await reopened.alertHistory(since: Timestamp(milliseconds: 0)).count == 1)
    }

    @Test func aFailureInsideTheCommitLeavesNothingBehind() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        _ = try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400))
        // The outbox insert comes last in the transaction; failing it is a crash after the state rows were written.
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TRIGGER crash BEFORE INSERT ON alert_outbox BEGIN SELECT RAISE(ABORT, 'crash'); END")
        }
        let store = try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400))
        await #expect(throws: (any Error).self) { try await store.commit(round(at: time("2026-11-25T08:10:00Z"))) }
        #expect(try await store.groupEvaluations().isEmpty)
        #expect(try await store.alertStates().isEmpty)
        #expect(try await store.alertHistory(since: Timestamp(milliseconds: 0)).isEmpty)
        #expect(try await store.outbox().isEmpty)
    }

    /// Two rules named `HighErrorRate` in one group (warning, then critical) alerting on the same series: the second keeps
    /// its state under `HighErrorRate#2`, and writing the first's new state leaves the second's alone, across a reopen.
    @Test func twoRulesOfOneNameKeepTheirOwnStateAcrossAReopen() async throws {
        let folder = try TemporaryFolder()
        let path = folder.file("vitals.db")
        let critical = AlertRuleID(group: "api", alert: "HighErrorRate", ordinal: 1)
        let fired = time("2026-11-25T08:10:00Z")
        func record(_ id: AlertRuleID, _ severity: Severity, phase: AlertPhase, at instant: Timestamp) -> AlertRoundRecord.RuleRecord {
            let instance = AlertInstance(
                labels: api, phase: phase, activeAt: fired, firedAt: fired, resolvedAt: phase == .resolved ? instant : nil, clearSince: nil,
                lastSentAt: instant, lastFiringSentAt: fired, firingNotified: true, severity: severity, value: 0.07)
            let transition = AlertTransition(
                labels: api, from: phase == .firing ? .inactive : .firing, to: phase, severity: severity, value: 0.07, at: instant)
            let notification = AlertNotification(
                group: "api", alert: "HighErrorRate", ordinal: id.ordinal, labels: api, kind: phase == .firing ? .firing : .resolved,
                severity: severity, value: 0.07, at: instant)
            return .init(
                rule: id, state: AlertRuleState(evaluatedAt: instant, instances: [instance]), transitions: [transition],
                notifications: [QueuedNotification(notification, summary: "\(id) \(phase)")])
        }
        let both = [record(rule, .warning, phase: .firing, at: fired), record(critical, .critical, phase: .firing, at: fired)]
        try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400)).commit(
            AlertRoundRecord(evaluatedAt: fired, groups: ["api"], rules: both))
        let resolved = time("2026-11-25T08:11:00Z")
        let warningResolves = record(rule, .warning, phase: .resolved, at: resolved)
        try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400))
            .commit(AlertRoundRecord(evaluatedAt: resolved, groups: ["api"], rules: [warningResolves]))

        let reopened = try await SQLiteMetricStore(path: path, timeZone: utc, retention: .days(400))
        let states = try await reopened.alertStates()
        #expect(states == [rule: warningResolves.state, critical: both[1].state])
        #expect(states.keys.map(\.ordinal).sorted() == [0, 1])
        #expect(try await reopened.activeAlerts().map { "\($0.rule) \($0.instance.severity!)" } == ["api/HighErrorRate#2 critical"])
        await #expect(
            try reopened.alertHistory(since: fired).map { "\($0.rule) \($0.transition.to)" } == [
                "api/HighErrorRate firing", "api/HighErrorRate#2 firing", "api/HighErrorRate resolved",
            ])
        await #expect(
            try reopened.outbox().map(\.idempotencyKey) == [
                "api/HighErrorRate{service=\"api\"}/firing@2026-11-25T08:10:00Z", "api/HighErrorRate#2{service=\"api\"}/firing@2026-11-25T08:10:00Z",
                "api/HighErrorRate{service=\"api\"}/resolved@2026-11-25T08:11:00Z",
            ])
        #expect(try await reopened.outbox().map(\.rule) == [rule, critical, rule])
        // The store keeps the key in its `alert` column: a file written before ordinals existed reads the same.
        let keys = try await DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT alert FROM alert_rules ORDER BY alert") }
        #expect(keys == ["HighErrorRate", "HighErrorRate#2"])
    }

    @Test(arguments: StoreKind.allCases) func silencesAreStoredListedAndExpired(_ kind: StoreKind) async throws {
        let start = time("2026-11-25T08:00:00Z")
        let silence = Silence(
            id: "s1", matchers: try SilenceMatcher.parseList("alertname=HighErrorRate,service=~\"api|web\""), startsAt: start,
            endsAt: start.adding(.hours(2)), comment: "deploy", createdBy: "ana")
        try await withStore(kind) { store in
            try await store.addSilence(silence)
            #expect(try await store.silences(notEndedAt: start.adding(.hours(1))) == [silence])
            #expect(try await store.silences(notEndedAt: start.adding(.hours(2))).isEmpty)
            let expired = try await store.expireSilence(id: "s1", at: start.adding(.minutes(30)))
            #expect(expired?.endsAt == start.adding(.minutes(30)))
            #expect(try await store.silences(notEndedAt: start.adding(.minutes(30))).isEmpty)
            #expect(try await store.expireSilence(id: "nope", at: start) == nil)
            #expect(try await store.allSilences().map(\.comment) == ["deploy"])
        }
    }
}
