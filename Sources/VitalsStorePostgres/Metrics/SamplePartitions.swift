import Foundation
import PostgresNIO
import Synchronization
import VitalsCore

/// The monthly partitions of `samples`: one table per calendar month (UTC) of the samples' times, `samples_YYYYMM`,
/// created before the first write into that month and dropped whole once retention passes its end.
struct SampleMonth: Hashable, Comparable {
    let year: Int
    let month: Int

    private static let calendar = Calendar.gregorian(in: TimeZone(identifier: "UTC")!)

    init(year: Int, month: Int) {
        self.year = year
        self.month = month
    }

    /// The month holding `milliseconds`.
    init(holding milliseconds: Int64) {
        let parts = Self.calendar.dateComponents([.year, .month], from: Timestamp(milliseconds: milliseconds).date)
        self.init(year: parts.year!, month: parts.month!)
    }

    /// The month a partition's table name gives; nil for another table.
    init?(table: String) {
        guard table.hasPrefix("samples_"), let number = Int(table.dropFirst("samples_".count)), number >= 100 else { return nil }
        self.init(year: number / 100, month: number % 100)
    }

    var table: String { "samples_" + String(format: "%04d%02d", year, month) }

    /// The first millisecond of the month.
    var start: Int64 { Timestamp(Self.calendar.date(from: DateComponents(year: year, month: month, day: 1))!).milliseconds }

    /// The first millisecond of the next month.
    var end: Int64 { month == 12 ? SampleMonth(year: year + 1, month: 1).start : SampleMonth(year: year, month: month + 1).start }

    static func < (lhs: SampleMonth, rhs: SampleMonth) -> Bool { (lhs.year, lhs.month) < (rhs.year, rhs.month) }
}

extension PostgresMetricStore {
    /// The advisory lock taken while partitions are created or dropped ("vitals" and 2).
    static let partitionLock: Int64 = 0x7669_7461_6C73_0002

    /// Creates the partitions of the months holding `timestamps` that this store has not seen yet, in a transaction of their
    /// own (a write that fails afterwards leaves them, empty, for the next one).
    func ensurePartitions(for timestamps: some Sequence<Int64>) async throws {
        let known = partitions.withLock { $0 }
        // Samples of one write mostly share a month, so the calendar is asked only when a sample leaves the last month found.
        var months: [SampleMonth] = []
        var current: Range<Int64>?
        for ms in timestamps where current?.contains(ms) != true {
            let month = SampleMonth(holding: ms)
            current = month.start..<month.end
            if !known.contains(month.start), !months.contains(month) { months.append(month) }
        }
        guard !months.isEmpty else { return }
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.partitionLock))", logger: Self.logger)
            for month in months {
                // Table names and bounds are computed here from integers, never taken from input.
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "CREATE TABLE IF NOT EXISTS \(month.table) PARTITION OF samples FOR VALUES FROM (\(month.start)) TO (\(month.end))"
                    ),
                    logger: Self.logger)
            }
        }
        partitions.withLock { $0.formUnion(months.map(\.start)) }
    }

    /// Deletes the raw samples before `cutoff`: months wholly before it are detached and dropped, the month holding it has its
    /// older rows deleted. Returns the number of samples removed.
    func dropSamples(before cutoff: Int64) async throws -> Int {
        // Holding the sample-write lock: a write under way commits before the rows are deleted (or is deleted with them),
        // and one begun later after the retention, so readers that drop what they kept from before the cutoff drop none of it.
        let dropped = try await writing(holding: .exclusive) { connection -> (removed: Int, months: [Int64]) in
            try await Self.recordRetention(before: cutoff, connection)
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.partitionLock))", logger: Self.logger)
            var months: [SampleMonth] = []
            for try await table in try await connection.query(
                "SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'samples'::regclass",
                logger: Self.logger
            ).decode(String.self) {
                if let month = SampleMonth(table: table) { months.append(month) }
            }
            var removed = 0
            var droppedMonths: [Int64] = []
            for month in months.sorted() where month.start < cutoff {
                if month.end <= cutoff {
                    for try await count in try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(month.table)"), logger: Self.logger
                    )
                    .decode(Int.self) {
                        removed += count
                    }
                    try await connection.query(PostgresQuery(unsafeSQL: "ALTER TABLE samples DETACH PARTITION \(month.table)"), logger: Self.logger)
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(month.table)"), logger: Self.logger)
                    droppedMonths.append(month.start)
                } else {
                    for try await count in try await connection.query(
                        "WITH gone AS (DELETE FROM samples WHERE ts >= \(month.start) AND ts < \(cutoff) RETURNING 1) SELECT count(*) FROM gone",
                        logger: Self.logger
                    ).decode(Int.self) {
                        removed += count
                    }
                }
            }
            return (removed, droppedMonths)
        }
        partitions.withLock { $0.subtract(dropped.months) }
        return dropped.removed
    }
}
