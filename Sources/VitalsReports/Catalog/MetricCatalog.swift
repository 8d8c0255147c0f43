import VitalsCollectors
public import VitalsCore

/// Every metric the collectors emit and the report derives, in the order reports show them.
public struct MetricCatalog: Sendable {
    public let metrics: [MetricDefinition]

    public init(_ metrics: [MetricDefinition]) {
        self.metrics = metrics
    }

    /// The metric named `name`, if the catalog has it.
    public subscript(name: String) -> MetricDefinition? {
        metrics.first { $0.name == name }
    }

    /// The metrics a report shows in `family`, in catalog order.
    public func shown(in family: MetricFamily) -> [MetricDefinition] {
        metrics.filter { $0.family == family && $0.isShown }
    }

    /// The source types whose metrics belong to `family`.
    public func sourceTypes(in family: MetricFamily) -> Set<SourceType> {
        Set(metrics.filter { $0.family == family }.map(\.source))
    }

    /// The metrics of every registered source type (``SourceRegistry``), as each type declares them.
    public static let standard = MetricCatalog(SourceRegistry.metrics)
}
