import Foundation
import VitalsCollectors
import VitalsCore
import VitalsPorts

/// What turning a ``RowGroup`` into a ``DigestRow`` needs: the store (for history and last commits), the periods and buckets.
struct RowContext {
    /// Ratios whose raw counts the store keeps as separate metrics: numerator, denominator.
    static let rawCounts: [String: (numerator: String, denominator: String)] = [
        "coverage_lines_ratio": ("coverage_lines_covered", "coverage_lines_valid"),
        "dora_change_failure_ratio": ("dora_change_failures", "dora_deployments_ended"),
    ]
    /// Event metrics whose newest non-zero day a row names (`last commit 98 days ago`).
    static let lastEventMetrics: Set<String> = ["git_commits"]
    /// The git collector writes a sample of `git_commits` for every day of its history, 0 on days without commits.
    static let commits = "git_commits"

    /// The series whose samples mark the days another metric's missing samples are real zeros: `git_commits` for the other
    /// git event and distinct metrics (a day without commits has no lines added and no authors), nil for the rest.
    static func zeroFilledBy(_ metric: MetricDefinition) -> String? {
        guard metric.source == .git, metric.name != commits, metric.isShown else { return nil }
        if case .distinctSeries = metric.derivation { return commits }
        return metric.kind == .event ? commits : nil
    }

    let store: any MetricStore
    let now: Timestamp
    let period: Period
    let comparison: Period
    let buckets: [Timestamp]
    /// The day boundaries of the trend, which covers at least four weeks (see ``DigestBuilder/shortestTrend``).
    let trendBuckets: [Timestamp]
    /// Days per trend value (see ``DigestBuilder/trendBucketDays(days:)``).
    let bucketDays: Int
    let timeZone: TimeZone
    let sources: [SourceReport]
    let oneRepository: Bool

    /// Metrics whose trend is read in the trend's own buckets (a week's median or uptime is not a function of its days').
    static func readsTrendInBuckets(_ metric: MetricDefinition) -> Bool {
        switch metric.derivation {
        case .distribution, .successRatio: true
        case .seriesValue, .distinctSeries, .hidden: false
        }
    }

