public import Foundation
public import VitalsCore

/// Everything vitals knows about one type of source, declared in its folder (`Sources/VitalsCollectors/<Type>/`): the
/// `type:` it answers to with its options (``SourceType``, which the configuration is checked against), the metrics it
/// writes (the report catalog and `docs/metrics.md` are checked against them), and how to build its collector.
///
/// Adding a type is that folder and one line in ``SourceRegistry/sources``.
public struct SourceDefinition: Sendable {
    public let type: SourceType
    /// Its metrics, in the order reports show them.
    public let metrics: [MetricDefinition]
    /// Whether the metrics it writes are named by what it reads (`command`'s output), not declared: it then declares
    /// none, and no report or catalog lists them.
    public let metricsFromInput: Bool
    private let makeCollector: @Sendable (SourceConfig, CollectorContext) -> any Collector

    public init(
        type: SourceType, metrics: [MetricDefinition], metricsFromInput: Bool = false,
        collector: @escaping @Sendable (SourceConfig, CollectorContext) -> any Collector
    ) {
        self.type = type
        self.metrics = metrics
        self.metricsFromInput = metricsFromInput
        self.makeCollector = collector
    }

    /// The collector for `config`, a source of this type.
    public func collector(for config: SourceConfig, context: CollectorContext) -> any Collector {
        makeCollector(config, context)
    }

    /// The families its metrics belong to: `vitals collect FAMILY` runs the sources with a metric in it.
    public var families: Set<MetricFamily> { Set(metrics.map(\.family)) }

    /// The names of the metrics its collector writes: all but those a report derives from others.
    public var writtenMetrics: [String] {
        metrics.filter { if case .distinctSeries = $0.derivation { false } else { true } }.map(\.name)
    }
}

/// What building a collector may need besides its source's configuration.
public struct CollectorContext: Sendable {
    /// The configuration file's folder (or the working directory): relative paths start there.
    public let root: URL
    /// The process environment, where a remote source finds the token its `token_env` names.
    public let environment: [String: String]

    public init(root: URL, environment: [String: String] = [:]) {
        self.root = root
        self.environment = environment
    }

    /// `path` resolved against ``root``; nil is the root itself.
    public func resolve(_ path: String?) -> URL {
        guard let path else { return root }
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path).standardizedFileURL
    }
}
