public import VitalsCore

/// One series of one metric in a report.
public struct ReportRow: Sendable, Hashable, Codable {
    /// How the row's value was derived: a stored metric's kind, `distinct` for counts of distinct series, `distribution`
    /// for the median of occurrences, `success_ratio` for the share of 0/1 checks that gave 1.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case gauge
        case counter
        case event
        case distinct
        case distribution
        case successRatio = "success_ratio"

        public init(_ kind: MetricKind) {
            switch kind {
            case .gauge: self = .gauge
            case .counter: self = .counter
            case .event: self = .event
            }
        }

        /// The kind of a metric's rows when no series gives one: a stored metric's own kind, else `distinct`.
        static func of(_ metric: MetricDefinition) -> Kind {
            metric.derivation == .seriesValue ? Kind(metric.kind) : .distinct
        }
    }

    public let metric: String
    public let title: String
    public let labels: Labels
    public let kind: Kind
    public let unit: MetricUnit
    public let value: Double?
    public let previous: Double?
    public let change: Double?
    public let changeRatio: Double?
    public let daily: [Double?]
    /// The daily values, or beyond ``ReportBuilder``'s daily limit one value per bucket of `Report.trendBucketDays` days,
    /// so a sparkline stays within about 30 cells; what ``sparkline`` draws.
    public internal(set) var trend: [Double?]
    public internal(set) var sparkline: String
    /// The newest sample of the series up to the end of the period.
    public let lastSampleAt: Timestamp?
    /// The name of the configured source the series comes from (see ``ReportBuilder``), nil when there is none.
    public let source: String?
    public let status: RowStatus
    public let statusDetail: String?
    /// How much of the period the store's data covers; nil only on rows a digest reads for itself, which notes it per row group.
    public internal(set) var history: HistoryCoverage?
    /// For commits: the day of the newest commit, in or before the period.
    public internal(set) var lastEventAt: Timestamp?
    /// For a `distribution` row: the period's occurrences (its `value` is their median), and the previous period's.
    public let distribution: Distribution?
    public let previousDistribution: Distribution?
    /// For a `success_ratio` row: the checks that gave 1 over all checks, in the period and the previous one.
    public let counts: RawCounts?

    /// A row of `metric` for the series with `labels`; `kind` and `unit` are the series' own (as stored).
    public init(
        metric: MetricDefinition, labels: Labels, kind: Kind, unit: MetricUnit, values: RowValues, lastSampleAt: Timestamp?,
        source: SourceReport?, distribution: (now: Distribution?, previous: Distribution?) = (nil, nil), counts: RawCounts? = nil
    ) {
        let (status, detail) = RowStatus.of(hasData: values.value != nil, source: source)
        self.metric = metric.name
        self.title = metric.title
        self.labels = labels
        self.kind = kind
        self.unit = unit
        self.value = values.value
        self.previous = values.previous
        self.change = values.change
        self.changeRatio = values.changeRatio
        self.daily = values.daily
        self.trend = values.daily
        self.sparkline = Sparkline.render(values.daily)
        self.lastSampleAt = lastSampleAt
        self.source = source?.name
        self.status = status
        self.statusDetail = detail
        self.distribution = distribution.now
        self.previousDistribution = distribution.previous
        self.counts = counts
    }

    enum CodingKeys: String, CodingKey {
        case metric
        case title
        case labels
        case kind
        case unit
        case value
        case previous
        case change
        case changeRatio = "change_ratio"
        case daily
        case trend
        case sparkline
        case lastSampleAt = "last_sample_at"
        case source
        case status
        case statusDetail = "status_detail"
        case history
        case lastEventAt = "last_event_at"
        case distribution
        case previousDistribution = "previous_distribution"
        case counts
    }

    // Written by hand so absent values are `null` rather than missing keys: the schema requires every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(metric, forKey: .metric)
        try container.encode(title, forKey: .title)
        try container.encode(labels, forKey: .labels)
        try container.encode(kind, forKey: .kind)
        try container.encode(unit, forKey: .unit)
        try container.encode(value, forKey: .value)
        try container.encode(previous, forKey: .previous)
        try container.encode(change, forKey: .change)
        try container.encode(changeRatio, forKey: .changeRatio)
        try container.encode(daily, forKey: .daily)
        try container.encode(trend, forKey: .trend)
        try container.encode(sparkline, forKey: .sparkline)
        try container.encode(lastSampleAt, forKey: .lastSampleAt)
        try container.encode(source, forKey: .source)
        try container.encode(status, forKey: .status)
        try container.encode(statusDetail, forKey: .statusDetail)
        try container.encode(history, forKey: .history)
        try container.encode(lastEventAt, forKey: .lastEventAt)
        try container.encode(distribution, forKey: .distribution)
        try container.encode(previousDistribution, forKey: .previousDistribution)
        try container.encode(counts, forKey: .counts)
    }
}
