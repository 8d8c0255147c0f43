import GRDB
public import VitalsCore
public import VitalsRules

extension SQLiteMetricStore: MetricWindowReader {
    /// The raw samples of several series in `period`: one query per metric name (joining `series` to `samples`) in one read
    /// transaction, instead of two queries per series.
    public func samples(of keys: [SeriesKey], in period: Period) throws -> [[SamplePoint]] {
        let names = Set(keys.map(\.name)).sorted()
        let read = try series(in: names.map { MetricWindow(name: $0, period: period) })
        var found: [SeriesKey: [SamplePoint]] = [:]
        for (key, points) in read.joined() { found[key] = points }
        return keys.map { found[$0] ?? [] }
    }

    /// The alert evaluation round reads every metric its rules select this way: one query per window, all in one read
    /// transaction. Rows come in index order (labels, then time), so SQLite sorts nothing, and a row's labels are parsed
    /// only when its series id differs from the previous row's.
    public func series(in windows: [MetricWindow]) throws -> [[(key: SeriesKey, points: [SamplePoint])]] {
        try writer.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT series.id, series.labels, samples.ts, samples.value FROM series JOIN samples ON samples.series_id = series.id
                    WHERE series.name = ? AND samples.ts >= ? AND samples.ts < ? ORDER BY series.labels, samples.ts
                    """)
            return try windows.map { window in
                var found: [(key: SeriesKey, points: [SamplePoint])] = []
                var seriesID: Int64?
                let rows = try Row.fetchCursor(statement, arguments: [window.name, window.period.from.milliseconds, window.period.to.milliseconds])
                while let row = try rows.next() {
                    let id: Int64 = row[0]
                    if id != seriesID {
                        let text: String = row[1]
                        guard let labels = Labels(canonical: text) else {
                            throw StoreError.corruptRow(file, "series \(window.name) has labels '\(text)' that are not in canonical form")
                        }
                        seriesID = id
                        found.append((SeriesKey(window.name, labels), []))
                    }
                    found[found.count - 1].points.append(SamplePoint(Timestamp(milliseconds: row[2]), row[3]))
                }
                return found
            }
        }
    }
}
