public import Foundation
public import VitalsCore
public import VitalsPorts

/// Reads a store and assembles a ``Report``: the computation is in the model types, this only fetches what they need.
///
/// Per shown metric it reads the summaries of all its series in one call per period (the current and the previous), with
/// one bucket per local day; `lastSample` is read for series with no sample in the period, to say how old their data is,
/// and before the period, to say how much of it the store covers (``PeriodHistory``, shared with the digest).
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
        let bucketDays = DigestBuilder.trendBucketDays(days: buckets.current.count - 1)
        let history = PeriodHistory(store: store, now: now, period: period, buckets: buckets.current)
        var cache: [String: [ReportRow]] = [:]
        func rows(_ metric: MetricDefinition) async throws -> [ReportRow] {
            if let cached = cache[metric.name] { return cached }
            let source = { (labels: Labels) in Self.source(of: labels, metric: metric, in: reports) }
            var metricRows = try await Self.rows(of: metric, store: store, period: period, previous: previous, buckets: buckets, source: source)
            if let name = RowContext.zeroFilledBy(metric), let reference = catalog[name] {
                metricRows = Self.zeroFilled(metricRows, metric: metric, by: try await rows(reference), source: source)
            }
            cache[metric.name] = metricRows
            return metricRows
        }
        var sections: [ReportSection] = []
        for family in MetricFamily.allCases {
            var familyRows: [ReportRow] = []
            for metric in catalog.shown(in: family) {
                var references: [ReportRow] = []
                if let name = RowContext.zeroFilledBy(metric), let reference = catalog[name] { references = try await rows(reference) }
                // A week's median or uptime is read from the week's samples, not from its days' values (as in a digest).
                var weekly: [ReportRow] = []
                if bucketDays > 1, RowContext.readsTrendInBuckets(metric) {
                    let boundaries = DigestBuilder.trendBoundaries(buckets.current, bucketDays: bucketDays)
                    weekly = try await Self.rows(
                        of: metric, store: store, period: period, previous: period, buckets: (boundaries, [period.from, period.to]),
                        source: { _ in nil })
                }
                let metricRows = try await rows(metric)
                let groups = metricRows.map { row in [row] + references.filter { $0.labels == row.labels } }
                for (row, earlier) in zip(metricRows, try await history.haveEarlierSamples(groups)) {
                    var row = row
                    if bucketDays > 1 {
                        row.trend = weekly.first { $0.labels == row.labels }?.daily ?? RowContext.buckets(row.daily, of: bucketDays, kind: row.kind)
                        row.sparkline = Sparkline.render(row.trend)
                    }
                    row.history = history.coverage(days: row.daily, earlier: earlier)
                    if RowContext.lastEventMetrics.contains(metric.name) { row.lastEventAt = try await history.lastEvent(of: [row], days: row.daily) }
                    familyRows.append(row)
                }
            }
            let familyTypes = Set(catalog.sourceTypes(in: family).map(\.rawValue))
            let typesWithData = Set(familyRows.filter { $0.value != nil }.compactMap { row in catalog[row.metric]?.source.rawValue })
            let withoutData = reports.filter { familyTypes.contains($0.type) && !typesWithData.contains($0.type) }.map(\.name)
            sections.append(ReportSection(family: family, rows: familyRows, sourcesWithoutData: withoutData))
        }
        return Report(
            generatedAt: now, timeZone: timeZone.identifier, period: period, previousPeriod: previous, sections: sections, sources: reports,
            trendBucketDays: bucketDays)
    }

    /// The rows of a git metric beside commits (``RowContext/zeroFilledBy(_:)``), by the digest's rule: a day the commits of
    /// the same repository cover is a real 0, one before their history has no data; a repository with commits but no
    /// series of the metric gets a row too, so real zeros and missing data read alike across the git rows.
    static func zeroFilled(_ rows: [ReportRow], metric: MetricDefinition, by references: [ReportRow], source: (Labels) -> SourceReport?) -> [ReportRow] {
        let kind = ReportRow.Kind.of(metric)
        func filled(_ row: ReportRow?, reference: ReportRow) -> ReportRow {
            let values = RowValues(
                value: row?.value ?? reference.value.map { _ in 0 }, previous: row?.previous ?? reference.previous.map { _ in 0 },
                daily: RowContext.zeroFilled(row?.daily ?? reference.daily.map { _ in nil }, covered: reference.daily, kind: row?.kind ?? kind))
            return ReportRow(
                metric: metric, labels: reference.labels, kind: row?.kind ?? kind, unit: row?.unit ?? metric.unit, values: values,
                lastSampleAt: row?.lastSampleAt, source: source(reference.labels))
        }
        let byLabels = Dictionary(references.map { ($0.labels, $0) }, uniquingKeysWith: { first, _ in first })
        let known = Set(rows.map(\.labels))
        return rows.map { row in byLabels[row.labels].map { filled(row, reference: $0) } ?? row }
            + references.filter { !known.contains($0.labels) }.map { filled(nil, reference: $0) }
    }

    /// The rows of one metric in the report of `period`, with no source status: what `vitals query` prints for a metric
    /// the report derives (`git_authors`), so both answer alike, zero-filled by commits as the report's rows are.
    /// `daily` has one value per bucket of `period.dayBuckets(in: timeZone)`.
    public static func rows(
        of metric: MetricDefinition, store: any MetricStore, period: Period, timeZone: TimeZone, catalog: MetricCatalog = .standard
    ) async throws -> [ReportRow] {
        let previous = period.previous(timeZone: timeZone)
        let buckets = (current: period.dayBuckets(in: timeZone), previous: previous.dayBuckets(in: timeZone))
        let rows = try await rows(of: metric, store: store, period: period, previous: previous, buckets: buckets, source: { _ in nil })
        guard let name = RowContext.zeroFilledBy(metric), let reference = catalog[name] else { return rows }
        let references = try await self.rows(of: reference, store: store, period: period, previous: previous, buckets: buckets, source: { _ in nil })
        return zeroFilled(rows, metric: metric, by: references, source: { _ in nil })
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
        let series = try await store.series(named: metric.name)
        let summaries = try await Self.summaries(of: series, store: store, buckets: buckets)
        var rows: [ReportRow] = []
        for (series, (current, previous)) in zip(series, summaries) {
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
        let series = try await store.series(named: metric.name)
        let summaries = try await Self.summaries(of: series, store: store, buckets: buckets)
        var rows: [ReportRow] = []
        for (series, (current, previous)) in zip(series, summaries) {
            let values = RowValues(kind: series.kind, current: current, previous: previous)
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

    /// The day summaries of each series in the current and the previous period: two reads for all the metric's series.
    private static func summaries(
        of series: [SeriesDescriptor], store: any MetricStore, buckets: (current: [Timestamp], previous: [Timestamp])
    ) async throws -> [(current: [SampleSummary?], previous: [SampleSummary?])] {
        let keys = series.map(\.key)
        return zip(try await store.summaries(of: keys, boundaries: buckets.current), try await store.summaries(of: keys, boundaries: buckets.previous))
            .map { ($0, $1) }
    }

    /// The source a series with `labels` comes from: the configured source its `source` label names (none when that source is
    /// no longer configured), or for a series from before that label the least healthy source of the metric's type.
    static func source(of labels: Labels, metric: MetricDefinition, in reports: [SourceReport]) -> SourceReport? {
        if let name = labels["source"] { return reports.first { $0.name == name } }
        return SourceReport.leastHealthy(reports.filter { $0.type == metric.source.rawValue })
    }
}
