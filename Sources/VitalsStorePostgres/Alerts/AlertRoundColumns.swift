import Foundation
import PostgresNIO
import VitalsCore
import VitalsPorts

/// An alert round's rows, column by column, for the array parameters of its commit (one statement per table).
///
/// Arrays cannot carry NULL here, so a missing time is `Int64.min` (`nullif` in the statement), a missing severity the empty
/// string, and a missing value has `false` in a presence column.
///
/// The statements come in two kinds (``Trust``). A round knows which of its instances are stored, and its transitions and
/// notifications are new: inserting them plainly takes PostgreSQL half the time of `ON CONFLICT`, which first looks for
/// the row, then inserts it speculatively and checks again. Only when a round is committed again (its first commit's
/// outcome was lost) or its knowledge is out of date does that fail; the commit is then made again with statements that
/// take every row as it finds it.
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

    /// What a commit's statements take for granted.
    enum Trust {
        /// That the round knows what is stored: its new instances are not stored, the others are, and its transitions and
        /// notifications are not. A row that proves it wrong fails the commit (a unique violation, or
        /// ``AlertRoundConflict``), and nothing is written.
        case roundKnowsTheStore
        /// Nothing: instances are inserted or updated as found, transitions and notifications already stored are left alone.
        case nothing
    }

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
                    switch before[instance.labels] {
                    case nil: instances.append(instance, group: group, alert: key, as: .insert)
                    case instance: continue
                    default: instances.append(instance, group: group, alert: key, as: .update)
                    }
                }
                for instance in previous where !now.contains(instance.labels) {
                    removed.groups.append(group)
                    removed.alerts.append(key)
                    removed.labels.append(instance.labels.canonical)
                }
            } else if record.instancesChanged {
                changed.groups.append(group)
                changed.alerts.append(key)
                for instance in record.state.instances { instances.append(instance, group: group, alert: key, as: .upsert) }
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
        /// How each row is written, as ``Write``'s raw values.
        var writes: [Int16] = []

        var isEmpty: Bool { groups.isEmpty }

        /// How a row of an instance is written.
        enum Write: Int16 {
            /// Inserted: the round knows it is not stored.
            case insert = 0
            /// Updated: the round knows it is stored, with other values.
            case update = 1
            /// Inserted, or updated when stored: the round does not know.
            case upsert = 2
        }

        /// The rows ``write(changed:removed:trusting:)`` updates when it trusts the round.
        var updates: Int { writes.count(where: { $0 == Write.update.rawValue }) }

        mutating func append(_ instance: AlertInstance, group: String, alert: String, as write: Write) {
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
            values.append((instance.value ?? 0).withPositiveZero)
            hasValue.append(instance.value != nil)
            writes.append(write.rawValue)
        }

        /// Writes these instances and deletes the others of the rules `changed` names and the instances `removed` names, in
        /// one statement (its parts touch different rows; an instance given twice fails it, as an insert would). Instances
        /// stored as they are (most of a round's: their values and times did not move) are not among these rows at all.
        ///
        /// Trusting the round, each row is written as its ``Write`` says, and the statement returns how many rows it
        /// updated: fewer than ``updates`` means the round took an instance for stored that is not. Trusting nothing, every
        /// row is inserted or updated as found (`ON CONFLICT DO UPDATE`), unless stored as it is.
        func write(
            changed: (groups: [String], alerts: [String]), removed: (groups: [String], alerts: [String], labels: [String]), trusting trust: Trust
        )
            -> PostgresQuery
        {
            let none = AlertRoundColumns.noTime
            let writes = trust == .nothing ? [Int16](repeating: Write.upsert.rawValue, count: self.writes.count) : self.writes
            let columns = """
                group_name, alert, labels, phase, active_at, fired_at, resolved_at, clear_since, last_sent_at, last_firing_sent_at,
                    firing_notified, severity, value
                """
            return """
                WITH i AS (
                    SELECT g, a, l, p, nullif(ac, \(none)) AS ac, nullif(fi, \(none)) AS fi, nullif(re, \(none)) AS re, nullif(cl, \(none)) AS cl,
                        nullif(se, \(none)) AS se, nullif(fs, \(none)) AS fs, n, nullif(sv, '') AS sv, CASE WHEN hv THEN v END AS v, w
                    FROM unnest(\(groups)::text[], \(alerts)::text[], \(labels)::text[], \(phases)::text[], \(times.active)::int8[], \(times.fired)::int8[],
                        \(times.resolved)::int8[], \(times.clear)::int8[], \(times.sent)::int8[], \(times.firingSent)::int8[], \(notified)::bool[],
                        \(severities)::text[], \(values)::float8[], \(hasValue)::bool[], \(writes)::int2[]) AS i(g, a, l, p, ac, fi, re, cl, se, fs, n, sv, v, hv, w)
                ), gone AS (
                    DELETE FROM alert_instances x USING unnest(\(changed.groups)::text[], \(changed.alerts)::text[]) AS c(g, a)
                    WHERE x.group_name = c.g AND x.alert = c.a
                        AND NOT EXISTS (SELECT 1 FROM i WHERE i.g = x.group_name AND i.a = x.alert AND i.l = x.labels)
                ), removed AS (
                    DELETE FROM alert_instances x USING unnest(\(removed.groups)::text[], \(removed.alerts)::text[], \(removed.labels)::text[]) AS r(g, a, l)
                    WHERE x.group_name = r.g AND x.alert = r.a AND x.labels = r.l
                ), inserted AS (
                    INSERT INTO alert_instances (\(unescaped: columns))
                    SELECT g, a, l, p, ac, fi, re, cl, se, fs, n, sv, v FROM i WHERE w = \(unescaped: String(Write.insert.rawValue))
                ), upserted AS (
                    INSERT INTO alert_instances AS x (\(unescaped: columns))
                    SELECT g, a, l, p, ac, fi, re, cl, se, fs, n, sv, v FROM i WHERE w = \(unescaped: String(Write.upsert.rawValue))
                    ON CONFLICT (group_name, alert, labels) DO UPDATE SET phase = excluded.phase, active_at = excluded.active_at,
                        fired_at = excluded.fired_at, resolved_at = excluded.resolved_at, clear_since = excluded.clear_since,
                        last_sent_at = excluded.last_sent_at, last_firing_sent_at = excluded.last_firing_sent_at,
                        firing_notified = excluded.firing_notified, severity = excluded.severity, value = excluded.value
                    WHERE (x.phase, x.active_at, x.fired_at, x.resolved_at, x.clear_since, x.last_sent_at, x.last_firing_sent_at, x.firing_notified,
                        x.severity, x.value) IS DISTINCT FROM (excluded.phase, excluded.active_at, excluded.fired_at, excluded.resolved_at,
                        excluded.clear_since, excluded.last_sent_at, excluded.last_firing_sent_at, excluded.firing_notified, excluded.severity,
                        excluded.value)
                ), updated AS (
                    UPDATE alert_instances x SET phase = i.p, active_at = i.ac, fired_at = i.fi, resolved_at = i.re, clear_since = i.cl,
                        last_sent_at = i.se, last_firing_sent_at = i.fs, firing_notified = i.n, severity = i.sv, value = i.v
                    FROM i WHERE i.w = \(unescaped: String(Write.update.rawValue)) AND x.group_name = i.g AND x.alert = i.a AND x.labels = i.l
                    RETURNING 1
                )
                SELECT count(*) FROM updated
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
            values.append((transition.value ?? 0).withPositiveZero)
            hasValue.append(transition.value != nil)
            times.append(transition.at.milliseconds)
        }

        /// In the round's order, which the ids keep: the history lists transitions of one instant in it. Trusting nothing, a
        /// transition already recorded is left alone.
        func insert(trusting trust: Trust) -> PostgresQuery {
            """
            INSERT INTO alert_transitions (group_name, alert, labels, kind, from_phase, to_phase, severity, value, at)
            SELECT g, a, l, k, f, t, nullif(sv, ''), CASE WHEN hv THEN v END, at
            FROM unnest(\(groups)::text[], \(alerts)::text[], \(labels)::text[], \(kinds)::text[], \(froms)::text[], \(tos)::text[],
                \(severities)::text[], \(values)::float8[], \(hasValue)::bool[], \(times)::int8[]) WITH ORDINALITY AS r(g, a, l, k, f, t, sv, v, hv, at, i)
            ORDER BY i
            \(unescaped: trust == .nothing ? "ON CONFLICT DO NOTHING" : "")
            """
        }
    }
}

/// A round trusted to know the stored instances took one for stored that is not (see ``AlertRoundColumns/Trust``): its commit
/// is rolled back and made again trusting nothing.
struct AlertRoundConflict: Error {}
