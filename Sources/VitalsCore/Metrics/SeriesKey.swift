/// Identifies one series: a metric name plus a canonical label set.
public struct SeriesKey: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let name: String
    public let labels: Labels

    public init(_ name: String, _ labels: Labels = .empty) {
        self.name = name
        self.labels = labels
    }

    public var description: String { labels.isEmpty ? name : "\(name)\(labels)" }

    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        (lhs.name, lhs.labels.canonical) < (rhs.name, rhs.labels.canonical)
    }
}

/// A series' identity together with the metadata that says how to read its values.
public struct SeriesDescriptor: Hashable, Sendable, Codable {
    public let key: SeriesKey
    public let kind: MetricKind
    public let unit: MetricUnit

    public init(_ key: SeriesKey, kind: MetricKind, unit: MetricUnit) {
        self.key = key
        self.kind = kind
        self.unit = unit
    }
}
