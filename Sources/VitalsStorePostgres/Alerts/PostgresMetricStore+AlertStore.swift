import Foundation
import PostgresNIO
public import VitalsCore
public import VitalsPorts

/// The alert round's state (groups, rules, instances), its history of transitions and the silences, in the tables the
/// SQLite store has (`docs/alerting.md`); a round's notifications join the outbox unrouted, as there.
extension PostgresMetricStore: AlertStore, AlertHistory, SilenceStore {
    public func groupEvaluations() async throws -> [String: Timestamp] {
        try await reading { connection in
            var slots: [String: Timestamp] = [:]
            for try await (name, at) in try await connection.query("SELECT name, last_evaluated_at FROM alert_groups", logger: Self.logger)
                .decode((String, Int64).self)
            {
                slots[name] = Timestamp(milliseconds: at)
            }
            return slots
        }
    }

    /// One statement, so rules and instances come from one snapshot: each rule's row joined to its instances' rows, all
    /// packed in one `bytea` (``PackedColumns``), an instance's times, `firing_notified` and value as ``InstanceFields``:
    /// decoding fourteen columns a row took postgres-nio 18 ms of processor time for 4,000 instances, seven 10 ms.
    public func alertStates() async throws -> [AlertRuleID: AlertRuleState] {
        let packed = try await reading { connection in
            var packed: ByteBuffer?
            for try await answer in try await connection.query(
                """
                SELECT string_agg(
                    \(unescaped: PackedColumns.text("g")) || \(unescaped: PackedColumns.text("a")) || int8send(coalesce(e, \(Int64.min)))
                        || \(unescaped: PackedColumns.text("l")) || \(unescaped: PackedColumns.text("p")) || \(unescaped: PackedColumns.text("s"))
                        || \(unescaped: PackedColumns.bytes("f")), ''::bytea)
                FROM (
                    SELECT coalesce(r.group_name, i.group_name) AS g, coalesce(r.alert, i.alert) AS a, r.evaluated_at AS e, i.labels AS l,
                        i.phase AS p, i.severity AS s, CASE WHEN i.labels IS NOT NULL THEN \(unescaped: InstanceFields.packed) END AS f
                    FROM alert_rules r FULL JOIN alert_instances i ON i.group_name = r.group_name AND i.alert = r.alert
                ) AS x
                """, logger: Self.logger
            ).decode(ByteBuffer?.self) {
                packed = answer
            }
            return packed
        }
        var buffer = packed ?? ByteBuffer()
        var states: [AlertRuleID: AlertRuleState] = [:]
        while buffer.readableBytes > 0 {
            guard let group = buffer.readPackedField() ?? nil, let alert = buffer.readPackedField() ?? nil,
                let evaluated = buffer.readInteger(as: Int64.self), let text = buffer.readPackedField(), let phaseBytes = buffer.readPackedField(),
                let severity = buffer.readPackedField(), let fields = buffer.readPackedField()
            else {
                throw PostgresStoreError(database: database, message: "the alert state came back in a layout this build cannot read")
            }
            let id = AlertRuleID(group: String(buffer: group), key: String(buffer: alert))
            if states[id] == nil { states[id] = AlertRuleState(evaluatedAt: evaluated == .min ? nil : Timestamp(milliseconds: evaluated)) }
            guard let text = text.map({ String(buffer: $0) }) else { continue }
            let phaseText = phaseBytes.map { String(buffer: $0) }
            guard let labels = Labels(canonical: text), let phase = phaseText.flatMap(AlertPhase.init(rawValue:)) else {
                throw PostgresStoreError(
                    database: database, message: "alert instance of \(id) has labels '\(text)' or phase '\(phaseText ?? "")' this build does not know"
                )
            }
            guard let fields = fields.flatMap(InstanceFields.init(unpacking:)) else {
                throw PostgresStoreError(
                    database: database, message: "alert instance of \(id) \(labels) came back with times and value this build cannot unpack")
            }
            states[id]?.instances.append(
                AlertInstance(
                    labels: labels, phase: phase, activeAt: fields.times[0], firedAt: fields.times[1], resolvedAt: fields.times[2],
                    clearSince: fields.times[3], lastSentAt: fields.times[4], lastFiringSentAt: fields.times[5],
                    firingNotified: fields.firingNotified, severity: severity.flatMap { Severity(rawValue: String(buffer: $0)) },
                    value: fields.value))
        }
        for id in states.keys { states[id]?.instances.sort { $0.labels < $1.labels } }
        return states
    }

