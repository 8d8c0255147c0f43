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
