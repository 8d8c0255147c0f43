/// One metric a collector emits (or a report derives), with what it means and how a report shows it; each source type declares
/// its own beside its collector (`Sources/VitalsCollectors/<Type>/`).
public struct MetricDefinition: Sendable, Hashable {
    /// How a report turns a metric's series into rows.
    public enum Derivation: Sendable, Hashable {
        /// One row per series; the period's value is ``SampleSummary/value(for:)`` of the series' kind.
        case seriesValue
        /// One row per group of `metric`'s series that share all labels but `label`; the value is how many of
        /// those series have a sample in the period (and, per day, in the day).
        case distinctSeries(metric: String, label: String)
        /// One row per series whose samples are occurrences (one per pull request, change, run): the period's value is the
        /// median of the samples in the period, shown with their 90th percentile and count (``Quantile``); `item` and `items`
        /// name one occurrence and several (`PR`, `PRs`).
        case distribution(item: String, items: String)
        /// One row per series of 0/1 checks (a probe): the period's value is the share of checks that gave 1 (the samples'
        /// mean), a ratio shown with both counts.
        case successRatio
        /// Stored for other metrics to derive from; not shown as rows.
        case hidden
    }

    public let name: String
    public let family: MetricFamily
    public let kind: MetricKind
    public let unit: MetricUnit
    /// The type of source that writes it (for ``Derivation/distinctSeries(metric:label:)``, the source of the counted metric).
    public let source: SourceType
    /// Labels every series carries: `repo` and `source` first, then the metric's own.
    public let labels: [String]
    /// Labels some series carry.
    public let optionalLabels: [String]
    /// The short name a report's row shows.
    public let title: String
    /// The exact definition, as `docs/metrics.md` states it.
    public let definition: String
    public let derivation: Derivation

    public init(
        _ name: String, family: MetricFamily, kind: MetricKind, unit: MetricUnit, source: SourceType, labels: [String] = ["repo", "source"],
        optionalLabels: [String] = [], title: String, definition: String, derivation: Derivation = .seriesValue
    ) {
        self.name = name
        self.family = family
        self.kind = kind
        self.unit = unit
        self.source = source
        self.labels = labels
        self.optionalLabels = optionalLabels
        self.title = title
        self.definition = definition
        self.derivation = derivation
    }

    /// Whether the report shows rows for it.
    public var isShown: Bool { derivation != .hidden }
}
