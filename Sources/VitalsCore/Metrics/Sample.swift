/// One measured value of one series at one instant.
public struct Sample: Hashable, Sendable, Codable {
    public let series: SeriesDescriptor
    public let timestamp: Timestamp
    public let value: Double

    public init(_ series: SeriesDescriptor, at timestamp: Timestamp, value: Double) {
        self.series = series
        self.timestamp = timestamp
        self.value = value
    }

    /// Convenience for collectors: builds the descriptor from its parts.
    public init(
        _ name: String, _ labels: Labels = .empty, kind: MetricKind, unit: MetricUnit = .count, at timestamp: Timestamp, value: Double
    ) {
        self.init(SeriesDescriptor(SeriesKey(name, labels), kind: kind, unit: unit), at: timestamp, value: value)
    }
}
