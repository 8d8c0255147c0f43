public import Foundation
public import VitalsCore
public import VitalsPorts

/// Reads a store and assembles the ``Digest`` of a ``ReportDefinition`` as of `now`.
///
/// Rows come from ``ReportBuilder``'s per-series rows, grouped per metric and repository: series that differ only in a
/// breakdown label (`kind`, `level`, `severity`) become one row whose value adds up the first such label's series.
public enum DigestBuilder {
    /// Periods longer than this many days trend in buckets of whole weeks, so a sparkline stays within about 30 cells.
    static let dailyTrendLimit = 31
    /// A trend covers at least this many days ending with the period, so a daily report's chart still shows a month.
    static let shortestTrend = 28

    /// The digest of `definition` at `now`.
    ///
    /// - Parameters:
    ///   - sources: the configured sources, for each row's status and the sources list.
    ///   - alerts: the alert data for the Alerts section, read by the caller; ignored when the definition has none.
    public static func build(
        definition: ReportDefinition, store: any MetricStore & JobRunLog, catalog: MetricCatalog = .standard, now: Timestamp,
        timeZone: TimeZone, sources: [SourceConfig], alerts: ReportAlerts?
    ) async throws -> Digest {
        let period = definition.period.period(now: now, timeZone: timeZone)
        let comparison = definition.comparison.period(of: period, timeZone: timeZone)
        let reports = try await SourceReport.latest(of: sources, in: store, now: now)
        let buckets = (current: period.dayBuckets(in: timeZone), previous: comparison.dayBuckets(in: timeZone))
        let trendPeriod = Self.trendPeriod(of: period, timeZone: timeZone)
        let trendBuckets = trendPeriod.dayBuckets(in: timeZone)
        let bucketDays = Self.trendBucketDays(days: trendBuckets.count - 1)
        var cache: [String: [ReportRow]] = [:]
        var trendCache: [String: [ReportRow]] = [:]
        /// The rows of `name` over the trend period; the period's own rows when the two are the same (and are read per day).
        func trendRows(_ name: String) async throws -> [ReportRow] {
            guard let metric = catalog[name] else { return [] }
            // A week's median or uptime is read from the week's samples, not from its days' values.
            let inBuckets = bucketDays > 1 && RowContext.readsTrendInBuckets(metric)
            if trendPeriod == period, !inBuckets { return try await rows(name) }
            if let cached = trendCache[name] { return cached }
            let boundaries = inBuckets ? Self.trendBoundaries(trendBuckets, bucketDays: bucketDays) : trendBuckets
            let rows = try await ReportBuilder.rows(
                of: metric, store: store, period: trendPeriod, previous: trendPeriod, buckets: (boundaries, [trendPeriod.from, trendPeriod.to]),
                source: { _ in nil })
            trendCache[name] = rows
            return rows
        }
        func rows(_ name: String) async throws -> [ReportRow] {
            if let cached = cache[name] { return cached }
            guard let metric = catalog[name] else { return [] }
            let source = { (labels: Labels) in ReportBuilder.source(of: labels, metric: metric, in: reports) }
            let rows = try await ReportBuilder.rows(of: metric, store: store, period: period, previous: comparison, buckets: buckets, source: source)
            cache[name] = rows
            return rows
        }
        var grouped: [(ReportSectionDefinition, [(ReportMetricDefinition, MetricDefinition, [RowGroup])])] = []
        for section in definition.sections {
            var metrics: [(ReportMetricDefinition, MetricDefinition, [RowGroup])] = []
            for entry in section.metrics {
                guard let metric = catalog[entry.metric] else { continue }
                var groups = RowGroup.groups(of: try await rows(entry.metric), metric: metric)
                if RowContext.zeroFilledBy(metric) != nil {
                    // A repository whose commits were collected has every git metric, a day without commits being a real 0.
                    let known = Set(groups.map(\.labels))
                    groups += try await rows(RowContext.commits).filter { !known.contains($0.labels) }.map {
                        RowGroup(labels: $0.labels, summed: [], breakdown: [])
                    }
                }
                metrics.append((entry, metric, groups.sorted { $0.labels < $1.labels }))
            }
            grouped.append((section, metrics))
        }
        let repositories = Set(grouped.flatMap { $0.1.flatMap { $0.2.compactMap { $0.labels["repo"] } } })
        let context = RowContext(
            store: store, now: now, period: period, comparison: comparison, buckets: buckets.current, trendBuckets: trendBuckets,
            bucketDays: bucketDays,
            timeZone: timeZone,
            sources: reports, oneRepository: repositories.count <= 1)
        var sections: [DigestSection] = []
        for (section, metrics) in grouped {
            var rowsOut: [DigestRow] = []
            var unscored: [String] = []
            for (entry, metric, groups) in metrics {
                // A metric no configured source writes (no github source, no probe) is not news every day; one that a
                // configured source should write, and did not, is named.
                let expected = sources.isEmpty || sources.contains { $0.type == metric.source }
                if groups.isEmpty, entry.threshold != nil, expected { unscored.append(metric.title) }
                for group in groups {
                    let referenceName = RowContext.zeroFilledBy(metric)
                    var reference: ReportRow?
                    var trendReference: ReportRow?
                    if let referenceName {
                        reference = try await rows(referenceName).first { $0.labels == group.labels }
                        trendReference = try await trendRows(referenceName).first { $0.labels == group.labels }
                    }
                    let summedLabels = Set(group.summed.map(\.labels))
                    let trend = (rows: try await trendRows(metric.name).filter { summedLabels.contains($0.labels) }, reference: trendReference)
                    let row = try await context.row(
                        group, metric: metric, threshold: entry.threshold, reference: reference, trend: trend, counts: { try await rows($0) },
                        trendCounts: { try await trendRows($0) })
                    if row.threshold != nil, row.score == nil { unscored.append(row.name) }
                    rowsOut.append(row)
                }
            }
            let familyTypes = Set(catalog.sourceTypes(in: section.family).map(\.rawValue))
            let typesWithData = Set(rowsOut.filter { $0.value != nil }.compactMap { catalog[$0.metric]?.source.rawValue })
            let withoutData = reports.filter { familyTypes.contains($0.type) && !typesWithData.contains($0.type) }.map(\.name)
            sections.append(
                DigestSection(
                    title: section.title, family: section.family, score: mean(rowsOut.compactMap(\.score)), rows: rowsOut, unscored: unscored,
                    sourcesWithoutData: withoutData))
        }
        let local = LocalTimeText(timeZone: timeZone)
        let rows = sections.flatMap(\.rows)
        let details = try await LookAtDetails.read(for: rows, from: store)
        return Digest(
            name: definition.name, title: definition.title, generatedAt: now, timeZone: timeZone.identifier, period: period,
            comparison: definition.comparison.rawValue, comparisonPeriod: comparison,
            score: mean(sections.compactMap(\.score).map(Double.init)), unscored: sections.flatMap(\.unscored),
            sections: sections, lookAt: LookAt.items(rows, comparison: local.period(comparison), local: local, now: now, details: details),
            alerts: definition.showsAlerts ? alertsSection(alerts, period: period, now: now) : nil,
            delivery: DigestDelivery(since: alerts?.deadLettersSince, deadLetters: alerts?.deadLetters ?? []), sources: reports,
            channels: definition.channels, trendPeriod: trendPeriod, trendBucket: bucketDays == 1 ? "day" : "week",
            trendBucketDays: bucketDays)
    }

