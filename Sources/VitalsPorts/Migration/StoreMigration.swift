/// Copies every row of one store into another, through ``StoreTransfer`` (so any pair of backends), resumably, and then
/// compares the two table by table (`vitals store migrate`, `docs/postgres.md`).
///
/// The destination keeps how far each table got, under the source-state source ``stateSource``: which source it is copied
/// from, and per table the key of the last row copied. A run into a destination that holds such a record from the same
/// source continues each table after that key; the imports skip rows already there, so a run killed between an import and
/// the record of its key copies nothing twice. A destination holding any other data is refused. Rows of source-state sources
/// named `migrate:…` are a migration's own record: neither copied nor compared.
public struct StoreMigration: Sendable {
    public typealias Store = StoreTransfer & SourceStateStore

    /// Where the destination records the migration.
    public static let stateSource = "migrate:store"
    /// Source-state sources with this prefix belong to migrations.
    static let reservedPrefix = "migrate:"
    /// The key of ``stateSource`` naming the source.
    static let fromKey = "from"

    public let source: any Store
    public let destination: any Store
    /// Names the source (a file's path, a database's URL without its password): a run resumes only a migration from it.
    public let sourceName: String
    /// Names the destination, for messages.
    public let destinationName: String
    /// Rows per export and import.
    public let batchSize: Int

    public init(from source: any Store, named sourceName: String, to destination: any Store, named destinationName: String, batchSize: Int = 10_000) {
        self.source = source
        self.sourceName = sourceName
        self.destination = destination
        self.destinationName = destinationName
        self.batchSize = batchSize
    }

    /// What a run is doing, for its progress output.
    public enum Event: Sendable {
        /// Copying begins: into an empty store, or continuing a migration from the same source.
        case started(resumed: Bool)
        /// A batch of `table` was imported (its key not yet recorded); `rows` in this run so far.
        case imported(TransferTable, rows: Int)
        /// `table` is copied; `rows` in this run.
        case copied(TransferTable, rows: Int)
        /// `table` is being read on both sides and compared.
        case comparing(TransferTable)
    }

    /// Copies what is left to copy, then compares every table; `observe` hears each step as it happens.
    public func run(observe: @Sendable (Event) async -> Void = { _ in }) async throws -> [TableComparison] {
        let recorded = try await destination.sourceState(of: Self.stateSource)
        if let from = recorded[Self.fromKey] {
            guard from == sourceName else { throw StoreMigrationError.otherMigration(destination: destinationName, from: from, given: sourceName) }
        } else {
            var holding: [TransferTable] = []
            for table in TransferTable.allCases {
                if try await holdsRows(destination, table) { holding.append(table) }
            }
            guard holding.isEmpty else { throw StoreMigrationError.destinationHoldsData(destinationName, tables: holding) }
            try await destination.updateSourceState([Self.fromKey: sourceName], of: Self.stateSource)
        }
        await observe(.started(resumed: recorded[Self.fromKey] != nil))
        for table in TransferTable.allCases {
            let start = try recorded[Self.cursorKey(table)].map { try TransferJSON.decode([TransferValue].self, from: $0) }
            var copied = 0
            try await scan(source, table, after: start) { rows, cursor in
                copied += try await destination.importRows(rows, into: table)
                await observe(.imported(table, rows: copied))
                try await destination.updateSourceState([Self.cursorKey(table): try TransferJSON.encode(cursor)], of: Self.stateSource)
                return true
            }
            await observe(.copied(table, rows: copied))
        }
        var comparisons: [TableComparison] = []
        for table in TransferTable.allCases {
            await observe(.comparing(table))
            comparisons.append(
                TableComparison(table: table, source: try await checksum(source, table), destination: try await checksum(destination, table)))
        }
        return comparisons
    }

    static func cursorKey(_ table: TransferTable) -> String { "after.\(table.rawValue)" }

    /// Reads `table` of `store` in key order after `start`, a batch at a time, and gives `body` each batch without a
    /// migration's own record, with the key of the batch's last row read, until the table ends or `body` returns false.
    private func scan(
        _ store: any Store, _ table: TransferTable, after start: [TransferValue]? = nil,
        _ body: ([[TransferValue]], [TransferValue]) async throws -> Bool
    ) async throws {
        var cursor = start
        while true {
            let rows = try await store.exportRows(of: table, after: cursor, limit: batchSize)
            guard let last = rows.last else { return }
            let kept = table == .sourceState ? rows.filter { $0.first?.text?.hasPrefix(Self.reservedPrefix) != true } : rows
            let key = Array(last.prefix(table.keyColumns))
            cursor = key
            guard try await body(kept, key) else { return }
        }
    }

    private func holdsRows(_ store: any Store, _ table: TransferTable) async throws -> Bool {
        var holds = false
        try await scan(store, table) { rows, _ in
            holds = !rows.isEmpty
            return !holds
        }
        return holds
    }

    private func checksum(_ store: any Store, _ table: TransferTable) async throws -> TransferChecksum {
        var checksum = TransferChecksum()
        try await scan(store, table) { rows, _ in
            for row in rows { checksum.add(row) }
            return true
        }
        return checksum
    }
}

/// One table's rows on both sides of a migration.
public struct TableComparison: Sendable, Hashable {
    public let table: TransferTable
    public let source: TransferChecksum
    public let destination: TransferChecksum

    public var matches: Bool { source == destination }
}

/// A destination a migration refuses.
public enum StoreMigrationError: Error, Hashable, CustomStringConvertible {
    /// It holds rows no migration put there.
    case destinationHoldsData(String, tables: [TransferTable])
    /// It holds a migration from another source.
    case otherMigration(destination: String, from: String, given: String)

    public var description: String {
        switch self {
        case .destinationHoldsData(let destination, let tables):
            "the destination \(destination) already holds data (in \(tables.map(\.rawValue).joined(separator: ", "))) that no migration put "
                + "there; migrate into a new, empty store"
        case .otherMigration(let destination, let from, let given):
            "the destination \(destination) holds a migration from \(from), not from \(given); resume that one with --from \(from), "
                + "or migrate into a new, empty store"
        }
    }
}
