public import Foundation
public import VitalsCore

/// The source types vitals knows, in the order reports list their metrics.
public enum SourceRegistry {
    public static let sources: [SourceDefinition] = [
        GitSource.definition, CoverageSource.definition, SarifSource.definition, MarkersSource.definition, GitHubSource.definition,
        HTTPProbeSource.definition, CommandSource.definition,
        DuplicationSource.definition, PrometheusSource.definition,
        SentrySource.definition, LinearSource.definition, SonarQubeSource.definition,
    ]

    /// What the configuration loader checks `sources:` against.
    public static var types: [SourceType] { sources.map(\.type) }

    /// Every type's metrics, in registration order: the report catalog.
    public static var metrics: [MetricDefinition] { sources.flatMap(\.metrics) }

    /// The declaration of `type`; every ``SourceType`` a loaded configuration holds is one of ``types``.
    public static func definition(of type: SourceType) -> SourceDefinition {
        guard let definition = sources.first(where: { $0.type == type }) else {
            preconditionFailure("source type '\(type)' is not registered in SourceRegistry.sources")
        }
        return definition
    }

    /// The collector a configured source asks for, with relative paths resolved against `root` (the configuration file's folder).
    public static func collector(for source: SourceConfig, root: URL, environment: [String: String] = [:]) -> any Collector {
        definition(of: source.type).collector(for: source, context: CollectorContext(root: root, environment: environment))
    }
}
