import GRDB
import GRDBSQLite

extension Statement {
    /// Binds through SQLite's C API with `bind`, then steps once and resets: GRDB's argument arrays box every value,
    /// which on the write path (a statement per sample, one per rollup bucket) costs more than SQLite's own work.
    func executeBound(in db: Database, _ bind: (SQLiteStatement) -> Void) throws {
        bind(sqliteStatement)
        let code = sqlite3_step(sqliteStatement)
        sqlite3_reset(sqliteStatement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}

/// Binds a statement's parameters in order through SQLite's C API; nil binds NULL.
struct ParameterBinder {
    private let handle: SQLiteStatement
    private var index: Int32 = 1
    /// SQLite copies the text, so Swift's temporary buffer may go away after the call.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ handle: SQLiteStatement) {
        self.handle = handle
    }

    mutating func bind(_ value: String?) {
        if var value {
            // The UTF-8 bytes with their length, so SQLite need not measure them; empty text has no bytes to point at, and
            // a nil pointer would bind NULL.
            _ = value.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { text in
                    if let start = text.baseAddress, !text.isEmpty {
                        sqlite3_bind_text(handle, index, start, Int32(text.count), Self.transient)
                    } else {
                        sqlite3_bind_text(handle, index, "", 0, Self.transient)
                    }
                }
            }
        } else {
            sqlite3_bind_null(handle, index)
        }
        index += 1
    }

    mutating func bind(_ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    mutating func bind(_ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        index += 1
    }

    mutating func bind(_ value: Bool) {
        sqlite3_bind_int64(handle, index, value ? 1 : 0)
        index += 1
    }
}
