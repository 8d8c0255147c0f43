/// Bulk reading and writing of a store's rows as they are, for `vitals store migrate` (`docs/postgres.md`): every row of
/// every kept table, ids included, in one canonical form that does not depend on the backend, so that a store can be
/// copied into another backend and the copy compared with its source row by row.
///
/// Unlike the other ports this one bypasses the domain's rules (rollups are copied, not recomputed; outbox deliveries keep
/// their status and attempts), so it is meant for copying into an empty store only.
public protocol StoreTransfer: Sendable {
    /// At most `limit` rows of `table` in key order (``TransferTable/keyColumns``), each in the table's canonical columns
    /// (``TransferTable/columns``); only those whose key comes after `cursor` (the key of the last row of the previous batch),
    /// or from the first when `cursor` is nil.
    func exportRows(of table: TransferTable, after cursor: [TransferValue]?, limit: Int) async throws -> [[TransferValue]]

    /// Inserts `rows` (canonical columns, as ``exportRows(of:after:limit:)`` gives them) into `table` in one transaction, ids
    /// as given. A row whose key, or another unique column, the table already holds is skipped, so importing a batch again adds
    /// nothing. A later insert through the other ports gets an id above every imported one. Returns the number inserted.
    @discardableResult
    func importRows(_ rows: [[TransferValue]], into table: TransferTable) async throws -> Int
}

/// A row that does not fit its table's canonical columns, or a value in it that does not read as its column says.
public struct StoreTransferError: Error, Hashable, CustomStringConvertible {
    public let table: TransferTable
    public let message: String

    public init(_ table: TransferTable, _ message: String) {
        self.table = table
        self.message = message
    }

    public var description: String { "\(table.rawValue): \(message)" }
}

/// One value of a canonical row.
public enum TransferValue: Hashable, Sendable, Codable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case boolean(Bool)

    public var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    public var real: Double? { if case .real(let value) = self { value } else { nil } }
    public var text: String? { if case .text(let value) = self { value } else { nil } }
    public var boolean: Bool? { if case .boolean(let value) = self { value } else { nil } }

    /// Equal as the checksums see them (``TransferChecksum``): every NaN alike, whatever sign and payload the arithmetic
    /// that made it left (a rollup's sum of ∞ and −∞).
    public static func == (left: TransferValue, right: TransferValue) -> Bool {
        switch (left, right) {
        case (.null, .null): true
        case (.integer(let left), .integer(let right)): left == right
        case (.real(let left), .real(let right)): left == right || (left.isNaN && right.isNaN)
        case (.text(let left), .text(let right)): left == right
        case (.boolean(let left), .boolean(let right)): left == right
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .integer(let value): hasher.combine(1); hasher.combine(value)
        case .real(let value): hasher.combine(2); hasher.combine(value.isNaN ? Double.nan : value)
        case .text(let value): hasher.combine(3); hasher.combine(value)
        case .boolean(let value): hasher.combine(4); hasher.combine(value)
        }
    }
}

/// The type of a canonical column.
public enum TransferType: Sendable, Hashable {
    case integer
    case real
    case text
    case boolean
}

/// A column of a canonical row: its name (the column's name in both backends' tables), its type, whether it may be null.
public struct TransferColumn: Sendable, Hashable {
    public let name: String
    public let type: TransferType
    public let nullable: Bool

    init(_ name: String, _ type: TransferType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
}

/// The tables a migration copies, in the order it copies them (a row's references come before it); the leader lease and
/// the store's metadata (its time zone) are the destination's own and are not copied.
public enum TransferTable: String, CaseIterable, Sendable, Hashable {
    case series
    case samples
    case hourlyRollups = "hourly_rollups"
    case dailyRollups = "daily_rollups"
    case jobRuns = "job_runs"
    case sourceState = "source_state"
    case alertGroups = "alert_groups"
    case alertRules = "alert_rules"
    case alertInstances = "alert_instances"
    case alertTransitions = "alert_transitions"
    case alertSilences = "alert_silences"
    /// The outbox's messages (SQLite's `alert_outbox`): `payload` is the message's ``OutboxMessage/Payload`` and `channels` the
    /// channels it asked for, both as ``TransferJSON`` text.
    case outboxMessages = "outbox_messages"
    /// One per message and channel, with its status, attempts and progress.
    case outboxDeliveries = "outbox_deliveries"

