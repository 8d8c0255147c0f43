import GRDB
import GRDBSQLite

extension Statement {
    /// Binds through SQLite's C API with `bind`, then steps once and resets: GRDB's argument arrays box every value,
    /// which on the write path (a statement per sample, one per rollup bucket) costs more than SQLite's own work.
    /// Every bind and the step are checked: a failure throws a `DatabaseError`, which the store reports with its file.
    func executeBound(in db: Database, _ bind: (inout ParameterBinder) throws -> Void) throws {
        defer { sqlite3_reset(sqliteStatement) }
        var binder = ParameterBinder(sqliteStatement, connection: db.sqliteConnection)
        try bind(&binder)
        let code = sqlite3_step(sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
        }
    }
}

/// Binds a statement's parameters in order through SQLite's C API, checking each result code; nil binds NULL.
struct ParameterBinder {
    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?
    private var index: Int32 = 1
    /// SQLite copies the text, so Swift's temporary buffer may go away after the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ handle: SQLiteStatement, connection: SQLiteConnection?) {
        self.handle = handle
        self.connection = connection
    }

    mutating func bind(_ value: String?) throws {
        if var value {
            // The UTF-8 bytes with their length, so SQLite need not measure them; empty text has no bytes to point at, and
            // a nil pointer would bind NULL.
            try check(
                value.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { text in
                        if let start = text.baseAddress, !text.isEmpty {
                            sqlite3_bind_text(handle, index, start, Int32(text.count), Self.transient)
                        } else {
                            sqlite3_bind_text(handle, index, "", 0, Self.transient)
                        }
                    }
                })
        } else {
            try check(sqlite3_bind_null(handle, index))
        }
    }

    mutating func bind(_ value: Int64?) throws {
        try check(value.map { sqlite3_bind_int64(handle, index, $0) } ?? sqlite3_bind_null(handle, index))
    }

    mutating func bind(_ value: Double?) throws {
        try check(value.map { sqlite3_bind_double(handle, index, $0) } ?? sqlite3_bind_null(handle, index))
    }

    /// A number that may be NaN (a rollup's sum where ∞ and −∞ meet, an alert's value): SQLite binds NaN as NULL, so NaN
    /// is bound as the text of ``StoredNumber``, which reads it back.
    mutating func bind(number value: Double?) throws {
        guard let value, value.isNaN else { return try bind(value) }
        try bind(StoredNumber.nanText)
    }

    mutating func bind(_ value: Bool) throws {
        try check(sqlite3_bind_int64(handle, index, value ? 1 : 0))
    }

    /// Moves to the next parameter, or throws what SQLite said about binding this one (a wrong index, text too long, ...).
    private mutating func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)"
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot bind parameter \(index): \(message)")
        }
        index += 1
    }
}
