import Foundation
import PostgresNIO
import VitalsCore
import VitalsPorts

/// An alert round's rows, column by column, for the array parameters of its commit (one statement per table).
///
/// Arrays cannot carry NULL here, so a missing time is `Int64.min` (`nullif` in the statement), a missing severity the empty
/// string, and a missing value has `false` in a presence column.
struct AlertRoundColumns {
    var rules = (groups: [String](), alerts: [String](), evaluated: [Int64]())
    /// The rules whose instances are replaced whole (those whose instances before the round are not known).
    var changed = (groups: [String](), alerts: [String]())
    /// The instances to insert or update: all of the rules in `changed`, and of the others those that differ from before.
    var instances = Instances()
    /// The instances gone since before the round, of rules whose instances before it are known.
    var removed = (groups: [String](), alerts: [String](), labels: [String]())
    var transitions = Transitions()
    var notifications = (keys: [String](), payloads: [String](), channels: [String](), times: [Int64]())

    static let noTime = Int64.min

    init(_ records: [AlertRoundRecord.RuleRecord]) throws {
        let encoder = PayloadJSON.encoder()
        // Rules share a few channel lists: each is encoded once (a round that fires thousands of alerts queues as many).
        var channelsJSON: [[String]: String] = [:]
        for record in records {
            let group = record.rule.group
            let key = record.rule.key
            rules.groups.append(group)
            rules.alerts.append(key)
            rules.evaluated.append(record.state.evaluatedAt?.milliseconds ?? Self.noTime)
            if record.instancesChanged, let previous = record.previousInstances {
                // Most of a round's instances keep their values and times: only those that differ are sent.
                let before = Dictionary(previous.map { ($0.labels, $0) }, uniquingKeysWith: { first, _ in first })
                var now = Set<Labels>()
                for instance in record.state.instances {
                    now.insert(instance.labels)
                    if before[instance.labels] != instance { instances.append(instance, group: group, alert: key) }
                }
                for instance in previous where !now.contains(instance.labels) {
                    removed.groups.append(group)
                    removed.alerts.append(key)
                    removed.labels.append(instance.labels.canonical)
                }
            } else if record.instancesChanged {
                changed.groups.append(group)
                changed.alerts.append(key)
                for instance in record.state.instances { instances.append(instance, group: group, alert: key) }
            }
            for transition in record.transitions { transitions.append(transition, group: group, alert: key) }
            for queued in record.notifications {
                let notification = queued.notification
                guard let event = AlertMessage.Event(rawValue: notification.kind.rawValue) else { continue }
                let message = AlertMessage(
                    group: group, alert: key, labels: notification.labels, event: event, severity: notification.severity,
                    value: notification.value, summary: queued.summary, at: notification.at)
                notifications.keys.append(notification.idempotencyKey)
                notifications.payloads.append(PayloadJSON.alert(message))
                let channels = try channelsJSON[notification.channels] ?? String(decoding: encoder.encode(notification.channels), as: UTF8.self)
                channelsJSON[notification.channels] = channels
                notifications.channels.append(channels)
                notifications.times.append(notification.at.milliseconds)
            }
        }
    }

    struct Instances {
        var groups: [String] = []
        var alerts: [String] = []
        var labels: [String] = []
        var phases: [String] = []
        var times = (active: [Int64](), fired: [Int64](), resolved: [Int64](), clear: [Int64](), sent: [Int64](), firingSent: [Int64]())
        var notified: [Bool] = []
        var severities: [String] = []
        var values: [Double] = []
        var hasValue: [Bool] = []

        var isEmpty: Bool { groups.isEmpty }

        mutating func append(_ instance: AlertInstance, group: String, alert: String) {
            groups.append(group)
            alerts.append(alert)
            labels.append(instance.labels.canonical)
            phases.append(instance.phase.rawValue)
            let time = { (instant: Timestamp?) in instant?.milliseconds ?? AlertRoundColumns.noTime }
            times.active.append(time(instance.activeAt))
            times.fired.append(time(instance.firedAt))
            times.resolved.append(time(instance.resolvedAt))
            times.clear.append(time(instance.clearSince))
            times.sent.append(time(instance.lastSentAt))
            times.firingSent.append(time(instance.lastFiringSentAt))
            notified.append(instance.firingNotified)
            severities.append(instance.severity?.rawValue ?? "")
            values.append(instance.value ?? 0)
            hasValue.append(instance.value != nil)
        }