    func row(
        _ group: RowGroup, metric: MetricDefinition, threshold: MetricThreshold?, reference: ReportRow?,
        trend trendSource: (rows: [ReportRow], reference: ReportRow?), counts rowsOf: (String) async throws -> [ReportRow],
        trendCounts trendRowsOf: (String) async throws -> [ReportRow]
    ) async throws -> DigestRow {
        let summed = group.summed
        var value = Self.sum(summed.map(\.value))
        var previous = Self.sum(summed.map(\.previous))
        var days = (0..<buckets.count - 1).map { day in Self.sum(summed.map { $0.daily[day] }) }
        let kind = summed.first?.kind ?? ReportRow.Kind.of(metric)
        if let reference {
            days = Self.zeroFilled(days, covered: reference.daily, kind: kind)
            if value == nil, reference.value != nil { value = 0 }
            if previous == nil, reference.previous != nil { previous = 0 }
        }
        let first = summed.first ?? reference
        let status =
            value != nil && summed.isEmpty ? (reference?.status ?? .ok) : summed.map(\.status).max { Self.rank($0) < Self.rank($1) } ?? .noData
        let detail = (summed.isEmpty ? reference.map { [$0] } ?? [] : summed).first { $0.status == status }?.statusDetail
        let trendValues = trendBuckets.count - 1
        var trendDays = (0..<trendValues).map { day in Self.sum(trendSource.rows.map { $0.daily.count == trendValues ? $0.daily[day] : nil }) }
        if let covered = trendSource.reference?.daily {
            trendDays = Self.zeroFilled(trendDays, covered: covered, kind: kind)
        }
        var trend = bucketDays == 1 ? trendDays : Self.buckets(trendDays, of: bucketDays, kind: kind)
        if bucketDays > 1, Self.readsTrendInBuckets(metric) {
            // Read per bucket already, one series per row.
            trend = trendSource.rows.first?.daily ?? trend
        }
        var counts: RawCounts?
        if let names = Self.rawCounts[metric.name] {
            let numerator = try await rowsOf(names.numerator).first { $0.labels == group.labels }
            let denominator = try await rowsOf(names.denominator).first { $0.labels == group.labels }
            if let top = numerator?.value, let bottom = denominator?.value {
                counts = RawCounts(numerator: top, denominator: bottom, previousNumerator: numerator?.previous, previousDenominator: denominator?.previous)
            }
        }
        counts = counts ?? summed.first?.counts
        var breakdown = group.breakdown.map { item in
            BreakdownEntry(label: item.label, value: item.row.labels[item.label]!, now: item.row.value, previous: item.row.previous)
        }
        if let counted = CountedRatio.byMetric[metric.name] {
            let runs = counted.members(of: try await rowsOf(counted.metric), labels: group.labels)
            let (now, before) = (counted.counts(runs) { $0.value }, counted.counts(runs) { $0.previous })
            (value, previous) = (CountedRatio.ratio(now), CountedRatio.ratio(before))
            days = counted.trend(runs, values: days.count, size: 1)
            counts = now.map { RawCounts(numerator: $0.ones, denominator: $0.all, previousNumerator: before?.ones, previousDenominator: before?.all) }
            breakdown = counted.breakdown(runs)
            trend = counted.trend(counted.members(of: try await trendRowsOf(counted.metric), labels: group.labels), values: trendValues, size: bucketDays)
        }
        let values = RowValues(value: value, previous: previous, daily: days)
        let periodHistory = PeriodHistory(store: store, now: now, period: period, buckets: buckets)
        let history = try await periodHistory.coverage(of: summed + (reference.map { [$0] } ?? []), days: days)
        let lastEvent = Self.lastEventMetrics.contains(metric.name) ? try await periodHistory.lastEvent(of: summed, days: days) : nil
        let distribution = (now: summed.count == 1 ? summed[0].distribution : nil, previous: summed.count == 1 ? summed[0].previousDistribution : nil)
        let items: (one: String, many: String)? = if case .distribution(let one, let many) = metric.derivation { (one, many) } else { nil }
        let deployments = trendDays.firstIndex { $0 != nil }.map { start in (count: Self.sum(trendDays)!, days: trendValues - start) }
        return DigestRow(
            metric: metric.name, title: metric.title, name: name(metric.title, labels: group.labels, source: first?.source),
            labels: group.labels, unit: summed.first?.unit ?? metric.unit, kind: kind, value: value,
            previous: previous, change: values.change, changeRatio: values.changeRatio, counts: counts, distribution: distribution.now,
            previousDistribution: distribution.previous, item: items?.one, items: items?.many,
            dora: DoraLevel.of(metric: metric.name, value: value, distribution: distribution.now, deployments: deployments),
            breakdown: breakdown, trend: trend,
            sparkline: Sparkline.render(trend), threshold: threshold,
            // NaN (which PostgreSQL can hold) is no value to grade: it reaches no threshold, and its score would be NaN.
            grade: value.flatMap { $0.isNaN ? nil : threshold?.grade($0) }, score: value.flatMap { $0.isNaN ? nil : threshold?.score($0) }, status: status, statusDetail: detail, history: history,
            lastSampleAt: summed.compactMap(\.lastSampleAt).max(),
            lastEventAt: lastEvent, source: first?.source)
    }

    /// The title with the labels that tell rows apart: not `repo` when there is one repository, not `source` when the
    /// source is the only configured one of its type.
    func name(_ title: String, labels: Labels, source: String?) -> String {
        let type = sources.first { $0.name == source }?.type
        let impliedSource = labels["source"] == source && sources.count { $0.type == type } <= 1
        let shown = labels.pairs.filter { pair in
            !(pair.name == "repo" && oneRepository) && !(pair.name == "source" && impliedSource)
        }
        return shown.isEmpty ? title : "\(title) (\(shown.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")))"
    }

    /// Days the reference covers are real zeros; a day it does not cover is before the history began, where a distinct
    /// count's 0 (no counted series had a sample) is no data, like its siblings', not a zero.
    static func zeroFilled(_ days: [Double?], covered: [Double?], kind: ReportRow.Kind) -> [Double?] {
        zip(days, covered).map { day, covered in
            if covered != nil { return day ?? 0 }
            return kind == .distinct && day == 0 ? nil : day
        }
    }

    static func sum(_ values: [Double?]) -> Double? {
        let known = values.compactMap { $0 }
        return known.isEmpty ? nil : known.reduce(0, +)
    }

    /// Buckets of `size` days from the period's start: the last value of a gauge, the most of a distinct count, else the sum.
    /// (Medians and uptimes are read per bucket instead, see ``readsTrendInBuckets(_:)``.)
    static func buckets(_ days: [Double?], of size: Int, kind: ReportRow.Kind) -> [Double?] {
        stride(from: 0, to: days.count, by: size).map { start in
            let week = Array(days[start..<min(start + size, days.count)])
            switch kind {
            case .gauge, .distribution, .successRatio: return week.last { $0 != nil } ?? nil
            case .distinct: return week.compactMap { $0 }.max()
            case .event, .counter: return sum(week)
            }
        }
    }

    static func rank(_ status: RowStatus) -> Int {
        switch status {
        case .ok: 0
        case .noData: 1
        case .stale: 2
        case .failed: 3
        }
    }
}
