import GRDB
import Synchronization
public import VitalsCore
public import VitalsPorts

extension SQLiteMetricStore: SourceStateStore {
    /// Sets `label` to `value` on the selected series of `names`, in one transaction.
    ///
    /// A series whose new key is free is renamed in place (its id, samples and rollups stay). One whose new key another series
    /// holds is merged into that series: raw samples the target lacks move over (the target's own values win on equal
    /// timestamps), rollup buckets the target lacks move over, the days the moved samples span are rebuilt from raw, and the
    /// old series is deleted. A bucket both had whose raw samples retention already pruned keeps the target's row.
    @discardableResult
    public func relabelSeries(
        named names: [String], where isSelected: @escaping @Sendable (Labels) -> Bool, setting label: String, to value: String
    ) async throws -> Int {
        guard !names.isEmpty else { return 0 }
        let changed = try await writing { db -> Int in
            let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db, sql: "SELECT id, name, labels FROM series WHERE name IN (\(placeholders)) ORDER BY name, labels",
                arguments: StatementArguments(names))
            var changed = 0
            for row in rows {
                let name: String = row["name"]
                let text: String = row["labels"]
                guard let labels = Labels(canonical: text) else {
                    throw StoreError.corruptRow(file, "series \(name) has labels '\(text)' that are not in canonical form")
                }
                let relabelled = labels.setting(label, to: value)
                guard isSelected(labels), relabelled != labels else { continue }
                try move(seriesID: row["id"], name: name, to: relabelled, db)
                changed += 1
            }
            if changed > 0 { try Self.advanceWriteEpoch(db) }
            return changed
        }
        // Ids and keys cached before the change may now name other series; relabelling is rare, so the caches start over.
        if changed > 0 { forgetSeries() }
        return changed
    }

    /// Forgets the cached series ids and keys, after series were relabelled or merged (here or by another process).
    func forgetSeries() {
        seriesIDs.withLock { $0 = [:] }
        seriesKeys.withLock { $0 = [:] }
    }

    private func move(seriesID: Int64, name: String, to labels: Labels, _ db: Database) throws {
        guard
            let target = try Int64.fetchOne(
                db, sql: "SELECT id FROM series WHERE name = ? AND labels = ?", arguments: [name, labels.canonical])
        else {
            try db.execute(sql: "UPDATE series SET labels = ? WHERE id = ?", arguments: [labels.canonical, seriesID])
            return
        }
        let span = try Row.fetchOne(db, sql: "SELECT min(ts) AS first, max(ts) AS last FROM samples WHERE series_id = ?", arguments: [seriesID])
        try db.execute(
            sql: "INSERT INTO samples (series_id, ts, value) SELECT ?, ts, value FROM samples WHERE series_id = ? ON CONFLICT DO NOTHING",
            arguments: [target, seriesID])
        for table in RollupBuilder.Table.allCases {
            try db.execute(
                sql: "INSERT OR IGNORE INTO \(table.rawValue) SELECT ?, bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase "
                    + "FROM \(table.rawValue) WHERE series_id = ?",
                arguments: [target, seriesID])
            try db.execute(sql: "DELETE FROM \(table.rawValue) WHERE series_id = ?", arguments: [seriesID])
        }
        if let first: Int64 = span?["first"], let last: Int64 = span?["last"] {
            try RollupBuilder(db: db, grid: grid).rebuild(seriesID: target, first: first, last: last)
        }
        try db.execute(sql: "DELETE FROM samples WHERE series_id = ?", arguments: [seriesID])
        try db.execute(sql: "DELETE FROM series WHERE id = ?", arguments: [seriesID])
    }

    public func sourceState(of source: String) async throws -> [String: String] {
        try await reading { db in
            let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM source_state WHERE source = ?", arguments: [source.storable])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["key"], $0["value"]) })
        }
    }

    public func sourceState(of source: String, key: String) async throws -> String? {
        try await reading { db in
            try String.fetchOne(db, sql: "SELECT value FROM source_state WHERE source = ? AND key = ?", arguments: [source.storable, key.storable])
        }
    }

    public func sourceState(of source: String, keysStartingWith prefix: String) async throws -> [String: String] {
        try await reading { db in
            // substr, not LIKE: a prefix may hold `%` and `_`, and LIKE ignores case.
            let rows = try Row.fetchAll(
                db, sql: "SELECT key, value FROM source_state WHERE source = ? AND substr(key, 1, ?) = ?",
                arguments: [source.storable, prefix.storable.unicodeScalars.count, prefix.storable])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["key"], $0["value"]) })
        }
    }

    public func updateSourceState(_ changes: [String: String?], of source: String) async throws {
        guard !changes.isEmpty else { return }
        let source = source.storable
        try await writing { db in
            for (key, value) in changes.storable {
                if let value {
                    try db.execute(
                        sql:
                            "INSERT INTO source_state (source, key, value) VALUES (?, ?, ?) ON CONFLICT (source, key) DO UPDATE SET value = excluded.value",
                        arguments: [source, key, value])
                } else {
                    try db.execute(sql: "DELETE FROM source_state WHERE source = ? AND key = ?", arguments: [source, key])
                }
            }
        }
    }

    public func setSourceState(_ state: [String: String], of source: String) async throws {
        let source = source.storable
        try await writing { db in
            try db.execute(sql: "DELETE FROM source_state WHERE source = ?", arguments: [source])
            for (key, value) in state.storable {
                try db.execute(sql: "INSERT INTO source_state (source, key, value) VALUES (?, ?, ?)", arguments: [source, key, value])
            }
        }
    }
}
