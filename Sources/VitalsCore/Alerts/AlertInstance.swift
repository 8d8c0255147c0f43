/// The state of one alert: one rule and one label set. `Codable` so the store can keep it between evaluations.
public struct AlertInstance: Sendable, Equatable, Codable {
    public var labels: Labels
    public var phase: AlertPhase
    /// When the condition started holding (the start of `pending`).
    public var activeAt: Timestamp?
    /// When it went from pending to firing.
    public var firedAt: Timestamp?
    public var resolvedAt: Timestamp?
    /// While firing, the first evaluation at which the alert could have resolved; `keep_firing_for` counts from here.
    public var clearSince: Timestamp?
    /// When any notification about it was last sent (firing, reminder, escalation or resolved).
    public var lastSentAt: Timestamp?
    /// When a notification saying it fires was last sent; flap suppression counts the cooldown from here.
    public var lastFiringSentAt: Timestamp?
    /// Whether the current firing episode has been notified; false while a firing notification is held back.
    public var firingNotified: Bool
    public var severity: Severity?
    /// The last value of the expression for this label set.
    public var value: Double?

    public init(
        labels: Labels, phase: AlertPhase = .inactive, activeAt: Timestamp? = nil, firedAt: Timestamp? = nil, resolvedAt: Timestamp? = nil,
        clearSince: Timestamp? = nil, lastSentAt: Timestamp? = nil, lastFiringSentAt: Timestamp? = nil, firingNotified: Bool = false,
        severity: Severity? = nil, value: Double? = nil
    ) {
        self.labels = labels
        self.phase = phase
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.clearSince = clearSince
        self.lastSentAt = lastSentAt
        self.lastFiringSentAt = lastFiringSentAt
        self.firingNotified = firingNotified
        self.severity = severity
        self.value = value
    }
}
