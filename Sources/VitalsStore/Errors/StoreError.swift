import Foundation
import GRDB
import VitalsCore

/// A store that cannot be opened, read or written, with the file and what to do about it.
///
/// A struct over a private code (as Hummingbird's errors are) so cases can be added without breaking callers who match the public ones.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case notADatabase
        case notAVitalsDatabase
        case newerSchema
        case cannotOpen
        case corruptRow
        case timeZoneChangeLosesDays
        case locked
        case diskFull
        case corrupt
        case readOnly
        case permissionDenied
        case refused
    }

    private let code: Code
    /// The database file, or `:memory:` for an in-memory store.
    public let file: String
    /// What is wrong, in words the user can act on.
    public let reason: String

    private init(_ code: Code, file: String, reason: String) {
        self.code = code
        self.file = file
        self.reason = reason
    }

    /// The file is not an SQLite database at all.
    public static let notADatabase = StoreError(.notADatabase, file: "", reason: "")
    /// The file is an SQLite database made by something other than vitals.
    public static let notAVitalsDatabase = StoreError(.notAVitalsDatabase, file: "", reason: "")
    /// The file was migrated by a newer vitals than this one.
    public static let newerSchema = StoreError(.newerSchema, file: "", reason: "")
    /// The file could not be opened or created.
    public static let cannotOpen = StoreError(.cannotOpen, file: "", reason: "")
    /// A stored row holds a value this build does not understand.
    public static let corruptRow = StoreError(.corruptRow, file: "", reason: "")
    /// The configured time zone differs from the one the daily rollups were cut in, and some days could not be recut.
    public static let timeZoneChangeLosesDays = StoreError(.timeZoneChangeLosesDays, file: "", reason: "")
    /// Another process held the write lock for longer than the busy timeout.
    public static let locked = StoreError(.locked, file: "", reason: "")
    /// The file system holding the store has no room left.
    public static let diskFull = StoreError(.diskFull, file: "", reason: "")
    /// SQLite found the file damaged.
    public static let corrupt = StoreError(.corrupt, file: "", reason: "")
    /// The store cannot be written (permissions, an immutable file, a read-only file system), or needs a write to be read.
    public static let readOnly = StoreError(.readOnly, file: "", reason: "")
    /// The store or its folder cannot be read or created by this user.
    public static let permissionDenied = StoreError(.permissionDenied, file: "", reason: "")
    /// SQLite refused a statement for a reason none of the others names (a constraint, a value too large): a fault of vitals,
    /// not of the file, which is left as it was.
    public static let refused = StoreError(.refused, file: "", reason: "")

    static func notADatabase(_ file: String) -> StoreError {
        StoreError(.notADatabase, file: file, reason: "not a vitals database: the file is not an SQLite database; point --store at a vitals .db file")
    }

    static func notAVitalsDatabase(_ file: String, tables: [String]) -> StoreError {
        StoreError(
            .notAVitalsDatabase, file: file,
            reason: "not a vitals database: it is an SQLite database with other tables (\(tables.joined(separator: ", "))); use another path")
    }

    static func newerSchema(_ file: String, found: Int, known: Int) -> StoreError {
        StoreError(
            .newerSchema, file: file,
            reason: "written by a newer vitals (schema v\(found), this build knows v\(known)); upgrade vitals to read it")
    }

    static func cannotOpen(_ file: String, _ detail: String) -> StoreError {
        StoreError(.cannotOpen, file: file, reason: "cannot open the store: \(detail)")
    }

    static func corruptRow(_ file: String, _ detail: String) -> StoreError {
        StoreError(.corruptRow, file: file, reason: "unreadable row: \(detail)")
    }

    static func timeZoneChangeLosesDays(_ file: String, from old: String, to new: BucketGrid, lostDays: [Int64]) -> StoreError {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = new.timeZone
        func date(_ ms: Int64) -> String {
            let parts = calendar.dateComponents([.year, .month, .day], from: Timestamp(milliseconds: ms).date)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        let range = lostDays.count == 1 ? date(lostDays[0]) : "\(date(lostDays[0])) – \(date(lostDays[lostDays.count - 1]))"
        let zone = new.timeZone.identifier
        return StoreError(
            .timeZoneChangeLosesDays, file: file,
            reason: """
                time_zone \(zone) would lose the daily history of \(lostDays.count) day\(lostDays.count == 1 ? "" : "s") (\(range)): \
                the rollups were cut in \(old), the raw samples of those days are past retention, and the hourly rollups kept \
                for them cannot be split at \(zone)'s midnights. Keep time_zone: \(old), or run once with --accept-day-loss \
                to recut the days in \(zone) without those
                """)
    }

    static func readOnly(_ file: String, _ detail: String) -> StoreError {
        StoreError(.readOnly, file: file, reason: "the store is read-only: \(detail)")
    }

    static func permissionDenied(_ file: String, _ detail: String) -> StoreError {
        StoreError(.permissionDenied, file: file, reason: "permission denied: \(detail)")
    }

    /// The store error an SQLite failure on `file` means, in words the user can act on; SQLite's own message is kept only where it
    /// adds something, and the statement that failed (internal SQL and PRAGMAs) never appears.
    /// `busyTimeout` is how long the store waited for a lock before SQLite gave up.
    init(_ error: DatabaseError, file: String, busyTimeout: Duration) {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(
                .locked, file: file,
                reason: """
                    the store is locked: another process held its write lock for more than \(String(format: "%g", busyTimeout.timeInterval)) s; \
                    run again when it has finished (overlapping vitals runs wait for each other up to that long)
                    """)
        case .SQLITE_FULL:
            self.init(
                .diskFull, file: file,
                reason: """
                    the disk is full: the last transaction was rolled back and nothing of it was stored; \
                    free space on the file system that holds the store, or move the store elsewhere (`store:` in vitals.yml, or --store)
                    """)
        case .SQLITE_CORRUPT:
            self.init(
                .corrupt, file: file,
                reason: """
                    the store is damaged (SQLite: \(error.message ?? "database disk image is malformed")); restore it from a backup, \
                    or move it aside and run `vitals collect --backfill 90d` to start a new one from what the sources still hold
                    """)
        case .SQLITE_NOTADB:
            self = .notADatabase(file)
        case .SQLITE_READONLY:
            self = .readOnly(
                file,
                "this user cannot write it or its folder (or the file system is read-only); run the commands that write (collect, alerts) "
                    + "as the store's owner, or give this user write permission on the file and its folder")
        case .SQLITE_PERM, .SQLITE_AUTH:
            self = .permissionDenied(
                file, "SQLite was refused access (\(error.message ?? "access denied")); check the permissions of the file and its folder")
        case .SQLITE_CANTOPEN:
            self = .cannotOpen(
                file,
                "SQLite cannot open the file (\(error.message ?? "unable to open database file")); "
                    + "check that its folder exists and that this user can read and write it")
        case .SQLITE_IOERR:
            self = .cannotOpen(file, "an I/O error (\(error.message ?? "disk I/O error")); check the disk and the file system that hold it")
        default:
            // An open store that refuses one statement (a constraint) was long reported as a store that "cannot open".
            self.init(
                .refused, file: file,
                reason: """
                    SQLite refused the statement (error \(error.resultCode.rawValue): \(error.message ?? "unknown")); nothing of it was \
                    stored and the store is unchanged: this is a fault of vitals, please report it with the command that failed
                    """)
        }
    }

    /// Errors match by kind, so `error == .newerSchema` tests which case it is whatever the file.
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }

    public var description: String { "\(file): \(reason)" }
}
