import PostgresNIO
public import VitalsCore
public import VitalsPorts

/// Rows as they are, in their canonical columns, for `vitals store migrate`: the tables have the canonical columns' names
/// and types; text keys are ordered bytewise (`COLLATE "C"`), as SQLite orders them.
extension PostgresMetricStore: StoreTransfer {
    public func exportRows(of table: TransferTable, after cursor: [TransferValue]?, limit: Int) async throws -> [[TransferValue]] {
        let columns = table.columns
        let keys = columns.prefix(table.keyColumns).map { $0.type == .text ? "\($0.name) COLLATE \"C\"" : $0.name }.joined(separator: ", ")
        var binds = PostgresBindings()
        var after = ""
        if let cursor {
            for (value, column) in zip(cursor, columns) { try Self.append([value], of: column, to: &binds, table: table, unwrapped: true) }
            after = "WHERE (\(keys)) > (\(cursor.indices.map { "$\($0 + 1)" }.joined(separator: ", ")))"
        }
        let query = PostgresQuery(
            unsafeSQL: "SELECT \(columns.map(\.name).joined(separator: ", ")) FROM \(table.rawValue) \(after) ORDER BY \(keys) LIMIT \(limit)",
            binds: binds)
        let rows = try await transaction { connection in
            var rows: [[TransferValue]] = []
            for try await row in try await connection.query(query, logger: Self.logger) {
                rows.append(
                    try zip(row, columns).map { cell, column in
                        switch column.type {
                        case .integer: try cell.decode(Int64?.self).map(TransferValue.integer) ?? .null
                        case .real: try cell.decode(Double?.self).map(TransferValue.real) ?? .null
                        case .text: try cell.decode(String?.self).map(TransferValue.text) ?? .null
                        case .boolean: try cell.decode(Bool?.self).map(TransferValue.boolean) ?? .null
                        }
                    })
            }
            return rows
        }
        return try rows.map { try TransferJSON.canonical($0, of: table) }
    }

    /// One statement for the whole batch: each column an array parameter (a nullable one with a second array saying which
    /// values are there), `unnest`ed, conflicting rows skipped; then the table's id sequence moved past the ids given.
    @discardableResult
    public func importRows(_ rows: [[TransferValue]], into table: TransferTable) async throws -> Int {
        guard !rows.isEmpty else { return 0 }
        try table.checkWidth(of: rows)
        let columns = table.columns
        var binds = PostgresBindings()
        var arrays: [String] = []
        var values: [String] = []
        for (index, column) in columns.enumerated() {
            try Self.append(rows.map { $0[index] }, of: column, to: &binds, table: table, unwrapped: false)
            arrays.append("$\(arrays.count + 1)::\(Self.sqlType(column.type))[]")
            if column.nullable {
                binds.append(rows.map { $0[index] != .null })
                arrays.append("$\(arrays.count + 1)::bool[]")
                values.append("CASE WHEN c\(arrays.count) THEN c\(arrays.count - 1) END")
            } else {
                values.append("c\(arrays.count)")
            }
        }
        if table == .samples { try await ensurePartitions(for: rows.compactMap { $0[1].integer }) }
        let names = columns.map(\.name).joined(separator: ", ")
        let query = PostgresQuery(
            unsafeSQL: """
                WITH inserted AS (
                    INSERT INTO \(table.rawValue) (\(names))
                    SELECT \(values.joined(separator: ", ")) FROM unnest(\(arrays.joined(separator: ", "))) AS u(\(arrays.indices.map { "c\($0 + 1)" }.joined(separator: ", ")))
                    ON CONFLICT DO NOTHING RETURNING 1)
                SELECT count(*) FROM inserted
                """, binds: binds)
        return try await transaction { connection in
            var inserted = 0
            for try await count in try await connection.query(query, logger: Self.logger).decode(Int.self) { inserted = count }
            if table.hasGeneratedID {
                try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT setval(pg_get_serial_sequence('\(table.rawValue)', 'id'), max(id)) FROM \(table.rawValue)"),
                    logger: Self.logger)
            }
            return inserted
        }
    }

    private static func sqlType(_ type: TransferType) -> String {
        switch type {
        case .integer: "int8"
        case .real: "float8"
        case .text: "text"
        case .boolean: "bool"
        }
    }

    /// Binds `values` of `column` as one array (a null as the type's zero, which the import's presence array masks), or with
    /// `unwrapped` as a single value (a key of the cursor, never null).
    private static func append(
        _ values: [TransferValue], of column: TransferColumn, to binds: inout PostgresBindings, table: TransferTable, unwrapped: Bool
    ) throws {
        func typed<T: PostgresArrayEncodable & PostgresNonThrowingEncodable>(_ read: (TransferValue) -> T?, zero: T) throws {
            let array = try values.map { value in
                if let typed = read(value) { return typed }
                guard value == .null, column.nullable else {
                    throw StoreTransferError(table, "\(value) in \(column.name), which is no \(column.type)")
                }
                return zero
            }
            if unwrapped { binds.append(array[0]) } else { binds.append(array) }
        }
        switch column.type {
        case .integer: try typed(\.integer, zero: 0)
        case .real: try typed(\.real, zero: 0)
        case .text: try typed(\.text, zero: "")
        case .boolean: try typed(\.boolean, zero: false)
        }
    }
}
