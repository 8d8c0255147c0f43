import Foundation
import VitalsCore
import VitalsPorts

/// The JSON of an outbox message's payload (`outbox_messages.payload`).
///
/// An alert's value can be infinite (a ratio over nothing, `errors / 0`) or not a number; JSON has no such numbers, and
/// Foundation's coders refuse them by default, which failed the whole round's commit. They are written as the strings
/// Prometheus prints (``NonFiniteNumberText``) and read back as the numbers.
enum PayloadJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = NonFiniteNumberText.encoding
        return encoder
    }

    /// An alert's payload, written directly: the same JSON the encoder writes (its time as RFC 3339), which the decoder
    /// reads back, in about a tenth of the time. A round that fires thousands of alerts queues as many messages, and
    /// Foundation's encoder took 10–17 µs each, most of such a round's commit.
    static func alert(_ message: AlertMessage) -> String {
        var json = #"{"alert":{"_0":{"group":"#
        appendString(message.group, to: &json)
        json += #","alert":"#
        appendString(message.alert, to: &json)
        json += #","labels":{"#
        for (index, pair) in message.labels.pairs.enumerated() {
            if index > 0 { json += "," }
            appendString(pair.name, to: &json)
            json += ":"
            appendString(pair.value, to: &json)
        }
        json += #"},"event":""# + message.event.rawValue + "\""
        if let severity = message.severity { json += #","severity":""# + severity.rawValue + "\"" }
        if let value = message.value {
            json += #","value":"#
            switch value {
            case .infinity: json += "\"" + NonFiniteNumberText.positiveInfinity + "\""
            case -.infinity: json += "\"" + NonFiniteNumberText.negativeInfinity + "\""
            case _ where value.isNaN: json += "\"" + NonFiniteNumberText.nan + "\""
            // Swift prints the shortest digits that read back as the same value, in JSON's number syntax (`1e-05`); −0 as 0, as
            // the SQLite store's outbox gives it back.
            default: json += value.withPositiveZero.description
            }
        }
        json += #","summary":"#
        // With each zero byte as U+FFFD, as the SQLite store keeps the summary (`String.storable`): a summary quotes label
        // values, which may hold one.
        appendString(message.summary.storable, to: &json)
        json += #","at":""# + message.at.description + "\"}}}"
        return json
    }

    /// `text` as a JSON string: quotes and backslashes escaped, control characters as `\u00XX`, everything else as it is.
    private static func appendString(_ text: String, to json: inout String) {
        json += "\""
        // Most text (names, label values, summaries) has nothing to escape: it goes in whole.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            json += text
            json += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                json += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = NonFiniteNumberText.decoding
        return decoder
    }
}