    /// How many days one trend value covers: 1 up to ``dailyTrendLimit`` days, else whole weeks, as few as keep the trend
    /// within about 30 values (7 days up to 210 days, 14 up to 420, …).
    static func trendBucketDays(days: Int) -> Int {
        days <= dailyTrendLimit ? 1 : 7 * Int((Double(days) / (7 * 30)).rounded(.up))
    }

    /// The boundaries of trend buckets of `bucketDays` days from a period's day boundaries: every `bucketDays`-th day start
    /// and the period's end, the last bucket shorter when the days do not divide evenly.
    static func trendBoundaries(_ dayBuckets: [Timestamp], bucketDays: Int) -> [Timestamp] {
        stride(from: 0, to: dayBuckets.count - 1, by: bucketDays).map { dayBuckets[$0] } + [dayBuckets[dayBuckets.count - 1]]
    }

    /// The period itself when it has at least ``shortestTrend`` days, else the ``shortestTrend`` local days ending with it.
    static func trendPeriod(of period: Period, timeZone: TimeZone) -> Period {
        guard period.dayBuckets(in: timeZone).count - 1 < shortestTrend else { return period }
        return Period(from: LocalDays(timeZone).start(-shortestTrend, daysAfter: period.to), to: period.to)
    }

    /// The rounded mean, nil for none.
    static func mean(_ values: [Double]) -> Int? {
        values.isEmpty ? nil : Int((values.reduce(0, +) / Double(values.count)).rounded())
    }

