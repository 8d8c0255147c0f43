import PostgresNIO
public import VitalsCore

extension PostgresMetricStore {
    /// Sets `label` to `value` on the selected series of `names`, in one transaction.
    ///
    /// As in the SQLite store: a series whose new key is free is renamed in place; one whose new key another series holds is
    /// merged into it (raw samples and rollup buckets the target lacks move over, the target's own values winning, and the
    /// days the moved samples span are rebuilt from raw), and the old series is deleted.
    @discardableResult
    public func relabelSeries(
        named names: [String], where isSelected: @escaping @Sendable (Labels) -> Bool, setting label: String, to value: String
    ) async throws -> Int {
        guard !names.isEmpty else { return 0 }
        let days = self.days
        // Holding the sample-write lock: no write of samples is under way while samples move, and whether or not a series
        // changes, readers' marks from before do not continue.
        return try await writing(holding: .exclusive) { connection in
            try await Self.advanceWriteEpoch(connection)
            var candidates: [(id: Int64, name: String, labels: String)] = []
            let rows = try await connection.query(
                """
                SELECT id, name, labels FROM series WHERE name = ANY(\(names)::text[]) ORDER BY name COLLATE "C", labels COLLATE "C" FOR UPDATE
                """, logger: Self.logger)
            for try await row in rows.decode((Int64, String, String).self) { candidates.append(row) }
            var changed = 0
            for (id, name, text) in candidates {
                let labels = try labels(text, of: name)
                let relabelled = labels.setting(label, to: value)
                guard isSelected(labels), relabelled != labels else { continue }
                try await Self.move(seriesID: id, name: name, to: relabelled, days: days, connection)
                changed += 1
            }
            return changed
        }
    }

    private static func move(seriesID: Int64, name: String, to labels: Labels, days: LocalDays, _ connection: Session) async throws {
        let canonical = labels.canonical
        var target: Int64?
        for try await id in try await connection.query("SELECT id FROM series WHERE name = \(name) AND labels = \(canonical)", logger: logger)
            .decode(Int64.self)
        {
            target = id
        }
        guard let target else {
            try await connection.query("UPDATE series SET labels = \(canonical) WHERE id = \(seriesID)", logger: logger)
            return
        }
        var span: (first: Int64?, last: Int64?) = (nil, nil)
        for try await row in try await connection.query("SELECT min(ts), max(ts) FROM samples WHERE series_id = \(seriesID)", logger: logger)
            .decode((Int64?, Int64?).self)
        {
            span = row
        }
        try await connection.query(
            "INSERT INTO samples (series_id, ts, value) SELECT \(target), ts, value FROM samples WHERE series_id = \(seriesID) ON CONFLICT DO NOTHING",
            logger: logger)
        for table in ["hourly_rollups", "daily_rollups"] {
            // Only the table name (one of two constants) and the ids (integers) are written into the text.
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        INSERT INTO \(table) SELECT \(target), bucket_start, count, sum, min, max, first_ts, first, last_ts, last, increase
                        FROM \(table) WHERE series_id = \(seriesID) ON CONFLICT DO NOTHING
                        """), logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE series_id = \(seriesID)"), logger: logger)
        }
        if let first = span.first, let last = span.last {
            let dayStarts = days.starts(from: Timestamp(milliseconds: first), through: Timestamp(milliseconds: last)).map(\.milliseconds)
            try await rebuildRollups([(target, dayStarts[0], dayStarts[dayStarts.count - 1])], dayStarts: dayStarts, connection)
        }
        try await connection.query("DELETE FROM samples WHERE series_id = \(seriesID)", logger: logger)
        try await connection.query("DELETE FROM series WHERE id = \(seriesID)", logger: logger)
    }
}
