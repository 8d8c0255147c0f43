import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// What every backend of the alert ports (``AlertStore``, ``AlertHistory``, ``SilenceStore``, and the outbox a round queues
/// into) does, against the protocols only.
enum AlertStoreContract {
    typealias Ports = AlertStore & AlertHistory & SilenceStore & OutboxStore

    static let start = RFC3339.parse("2026-11-25T08:00:00Z")!
    static let api: Labels = ["service": "api"]
    static let web: Labels = ["service": "web"]

    static func checkAll(_ make: () async throws -> any Ports) async throws {
        try await aCommitReadsBackAndHistoryIsInOrder(make())
        try await aRoundTheStoreCannotWriteWritesNothing(make())
        try await silencesExpireAndEndedOnesAreLeftOut(make())
        try await notificationsKeepInfiniteValues(make())
        try await aRoundThatKnowsTheInstancesBeforeItLeavesTheStoredOnesRight(make())
        try await everyFieldOfAnInstanceReadsBackAsCommitted(make())
        try await aRoundCommittedAgainIsRecordedOnce(make())
        try await aRoundWhoseKnowledgeIsOutOfDateStillLeavesItsInstances(make())
        for seed in [UInt64(11), 12, 13] { try await randomRoundsReplaysAndOutOfDateRoundsLeaveWhatEachRoundSays(make(), seed: seed) }
    }

    /// One rule's record at `minutes`: its instances (`labels` in `phase`) and a transition into that phase for each.
    static func record(_ rule: AlertRuleID, _ labels: [Labels], _ phase: AlertPhase, minutes: Int64) -> AlertRoundRecord.RuleRecord {
        let at = start.adding(.minutes(minutes))
        let instances = labels.map { AlertInstance(labels: $0, phase: phase, activeAt: start, firedAt: phase == .firing ? at : nil, value: 1) }
        let transitions = labels.map { AlertTransition(labels: $0, from: .inactive, to: phase, severity: .warning, value: 1, at: at) }
        return AlertRoundRecord.RuleRecord(
            rule: rule, state: AlertRuleState(evaluatedAt: at, instances: instances), transitions: transitions, notifications: [])
    }

