import VitalsCore
import VitalsPorts

/// How much of a period the store's data covers, and when the last event happened: what every report (named or not)
/// notes on a row, so a sum over a span the store cannot cover is never read as the whole period's.
struct PeriodHistory {
    let store: any MetricStore
    let now: Timestamp
    let period: Period
    /// The period's day boundaries (`Period.dayBuckets(in:)`); `days` below has one value per day.
    let buckets: [Timestamp]

    /// From the first day with a sample on; the whole period when a series has a sample before it.
    func coverage(of rows: [ReportRow], days: [Double?]) async throws -> HistoryCoverage {
        coverage(days: days, earlier: try await haveEarlierSamples([rows])[0])
    }

    /// For each group of rows, whether a series of one of them (distinct counts left out) has a sample before the period:
    /// one read for all the groups.
    func haveEarlierSamples(_ groups: [[ReportRow]]) async throws -> [Bool] {
        let keys = groups.map { rows in rows.filter { $0.kind != .distinct }.map { SeriesKey($0.metric, $0.labels) } }
        var found = try await store.lastSamples(of: keys.flatMap { $0 }, before: period.from)[...]
        return keys.map { group in
            defer { found = found.dropFirst(group.count) }
            return found.prefix(group.count).contains { $0 != nil }
        }
    }

    /// ``coverage(of:days:)`` of rows whose ``haveEarlierSamples(_:)`` is `earlier`.
    func coverage(days: [Double?], earlier: Bool) -> HistoryCoverage {
        let total = days.count
        if earlier { return HistoryCoverage(from: period.from, daysCovered: total, daysInPeriod: total) }
        guard let firstDay = days.firstIndex(where: { $0 != nil }) else { return HistoryCoverage(from: nil, daysCovered: 0, daysInPeriod: total) }
        return HistoryCoverage(from: firstDay == 0 ? period.from : buckets[firstDay], daysCovered: total - firstDay, daysInPeriod: total)
    }

    /// The newest day with a non-zero value up to `now`: after the period (a calendar period ends before `now`), in it,
    /// or before it; the store is read only outside the period.
    func lastEvent(of rows: [ReportRow], days: [Double?]) async throws -> Timestamp? {
        func newest(from start: Timestamp, to end: Timestamp) async throws -> Timestamp? {
            guard start < end else { return nil }
            var newest: Timestamp?
            for row in rows {
                let points = try await store.samples(of: SeriesKey(row.metric, row.labels), in: Period(from: start, to: end))
                newest = ([newest].compactMap { $0 } + points.filter { $0.value > 0 }.map(\.timestamp)).max()
            }
            return newest
        }
        if let after = try await newest(from: period.to, to: now) { return after }
        if let day = days.lastIndex(where: { ($0 ?? 0) > 0 }) { return buckets[day] }
        return try await newest(from: Timestamp(milliseconds: 0), to: period.from)
    }
}
