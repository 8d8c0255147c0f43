import Foundation
import GRDBSQLite
import VitalsCore
import VitalsStore

/// Bulk ingest into an on-disk store, against raw SQLite inserting the same rows through one prepared statement.
struct IngestBenchmark {
    let folder: URL
    let seriesCount = 200
    let pointsPerSeries = 5_000
    let batch = 100_000

    func samples() -> [Sample] {
        let start = RFC3339.parse("2026-08-01T00:00:00Z")!.milliseconds
        var samples: [Sample] = []
        samples.reserveCapacity(seriesCount * pointsPerSeries)
        let descriptors = (0..<seriesCount).map {
            SeriesDescriptor(SeriesKey("bench_metric", ["repo": "r\($0 % 10)", "shard": String($0)]), kind: .gauge, unit: .count)
        }
        for point in 0..<pointsPerSeries {
            for (index, descriptor) in descriptors.enumerated() {
                samples.append(Sample(descriptor, at: Timestamp(milliseconds: start + Int64(point) * 300_000), value: Double(point * 7 + index)))
            }
        }
        return samples
    }

    func run() async throws {
        let samples = samples()
        print("ingest: \(samples.count) samples (\(seriesCount) series × \(pointsPerSeries) points), batches of \(batch), on-disk WAL")
        var vitalsBest = Double.infinity
        var rawBest = Double.infinity
        for round in 0..<3 {
            let storePath = folder.appendingPathComponent("ingest-\(round).db").path
            let store = try await SQLiteMetricStore(path: storePath, timeZone: TimeZone(identifier: "UTC")!, retention: .days(4000))
            vitalsBest = min(vitalsBest, try await measureAsync(runs: 1) {
                for start in stride(from: 0, to: samples.count, by: batch) {
                    try await store.write(Array(samples[start..<min(start + batch, samples.count)]))
                }
                // What a collection run does when it is done; the reference checkpoints at its end too.
                try await store.checkpoint()
            }.best)
            let rawPath = folder.appendingPathComponent("raw-\(round).db").path
            rawBest = min(rawBest, try measure(runs: 1) { try rawInsert(samples, path: rawPath) }.best)
        }
        let vitalsRate = Double(samples.count) / vitalsBest
        let rawRate = Double(samples.count) / rawBest
        line("  vitals store (rows + hourly/daily rollups)", "\(Int(vitalsRate)) samples/s  (\(format(vitalsBest)) s)")
        line("  raw SQLite (prepared INSERT, one transaction a batch)", "\(Int(rawRate)) samples/s  (\(format(rawBest)) s)")
        line("  ratio raw/vitals (target ≤ 2.0; ≥ 300,000 samples/s)", format(rawRate / vitalsRate))
    }

    /// The reference: the same rows into a table of the same shape, through the C API with no layer in between,
    /// with the store's settings (WAL, synchronous NORMAL as GRDB sets it, 64 MiB page cache, one checkpoint at the end).
    func rawInsert(_ samples: [Sample], path: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BenchError("cannot open \(path)") }
        defer { sqlite3_close(db) }
        func exec(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
        }
        try exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=0")
        try exec("CREATE TABLE series(id INTEGER PRIMARY KEY, name TEXT, labels TEXT, UNIQUE(name, labels))")
        try exec("CREATE TABLE samples(series_id INTEGER, ts INTEGER, value REAL, PRIMARY KEY(series_id, ts)) WITHOUT ROWID")
        var ids: [SeriesKey: Int64] = [:]
        var statement: OpaquePointer?
        sqlite3_prepare_v2(db, "INSERT INTO samples VALUES(?, ?, ?) ON CONFLICT DO UPDATE SET value=excluded.value", -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        for start in stride(from: 0, to: samples.count, by: batch) {
            try exec("BEGIN")
            for sample in samples[start..<min(start + batch, samples.count)] {
                let id: Int64
                if let known = ids[sample.series.key] {
                    id = known
                } else {
                    try exec("INSERT INTO series(name, labels) VALUES('\(sample.series.key.name)', '\(sample.series.key.labels.canonical)')")
                    id = sqlite3_last_insert_rowid(db)
                    ids[sample.series.key] = id
                }
                sqlite3_bind_int64(statement, 1, id)
                sqlite3_bind_int64(statement, 2, sample.timestamp.milliseconds)
                sqlite3_bind_double(statement, 3, sample.value)
                guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchError(String(cString: sqlite3_errmsg(db))) }
                sqlite3_reset(statement)
            }
            try exec("COMMIT")
        }
        try exec("PRAGMA wal_checkpoint(PASSIVE)")
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