    /// Firing now, and the spans that resolved in the period, each with its duration.
    static func alertsSection(_ alerts: ReportAlerts?, period: Period, now: Timestamp) -> DigestAlerts {
        func alert(_ span: ReportAlertSpan) -> DigestAlert {
            let end = span.resolvedAt ?? now
            return DigestAlert(
                rule: span.rule, labels: span.labels, severity: span.severity, firedAt: span.firedAt, resolvedAt: span.resolvedAt,
                durationSeconds: max(0, (end.milliseconds - span.firedAt.milliseconds) / 1000))
        }
        let firing = (alerts?.firing ?? []).sorted { ($0.firedAt, $0.rule) < ($1.firedAt, $1.rule) }.map(alert)
        let resolved = (alerts?.history ?? []).filter { span in span.resolvedAt.map(period.contains) ?? false }
            .sorted { ($0.firedAt, $0.rule) < ($1.firedAt, $1.rule) }.map(alert)
        return DigestAlerts(firing: firing, resolved: resolved)
    }
}

/// Series rows of one metric that share all labels but the breakdown labels.
struct RowGroup {
    let labels: Labels
    /// The rows the value adds up (those with the first breakdown label present), or the one row.
    let summed: [ReportRow]
    /// Every row with a breakdown label, first label first, largest value first.
    let breakdown: [(label: String, row: ReportRow)]

    /// Labels whose series add up to one row; none for medians and uptimes, which do not add up (each probe and each
    /// workflow's durations is a row of its own).
    static func breakdownLabels(of metric: MetricDefinition) -> [String] {
        if RowContext.readsTrendInBuckets(metric) { return [] }
        return (metric.labels + metric.optionalLabels).filter { !["repo", "source", "file"].contains($0) }
    }

    static func groups(of rows: [ReportRow], metric: MetricDefinition) -> [RowGroup] {
        let labels = breakdownLabels(of: metric)
        let byKey = Dictionary(grouping: rows) { row in labels.reduce(row.labels) { $0.setting($1, to: nil) } }
        return byKey.keys.sorted().map { key in
            let members = byKey[key]!
            let primary = labels.first { label in members.contains { $0.labels[label] != nil } }
            let summed = primary.map { label in members.filter { $0.labels[label] != nil } } ?? members
            let breakdown = labels.flatMap { label in
                members.filter { $0.labels[label] != nil }.sorted {
                    ($0.value ?? -.infinity, $1.labels[label]!) > ($1.value ?? -.infinity, $0.labels[label]!)
                }
                .map { (label: label, row: $0) }
            }
            return RowGroup(labels: key, summed: summed, breakdown: breakdown)
        }
    }
}