    /// What a round commits is what the next one reads; the history lists transitions at or after `since`, oldest first and
    /// in the order recorded at one instant; the active alerts put firing before pending.
    static func aCommitReadsBackAndHistoryIsInOrder(_ store: any Ports) async throws {
        #expect(try await store.groupEvaluations().isEmpty)
        #expect(try await store.alertStates().isEmpty)
        let errors = AlertRuleID(group: "api", alert: "Errors")
        let latency = AlertRuleID(group: "api", alert: "Latency", ordinal: 1)
        let first = [record(errors, [web, api], .pending, minutes: 0), record(latency, [api], .pending, minutes: 0)]
        try await store.commit(slots: ["api": start, "other": start.adding(.minutes(-1))], rules: first)
        let second = [record(errors, [api], .firing, minutes: 1)]
        try await store.commit(slots: ["api": start.adding(.minutes(1))], rules: second)
        #expect(try await store.groupEvaluations() == ["api": start.adding(.minutes(1)), "other": start.adding(.minutes(-1))])
        let states = try await store.alertStates()
        #expect(states[errors] == second[0].state)
        #expect(states[latency] == first[1].state)
        #expect(states[latency]?.instances.first?.labels == api)
        let history = try await store.alertHistory(since: start)
        #expect(
            history.map { "\($0.rule) \($0.transition.labels) \($0.transition.to)" } == [
                "api/Errors {service=\"web\"} pending", "api/Errors {service=\"api\"} pending", "api/Latency#2 {service=\"api\"} pending",
                "api/Errors {service=\"api\"} firing",
            ])
        #expect(try await store.alertHistory(since: start.adding(.minutes(1))).map(\.transition.to) == [.firing])
        #expect(try await store.activeAlerts().map { "\($0.rule) \($0.instance.phase)" } == ["api/Errors firing", "api/Latency#2 pending"])
    }

    /// Alert states as text, in key order: NaN equals nothing, not even itself.
    static func described(_ states: [AlertRuleID: AlertRuleState]) -> [String] {
        states.map { "\($0.key) \($0.value)" }.sorted()
    }

    /// Instances with every field set or not at random (times as far as 1970 and beyond 2200, values ±∞, NaN and the
    /// smallest magnitudes) read back as committed, across several rounds; −0 reads back as 0 from every store (SQLite cannot
    /// keep its sign).
    static func everyFieldOfAnInstanceReadsBackAsCommitted(_ store: any Ports) async throws {
        var random = SplitMix64(seed: 7)
        let values: [Double] = [.infinity, -.infinity, .nan, 0.0, -0.0, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 0.25, 1e300]
        func time() -> Timestamp? {
            Bool.random(using: &random) ? nil : Timestamp(milliseconds: Int64.random(in: -86_400_000...7_300_000_000_000, using: &random))
        }
        var expected: [AlertRuleID: AlertRuleState] = [:]
        for round in 0..<4 {
            let records = (0..<5).map { rule -> AlertRoundRecord.RuleRecord in
                let id = AlertRuleID(group: "g\(rule % 2)", alert: "Rule\(rule)")
                let instances = (0..<Int.random(in: 0...6, using: &random)).map { index in
                    AlertInstance(
                        labels: ["n": String(index)], phase: [.inactive, .pending, .firing].randomElement(using: &random)!, activeAt: time(),
                        firedAt: time(), resolvedAt: time(), clearSince: time(), lastSentAt: time(), lastFiringSentAt: time(),
                        firingNotified: Bool.random(using: &random), severity: [nil, .info, .warning, .critical].randomElement(using: &random)!,
                        value: Bool.random(using: &random) ? nil : values.randomElement(using: &random)!)
                }
                let state = AlertRuleState(evaluatedAt: start.adding(.minutes(Int64(round))), instances: instances)
                expected[id] = AlertRuleState(
                    evaluatedAt: state.evaluatedAt,
                    instances: instances.map { instance in
                        var kept = instance
                        kept.value = instance.value.map { $0 == 0 ? 0 : $0 }
                        return kept
                    })
                return AlertRoundRecord.RuleRecord(rule: id, state: state, transitions: [], notifications: [])
            }
            try await store.commit(slots: ["g0": start.adding(.minutes(Int64(round))), "g1": start.adding(.minutes(Int64(round)))], rules: records)
            let states = try await store.alertStates()
            #expect(described(states) == described(expected), "round \(round)")
        }
    }

    /// A round the store cannot write (its last rule holds one label set twice) throws, and nothing of it is written: not
    /// the group slots, not the rules before it.
    static func aRoundTheStoreCannotWriteWritesNothing(_ store: any Ports) async throws {
        let good = AlertRuleID(group: "api", alert: "Errors")
        try await store.commit(slots: ["api": start], rules: [record(good, [api], .pending, minutes: 0)])
        let before = try await store.alertStates()
        let bad = AlertRuleID(group: "api", alert: "Broken")
        await #expect(throws: (any Error).self) {
            try await store.commit(
                slots: ["api": start.adding(.minutes(1))],
                rules: [record(good, [api], .firing, minutes: 1), record(bad, [web, web], .pending, minutes: 1)])
        }
        #expect(try await store.groupEvaluations() == ["api": start])
        #expect(try await store.alertStates() == before)
        #expect(try await store.alertHistory(since: start.adding(.minutes(1))).isEmpty)
    }

    /// An alert's value can be infinite (`errors / requests` over no requests): the round commits, and the queued messages
    /// carry the values as they were.
    static func notificationsKeepInfiniteValues(_ store: any Ports) async throws {
        let rule = AlertRuleID(group: "api", alert: "ErrorRatio")
        let values = [Double.infinity, -Double.infinity, 0.25]
        let notifications = values.enumerated().map { index, value in
            QueuedNotification(
                AlertNotification(
                    group: "api", alert: "ErrorRatio", labels: ["shard": "\(index)"], kind: .firing, severity: .critical, value: value, at: start,
                    channels: []),
                summary: "ratio \(value) of shard \u{0}\(index)")
        }
        var record = record(rule, values.indices.map { ["shard": "\($0)"] }, .firing, minutes: 0)
        record.notifications = notifications
        try await store.commit(slots: ["api": start], rules: [record])
        let queued = try await store.unroutedMessages(limit: 10).map(\.message.payload)
        #expect(queued.map { payload -> Double? in if case .alert(let alert) = payload { alert.value } else { nil } } == values)
        // A summary quotes label values, which may hold NUL: every store keeps it as U+FFFD.
        #expect(
            queued.map { payload -> String? in if case .alert(let alert) = payload { alert.summary } else { nil } }
                == values.enumerated().map { "ratio \($1) of shard \u{FFFD}\($0)" })
    }

    /// A round that says which instances were stored before it (as the evaluation round does) may have only the difference
    /// written: whatever a store writes, the next read finds the round's instances, a vanished one gone, an unchanged one kept.
    static func aRoundThatKnowsTheInstancesBeforeItLeavesTheStoredOnesRight(_ store: any Ports) async throws {
        let rule = AlertRuleID(group: "api", alert: "Errors")
        let labels: [Labels] = ["a", "b", "c", "d"].map { ["shard": $0] }
        let first = record(rule, Array(labels[0..<3]), .pending, minutes: 0)
        try await store.commit(slots: ["api": start], rules: [first])
        let at = start.adding(.minutes(1))
        var next = record(rule, [labels[0], labels[2], labels[3]], .pending, minutes: 1)
        // a fires, c stays as stored, d is new, b is gone.
        next.state.instances[0] = AlertInstance(labels: labels[0], phase: .firing, activeAt: start, firedAt: at, value: 2)
        next.state.instances[1] = first.state.instances[2]
        next.previousInstances = first.state.instances
        try await store.commit(slots: ["api": at], rules: [next])
        #expect(try await store.alertStates()[rule] == next.state)
        // Nothing left: every instance gone.
        var last = record(rule, [], .pending, minutes: 2)
        last.previousInstances = next.state.instances
        try await store.commit(slots: ["api": start.adding(.minutes(2))], rules: [last])
        #expect(try await store.alertStates()[rule]?.instances == [])
    }

    /// A round committed again (its first commit's outcome was lost on the way back) records its transitions once and queues
    /// each notification once, however it went in the first time.
    static func aRoundCommittedAgainIsRecordedOnce(_ store: any Ports) async throws {
        let rule = AlertRuleID(group: "api", alert: "Errors")
        var round = record(rule, [api, web], .firing, minutes: 0)
        round.previousInstances = []
        round.notifications = [api, web].map { labels in
            QueuedNotification(
                AlertNotification(
                    group: "api", alert: "Errors", labels: labels, kind: .firing, severity: .critical, value: 1, at: start, channels: ["ops"]),
                summary: "errors")
        }
        try await store.commit(slots: ["api": start], rules: [round])
        try await store.commit(slots: ["api": start], rules: [round])
        #expect(try await store.alertHistory(since: start).map(\.transition.labels) == [api, web])
        #expect(try await store.unroutedMessages(limit: 10).count == 2)
        #expect(try await store.alertStates()[rule] == round.state)
        // Again, together with a round that is new: the new one is written whole, the old one once.
        var next = record(rule, [api, web], .resolved, minutes: 1)
        next.previousInstances = round.state.instances
        try await store.commit(slots: ["api": start], rules: [round])
        try await store.commit(slots: ["api": start.adding(.minutes(1))], rules: [next])
        #expect(try await store.alertHistory(since: start).map(\.transition.to) == [.firing, .firing, .resolved, .resolved])
        #expect(try await store.alertStates()[rule] == next.state)
    }

    /// A round's idea of the stored instances can be out of date (another round committed in between): an instance it takes
    /// for new is stored, or one it takes for stored is gone. Its commit still leaves its instances, and records its
    /// transitions.
    static func aRoundWhoseKnowledgeIsOutOfDateStillLeavesItsInstances(_ store: any Ports) async throws {
        let rule = AlertRuleID(group: "api", alert: "Errors")
        try await store.commit(slots: ["api": start], rules: [record(rule, [api], .pending, minutes: 0)])
        // Takes `api` for new: it is stored, pending.
        var firing = record(rule, [api], .firing, minutes: 1)
        firing.previousInstances = []
        try await store.commit(slots: ["api": start.adding(.minutes(1))], rules: [firing])
        #expect(try await store.alertStates()[rule] == firing.state)
        // Takes `web` for stored with other values: it is not stored. (`api` it knows as it is.)
        var both = record(rule, [api, web], .firing, minutes: 2)
        both.state.instances[0] = firing.state.instances[0]
        both.previousInstances = [firing.state.instances[0], AlertInstance(labels: web, phase: .pending, activeAt: start, value: 3)]
        try await store.commit(slots: ["api": start.adding(.minutes(2))], rules: [both])
        #expect(try await store.alertStates()[rule] == both.state)
        #expect(
            try await store.alertHistory(since: start.adding(.minutes(1))).map { "\($0.transition.labels) \($0.transition.at)" } == [
                "\(api) \(start.adding(.minutes(1)))", "\(api) \(start.adding(.minutes(2)))", "\(web) \(start.adding(.minutes(2)))",
            ])
    }

    /// Random rounds over four rules and six label sets: instances appear, change (NaN values included), stay as they are
    /// and vanish; some rounds are committed twice, some take a stored instance for new or an unstored one for stored
    /// (with other values than the round gives it). After each commit the store holds each rule's instances as the round
    /// says, every transition once and every notification once.
    static func randomRoundsReplaysAndOutOfDateRoundsLeaveWhatEachRoundSays(_ store: any Ports, seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let rules = (0..<4).map { AlertRuleID(group: "g\($0 % 2)", alert: "Rule\($0)") }
        let labelSets = (0..<6).map { Labels(["shard": "s\($0)"]) }
        let values: [Double?] = [nil, 0.5, 7, .nan, .infinity]
        var stored: [AlertRuleID: [AlertInstance]] = [:]
        var transitions = 0
        var keys = Set<String>()
        var last: (slots: [String: Timestamp], records: [AlertRoundRecord.RuleRecord])?
        for step in 0..<24 {
            let at = start.adding(.minutes(Int64(step)))
            if let replayed = last, Int.random(in: 0..<5, using: &random) == 0 {
                try await store.commit(slots: replayed.slots, rules: replayed.records)
            } else {
                var records: [AlertRoundRecord.RuleRecord] = []
                for rule in rules where Bool.random(using: &random) {
                    let before = stored[rule] ?? []
                    let instances = labelSets.filter { _ in Int.random(in: 0..<3, using: &random) > 0 }.map { labels in
                        if let kept = before.first(where: { $0.labels == labels }), Bool.random(using: &random) { return kept }
                        return AlertInstance(
                            labels: labels, phase: [.pending, .firing].randomElement(using: &random)!, activeAt: at, firedAt: nil,
                            value: values.randomElement(using: &random)!)
                    }
                    var previous = before
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0:
                        // Takes an instance the round keeps for new, though it is stored.
                        if let index = previous.indices.filter({ index in instances.contains { $0.labels == previous[index].labels } }).randomElement(
                            using: &random)
                        {
                            previous.remove(at: index)
                        }
                    case 1:
                        // Takes an instance the round gives other values for stored, though it is not.
                        if let new = instances.first(where: { instance in !previous.contains { $0.labels == instance.labels } }) {
                            previous.append(AlertInstance(labels: new.labels, phase: .resolved, activeAt: start, value: -1))
                        }
                    default: break
                    }
                    let changed = instances.filter { instance in !before.contains { $0.labels == instance.labels && "\($0)" == "\(instance)" } }
                    let recorded = changed.map {
                        AlertTransition(labels: $0.labels, from: .inactive, to: $0.phase, severity: nil, value: $0.value, at: at)
                    }
                    let notifications = changed.filter { $0.phase == .firing }.map { instance in
                        QueuedNotification(
                            AlertNotification(
                                group: rule.group, alert: rule.key, labels: instance.labels, kind: .firing, severity: nil, value: instance.value,
                                at: at,
                                channels: []),
                            summary: "firing")
                    }
                    records.append(
                        AlertRoundRecord.RuleRecord(
                            rule: rule, state: AlertRuleState(evaluatedAt: at, instances: instances), previousInstances: previous,
                            transitions: recorded, notifications: notifications))
                    stored[rule] = instances
                    transitions += recorded.count
                    keys.formUnion(notifications.map(\.notification.idempotencyKey))
                }
                let slots = Dictionary(uniqueKeysWithValues: Set(records.map(\.rule.group)).map { ($0, at) })
                try await store.commit(slots: slots, rules: records)
                last = (slots, records)
            }
            let states = try await store.alertStates()
            for rule in rules {
                #expect(states[rule]?.instances.map { "\($0)" } ?? [] == (stored[rule] ?? []).map { "\($0)" }, "seed \(seed), step \(step), \(rule)")
            }
            #expect(try await store.alertHistory(since: start).count == transitions, "seed \(seed), step \(step)")
            #expect(try await Set(store.unroutedMessages(limit: 10_000).map(\.message.idempotencyKey)) == keys, "seed \(seed), step \(step)")
        }
    }

    /// Silences in force or to come are listed by start; an expired one is kept, ended at the expiry, and no longer in force.
    /// A NUL in a comment or author is kept as U+FFFD.
    static func silencesExpireAndEndedOnesAreLeftOut(_ store: any Ports) async throws {
        let matchers = try SilenceMatcher.parseList("alertname=Errors,service=~\"api|web\"")
        let now = Silence(id: "a", matchers: matchers, startsAt: start, endsAt: start.adding(.hours(2)), comment: "deploy", createdBy: "ana")
        let later = Silence(
            id: "b", matchers: [], startsAt: start.adding(.hours(1)), endsAt: start.adding(.hours(3)), comment: "a\u{0}b", createdBy: "\u{0}")
        let ended = Silence(id: "c", matchers: [], startsAt: start.adding(.hours(-2)), endsAt: start.adding(.hours(-1)))
        for silence in [later, now, ended] { try await store.addSilence(silence) }
        let stored = try await store.silences(notEndedAt: start)
        let kept = Silence(
            id: "b", matchers: [], startsAt: start.adding(.hours(1)), endsAt: start.adding(.hours(3)), comment: "a\u{FFFD}b", createdBy: "\u{FFFD}")
        #expect(stored == [now, kept])
        #expect(try await store.silences(notEndedAt: start.adding(.hours(2))) == [kept])
        let expired = try await store.expireSilence(id: "a", at: start.adding(.minutes(30)))
        #expect(expired?.endsAt == start.adding(.minutes(30)))
        #expect(expired?.matchers == matchers)
        #expect(try await store.silences(notEndedAt: start.adding(.minutes(30))) == [kept])
        #expect(try await store.expireSilence(id: "c", at: start) == ended)
        #expect(try await store.expireSilence(id: "none", at: start) == nil)
        #expect(try await store.allSilences().map(\.id) == ["b", "a", "c"])
    }
}

@Suite struct AlertStoreContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheAlertPortsContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any AlertStoreContract.Ports).self) { make in
            try await AlertStoreContract.checkAll { try await make() }
        }
    }
}
