import GRDB
public import VitalsCore

extension SQLiteMetricStore {
    /// The raw samples of several series in `period`, in one read transaction with one cached statement, instead of one
    /// transaction per series: the alert evaluation reads thousands of short windows per round.
    public func samples(of keys: [SeriesKey], in period: Period) throws -> [[SamplePoint]] {
        try writer.read { db in
            try keys.map { key in
                guard let id = try seriesID(of: key, db) else { return [] }
                return try rawPoints(db, seriesID: id, from: period.from.milliseconds, to: period.to.milliseconds)
            }
        }
    }
}
