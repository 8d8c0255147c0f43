import Foundation
import VitalsCore

/// A store that cannot be opened or read, with the file and what to do about it.
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

    /// Errors match by kind, so `error == .newerSchema` tests which case it is whatever the file.
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }

    public var description: String { "\(file): \(reason)" }
}
