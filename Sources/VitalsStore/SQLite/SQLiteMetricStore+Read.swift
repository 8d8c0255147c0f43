import GRDB
import Synchronization
public import VitalsCore

extension SQLiteMetricStore {
    /// Every series named `name` (all when nil), sorted by key.
    public func series(named name: String?) async throws -> [SeriesDescriptor] {
        let sql = "SELECT name, labels, kind, unit FROM series" + (name == nil ? "" : " WHERE name = ?")
        return try await fetchRows(sql: sql, arguments: StatementArguments(name.map { [$0] } ?? []), descriptor).sorted { $0.key < $1.key }
    }

    /// The raw samples of `key` in `period`, oldest first.
    public func samples(of key: SeriesKey, in period: Period) async throws -> [SamplePoint] {
        try await reading { db in
            guard let id = try seriesID(of: key, db) else { return [] }
            return try rawPoints(db, seriesID: id, from: period.from.milliseconds, to: period.to.milliseconds)
        }
    }

    /// The newest sample strictly before `instant`: the raw one, or the last of an hourly rollup when retention removed the raw
    /// samples (hourly rather than daily rows, because they pin the last value to its own hour).
    public func lastSample(of key: SeriesKey, before instant: Timestamp) async throws -> SamplePoint? {
        try await lastSamples(of: [key], before: instant)[0]
    }

    /// The newest samples of several series strictly before `instant`, all read in one read transaction.
    public func lastSamples(of keys: [SeriesKey], before instant: Timestamp) async throws -> [SamplePoint?] {
        guard !keys.isEmpty else { return [] }
        return try await reading { db in try keys.map { try lastSample(of: $0, before: instant, db) } }
    }

    private func lastSample(of key: SeriesKey, before instant: Timestamp, _ db: Database) throws -> SamplePoint? {
        guard let id = try seriesID(of: key, db) else { return nil }
        let raw = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT ts, value FROM samples WHERE series_id = ? AND ts < ? ORDER BY ts DESC LIMIT 1"),
            arguments: [id, instant.milliseconds]
        ).map { SamplePoint(Timestamp(milliseconds: $0["ts"]), $0["value"]) }
        let rolledUp = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT last_ts, last FROM hourly_rollups WHERE series_id = ? AND last_ts < ? ORDER BY bucket_start DESC LIMIT 1"),
            arguments: [id, instant.milliseconds]
        ).map { SamplePoint(Timestamp(milliseconds: $0["last_ts"]), $0["last"]) }
        guard let raw else { return rolledUp }
        guard let rolledUp else { return raw }
        return rolledUp.timestamp > raw.timestamp ? rolledUp : raw
    }

    /// The series named `name` with a sample in `period`, raw or (past retention) recorded in an hourly rollup.
    public func activeSeries(named name: String, in period: Period) async throws -> [SeriesKey] {
        let from = period.from.milliseconds
        let to = period.to.milliseconds
        return try await fetchRows(
            sql: """
                SELECT name, labels, kind, unit FROM series WHERE name = ?1 AND (
                    EXISTS (SELECT 1 FROM samples WHERE series_id = series.id AND ts >= ?2 AND ts < ?3)
                    OR EXISTS (
                        SELECT 1 FROM hourly_rollups WHERE series_id = series.id AND bucket_start >= ?2 - 3600000 AND bucket_start < ?3
                        AND ((bucket_start >= ?2 AND bucket_start + 3600000 <= ?3) OR (first_ts >= ?2 AND first_ts < ?3)
                            OR (last_ts >= ?2 AND last_ts < ?3))))
                """,
            arguments: [name, from, to]
        ) { try descriptor($0).key }.sorted()
    }

    /// Deletes raw samples older than `now - retention`; rollups stay, so old periods still summarise.
    @discardableResult
    public func applyRetention(now: Timestamp) async throws -> Int {
        let cutoff = now.subtracting(retention).milliseconds
        return try await writing { db in
            // Per series, so SQLite walks the primary key of each instead of scanning every sample.
            try db.execute(sql: "DELETE FROM samples WHERE series_id IN (SELECT id FROM series) AND ts < ?", arguments: [cutoff])
            let deleted = db.changesCount
            try Self.recordRetention(before: cutoff, db)
            return deleted
        }
    }

    /// The id of `key`, from the cache or the file; nil for a series never written.
    func seriesID(of key: SeriesKey, _ db: Database) throws -> Int64? {
        if let row = seriesIDs.withLock({ $0[key] }) { return row.id }
        return try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM series WHERE name = ? AND labels = ?"), arguments: [key.name, key.labels.canonical])
    }

    func rawPoints(_ db: Database, seriesID: Int64, from: Int64, to: Int64) throws -> [SamplePoint] {
        try Row.fetchAll(
            db.cachedStatement(sql: "SELECT ts, value FROM samples WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts"),
            arguments: [seriesID, from, to]
        ).map { SamplePoint(Timestamp(milliseconds: $0["ts"]), $0["value"]) }
    }

    private func descriptor(_ row: Row) throws -> SeriesDescriptor {
        let name: String = row["name"]
        let text: String = row["labels"]
        guard let labels = Labels(canonical: text) else {
            throw StoreError.corruptRow(file, "series \(name) has labels '\(text)' that are not in canonical form")
        }
        guard let kind = MetricKind(rawValue: row["kind"]), let unit = MetricUnit(rawValue: row["unit"]) else {
            throw StoreError.corruptRow(
                file, "series \(name) has kind '\(row["kind"] as String)' or unit '\(row["unit"] as String)' this build does not know")
        }
        return SeriesDescriptor(SeriesKey(name, labels), kind: kind, unit: unit)
    }
}