    public func silences(notEndedAt instant: Timestamp) async throws -> [Silence] {
        try await fetchSilences("WHERE ends_at > \(instant.milliseconds) ORDER BY starts_at, id COLLATE \"C\"")
    }

    /// One transaction, begun only once the round has evaluated everything: one statement per table, the rows as array
    /// parameters, however many rules, instances, transitions and notifications the round has.
    ///
    /// The statements first trust the round to know what is stored (``AlertRoundColumns/Trust``). When a row proves it
    /// wrong (the round is committed again because its first commit's outcome was lost, or what it read is out of date),
    /// nothing of that try is written and the round is committed once more trusting nothing: a transition or notification
    /// already stored is left alone (a replayed notification is never sent twice), an instance is written as found.
    public func commit(slots: [String: Timestamp], rules: [AlertRoundRecord.RuleRecord]) async throws {
        let round = try AlertRoundColumns(rules)
        do {
            try await commit(round, slots: slots, trusting: .roundKnowsTheStore)
        } catch let error as PostgresStoreError where error.sqlState == "23505" {
            try await commit(round, slots: slots, trusting: .nothing)
        } catch is AlertRoundConflict {
            try await commit(round, slots: slots, trusting: .nothing)
        }
    }

    private func commit(_ round: AlertRoundColumns, slots: [String: Timestamp], trusting trust: AlertRoundColumns.Trust) async throws {
        let groups = slots.keys.sorted()
        let times = groups.map { slots[$0]!.milliseconds }
        try await writing { connection in
            try await connection.query(
                """
                INSERT INTO alert_groups (name, last_evaluated_at) SELECT * FROM unnest(\(groups)::text[], \(times)::int8[])
                ON CONFLICT (name) DO UPDATE SET last_evaluated_at = excluded.last_evaluated_at
                """, logger: Self.logger)
            try await connection.query(
                """
                INSERT INTO alert_rules (group_name, alert, evaluated_at)
                SELECT g, a, nullif(e, \(Int64.min)) FROM unnest(\(round.rules.groups)::text[], \(round.rules.alerts)::text[], \(round.rules.evaluated)::int8[]) AS r(g, a, e)
                ON CONFLICT (group_name, alert) DO UPDATE SET evaluated_at = excluded.evaluated_at
                """, logger: Self.logger)
            if !round.instances.isEmpty || !round.changed.groups.isEmpty || !round.removed.groups.isEmpty {
                var updated = 0
                let statement = round.instances.write(changed: round.changed, removed: round.removed, trusting: trust)
                for try await count in try await connection.query(statement, logger: Self.logger).decode(Int.self) { updated = count }
                if trust == .roundKnowsTheStore && updated != round.instances.updates { throw AlertRoundConflict() }
            }
            if !round.transitions.isEmpty {
                try await connection.query(round.transitions.insert(trusting: trust), logger: Self.logger)
            }
            if !round.notifications.keys.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO outbox_messages (idempotency_key, payload, channels, created_at, routed)
                    SELECT k, p, c, t, false FROM unnest(\(round.notifications.keys)::text[], \(round.notifications.payloads)::text[],
                        \(round.notifications.channels)::text[], \(round.notifications.times)::int8[]) WITH ORDINALITY AS n(k, p, c, t, i)
                    ORDER BY i
                    \(unescaped: trust == .nothing ? "ON CONFLICT (idempotency_key) DO NOTHING" : "")
                    """, logger: Self.logger)
            }
        }
    }

    /// The transitions at or after `since`, oldest first (in the order recorded at one instant).
    public func alertHistory(since: Timestamp) async throws -> [AlertHistoryEntry] {
        typealias Row = (Int64, String, String, String, String, String, String, String?, Double?, Int64)
        let rows = try await transaction { connection in
            var rows: [Row] = []
            for try await row in try await connection.query(
                """
                SELECT id, group_name, alert, labels, kind, from_phase, to_phase, severity, value, at FROM alert_transitions
                WHERE at >= \(since.milliseconds) ORDER BY at, id
                """, logger: Self.logger
            ).decode(Row.self) {
                rows.append(row)
            }
            return rows
        }
        return try rows.map { id, group, key, text, kindText, fromText, toText, severity, value, at in
            guard let labels = Labels(canonical: text), let kind = AlertTransition.Kind(rawValue: kindText),
                let from = AlertPhase(rawValue: fromText),
                let to = AlertPhase(rawValue: toText)
            else {
                throw PostgresStoreError(
                    database: database, message: "alert transition \(id) has a label set, kind or phase this build does not know")
            }
            let transition = AlertTransition(
                labels: labels, kind: kind, from: from, to: to, severity: severity.flatMap(Severity.init(rawValue:)), value: value,
                at: Timestamp(milliseconds: at))
            return AlertHistoryEntry(rule: AlertRuleID(group: group, key: key), transition: transition)
        }
    }

    public func addSilence(_ silence: Silence) async throws {
        let matchers = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
        try await writing { connection in
            try await connection.query(
                """
                INSERT INTO alert_silences (id, matchers, starts_at, ends_at, comment, created_by)
                VALUES (\(silence.id), \(matchers), \(silence.startsAt.milliseconds), \(silence.endsAt.milliseconds), \(silence.comment.storable), \(silence.createdBy.storable))
                """, logger: Self.logger)
        }
    }

    public func expireSilence(id: String, at instant: Timestamp) async throws -> Silence? {
        try await writing { connection in
            try await connection.query(
                """
                UPDATE alert_silences SET ends_at = \(instant.milliseconds), starts_at = least(starts_at, \(instant.milliseconds))
                WHERE id = \(id) AND ends_at > \(instant.milliseconds)
                """, logger: Self.logger)
        }
        return try await fetchSilences("WHERE id = \(id)").first
    }

    public func allSilences() async throws -> [Silence] {
        try await fetchSilences("ORDER BY starts_at DESC, id COLLATE \"C\"")
    }

    private func fetchSilences(_ condition: PostgresQuery) async throws -> [Silence] {
        var query: PostgresQuery = "SELECT id, matchers, starts_at, ends_at, comment, created_by FROM alert_silences "
        query.sql += condition.sql
        query.binds = condition.binds
        let rows = try await reading { [query] connection in
            var rows: [(String, String, Int64, Int64, String, String)] = []
            for try await row in try await connection.query(query, logger: Self.logger).decode((String, String, Int64, Int64, String, String).self) {
                rows.append(row)
            }
            return rows
        }
        return try rows.map { id, matchers, starts, ends, comment, createdBy in
            guard let decoded = try? JSONDecoder().decode([SilenceMatcher].self, from: Data(matchers.utf8)) else {
                throw PostgresStoreError(database: database, message: "silence \(id) has matchers '\(matchers)' this build cannot read")
            }
            return Silence(
                id: id, matchers: decoded, startsAt: Timestamp(milliseconds: starts), endsAt: Timestamp(milliseconds: ends), comment: comment,
                createdBy: createdBy)
        }
    }
}

/// An alert instance's times, `firing_notified` and value as ``PostgresMetricStore/alertStates()`` reads them, packed by
/// the server in one `bytea`: six times (8 bytes each, big-endian, `Int64.min` for none: `active_at`, `fired_at`,
/// `resolved_at`, `clear_since`, `last_sent_at`, `last_firing_sent_at`), a byte for `firing_notified`, then a byte 1 and
/// the value's 8 bytes, or a byte 0 for none.
struct InstanceFields {
    let times: [Timestamp?]
    let firingNotified: Bool
    let value: Double?

    /// The SQL expression that packs them from `alert_instances i`.
    static let packed = """
        int8send(coalesce(i.active_at, \(Int64.min))) || int8send(coalesce(i.fired_at, \(Int64.min)))
            || int8send(coalesce(i.resolved_at, \(Int64.min))) || int8send(coalesce(i.clear_since, \(Int64.min)))
            || int8send(coalesce(i.last_sent_at, \(Int64.min))) || int8send(coalesce(i.last_firing_sent_at, \(Int64.min)))
            || CASE WHEN i.firing_notified THEN '\\x01'::bytea ELSE '\\x00'::bytea END
            || coalesce('\\x01'::bytea || float8send(i.value), '\\x00'::bytea)
        """

    /// Nil when the bytes are not that layout.
    init?(unpacking packed: ByteBuffer) {
        var buffer = packed
        var times: [Timestamp?] = []
        times.reserveCapacity(6)
        for _ in 0..<6 {
            guard let milliseconds = buffer.readInteger(as: Int64.self) else { return nil }
            times.append(milliseconds == .min ? nil : Timestamp(milliseconds: milliseconds))
        }
        guard let notified = buffer.readInteger(as: UInt8.self), let hasValue = buffer.readInteger(as: UInt8.self) else { return nil }
        if hasValue == 1 {
            guard let bits = buffer.readInteger(as: UInt64.self) else { return nil }
            value = Double(bitPattern: bits)
        } else {
            value = nil
        }
        guard buffer.readableBytes == 0 else { return nil }
        self.times = times
        firingNotified = notified == 1
    }
}
