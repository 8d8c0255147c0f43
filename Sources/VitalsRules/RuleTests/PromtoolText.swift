public import VitalsCore

/// Values, labels and durations spelled as promtool spells them, so failure output reads the same with either tool.
public enum PromtoolText {
    /// `{alertname="High", job="a"}`, Prometheus' `labels.String()`.
    public static func labels(_ labels: Labels) -> String {
        "{" + labels.pairs.map { "\($0.name)=\(quote($0.value))" }.joined(separator: ", ") + "}"
    }

    /// Go's `strconv.Quote` for the characters label values hold.
    static func quote(_ value: String) -> String {
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            case "\r": quoted += "\\r"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }

    /// Prometheus' model duration: `0s`, `8m`, `1h30m`, `1w`, `1d12h`.
    public static func duration(_ span: TimeSpan) -> String {
        if span.milliseconds == 0 { return "0s" }
        var rest = span.milliseconds
        var text = rest < 0 ? "-" : ""
        rest = abs(rest)
        for (suffix, size) in TimeSpan.units where rest >= size {
            text += "\(rest / size)\(suffix)"
            rest %= size
        }
        return text
    }

    /// A sample as promtool prints it: `{__name__="m", job="a"} 3E+00`.
    public static func sample(_ sample: ExpectedSample) -> String {
        "\(labels(sample.labels)) \(GoNumberFormat.exponentUpper(sample.value))"
    }

    /// `labels.Compare`: pair by pair, name then value; a prefix sorts first.
    static func compare(_ lhs: Labels, _ rhs: Labels) -> Int {
        for (left, right) in zip(lhs.pairs, rhs.pairs) {
            if left.name != right.name { return left.name < right.name ? -1 : 1 }
            if left.value != right.value { return left.value < right.value ? -1 : 1 }
        }
        return lhs.pairs.count - rhs.pairs.count
    }
}
