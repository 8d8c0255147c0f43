import Foundation
import VitalsCore

/// The parameters of a request: its URL query and, for a POST, its `application/x-www-form-urlencoded` body, as Go's
/// `Request.FormValue` reads them (the body's values first, `+` as a space).
struct FormParameters {
    private var values: [(name: String, value: String)] = []

    init(query: String?, body: String? = nil) {
        values = Self.pairs(body) + Self.pairs(query)
    }

    /// The first value of `name`, nil when absent or empty (Prometheus treats both alike).
    subscript(name: String) -> String? {
        values.first { $0.name == name && !$0.value.isEmpty }?.value
    }

    /// Every value of `name` (`match[]`), in order.
    func all(_ name: String) -> [String] {
        values.filter { $0.name == name }.map(\.value)
    }

    private static func pairs(_ text: String?) -> [(name: String, value: String)] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    // MARK: Typed values, read as Prometheus reads them

    /// A time: unix seconds (with up to millisecond decimals) or RFC 3339; `fallback` when absent.
    func time(_ name: String, default fallback: Timestamp) throws(APIError) -> Timestamp {
        guard let text = self[name] else { return fallback }
        guard let time = Self.time(text) else {
            throw .invalidParameter(name, "cannot parse \"\(text)\" to a valid timestamp")
        }
        return time
    }

    /// A required time (`start`, `end` of a range query).
    func requiredTime(_ name: String) throws(APIError) -> Timestamp {
        guard let text = self[name], let time = Self.time(text) else {
            throw .invalidParameter(name, "cannot parse \"\(self[name] ?? "")\" to a valid timestamp")
        }
        return time
    }

    /// A duration: float seconds or a Prometheus duration (`1h30m`, `15s`, `500ms`).
    func duration(_ name: String) throws(APIError) -> TimeSpan? {
        guard let text = self[name] else { return nil }
        if let seconds = Double(text), seconds.isFinite {
            guard abs(seconds) * 1000 < Double(Int64.max) else {
                throw .invalidParameter(name, "cannot parse \"\(text)\" to a valid duration. It overflows int64")
            }
            return TimeSpan(milliseconds: Int64((seconds * 1000).rounded()))
        }
        guard let span = try? TimeSpan(parsing: text) else { throw .invalidParameter(name, "cannot parse \"\(text)\" to a valid duration") }
        return span
    }

    static func time(_ text: String) -> Timestamp? {
        if let seconds = Double(text), seconds.isFinite {
            // Prometheus rounds to milliseconds, the resolution of its (and vitals') timestamps.
            guard abs(seconds) < 9.2e15 else { return nil }
            return Timestamp(milliseconds: Int64((seconds * 1000).rounded()))
        }
        return RFC3339.parse(text)
    }
}
