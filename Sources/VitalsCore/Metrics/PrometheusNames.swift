/// Prometheus' grammar for metric and label names (data model, "Metric names and labels").
public enum PrometheusNames {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    public static func isMetricName(_ name: String) -> Bool {
        matches(
            name, first: { isLetter($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") },
            rest: { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ":") })
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`; names starting with `__` are reserved for Prometheus' own use, and not accepted.
    public static func isLabelName(_ name: String) -> Bool {
        !name.hasPrefix("__")
            && matches(name, first: { isLetter($0) || $0 == UInt8(ascii: "_") }, rest: { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") })
    }

    private static func matches(_ name: String, first: (UInt8) -> Bool, rest: (UInt8) -> Bool) -> Bool {
        let bytes = Array(name.utf8)
        guard let head = bytes.first, first(head) else { return false }
        return bytes.dropFirst().allSatisfy(rest)
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
}
