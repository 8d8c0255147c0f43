public import VitalsCore

/// Where the evaluation round keeps alert state between runs: the SQLite store in production.
///
/// The round reads everything it needs first, then evaluates in memory while ``commit(slots:records:)`` writes
/// the records it produces, in one transaction: a crash before the commit ends leaves the store as the previous round left
/// it, so the next round recomputes the same transitions and the same outbox keys.
public protocol AlertStore: Sendable {
    /// The time (slot) each group was last evaluated at, by group name.
    func groupEvaluations() throws -> [String: Timestamp]

    /// The stored state of every rule that has any; a rule without an entry starts from ``AlertRuleState/initial``.
    func alertStates() throws -> [AlertRuleID: AlertRuleState]

    /// The silences in force at `instant` or starting later (expired ones are left out).
    func silences(notEndedAt instant: Timestamp) throws -> [Silence]

    /// Writes a round: each evaluated group's slot (by group name), then each rule's new state, its transitions and its notifications into
    /// the outbox (ignoring any whose idempotency key is already there) as `records` yields them, all in one transaction.
    /// When `records` throws, nothing is written and the error is rethrown.
    func commit(slots: [String: Timestamp], records: AlertRecordFeed) throws
}

extension AlertStore {
    /// Writes a whole round at once, as ``commit(slots:records:)`` does.
    public func commit(_ round: AlertRoundRecord) throws {
        try commit(slots: Dictionary(uniqueKeysWithValues: round.groups.map { ($0, round.evaluatedAt) }), records: AlertRecordFeed(round.rules))
    }
}

/// Names one alerting rule: its group, its alert name and which rule of that name in the group it is.
///
/// Prometheus lets a group define one alert name several times (the mixins do, one rule per severity) and tells the rules
/// apart by position. The first rule of a name has ``ordinal`` 0 and the ``key`` is its plain name, as before ordinals
/// existed, so stored state stays valid; the n-th (n ≥ 2) has the key `Name#n`, which the store keeps in its `alert`
/// column and `vitals alerts list/history` show. Ids are equal when their group and key are.
public struct AlertRuleID: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let group: String
    public let alert: String
    /// How many rules named ``alert`` come before this one in its group.
    public let ordinal: Int

    public init(group: String, alert: String, ordinal: Int = 0) {
        self.group = group
        self.alert = alert
        self.ordinal = ordinal
    }

    /// The id a store key names: a key ending in `#n` (n ≥ 2, no leading zero) is the n-th rule of the name before it.
    public init(group: String, key: String) {
        if let hash = key.lastIndex(of: "#"), hash > key.startIndex, let number = Int(key[key.index(after: hash)...]), number >= 2,
            String(number) == key[key.index(after: hash)...]
        {
            self.init(group: group, alert: String(key[..<hash]), ordinal: number - 1)
        } else {
            self.init(group: group, alert: key)
        }
    }

    /// The rule's name within its group: the alert name, `#n` appended for the n-th rule of that name.
    public var key: String { ordinal == 0 ? alert : "\(alert)#\(ordinal + 1)" }

    public var description: String { "\(group)/\(key)" }

    public static func == (lhs: AlertRuleID, rhs: AlertRuleID) -> Bool { (lhs.group, lhs.key) == (rhs.group, rhs.key) }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(group)
        hasher.combine(key)
    }

    public static func < (lhs: AlertRuleID, rhs: AlertRuleID) -> Bool { (lhs.group, lhs.alert, lhs.ordinal) < (rhs.group, rhs.alert, rhs.ordinal) }
}
