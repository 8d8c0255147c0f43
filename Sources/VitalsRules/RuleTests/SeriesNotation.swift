public import VitalsCore

/// promtool's notation for input series: a series as `metric{label="value"}` and its values as an expanding
/// sequence (`parseSeriesDesc` in Prometheus' PromQL parser), e.g. `0+10x3 _ stale 1-2x2 5x1` for
/// `0 10 20 30, nothing, a staleness marker, 1 -1 -3, 5 5`.
public enum SeriesNotation {
    /// The labels of `metric{a="b", c='d'}`, the metric name under `__name__`.
    public static func labels(_ text: String) throws(SeriesNotationError) -> Labels {
        var scanner = NotationScanner(text)
        scanner.skipSpaces()
        var labels: [String: String] = [:]
        let name = scanner.name(allowingColons: true)
        if !name.isEmpty { labels["__name__"] = name }
        scanner.skipSpaces()
        if scanner.peek == "{" {
            scanner.advance()
            while true {
                scanner.skipSpaces()
                if scanner.peek == "}" {
                    scanner.advance()
                    break
                }
                let labelStart = scanner.offset
                let label = scanner.name(allowingColons: false)
                guard !label.isEmpty else { throw scanner.error("expected a label name or '}'") }
                scanner.skipSpaces()
                guard scanner.peek == "=" else { throw scanner.error("expected '=' after label name '\(label)'") }
                scanner.advance()
                scanner.skipSpaces()
                let value = try scanner.quoted()
                guard labels.updateValue(value, forKey: label) == nil else {
                    throw SeriesNotationError(text: text, offset: labelStart, message: "label '\(label)' is given twice")
                }
                scanner.skipSpaces()
                if scanner.peek == "," {
                    scanner.advance()
                } else if scanner.peek != "}" {
                    throw scanner.error("expected ',' or '}' after the value of '\(label)'")
                }
            }
        }
        scanner.skipSpaces()
        guard scanner.isAtEnd else { throw scanner.error("unexpected text after the series") }
        guard !labels.isEmpty else { throw scanner.error("expected a metric name or labels in braces, as in errors_total{repo=\"api\"}") }
        return Labels(labels)
    }

    /// The values of a sequence, one per interval step: nil where the step is left out (`_`), ``StaleMarker/value`` for `stale`.
    ///
    /// At most `limit` values are expanded: a test reads no step after its last evaluation time, so `0+1x1000000000` costs
    /// what the test reads, not a billion values. The text after the limit is still checked.
    public static func values(_ text: String, limit: Int = .max) throws(SeriesNotationError) -> [Double?] {
        var scanner = NotationScanner(text)
        var values: [Double?] = []
        while true {
            scanner.skipSpaces()
            if scanner.isAtEnd { return values }
            if scanner.peek == "_" {
                scanner.advance()
                // `_xN` leaves out N steps, where `vxN` repeats v N + 1 times: promtool's grammar.
                values += Array(repeating: nil, count: Swift.min(try scanner.times() ?? 1, limit - values.count))
            } else {
                let first = try scanner.seriesValue()
                if let count = try scanner.times() {
                    values += Array(repeating: first, count: Swift.max(0, Swift.min(count, limit - values.count - 1) + 1))
                } else if scanner.peek == "+" || scanner.peek == "-" {
                    let stepStart = scanner.offset
                    let step = try scanner.number()
                    guard let count = try scanner.times() else {
                        throw SeriesNotationError(text: text, offset: stepStart, message: "expected 'x' and a count after '\(first)\(step)'")
                    }
                    // Repeated addition, as Prometheus expands it, so the values match its floating-point results exactly.
                    var current = first
                    values.append(current)
                    for _ in 0..<Swift.max(0, Swift.min(count, limit - values.count)) {
                        current += step
                        values.append(current)
                    }
                } else {
                    values.append(first)
                }
            }
            if values.count > limit { values.removeLast(values.count - limit) }
            guard scanner.isAtEnd || scanner.peek == " " || scanner.peek == "\t" || scanner.peek == "\n" else {
                throw scanner.error("unexpected '\(scanner.peek!)'; values are separated by spaces")
            }
        }
    }
}

/// Input series notation that does not parse: the text, the character offset and what is wrong.
public struct SeriesNotationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let offset: Int
    public let message: String

    public var description: String { "\(message) at character \(offset + 1) of '\(text)'" }
}