        /// Writes these instances and deletes the others of the rules `changed` names and the instances `removed` names:
        /// inserts the new ones and updates those stored otherwise. Instances stored as they are (most of a round's: their
        /// values and times did not move) are left alone rather than deleted and inserted again. The deletions and the upsert
        /// touch different rows, so they are one statement; an instance given twice fails it, as an insert would.
        func write(changed: (groups: [String], alerts: [String]), removed: (groups: [String], alerts: [String], labels: [String])) -> PostgresQuery {
            let none = AlertRoundColumns.noTime
            return """
                WITH i AS (
                    SELECT g, a, l, p, nullif(ac, \(none)) AS ac, nullif(fi, \(none)) AS fi, nullif(re, \(none)) AS re, nullif(cl, \(none)) AS cl,
                        nullif(se, \(none)) AS se, nullif(fs, \(none)) AS fs, n, nullif(sv, '') AS sv, CASE WHEN hv THEN v END AS v
                    FROM unnest(\(groups)::text[], \(alerts)::text[], \(labels)::text[], \(phases)::text[], \(times.active)::int8[], \(times.fired)::int8[],
                        \(times.resolved)::int8[], \(times.clear)::int8[], \(times.sent)::int8[], \(times.firingSent)::int8[], \(notified)::bool[],
                        \(severities)::text[], \(values)::float8[], \(hasValue)::bool[]) AS i(g, a, l, p, ac, fi, re, cl, se, fs, n, sv, v, hv)
                ), gone AS (
                    DELETE FROM alert_instances x USING unnest(\(changed.groups)::text[], \(changed.alerts)::text[]) AS c(g, a)
                    WHERE x.group_name = c.g AND x.alert = c.a
                        AND NOT EXISTS (SELECT 1 FROM i WHERE i.g = x.group_name AND i.a = x.alert AND i.l = x.labels)
                ), removed AS (
                    DELETE FROM alert_instances x USING unnest(\(removed.groups)::text[], \(removed.alerts)::text[], \(removed.labels)::text[]) AS r(g, a, l)
                    WHERE x.group_name = r.g AND x.alert = r.a AND x.labels = r.l
                )
                INSERT INTO alert_instances AS x (group_name, alert, labels, phase, active_at, fired_at, resolved_at, clear_since, last_sent_at,
                    last_firing_sent_at, firing_notified, severity, value)
                SELECT g, a, l, p, ac, fi, re, cl, se, fs, n, sv, v FROM i
                ON CONFLICT (group_name, alert, labels) DO UPDATE SET phase = excluded.phase, active_at = excluded.active_at,
                    fired_at = excluded.fired_at, resolved_at = excluded.resolved_at, clear_since = excluded.clear_since,
                    last_sent_at = excluded.last_sent_at, last_firing_sent_at = excluded.last_firing_sent_at,
                    firing_notified = excluded.firing_notified, severity = excluded.severity, value = excluded.value
                WHERE (x.phase, x.active_at, x.fired_at, x.resolved_at, x.clear_since, x.last_sent_at, x.last_firing_sent_at, x.firing_notified,
                    x.severity, x.value) IS DISTINCT FROM (excluded.phase, excluded.active_at, excluded.fired_at, excluded.resolved_at,
                    excluded.clear_since, excluded.last_sent_at, excluded.last_firing_sent_at, excluded.firing_notified, excluded.severity,
                    excluded.value)
                """
        }
    }

    struct Transitions {
        var groups: [String] = []
        var alerts: [String] = []
        var labels: [String] = []
        var kinds: [String] = []
        var froms: [String] = []
        var tos: [String] = []
        var severities: [String] = []
        var values: [Double] = []
        var hasValue: [Bool] = []
        var times: [Int64] = []

        var isEmpty: Bool { groups.isEmpty }

        mutating func append(_ transition: AlertTransition, group: String, alert: String) {
            groups.append(group)
            alerts.append(alert)
            labels.append(transition.labels.canonical)
            kinds.append(transition.kind.rawValue)
            froms.append(transition.from.rawValue)
            tos.append(transition.to.rawValue)
            severities.append(transition.severity?.rawValue ?? "")
            values.append(transition.value ?? 0)
            hasValue.append(transition.value != nil)
            times.append(transition.at.milliseconds)
        }

        /// In the round's order, which the ids keep: the history lists transitions of one instant in it.
        var insert: PostgresQuery {
            """
            INSERT INTO alert_transitions (group_name, alert, labels, kind, from_phase, to_phase, severity, value, at)
            SELECT g, a, l, k, f, t, nullif(sv, ''), CASE WHEN hv THEN v END, at
            FROM unnest(\(groups)::text[], \(alerts)::text[], \(labels)::text[], \(kinds)::text[], \(froms)::text[], \(tos)::text[],
                \(severities)::text[], \(values)::float8[], \(hasValue)::bool[], \(times)::int8[]) WITH ORDINALITY AS r(g, a, l, k, f, t, sv, v, hv, at, i)
            ORDER BY i
            ON CONFLICT DO NOTHING
            """
        }
    }
}
