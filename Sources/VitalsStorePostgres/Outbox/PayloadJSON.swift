import Foundation
import VitalsPorts

/// The JSON of an outbox message's payload (`outbox_messages.payload`).
///
/// An alert's value can be infinite (a ratio over nothing, `errors / 0`) or not a number; JSON has no such numbers, and
/// Foundation's coders refuse them by default, which failed the whole round's commit. They are written as the strings
/// Prometheus prints (`+Inf`, `-Inf`, `NaN`) and read back as the numbers.
enum PayloadJSON {
    static let positiveInfinity = "+Inf"
    static let negativeInfinity = "-Inf"
    static let notANumber = "NaN"

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: notANumber)
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: notANumber)
        return decoder
    }
}
