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
        }
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
