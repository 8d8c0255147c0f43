/// Where one alert (one rule, one label set) is in its life: inactive → pending (`for`) → firing → resolved.
public enum AlertPhase: String, Sendable, Codable, CaseIterable {
    /// The condition does not hold; kept only while its last firing notification still counts for flap suppression.
    case inactive
    /// The condition holds but not yet for the rule's `for`.
    case pending
    case firing
    /// Firing ended; stays so until the condition holds again or the record is no longer needed.
    case resolved
}
