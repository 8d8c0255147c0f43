/// An expression of the form `<lhs> <op> <number[%]>`, recognised on the text so the linter can compare a fire condition
/// with a resolve condition without the full expression parser.
public struct ThresholdCondition: Sendable, Equatable {
    /// The left-hand side, with runs of whitespace collapsed so `rate(x[5m])` and `rate(x[5m]) ` compare equal.
    public let lhs: String
    public let op: ComparisonOperator
    public let threshold: Double

    public init(lhs: String, op: ComparisonOperator, threshold: Double) {
        self.lhs = ThresholdCondition.normalise(lhs)
        self.op = op
        self.threshold = threshold
    }

    /// Recognises `text`, or returns nil when it is not a comparison of an expression with a number.
    ///
    /// Operators inside parentheses, brackets, braces (label matchers) and string literals are not the top-level comparison.
    public init?(recognising text: String) {
        let characters = Array(text)
        var depth = 0
        var quote: Character?
        var found: (index: Int, op: ComparisonOperator)?
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if let open = quote {
                if character == "\\" { index += 1 } else if character == open { quote = nil }
            } else if character == "\"" || character == "'" || character == "`" {
                quote = character
            } else if "([{".contains(character) {
                depth += 1
            } else if ")]}".contains(character) {
                depth -= 1
            } else if depth == 0, character == ">" || character == "<" || (character == "=" && next == "=") {
                // A second top-level comparison makes it more than one threshold condition.
                guard found == nil else { return nil }
                let op: ComparisonOperator =
                    switch (character, next) {
                    case (">", "="): .greaterOrEqual
                    case (">", _): .greater
                    case ("<", "="): .lessOrEqual
                    case ("<", _): .less
                    default: .equal
                    }
                found = (index, op)
                if next == "=" { index += 1 }
            }
            index += 1
        }
        guard let found else { return nil }
        let width = found.op == .greater || found.op == .less ? 1 : 2
        let lhs = String(characters[..<found.index])
        var rhs = String(characters[(found.index + width)...])
        if let bool = rhs.firstRange(of: "bool "), rhs[..<bool.lowerBound].allSatisfy(\.isWhitespace) {
            rhs = String(rhs[bool.upperBound...])
        }
        guard !lhs.allSatisfy(\.isWhitespace), let threshold = ThresholdNumber.parse(rhs) else { return nil }
        self.init(lhs: lhs, op: found.op, threshold: threshold)
    }

    /// The values for which the condition holds, as an interval.
    var interval: ValueInterval {
        switch op {
        case .greater: ValueInterval(lower: threshold, lowerClosed: false, upper: .infinity, upperClosed: false)
        case .greaterOrEqual: ValueInterval(lower: threshold, lowerClosed: true, upper: .infinity, upperClosed: false)
        case .less: ValueInterval(lower: -.infinity, lowerClosed: false, upper: threshold, upperClosed: false)
        case .lessOrEqual: ValueInterval(lower: -.infinity, lowerClosed: false, upper: threshold, upperClosed: true)
        case .equal: ValueInterval(lower: threshold, lowerClosed: true, upper: threshold, upperClosed: true)
        }
    }

    static func normalise(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// A set of real numbers between two bounds, each bound included or not.
struct ValueInterval: Equatable {
    let lower: Double
    let lowerClosed: Bool
    let upper: Double
    let upperClosed: Bool

    /// The numbers in both intervals, or nil when there are none.
    func intersection(_ other: ValueInterval) -> ValueInterval? {
        let (lower, lowerClosed) =
            self.lower == other.lower
            ? (self.lower, self.lowerClosed && other.lowerClosed) : (self.lower > other.lower ? (self.lower, self.lowerClosed) : (other.lower, other.lowerClosed))
        let (upper, upperClosed) =
            self.upper == other.upper
            ? (self.upper, self.upperClosed && other.upperClosed) : (self.upper < other.upper ? (self.upper, self.upperClosed) : (other.upper, other.upperClosed))
        if lower < upper || (lower == upper && lowerClosed && upperClosed) {
            return ValueInterval(lower: lower, lowerClosed: lowerClosed, upper: upper, upperClosed: upperClosed)
        }
        return nil
    }

    /// Interval notation: `(0.05, 0.06)`, `[0.05, inf)`.
    var description: String {
        "\(lowerClosed ? "[" : "(")\(ValueInterval.format(lower)), \(ValueInterval.format(upper))\(upperClosed ? "]" : ")")"
    }

    static func format(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
