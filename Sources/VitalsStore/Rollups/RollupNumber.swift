import GRDB

/// How the rollup tables keep a sum or increase that is NaN: as this text (see ``ParameterBinder/bind(rollupNumber:)``).
enum RollupNumber {
    static let nanText = "NaN"

    /// The number a rollup column holds: the text `NaN` is NaN.
    static func value(_ stored: DatabaseValue) -> Double? {
        switch stored.storage {
        case .double(let value): value
        case .int64(let value): Double(value)
        case .string(nanText): .nan
        default: nil
        }
    }
}
