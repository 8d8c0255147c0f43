public import Foundation

/// How vitals writes a number that is not finite where JSON has no such number (an alert's value in an outbox payload, a
/// row `vitals store migrate` carries, a report): as Prometheus's HTTP API writes sample values, `"+Inf"`, `"-Inf"` and
/// `"NaN"`. Foundation's coders refuse such numbers unless told these strings.
public enum NonFiniteNumberText {
    public static let positiveInfinity = "+Inf"
    public static let negativeInfinity = "-Inf"
    public static let nan = "NaN"

    /// For a `JSONEncoder`'s `nonConformingFloatEncodingStrategy`.
    public static let encoding = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)

    /// For a `JSONDecoder`'s `nonConformingFloatDecodingStrategy`.
    public static let decoding = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
}
