import GRDB

/// How the store keeps a number that may be NaN in a REAL column (a rollup's sum or increase, where ∞ and −∞ meet; an
/// alert's value, `0 / 0`): SQLite binds NaN as NULL, which would refuse the write (rollups) or lose the value (alerts),
/// so NaN is kept as this text. A REAL column keeps text that is no number as it is. See
/// ``ParameterBinder/bind(number:)``.
enum StoredNumber {
    static let nanText = "NaN"

    /// The number a column holds: the text `NaN` is NaN; nil for NULL.
    static func value(_ stored: DatabaseValue) -> Double? {
        switch stored.storage {
        case .double(let value): value
        case .int64(let value): Double(value)
        case .string(nanText): .nan
        default: nil
        }
    }

    /// What a statement's arguments carry for `value`: NaN as the text, nil as NULL.
    static func databaseValue(_ value: Double?) -> DatabaseValue {
        guard let value else { return .null }
        return value.isNaN ? nanText.databaseValue : value.databaseValue
    }
}
