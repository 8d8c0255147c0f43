import GRDB
public import VitalsCore
public import VitalsPorts

/// Rows as they are, in their canonical columns, for `vitals store migrate`. The tables have the canonical columns' names;
/// the outbox's messages are `alert_outbox` rows (a payload in columns, read and written as `OutboxStore` does), and a
/// delivery's `delivered_at`, which nothing reads, is its `finished_at` when it was delivered.
extension SQLiteMetricStore: StoreTransfer {
    public func exportRows(of table: TransferTable, after cursor: [TransferValue]?, limit: Int) async throws -> [[TransferValue]] {
        let keys = table.columns.prefix(table.keyColumns).map(\.name).joined(separator: ", ")
        let after = cursor.map { "WHERE (\(keys)) > (\($0.map { _ in "?" }.joined(separator: ", ")))" } ?? ""
        let rest = "\(after) ORDER BY \(keys) LIMIT \(limit)"
        let arguments = StatementArguments(cursor?.map(Self.databaseValue) ?? [])
        let file = self.file
        switch table {
        case .outboxMessages:
            return try await fetchRows(sql: "SELECT * FROM alert_outbox \(rest)", arguments: arguments) { row in
                let message = try Self.message(row, file: file)
                let channels: String = row["channels"]
                guard let names = try? TransferJSON.decode([String].self, from: channels) else {
                    throw StoreError.corruptRow(file, "outbox message \(message.id) has a channel list this build cannot read")
                }
                return [
                    .integer(message.id), .text(message.idempotencyKey), .text(try TransferJSON.encode(message.payload)),
                    .text(try TransferJSON.encode(names)), .integer(message.createdAt.milliseconds), .boolean(row["routed"]),
                ]
            }
        default:
            let columns = table.columns
            return try await fetchRows(
                sql: "SELECT \(columns.map(\.name).joined(separator: ", ")) FROM \(table.rawValue) \(rest)", arguments: arguments
            ) {
                row in
                try columns.indices.map { index in
                    let value: DatabaseValue = row[index]
                    guard let converted = Self.transferValue(value, columns[index].type) else {
                        throw StoreError.corruptRow(
                            file, "\(table.rawValue) holds \(value) in \(columns[index].name), which is no \(columns[index].type)")
                    }
                    return converted
                }
            }.map { try TransferJSON.canonical($0, of: table) }
        }
    }

    @discardableResult
    public func importRows(_ rows: [[TransferValue]], into table: TransferTable) async throws -> Int {
        guard !rows.isEmpty else { return 0 }
        try table.checkWidth(of: rows)
        let columns = table.columns
        let names: [String]
        let arguments: [StatementArguments]
        switch table {
        case .outboxMessages:
            names =
                ["id", "payload_kind", "group_name", "alert", "labels", "kind", "severity", "value", "summary", "payload"]
                + ["channels", "idempotency_key", "created_at", "routed"]
            arguments = try rows.map { row in
                guard let text = row[2].text, let payload = try? TransferJSON.decode(OutboxMessage.Payload.self, from: text) else {
                    throw StoreTransferError(table, "message \(row[0]) has a payload this build cannot read")
                }
                return StatementArguments([Self.databaseValue(row[0])]) + (try MessageColumns(payload).arguments)
                    + StatementArguments([row[3], row[1], row[4], row[5]].map(Self.databaseValue))
            }
        case .outboxDeliveries:
            names = columns.map(\.name) + ["delivered_at"]
            arguments = rows.map { row in
                StatementArguments(row.map(Self.databaseValue) + [row[3] == .text("delivered") ? Self.databaseValue(row[8]) : .null])
            }
        case .hourlyRollups, .dailyRollups, .alertInstances, .alertTransitions:
            // A NaN (a rollup's sum, an alert's value) as the tables keep it (``StoredNumber``); SQLite would bind it as NULL.
            names = columns.map(\.name)
            arguments = rows.map { row in
                StatementArguments(row.map { value in value.real.map(StoredNumber.databaseValue) ?? Self.databaseValue(value) })
            }
        default:
            names = columns.map(\.name)
            arguments = rows.map { StatementArguments($0.map(Self.databaseValue)) }
        }
        let target = table == .outboxMessages ? "alert_outbox" : table.rawValue
        let sql = "INSERT OR IGNORE INTO \(target) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))"
        return try await writing { db in
            let statement = try db.makeStatement(sql: sql)
            var inserted = 0
            for values in arguments {
                try statement.execute(arguments: values)
                inserted += db.changesCount
            }
            return inserted
        }
    }

    static func databaseValue(_ value: TransferValue) -> DatabaseValue {
        switch value {
        case .null: .null
        case .integer(let integer): integer.databaseValue
        case .real(let real): real.databaseValue
        case .text(let text): text.databaseValue
        case .boolean(let boolean): boolean.databaseValue
        }
    }

    /// `value` as a canonical value of `type`; nil when it is not one.
    static func transferValue(_ value: DatabaseValue, _ type: TransferType) -> TransferValue? {
        if value.isNull { return .null }
        return switch type {
        case .integer: Int64.fromDatabaseValue(value).map(TransferValue.integer)
        // A NaN (a rollup's sum, an alert's value) is kept as text (``StoredNumber``).
        case .real: StoredNumber.value(value).map(TransferValue.real)
        case .text: String.fromDatabaseValue(value).map(TransferValue.text)
        case .boolean: Bool.fromDatabaseValue(value).map(TransferValue.boolean)
        }
    }
}
