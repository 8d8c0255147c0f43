import VitalsCore

/// Splits expression text into tokens; works on UTF-8 bytes so offsets are byte offsets.
struct Lexer {
    private let source: [UInt8]
    private var position = 0

    init(_ source: [UInt8]) {
        self.source = source
    }

    /// All tokens, ending with an `.end` token.
    static func tokens(of source: [UInt8]) throws(ExpressionError) -> [Token] {
        var lexer = Lexer(source)
        var tokens: [Token] = []
        repeat {
            tokens.append(try lexer.next())
        } while tokens.last!.kind != .end
        return tokens
    }

    private func byte(_ index: Int) -> UInt8? { index < source.count ? source[index] : nil }

    private func text(_ start: Int, _ end: Int) -> String { String(decoding: source[start..<end], as: UTF8.self) }

    private func error(_ offset: Int, _ message: String) -> ExpressionError { ExpressionError(at: offset, in: source, message) }

    private mutating func next() throws(ExpressionError) -> Token {
        skipSpaceAndComments()
        let start = position
        guard let first = byte(start) else { return Token(kind: .end, start: start, end: start, text: "") }
        if first.isIdentifierStart { return identifier() }
        if first.isDigit || (first == UInt8(ascii: ".") && byte(start + 1)?.isDigit == true) { return try number() }
        if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") || first == UInt8(ascii: "`") { return try string() }
        if let (kind, length) = Self.punctuation(first, byte(start + 1)) {
            position += length
            return Token(kind: kind, start: start, end: position, text: text(start, position))
        }
        let character = String(decoding: source[start...].prefix(4), as: UTF8.self).first.map(String.init) ?? "?"
        throw error(start, "unexpected character '\(character)'")
    }

    /// The operator or punctuation starting with `first` (and `second`), and how many bytes it takes.
    private static func punctuation(_ first: UInt8, _ second: UInt8?) -> (Token.Kind, Int)? {
        switch (Character(Unicode.Scalar(first)), second.map { Character(Unicode.Scalar($0)) }) {
        case ("=", "="): (.equalEqual, 2)
        case ("!", "="): (.notEqual, 2)
        case (">", "="): (.greaterEqual, 2)
        case ("<", "="): (.lessEqual, 2)
        case ("=", "~"): (.regexMatch, 2)
        case ("!", "~"): (.regexNotMatch, 2)
        case ("(", _): (.leftParen, 1)
        case (")", _): (.rightParen, 1)
        case ("{", _): (.leftBrace, 1)
        case ("}", _): (.rightBrace, 1)
        case ("[", _): (.leftBracket, 1)
        case ("]", _): (.rightBracket, 1)
        case (",", _): (.comma, 1)
        case ("+", _): (.plus, 1)
        case ("-", _): (.minus, 1)
        case ("*", _): (.star, 1)
        case ("/", _): (.slash, 1)
        case ("%", _): (.percent, 1)
        case ("^", _): (.caret, 1)
        case (">", _): (.greater, 1)
        case ("<", _): (.less, 1)
        case ("=", _): (.assign, 1)
        default: nil
        }
    }

    private mutating func skipSpaceAndComments() {
        while let current = byte(position) {
            if current == UInt8(ascii: "#") {
                while let inComment = byte(position), inComment != 10 { position += 1 }
            } else if current == 32 || current == 9 || current == 10 || current == 13 {
                position += 1
            } else {
                return
            }
        }
    }

    private mutating func identifier() -> Token {
        let start = position
        while byte(position)?.isIdentifierPart == true { position += 1 }
        return Token(kind: .identifier, start: start, end: position, text: text(start, position))
    }

    /// A number, optionally with a time unit (`5m`, `1h30m`, seconds as a number) or a percent sign (`5%`, a ratio).
    private mutating func number() throws(ExpressionError) -> Token {
        let start = position
        while byte(position)?.isDigit == true { position += 1 }
        if byte(position) == UInt8(ascii: ".") {
            position += 1
            while byte(position)?.isDigit == true { position += 1 }
        }
        if let e = byte(position), e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            let signed = byte(position + 1) == UInt8(ascii: "+") || byte(position + 1) == UInt8(ascii: "-")
            if byte(position + (signed ? 2 : 1))?.isDigit == true {
                position += signed ? 2 : 1
                while byte(position)?.isDigit == true { position += 1 }
            }
        }
        let numeral = text(start, position)
        if byte(position)?.isIdentifierPart == true {
            while byte(position)?.isIdentifierPart == true { position += 1 }
            let written = text(start, position)
            let span: TimeSpan
            do {
                span = try TimeSpan(parsing: written)
            } catch {
                throw self.error(start, "bad number or duration '\(written)': \(error.reason)")
            }
            return Token(kind: .duration, start: start, end: position, text: written, number: span.seconds)
        }
        guard let value = Double(numeral) else { throw error(start, "bad number '\(numeral)'") }
        if byte(position) == UInt8(ascii: "%"), isPercentSign(at: position) {
            position += 1
            return Token(kind: .number, start: start, end: position, text: numeral + "%", number: value / 100)
        }
        return Token(kind: .number, start: start, end: position, text: numeral, number: value)
    }

    /// A `%` right after a number is a percent unit unless an operand follows it, which makes it the modulo operator (`7%2`).
    private func isPercentSign(at index: Int) -> Bool {
        var next = index + 1
        while let current = byte(next), current == 32 || current == 9 || current == 10 || current == 13 { next += 1 }
        guard let following = byte(next) else { return true }
        let operandStarts: [UInt8] = Array("({.\"'`".utf8)
        return !(following.isIdentifierPart || operandStarts.contains(following))
    }

    private mutating func string() throws(ExpressionError) -> Token {
        let start = position
        let quote = source[start]
        position += 1
        var value: [UInt8] = []
        while let current = byte(position) {
            position += 1
            if current == quote { return Token(kind: .string, start: start, end: position, text: String(decoding: value, as: UTF8.self)) }
            if current == 10 && quote != UInt8(ascii: "`") { break }
            if current == UInt8(ascii: "\\") && quote != UInt8(ascii: "`"), let escaped = byte(position) {
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): value.append(10)
                case UInt8(ascii: "t"): value.append(9)
                case UInt8(ascii: "r"): value.append(13)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(escaped)
                default:
                    // Other escapes stay as written so regular expressions get theirs (`\d`); Prometheus would reject them.
                    value.append(contentsOf: [UInt8(ascii: "\\"), escaped])
                }
            } else {
                value.append(current)
            }
        }
        throw error(start, "unterminated quoted string")
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= 48 && self <= 57 }
    fileprivate var isLetter: Bool { (self >= 65 && self <= 90) || (self >= 97 && self <= 122) }
    fileprivate var isIdentifierStart: Bool { isLetter || self == UInt8(ascii: "_") || self == UInt8(ascii: ":") }
    fileprivate var isIdentifierPart: Bool { isIdentifierStart || isDigit }
}
