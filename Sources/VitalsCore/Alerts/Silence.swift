/// A one-off silence: alerts matching every matcher are not notified between `startsAt` (inclusive) and `endsAt` (exclusive).
/// Their state still advances; their notifications are held until the silence ends.
public struct Silence: Sendable, Equatable, Codable {
    public var id: String
    public var matchers: [SilenceMatcher]
    public var startsAt: Timestamp
    public var endsAt: Timestamp
    public var comment: String
    public var createdBy: String

    public init(id: String, matchers: [SilenceMatcher], startsAt: Timestamp, endsAt: Timestamp, comment: String = "", createdBy: String = "") {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.comment = comment
        self.createdBy = createdBy
    }

    public func isActive(at instant: Timestamp) -> Bool {
        startsAt <= instant && instant < endsAt
    }

    /// Whether it silences an alert with `labels` (which include `alertname`) at `instant`.
    public func mutes(_ labels: Labels, at instant: Timestamp) -> Bool {
        isActive(at: instant) && matchers.allSatisfy { $0.matches(labels) }
    }
}
