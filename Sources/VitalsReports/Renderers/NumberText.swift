import Foundation
import VitalsCore

/// How reports print numbers: ratios as percentages, counts with thousands separators, changes with a sign.
///
/// Uses `String(format:)` with no locale, so output is the same on every machine (`.` decimals, `,` groups).
enum NumberText {
    /// A value in its unit: `81.2%`, `12,345`, `1.5 s`, `2,048 B`; one that is not finite as Prometheus writes it, without
    /// a unit (`+Inf`, `-Inf`, `NaN`).
    static func value(_ value: Double, unit: MetricUnit) -> String {
        guard value.isFinite else { return notFinite(value) }
        return switch unit {
        case .ratio: grouped(value * 100, decimals: 1) + "%"
        case .count, .lines: grouped(value, decimals: value.rounded() == value ? 0 : 2)
        case .seconds: duration(value)
        case .bytes: grouped(value, decimals: 0) + " B"
        }
    }

    /// Seconds in the largest unit that keeps the number at 1 or more, with one decimal where it is not whole:
    /// `45 s`, `0.3 s`, `12.5 min`, `3 h`, `1.5 d`.
    static func duration(_ seconds: Double) -> String {
        let magnitude = abs(seconds)
        let (scale, unit) = magnitude >= 86_400 ? (86_400.0, "d") : magnitude >= 3_600 ? (3_600.0, "h") : magnitude >= 60 ? (60.0, "min") : (1.0, "s")
        let scaled = seconds / scale
        return grouped(scaled, decimals: scaled.rounded() == scaled ? 0 : 1) + " " + unit
    }

    /// A change: ratios in percentage points (`+2.1 pp`), other units signed and with the relative change (`+12 (+5.0%)`).
    static func change(_ change: Double, ratio: Double?, unit: MetricUnit) -> String {
        guard change.isFinite else { return notFinite(change) }
        if unit == .ratio { return signed(grouped(change * 100, decimals: 1)) + " pp" }
        let absolute = signed(value(change, unit: unit))
        guard let ratio else { return absolute }
        return "\(absolute) (\(signed(grouped(ratio * 100, decimals: 1)))%)"
    }

    /// `number` with `decimals` places and `,` between thousands; never `-0`; `+Inf`, `-Inf`, `NaN` when not finite.
    static func grouped(_ number: Double, decimals: Int) -> String {
        guard number.isFinite else { return notFinite(number) }
        let text = String(format: "%.\(decimals)f", number)
        let negative = text.hasPrefix("-") && text.contains { $0.isNumber && $0 != "0" }
        let digits = text.drop { $0 == "-" }
        let integer = digits.prefix { $0 != "." }
        let fraction = digits.dropFirst(integer.count)
        var groups: [Substring] = []
        var rest = Substring(integer)
        while rest.count > 3 {
            groups.insert(rest.suffix(3), at: 0)
            rest = rest.dropLast(3)
        }
        groups.insert(rest, at: 0)
        return (negative ? "-" : "") + groups.joined(separator: ",") + fraction
    }

    /// A number that is not finite as Prometheus writes it (`%f` would print `inf`, and its sign was lost as `-0`'s is).
    private static func notFinite(_ number: Double) -> String {
        number.isNaN ? "NaN" : number > 0 ? "+Inf" : "-Inf"
    }

    private static func signed(_ text: String) -> String {
        text.hasPrefix("-") || text.allSatisfy({ !$0.isNumber || $0 == "0" }) ? text : "+" + text
    }
}
