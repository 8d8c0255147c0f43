import Foundation

/// Numbers printed as Go's `fmt` prints them, so that templates and `rules test` output read exactly as Prometheus' do.
public enum GoNumberFormat {
    /// The shortest decimal digits that round-trip, and the decimal exponent of the first digit: 1234.5 is ("12345", 3).
    static func shortestDigits(_ value: Double) -> (digits: String, exponent: Int) {
        // Swift's description is also shortest-round-trip; only its layout differs from Go's, so read the digits back out.
        let text = "\(abs(value))"
        let parts = text.split(separator: "e", maxSplits: 1)
        let mantissa = parts[0]
        let exponentPart = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let pieces = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(pieces[0])
        let fraction = pieces.count > 1 ? String(pieces[1]) : ""
        var digits = integer + fraction
        var pointPosition = integer.count + exponentPart
        let leadingZeros = digits.prefix { $0 == "0" }.count
        if leadingZeros == digits.count { return ("0", 0) }
        digits.removeFirst(leadingZeros)
        pointPosition -= leadingZeros
        while digits.count > 1, digits.hasSuffix("0") { digits.removeLast() }
        return (digits, pointPosition - 1)
    }

    /// `%v` (`{{ $value }}`): shortest digits, in exponent form below 1e-4 and from 1e6 up, as Go's `strconv` `'g'` with precision -1.
    public static func value(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (digits, exponent) = shortestDigits(value)
        let sign = value < 0 ? "-" : ""
        if exponent < -4 || exponent >= 6 { return sign + exponential(digits, exponent, marker: "e") }
        return sign + positional(digits, exponent)
    }

    /// `strconv.FormatFloat(v, 'f', -1, 64)`, as `count_values` writes values into labels: shortest digits, never an exponent.
    public static func shortestFixed(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (digits, exponent) = shortestDigits(value)
        return (value.sign == .minus && value != 0 ? "-" : "") + positional(digits, exponent)
    }

    private static func positional(_ digits: String, _ exponent: Int) -> String {
        if exponent < 0 { return "0." + String(repeating: "0", count: -exponent - 1) + digits }
        if digits.count <= exponent + 1 { return digits + String(repeating: "0", count: exponent + 1 - digits.count) }
        let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
        return digits[..<split] + "." + digits[split...]
    }

    /// `strconv.FormatFloat(v, 'E', -1, 64)`, as promtool prints sample values: `3E+00`, `1.234567E+06`.
    static func exponentUpper(_ value: Double) -> String { exponent(value, marker: "E") }

    /// `strconv.FormatFloat(v, 'e', -1, 64)` with `marker` "e" (as Prometheus' API writes an alert's value), 'E' with "E".
    public static func exponent(_ value: Double, marker: String) -> String {
        if let special = special(value) { return special }
        let (digits, exponent) = shortestDigits(value)
        return (value < 0 ? "-" : "") + exponential(digits, exponent, marker: marker)
    }

    /// `%.4g` and friends: C's `%g` agrees with Go's for finite numbers; Go spells the special values differently.
    static func general(_ value: Double, precision: Int) -> String {
        special(value) ?? String(format: "%.\(precision)g", value)
    }

    /// `%.Nf`.
    static func fixed(_ value: Double, precision: Int) -> String {
        special(value) ?? String(format: "%.\(precision)f", value)
    }

    private static func special(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    private static func exponential(_ digits: String, _ exponent: Int, marker: String) -> String {
        let mantissa = digits.count == 1 ? digits : "\(digits.first!).\(digits.dropFirst())"
        let magnitude = abs(exponent)
        return "\(mantissa)\(marker)\(exponent < 0 ? "-" : "+")\(magnitude < 10 ? "0" : "")\(magnitude)"
    }
}
