/// The three groups a report shows metrics in.
public enum MetricFamily: String, Sendable, Codable, CaseIterable {
    case quality
    case stability
    case velocity

    /// The heading a report gives the family.
    public var title: String {
        switch self {
        case .quality: "Code quality"
        case .stability: "Stability"
        case .velocity: "Velocity"
        }
    }
}
