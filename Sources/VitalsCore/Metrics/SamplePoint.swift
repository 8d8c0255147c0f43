/// A timestamp and value of one series.
public struct SamplePoint: Hashable, Sendable, Codable {
    public let timestamp: Timestamp
    public let value: Double

    public init(_ timestamp: Timestamp, _ value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}
