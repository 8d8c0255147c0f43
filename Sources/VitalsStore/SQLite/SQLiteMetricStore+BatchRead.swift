import GRDB
public import VitalsCore

extension SQLiteMetricStore {
    /// The raw samples of several series in `period`: one query per metric name (joining `series` to `samples`) in one read
    /// transaction, instead of two queries per series. The alert evaluation reads thousands of short windows per round.
    public func samples(of keys: [SeriesKey], in period: Period) throws -> [[SamplePoint]] {
        let names = Set(keys.map(\.name))
        var found: [SeriesKey: [SamplePoint]] = [:]
        try writer.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT series.labels, samples.ts, samples.value FROM series JOIN samples ON samples.series_id = series.id
                    WHERE series.name = ? AND samples.ts >= ? AND samples.ts < ? ORDER BY series.id, samples.ts
                    """)
            for name in names {
                var labelsText = ""
                var key: SeriesKey?
                let rows = try Row.fetchCursor(statement, arguments: [name, period.from.milliseconds, period.to.milliseconds])
                while let row = try rows.next() {
                    let text: String = row[0]
                    if text != labelsText || key == nil {
                        guard let labels = Labels(canonical: text) else {
                            throw StoreError.corruptRow(file, "series \(name) has labels '\(text)' that are not in canonical form")
                        }
                        labelsText = text
                        key = SeriesKey(name, labels)
                    }
                    found[key!, default: []].append(SamplePoint(Timestamp(milliseconds: row[1]), row[2]))
                }
            }
        }
        return keys.map { found[$0] ?? [] }
    }
}
