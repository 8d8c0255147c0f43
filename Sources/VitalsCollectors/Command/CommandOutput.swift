public import Foundation
public import VitalsCore

/// A `command` source's standard output read as samples: a single number (named by `metric`), JSON, or Prometheus' text
/// exposition format. Every sample is stamped `now` (timestamps in the output are ignored).
public enum CommandOutput {
    /// What was wrong with an output; the message quotes at most the offending name or line number, never the output.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static func samples(_ output: String, metric: String?, now: Timestamp) throws(ParseError) -> [Sample] {
        let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ParseError("the output is empty") }
        var builder = Builder(now: now)
        if let value = Double(text), value.isFinite {
            guard let metric else { throw ParseError("the output is a single number; set `metric` to name it") }
            try builder.add(metric, [:], value, kind: .gauge)
        } else if text.hasPrefix("{") || text.hasPrefix("[") {
            try json(Data(text.utf8), into: &builder)
        } else {
            try exposition(text, into: &builder)
        }
        return builder.samples
    }

    /// The unit a metric's name says, after Prometheus' naming conventions; `count` otherwise.
    static func unit(of name: String) -> MetricUnit {
        if name.hasSuffix("_seconds") {
            .seconds
        } else if name.hasSuffix("_ratio") {
            .ratio
        } else if name.hasSuffix("_bytes") {
            .bytes
        } else if name.hasSuffix("_lines") {
            .lines
        } else {
            .count
        }
    }

    /// Collects samples, checking names and that no series comes twice.
    struct Builder {
        let now: Timestamp
        var samples: [Sample] = []
        var seen: Set<SeriesKey> = []

        mutating func add(_ name: String, _ labels: [String: String], _ value: Double, kind: MetricKind) throws(ParseError) {
            guard PrometheusNames.isMetricName(name) else { throw ParseError("'\(name)' is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)") }
            for label in labels.keys {
                guard PrometheusNames.isLabelName(label) else {
                    throw ParseError("'\(label)' of \(name) is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)")
                }
                guard label != "source" else { throw ParseError("\(name) carries the label 'source', which vitals sets (the source's name)") }
            }
            let key = SeriesKey(name, Labels(labels))
            guard seen.insert(key).inserted else { throw ParseError("the series \(name){\(key.labels.canonical)} appears twice") }
            // The store holds finite numbers: NaN and ±Inf samples are left out.
            guard value.isFinite else { return }
            samples.append(Sample(SeriesDescriptor(key, kind: kind, unit: CommandOutput.unit(of: name)), at: now, value: value))
        }
    }

    // MARK: JSON

    /// `{"metric": value}`, `{"metric": {"labels": {...}, "value": v}}`, a metric's value may also be a list of the latter;
    /// the whole may be a list of such objects.
    static func json(_ data: Data, into builder: inout Builder) throws(ParseError) {
        let root: JSONValue
        do { root = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw ParseError("the output starts like JSON but is not valid JSON")
        }
        let objects = if case .list(let items) = root { items } else { [root] }
        for object in objects {
            guard case .object(let metrics) = object else { throw ParseError("expected a JSON object of metrics, or a list of them") }
            for name in metrics.keys.sorted() {
                let entries = if case .list(let items) = metrics[name] { items } else { [metrics[name]!] }
                for entry in entries {
                    let (labels, value) = try jsonSample(name, entry)
                    try builder.add(name, labels, value, kind: .gauge)
                }
            }
        }
    }

    private static func jsonSample(_ name: String, _ entry: JSONValue) throws(ParseError) -> ([String: String], Double) {
        if case .number(let value) = entry { return ([:], value) }
        guard case .object(let object) = entry, case .number(let value) = object["value"] else {
            throw ParseError("\(name): expected a number or {\"labels\": {...}, \"value\": number}")
        }
        guard Set(object.keys).isSubset(of: ["labels", "value"]) else { throw ParseError("\(name): only \"labels\" and \"value\" are allowed") }
        guard let raw = object["labels"] else { return ([:], value) }
        guard case .object(let labels) = raw else { throw ParseError("\(name): \"labels\" must be an object of strings") }
        var strings: [String: String] = [:]
        for (label, value) in labels {
            guard case .string(let text) = value else { throw ParseError("\(name): the label '\(label)' must be a string") }
            strings[label] = text
        }
        return (strings, value)
    }

    /// A JSON value, as far as the output's shape matters: booleans and null are `other`.
    private enum JSONValue: Decodable {
        case number(Double), string(String), object([String: JSONValue]), list([JSONValue]), other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() || (try? container.decode(Bool.self)) != nil {
                self = .other
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else if let text = try? container.decode(String.self) {
                self = .string(text)
            } else if let object = try? container.decode([String: JSONValue].self) {
                self = .object(object)
            } else {
                self = .list(try container.decode([JSONValue].self))
            }
        }
    }

    // MARK: Prometheus text exposition format

    static func exposition(_ text: String, into builder: inout Builder) throws(ParseError) {
        var types: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let words = line.dropFirst().split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true)
                if words.first == "TYPE" {
                    guard words.count == 3, ["counter", "gauge", "histogram", "summary", "untyped"].contains(words[2]) else {
                        throw ParseError("line \(number): expected '# TYPE name counter|gauge|histogram|summary|untyped'")
                    }
                    types[String(words[1])] = String(words[2])
                }
                continue  // # HELP and other comments
            }
            var scanner = LineScanner(Array(line.utf8), line: number)
            let (name, labels, value) = try scanner.sample()
            try builder.add(name, labels, value, kind: kind(of: name, labels: labels, types: types))
        }
        guard !builder.samples.isEmpty || !builder.seen.isEmpty else {
            throw ParseError("the output is neither a number, JSON, nor Prometheus text exposition format (no sample line)")
        }
    }

    /// Counters are counters; a histogram's buckets, sum and count and a summary's sum and count are cumulative, so counters
    /// too; gauges, untyped metrics and a summary's quantiles are gauges.
    static func kind(of name: String, labels: [String: String], types: [String: String]) -> MetricKind {
        switch types[name] {
        case "counter", "histogram": return .counter
        case .some: return .gauge
        case nil: break
        }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let family = types[String(name.dropLast(suffix.count))]
            if family == "histogram" || (family == "summary" && suffix != "_bucket") { return .counter }
        }
        return .gauge
    }

    /// Reads `name{label="value",...} value [timestamp]`.
    struct LineScanner {
        let bytes: [UInt8]
        let line: Int
        var position = 0

        init(_ bytes: [UInt8], line: Int) {
            self.bytes = bytes
            self.line = line
        }

        func error(_ message: String) -> ParseError { ParseError("line \(line): \(message)") }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipSpaces() { while current == UInt8(ascii: " ") || current == UInt8(ascii: "\t") { position += 1 } }

        mutating func name(stoppingAt stops: Set<UInt8>) -> String {
            let start = position
            while let byte = current, !stops.contains(byte), byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t") { position += 1 }
            return String(decoding: bytes[start..<position], as: UTF8.self)
        }

        mutating func sample() throws(ParseError) -> (String, [String: String], Double) {
            let metric = name(stoppingAt: [UInt8(ascii: "{")])
            guard !metric.isEmpty else { throw error("expected a metric name") }
            var labels: [String: String] = [:]
            skipSpaces()
            if current == UInt8(ascii: "{") {
                position += 1
                while true {
                    skipSpaces()
                    if current == UInt8(ascii: "}") {
                        position += 1
                        break
                    }
                    let label = name(stoppingAt: [UInt8(ascii: "="), UInt8(ascii: "}"), UInt8(ascii: ",")])
                    skipSpaces()
                    guard !label.isEmpty, current == UInt8(ascii: "=") else { throw error("expected label=\"value\" in \(metric)'s labels") }
                    position += 1
                    skipSpaces()
                    guard labels.updateValue(try quoted(), forKey: label) == nil else { throw error("the label '\(label)' appears twice") }
                    skipSpaces()
                    if current == UInt8(ascii: ",") {
                        position += 1
                        continue
                    }
                    guard current == UInt8(ascii: "}") else { throw error("expected ',' or '}' after a label of \(metric)") }
                }
            }
            skipSpaces()
            let text = name(stoppingAt: [])
            guard let value = Self.value(text) else { throw error("expected a number after \(metric), found '\(text.prefix(40))'") }
            skipSpaces()
            if current != nil {
                let timestamp = name(stoppingAt: [])
                skipSpaces()
                guard Int64(timestamp) != nil, current == nil else { throw error("expected at most a timestamp (milliseconds) after the value") }
            }
            return (metric, labels, value)
        }

        /// A label value: `"..."` with `\\`, `\"` and `\n` escaped.
        mutating func quoted() throws(ParseError) -> String {
            guard current == UInt8(ascii: "\"") else { throw error("expected a quoted label value") }
            position += 1
            var value: [UInt8] = []
            while let byte = current {
                position += 1
                switch byte {
                case UInt8(ascii: "\""): return String(decoding: value, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { throw error("a label value ends in a lone backslash") }
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): value.append(escaped)
                    default: value += [byte, escaped]  // as Prometheus reads an unknown escape: kept as written
                    }
                default: value.append(byte)
                }
            }
            throw error("a label value is not closed")
        }

        /// A sample value: a Go float, with `NaN`, `+Inf` and `-Inf`.
        static func value(_ text: String) -> Double? {
            switch text {
            case "NaN": .nan
            case "+Inf", "Inf": .infinity
            case "-Inf": -.infinity
            default: Double(text)
            }
        }
    }
}
