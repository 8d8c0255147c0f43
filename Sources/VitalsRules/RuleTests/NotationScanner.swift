/// Reads promtool's series notation character by character.
struct NotationScanner {
    private let text: String
    private let characters: [Character]
    private(set) var offset = 0

    init(_ text: String) {
        self.text = text
        characters = Array(text)
    }

    var isAtEnd: Bool { offset >= characters.count }
    var peek: Character? { isAtEnd ? nil : characters[offset] }

    mutating func advance() { offset += 1 }

    mutating func skipSpaces() {
        while let character = peek, character == " " || character == "\t" || character == "\n" { advance() }
    }

    func error(_ message: String) -> SeriesNotationError { SeriesNotationError(text: text, offset: offset, message: message) }

    mutating func name(allowingColons: Bool) -> String {
        var name = ""
        while let character = peek, character.isASCII,
            character.isLetter || character == "_" || (allowingColons && character == ":") || (!name.isEmpty && character.isNumber)
        {
            name.append(character)
            advance()
        }
        return name
    }

    /// A label value in double, single or back quotes, with Go's escapes.
    mutating func quoted() throws(SeriesNotationError) -> String {
        guard let quote = peek, quote == "\"" || quote == "'" || quote == "`" else { throw error("expected a quoted label value") }
        let start = offset
        advance()
        var value = ""
        while let character = peek {
            advance()
            if character == quote { return value }
            if character == "\\", quote != "`", let escaped = peek {
                advance()
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(escaped)
                }
            } else {
                value.append(character)
            }
        }
        throw SeriesNotationError(text: text, offset: start, message: "unterminated quoted string")
    }

    /// `stale` or a number.
    mutating func seriesValue() throws(SeriesNotationError) -> Double {
        if characters[offset...].starts(with: "stale") {
            offset += 5
            return StaleMarker.value
        }
        return try number()
    }

    /// A number with an optional sign: `1`, `-2.5`, `1e3`, `+Inf`, `NaN`.
    mutating func number() throws(SeriesNotationError) -> Double {
        let start = offset
        var literal = ""
        if let sign = peek, sign == "+" || sign == "-" {
            literal.append(sign)
            advance()
        }
        let word = String(characters[offset...].prefix { $0.isLetter }).lowercased()
        if word == "inf" || word == "nan" {
            offset += word.count
            let magnitude = word == "inf" ? Double.infinity : Double.nan
            return literal == "-" ? -magnitude : magnitude
        }
        while let character = peek {
            let previous = literal.last
            let isExponentSign = (character == "+" || character == "-") && (previous == "e" || previous == "E")
            guard character.isNumber || character == "." || character == "e" || character == "E" || isExponentSign else { break }
            literal.append(character)
            advance()
        }
        guard let value = Double(literal), literal.contains(where: \.isNumber) else {
            offset = start
            throw error("expected a number, '_' or 'stale'")
        }
        return value
    }

    /// `xN` after a value, or nil when no `x` follows.
    mutating func times() throws(SeriesNotationError) -> Int? {
        guard peek == "x" else { return nil }
        advance()
        let digits = String(characters[offset...].prefix(while: \.isNumber))
        guard let count = Int(digits) else { throw error("expected a whole number after 'x'") }
        offset += digits.count
        return count
    }
}
