import Foundation

/// Prometheus' template functions for numbers, with its exact output (`humanize 1234567` is `1.235M`).
enum TemplateFunctions {
    /// SI prefixes: `1.235M`, `12.34u`.
    static func humanize(_ value: Double) -> String {
        if value == 0 || !value.isFinite { return GoNumberFormat.general(value, precision: 4) }
        if abs(value) >= 1 {
            let (scaled, prefix) = scaleDown(value, by: 1000, prefixes: ["k", "M", "G", "T", "P", "E", "Z", "Y"])
            return GoNumberFormat.general(scaled, precision: 4) + prefix
        }
        let (scaled, prefix) = scaleUp(value)
        return GoNumberFormat.general(scaled, precision: 4) + prefix
    }

    /// Binary prefixes: `1Ki`, `1.5Mi`.
    static func humanize1024(_ value: Double) -> String {
        if abs(value) <= 1 || !value.isFinite { return GoNumberFormat.general(value, precision: 4) }
        let (scaled, prefix) = scaleDown(value, by: 1024, prefixes: ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"])
        return GoNumberFormat.general(scaled, precision: 4) + prefix
    }

    /// A ratio as a percentage: `0.05` is `5%`.
    static func humanizePercentage(_ value: Double) -> String {
        GoNumberFormat.general(value * 100, precision: 4) + "%"
    }

    /// Seconds as `1d 2h 3m 4s`, or `1.5s`, `500ms` below a minute.
    static func humanizeDuration(_ value: Double) -> String {
        if !value.isFinite { return GoNumberFormat.general(value, precision: 4) }
        if value == 0 { return GoNumberFormat.general(value, precision: 4) + "s" }
        if abs(value) >= 1 {
            let sign = value < 0 ? "-" : ""
            let magnitude = abs(value)
            // Go's int64(v) of a value out of range is the smallest int64 on amd64; mimic it so output matches Prometheus'.
            let whole = magnitude < 9.223_372_036_854_775_807e18 ? Int64(magnitude) : Int64.min
            let (days, hours, minutes, seconds) = (whole / 86_400, whole / 3600 % 24, whole / 60 % 60, whole % 60)
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoNumberFormat.general(magnitude, precision: 4) + "s"
        }
        let (scaled, prefix) = scaleUp(value)
        return GoNumberFormat.general(scaled, precision: 4) + prefix + "s"
    }

    private static func scaleDown(_ value: Double, by base: Double, prefixes: [String]) -> (Double, String) {
        var scaled = value
        var prefix = ""
        for candidate in prefixes {
            if abs(scaled) < base { break }
            prefix = candidate
            scaled /= base
        }
        return (scaled, prefix)
    }

    private static func scaleUp(_ value: Double) -> (Double, String) {
        var scaled = value
        var prefix = ""
        for candidate in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(scaled) >= 1 { break }
            prefix = candidate
            scaled *= 1000
        }
        return (scaled, prefix)
    }
}
