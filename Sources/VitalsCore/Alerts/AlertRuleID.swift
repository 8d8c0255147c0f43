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
