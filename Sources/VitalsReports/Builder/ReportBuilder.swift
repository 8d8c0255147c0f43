public import Foundation
public import VitalsCore
public import VitalsPorts

/// Reads a store and assembles a ``Report``: the computation is in the model types, this only fetches what they need.
///
/// Per shown series it makes one `summaries` call per period (the current and the previous), with one bucket per local day;
/// `lastSample` is read only for series with no sample in the period, to say how old their data is.
public enum ReportBuilder {
    /// The report of `period` (compared with `period.previous(timeZone:)`) as of `now`.
    ///
    /// - Parameter sources: the configured sources; their newest runs in the job-run log give each row's status: the run of the
    ///   source its series' `source` label names, or for a series from before that label, the least healthy (failed, then
    ///   stale) of the sources of its metric's type.
    public static func build(
        store: any MetricStore & JobRunLog, catalog: MetricCatalog = .standard, period: Period, now: Timestamp, timeZone: TimeZone,
        sources: [SourceConfig]
    ) async throws -> Report {
        let reports = try await SourceReport.latest(of: sources, in: store, now: now)
        let previous = period.previous(timeZone: timeZone)
        let buckets = (current: period.dayBuckets(in: timeZone), previous: previous.dayBuckets(in: timeZone))
        var sections: [ReportSection] = []
        for family in MetricFamily.allCases {
            var rows: [ReportRow] = []
            for metric in catalog.shown(in: family) {
                let source = { (labels: Labels) in Self.source(of: labels, metric: metric, in: reports) }
                rows += try await Self.rows(of: metric, store: store, period: period, previous: previous, buckets: buckets, source: source)
            }
            let familyTypes = Set(catalog.sourceTypes(in: family).map(\.rawValue))
            let typesWithData = Set(rows.filter { $0.value != nil }.compactMap { row in catalog[row.metric]?.source.rawValue })
            let withoutData = reports.filter { familyTypes.contains($0.type) && !typesWithData.contains($0.type) }.map(\.name)
            sections.append(ReportSection(family: family, rows: rows, sourcesWithoutData: withoutData))
        }
        return Report(
            generatedAt: now, timeZone: timeZone.identifier, period: period, previousPeriod: previous, sections: sections, sources: reports)
    }

    /// The rows of one metric in the report of `period`, with no source status: what `vitals query` prints for a metric
    /// the report derives (`git_authors`), so both answer alike. `daily` has one value per bucket of
    /// `period.dayBuckets(in: timeZone)`.
    public static func rows(of metric: MetricDefinition, store: any MetricStore, period: Period, timeZone: TimeZone) async throws -> [ReportRow] {
        let previous = period.previous(timeZone: timeZone)
        let buckets = (current: period.dayBuckets(in: timeZone), previous: previous.dayBuckets(in: timeZone))
        return try await rows(of: metric, store: store, period: period, previous: previous, buckets: buckets, source: { _ in nil })
    }

    static func rows(
        of metric: MetricDefinition, store: any MetricStore, period: Period, previous: Period,
        buckets: (current: [Timestamp], previous: [Timestamp]), source: (Labels) -> SourceReport?
    ) async throws -> [ReportRow] {
        switch metric.derivation {
        case .seriesValue, .hidden:
            return try await seriesRows(of: metric, store: store, period: period, buckets: buckets, source: source)
        case .distinctSeries(let counted, let label):
            let metricRows = DistinctSeriesRows(metric: metric, counted: counted, label: label)
            return try await metricRows.rows(store: store, period: period, previous: previous, buckets: buckets.current, source: source)
        case .distribution:
            return try await distributionRows(of: metric, store: store, period: period, previous: previous, buckets: buckets, source: source)
        case .successRatio:
            return try await successRatioRows(of: metric, store: store, period: period, buckets: buckets, source: source)
        }
    }