    /// The canonical columns, the key first.
    public var columns: [TransferColumn] {
        switch self {
        case .series: [.init("id", .integer), .init("name", .text), .init("labels", .text), .init("kind", .text), .init("unit", .text)]
        case .samples: [.init("series_id", .integer), .init("ts", .integer), .init("value", .real)]
        case .hourlyRollups, .dailyRollups:
            [
                .init("series_id", .integer), .init("bucket_start", .integer), .init("count", .integer), .init("sum", .real), .init("min", .real),
                .init("max", .real), .init("first_ts", .integer), .init("first", .real), .init("last_ts", .integer), .init("last", .real),
                .init("increase", .real),
            ]
        case .jobRuns:
            [
                .init("id", .integer), .init("source", .text), .init("scheduled", .integer, nullable: true), .init("started", .integer),
                .init("finished", .integer), .init("status", .text), .init("error", .text, nullable: true), .init("samples_written", .integer),
            ]
        case .sourceState: [.init("source", .text), .init("key", .text), .init("value", .text)]
        case .alertGroups: [.init("name", .text), .init("last_evaluated_at", .integer)]
        case .alertRules: [.init("group_name", .text), .init("alert", .text), .init("evaluated_at", .integer, nullable: true)]
        case .alertInstances:
            [
                .init("group_name", .text), .init("alert", .text), .init("labels", .text), .init("phase", .text),
                .init("active_at", .integer, nullable: true), .init("fired_at", .integer, nullable: true),
                .init("resolved_at", .integer, nullable: true), .init("clear_since", .integer, nullable: true),
                .init("last_sent_at", .integer, nullable: true), .init("last_firing_sent_at", .integer, nullable: true),
                .init("firing_notified", .boolean), .init("severity", .text, nullable: true), .init("value", .real, nullable: true),
            ]
        case .alertTransitions:
            [
                .init("id", .integer), .init("group_name", .text), .init("alert", .text), .init("labels", .text), .init("kind", .text),
                .init("from_phase", .text), .init("to_phase", .text), .init("severity", .text, nullable: true), .init("value", .real, nullable: true),
                .init("at", .integer),
            ]
        case .alertSilences:
            [
                .init("id", .text), .init("matchers", .text), .init("starts_at", .integer), .init("ends_at", .integer), .init("comment", .text),
                .init("created_by", .text),
            ]
        case .outboxMessages:
            [
                .init("id", .integer), .init("idempotency_key", .text), .init("payload", .text), .init("channels", .text),
                .init("created_at", .integer),
                .init("routed", .boolean),
            ]
        case .outboxDeliveries:
            [
                .init("id", .integer), .init("message_id", .integer), .init("channel", .text), .init("status", .text), .init("attempts", .integer),
                .init("next_attempt_at", .integer), .init("last_status", .integer, nullable: true), .init("last_error", .text, nullable: true),
                .init("finished_at", .integer, nullable: true), .init("parts_delivered", .integer), .init("thread", .text, nullable: true),
            ]
        }
    }

    /// Throws unless every row has one value per column.
    public func checkWidth(of rows: [[TransferValue]]) throws {
        for row in rows where row.count != columns.count {
            throw StoreTransferError(self, "a row of \(row.count) values, not \(columns.count)")
        }
    }

    /// How many leading columns make the key rows are ordered and resumed by: text keys in byte order.
    public var keyColumns: Int {
        switch self {
        case .samples, .hourlyRollups, .dailyRollups, .sourceState, .alertRules: 2
        case .alertInstances: 3
        default: 1
        }
    }

    /// Whether the first column is an id the backend numbers itself (so importing must move its counter past the ids given).
    public var hasGeneratedID: Bool { [.series, .jobRuns, .alertTransitions, .outboxMessages, .outboxDeliveries].contains(self) }
}
