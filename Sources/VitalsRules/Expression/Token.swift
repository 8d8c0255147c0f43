/// One lexical token of an expression, with the UTF-8 byte range it covers.
struct Token: Equatable {
    enum Kind: Equatable {
        case identifier
        /// A number, percent or unit literal; ``Token/number`` holds its value (units converted to seconds).
        case number
        /// A literal written with a time unit (`5m`, `1h30m`); also usable as a number, in seconds.
        case duration
        case string
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket, comma
        case plus, minus, star, slash, percent, caret
        case equalEqual, notEqual, greater, less, greaterEqual, lessEqual
        /// `=` in a label matcher.
        case assign
        case regexMatch, regexNotMatch
        case end
    }

    var kind: Kind
    var start: Int
    var end: Int
    /// The source text of the token (for strings: the unquoted, unescaped value).
    var text: String
    var number: Double = 0

    /// The binary operator this token spells, if any (`and`, `or`, `unless` are identifiers).
    var binaryOperator: BinaryOperator? {
        switch kind {
        case .plus: .add
        case .minus: .subtract
        case .star: .multiply
        case .slash: .divide
        case .percent: .modulo
        case .caret: .power
        case .equalEqual: .equal
        case .notEqual: .notEqual
        case .greater: .greater
        case .less: .less
        case .greaterEqual: .greaterOrEqual
        case .lessEqual: .lessOrEqual
        // Keywords are case-insensitive in PromQL (`OR`, `BY`); metric and function names are not.
        case .identifier: ["and", "or", "unless"].contains(text.lowercased()) ? BinaryOperator(rawValue: text.lowercased()) : nil
        default: nil
        }
    }

    /// How the token reads in an error message.
    var quoted: String { kind == .end ? "end of input" : "'\(kind == .string ? "\"\(text)\"" : text)'" }
}