    /// Rows whose value is the median of the period's raw samples, with their 90th percentile and count; a day's value is
    /// the median of its samples. The raw samples of all the metric's series are read in one query per period: rollups
    /// cannot give a quantile.
    private static func distributionRows(
        of metric: MetricDefinition, store: any MetricStore, period: Period, previous: Period,
        buckets: (current: [Timestamp], previous: [Timestamp]), source: (Labels) -> SourceReport?
    ) async throws -> [ReportRow] {
        let series = try await store.series(named: metric.name)
        let keys = series.map(\.key)
        let current = try await store.samples(of: keys, in: period)
        // A trend reads its period as its own comparison (see DigestBuilder): no need to read it twice.
        let before = previous == period ? current : try await store.samples(of: keys, in: previous)
        var rows: [ReportRow] = []
        for (series, samples) in zip(series, zip(current, before)) {
            let (now, earlier) = (Distribution(samples.0.map(\.value)), Distribution(samples.1.map(\.value)))
            var daily: [Double?] = []
            var rest = samples.0[...]
            for end in buckets.current.dropFirst() {
                let day = rest.prefix { $0.timestamp < end }
                rest = rest.dropFirst(day.count)
                daily.append(Distribution(day.map(\.value))?.median)
            }
            var lastSample = samples.0.last?.timestamp
            if lastSample == nil { lastSample = try await store.lastSample(of: series.key, before: period.to)?.timestamp }
            rows.append(
                ReportRow(
                    metric: metric, labels: series.key.labels, kind: .distribution, unit: series.unit,
                    values: RowValues(value: now?.median, previous: earlier?.median, daily: daily), lastSampleAt: lastSample,
                    source: source(series.key.labels), distribution: (now, earlier)))
        }
        return rows
    }

    /// Rows of 0/1 checks whose value is the share that gave 1 (sum over count of the day summaries), with both counts.
    private static func successRatioRows(
        of metric: MetricDefinition, store: any MetricStore, period: Period, buckets: (current: [Timestamp], previous: [Timestamp]),
        source: (Labels) -> SourceReport?
    ) async throws -> [ReportRow] {
        var rows: [ReportRow] = []
        for series in try await store.series(named: metric.name) {
            let current = try await store.summaries(of: series.key, boundaries: buckets.current)
            let previous = try await store.summaries(of: series.key, boundaries: buckets.previous)
            func checks(_ summaries: [SampleSummary?]) -> (ones: Double, all: Double)? {
                let known = summaries.compactMap { $0 }
                return known.isEmpty ? nil : (known.reduce(0) { $0 + $1.sum }, Double(known.reduce(0) { $0 + $1.count }))
            }
            let (now, before) = (checks(current), checks(previous))
            let counts = now.map {
                RawCounts(numerator: $0.ones, denominator: $0.all, previousNumerator: before?.ones, previousDenominator: before?.all)
            }
            let values = RowValues(
                value: now.map { $0.ones / $0.all }, previous: before.map { $0.ones / $0.all },
                daily: current.map { day in day.map { $0.sum / Double($0.count) } })
            var lastSample = RowValues.newestSample(in: current)
            if lastSample == nil { lastSample = try await store.lastSample(of: series.key, before: period.to)?.timestamp }
            rows.append(
                ReportRow(
                    metric: metric, labels: series.key.labels, kind: .successRatio, unit: .ratio, values: values, lastSampleAt: lastSample,
                    source: source(series.key.labels), counts: counts))
        }
        return rows
    }

    private static func seriesRows(
        of metric: MetricDefinition, store: any MetricStore, period: Period, buckets: (current: [Timestamp], previous: [Timestamp]),
        source: (Labels) -> SourceReport?
    ) async throws -> [ReportRow] {
        var rows: [ReportRow] = []
        for series in try await store.series(named: metric.name) {
            let current = try await store.summaries(of: series.key, boundaries: buckets.current)
            let values = RowValues(kind: series.kind, current: current, previous: try await store.summaries(of: series.key, boundaries: buckets.previous))
            let lastSample = if let newest = RowValues.newestSample(in: current) { newest } else {
                try await store.lastSample(of: series.key, before: period.to)?.timestamp
            }
            rows.append(
                ReportRow(
                    metric: metric, labels: series.key.labels, kind: ReportRow.Kind(series.kind), unit: series.unit, values: values,
                    lastSampleAt: lastSample, source: source(series.key.labels)))
        }
        return rows
    }

    /// The source a series with `labels` comes from: the configured source its `source` label names (none when that source is
    /// no longer configured), or for a series from before that label the least healthy source of the metric's type.
    static func source(of labels: Labels, metric: MetricDefinition, in reports: [SourceReport]) -> SourceReport? {
        if let name = labels["source"] { return reports.first { $0.name == name } }
        return SourceReport.leastHealthy(reports.filter { $0.type == metric.source.rawValue })
    }
}
