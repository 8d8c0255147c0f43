public import Foundation
public import VitalsCore
public import VitalsHTTP

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
    private let makeCheck: (@Sendable (SourceConfig, CollectorContext) async -> SourceCheck)?

    /// - Parameter check: one cheap authenticated request that tells whether a source of this type can be read
    ///   (`vitals doctor`); nil for a type with nothing remote to ask.
    public init(
        type: SourceType, metrics: [MetricDefinition], metricsFromInput: Bool = false,
        collector: @escaping @Sendable (SourceConfig, CollectorContext) -> any Collector,
        check: (@Sendable (SourceConfig, CollectorContext) async -> SourceCheck)? = nil
    ) {
        self.type = type
        self.metrics = metrics
        self.metricsFromInput = metricsFromInput
        self.makeCollector = collector
        self.makeCheck = check
    }

    /// The collector for `config`, a source of this type.
    public func collector(for config: SourceConfig, context: CollectorContext) -> any Collector {
        makeCollector(config, context)
    }

    /// Whether the type declares a check (``check(_:context:)``).
    public var hasCheck: Bool { makeCheck != nil }

    /// The check of `config`, a source of this type; nil when the type declares none.
    public func check(_ config: SourceConfig, context: CollectorContext) async -> SourceCheck? {
        await makeCheck?(config, context)
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
    /// What remote sources send their requests through: by default one client for the whole process, so its per-host
    /// limit holds across the sources of a collection, which run at once, and across collections.
    public let http: HTTPClient

    /// The process's one HTTP client for remote sources.
    public static let processHTTP = HTTPClient()

    public init(root: URL, environment: [String: String] = [:], http: HTTPClient = CollectorContext.processHTTP) {
        self.root = root
        self.environment = environment
        self.http = http
    }

    /// Where source `name` tells what it does besides failing (a pause for a rate limit): standard error, as `vitals: NAME: text`.
    public func notice(_ name: String) -> @Sendable (String) -> Void {
        { FileHandle.standardError.write(Data("vitals: \(name): \($0)\n".utf8)) }
    }

    /// The remote API access of source `name`: ``http``, with its rate-limit pauses told through ``notice(_:)``.
    public func api(_ name: String) -> RemoteAPI { RemoteAPI(http: http, notice: notice(name)) }

    /// `path` resolved against ``root``; nil is the root itself.
    public func resolve(_ path: String?) -> URL {
        guard let path else { return root }
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path).standardizedFileURL
    }
}
