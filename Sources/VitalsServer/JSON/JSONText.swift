import VitalsCore
import VitalsRules

/// JSON written directly as text, for the shapes Prometheus' API defines: sample values are strings in Go's `'f'` format
/// and timestamps are seconds with up to three decimals, which no `Encodable` layout would give; and 10,000 series are
/// written in a few milliseconds.
struct JSONText {
    private(set) var text = ""

    init(capacity: Int = 256) {
        text.reserveCapacity(capacity)
    }

    mutating func raw(_ fragment: String) { text += fragment }

    /// A JSON string, escaped as RFC 8259 requires.
    mutating func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }

    /// `{"name":"value",...}` in the labels' order (sorted by name).
    mutating func labels(_ labels: Labels) {
        text += "{"
        for (index, pair) in labels.pairs.enumerated() {
            if index > 0 { text += "," }
            string(pair.name)
            text += ":"
            string(pair.value)
        }
        text += "}"
    }

    /// `[seconds,"value"]`: Prometheus' sample pair.
    mutating func point(_ time: Timestamp, _ value: Double) {
        text += "["
        timestamp(time)
        text += ",\""
        text += GoNumberFormat.shortestFixed(value)
        text += "\"]"
    }

    /// Seconds since the epoch with the milliseconds as three decimals when there are any, as Prometheus writes them.
    mutating func timestamp(_ time: Timestamp) {
        var milliseconds = time.milliseconds
        if milliseconds < 0 {
            text += "-"
            milliseconds = -milliseconds
        }
        text += String(milliseconds / 1000)
        let fraction = milliseconds % 1000
        if fraction != 0 {
            text += fraction < 10 ? ".00" : fraction < 100 ? ".0" : "."
            text += String(fraction)
        }
    }

    /// `["a","b"]`.
    mutating func strings(_ values: [String]) {
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            string(value)
        }
        text += "]"
    }

    /// An RFC 3339 time in UTC with milliseconds, as Go's `time.Time` marshals to JSON.
    mutating func time(_ time: Timestamp) {
        string(RFC3339.format(time))
    }
}
