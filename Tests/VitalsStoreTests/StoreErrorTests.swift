import GRDB
import Testing

@testable import VitalsStore

/// What a store error says for SQLite's result codes: what is wrong and what to do, never "cannot open" for a store that
/// is open and refused one statement.
@Suite struct StoreErrorTests {
    @Test(arguments: [
        (ResultCode.SQLITE_CONSTRAINT, StoreError.refused, "SQLite refused the statement (error 19: NOT NULL constraint failed: t.c)"),
        (.SQLITE_TOOBIG, .refused, "SQLite refused the statement (error 18: string or blob too big)"),
        (.SQLITE_FULL, .diskFull, "the disk is full"),
        (.SQLITE_CANTOPEN, .cannotOpen, "SQLite cannot open the file"),
    ])
    func eachResultCodeSaysWhatIsWrong(code: ResultCode, kind: StoreError, words: String) {
        let message = code == .SQLITE_CONSTRAINT ? "NOT NULL constraint failed: t.c" : code == .SQLITE_TOOBIG ? "string or blob too big" : nil
        let error = StoreError(DatabaseError(resultCode: code, message: message), file: "vitals.db", busyTimeout: .seconds(5))
        #expect(error == kind)
        #expect(error.description.hasPrefix("vitals.db: ") && error.description.contains(words), "\(error)")
        #expect(!error.description.contains("cannot open") || kind == .cannotOpen, "\(error)")
    }
}
