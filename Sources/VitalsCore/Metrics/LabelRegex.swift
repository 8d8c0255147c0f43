import Foundation

/// A regular expression in RE2's syntax (Go's `regexp`, which Prometheus uses), fully anchored: it matches a whole label
/// value or nothing.
///
/// The pattern is parsed here with Go's rules (Perl flags: `(?imsU)`, `\d \w \s` and POSIX classes ASCII-only, `.` not
/// matching `\n` unless `(?s)`, `$` only at the end of the text unless `(?m)`), so everything RE2 refuses — backreferences,
/// lookaround, atomic groups, possessive quantifiers, `\Z` — is refused with the offset of the construct. What it accepts is
/// translated into an ICU pattern with the same meaning and run by `NSRegularExpression`.
public struct LabelRegex: @unchecked Sendable {
    private let expression: NSRegularExpression
    /// The capture group numbers of `(?P<name>…)` groups, for `label_replace`'s `$name`.
    public let groupNames: [String: Int]
    public let groupCount: Int

    public init(_ pattern: String) throws(RegexSyntaxError) {
        var translator = RE2Translator(pattern)
        let translated = try translator.translate()
        groupNames = translator.groupNames
        groupCount = translator.groupCount
        do {
            expression = try NSRegularExpression(pattern: "\\A(?:\(translated))\\z")
        } catch {
            // The translation only emits constructs ICU knows; a Unicode class name ICU lacks is the one way here.
            throw RegexSyntaxError(offset: 0, message: "unsupported regular expression: \(error.localizedDescription)")
        }
    }

    public func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, options: [.anchored], range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The text of each capture group (group 0 is the whole text) when the whole text matches; nil groups did not take part.
    public func captures(_ text: String) -> [Substring?]? {
        guard let match = expression.firstMatch(in: text, options: [.anchored], range: NSRange(text.startIndex..., in: text)) else {
            return nil
        }
        return (0..<match.numberOfRanges).map { index in Range(match.range(at: index), in: text).map { text[$0] } }
    }

    /// Go's `Regexp.ExpandString` after a match: `$1`, `${1}`, `$name`, `${name}`, `$$`; an unknown group is empty.
    public func expand(_ template: String, captures: [Substring?]) -> String {
        var output = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                output += "$"
                rest = rest.dropFirst()
                continue
            }
            let name: Substring
            if rest.first == "{" {
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: "}"), body[..<close].allSatisfy(\.isWordCharacter), close > body.startIndex else {
                    output += "$"
                    continue
                }
                name = body[..<close]
                rest = body[body.index(after: close)...]
            } else {
                name = rest.prefix { $0.isWordCharacter }
                guard !name.isEmpty else {
                    output += "$"
                    continue
                }
                rest = rest.dropFirst(name.count)
            }
            let index = Int(name) ?? groupNames[String(name)]
            if let index, index < captures.count, let text = captures[index] { output += text }
        }
        return output + rest
    }
}

extension Character {
    fileprivate var isWordCharacter: Bool { isASCII && (isLetter || isNumber || self == "_") }
}

/// A pattern RE2 does not accept, with the UTF-8 byte offset of the offending construct in the pattern.
public struct RegexSyntaxError: Error, Equatable {
    public let offset: Int
    public let message: String
}

/// Parses Go's regexp syntax and writes the equivalent ICU pattern.
private struct RE2Translator {
    private let scalars: [Unicode.Scalar]
    /// The UTF-8 offset of each scalar, for errors.
    private let offsets: [Int]
    private var index = 0
    private(set) var groupNames: [String: Int] = [:]
    private(set) var groupCount = 0

    private struct Flags {
        var caseInsensitive = false
        var multiLine = false
        var dotAll = false
        var ungreedy = false
    }

    private static let maximumRepeat = 1000
    /// Go allows 1000 levels of nesting; vitals 200, like expressions, so that parsing stays well within a thread's stack.
    private static let maximumDepth = 200

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
        var offsets: [Int] = []
        var offset = 0
        for scalar in scalars {
            offsets.append(offset)
            offset += String(scalar).utf8.count
        }
        offsets.append(offset)
        self.offsets = offsets
    }

    mutating func translate() throws(RegexSyntaxError) -> String {
        var flags = Flags()
        let output = try alternation(&flags, depth: 0)
        if index < scalars.count {
            // Only an unmatched `)` stops an alternation at the top level.
            throw error(at: index, "unexpected ): `\(String(String.UnicodeScalarView(scalars[0...index])))`")
        }
        return output
    }

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private func error(at position: Int, _ message: String) -> RegexSyntaxError {
        RegexSyntaxError(offset: offsets[Swift.min(position, offsets.count - 1)], message: message)
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(String.UnicodeScalarView(scalars[start..<Swift.min(end, scalars.count)]))
    }

    /// Alternatives up to a `)` or the end; flags set by `(?i)` inside last to the end of the enclosing group.
    private mutating func alternation(_ flags: inout Flags, depth: Int) throws(RegexSyntaxError) -> String {
        guard depth <= Self.maximumDepth else { throw error(at: index, "expression nests too deeply") }
        var alternatives: [String] = []
        var current = ""
        var lastAtom: (text: String, start: Int, isRepetition: Bool)?
        func flush() {
            if let atom = lastAtom { current += atom.text }
            lastAtom = nil
        }
        while let scalar = peek, scalar != ")" {
            let start = index
            switch scalar {
            case "|":
                index += 1
                flush()
                alternatives.append(current)
                current = ""
            case "*", "+", "?", "{":
                if scalar == "{", let repeatCount = try repeatCount() {
                    try quantify(&lastAtom, start: start, suffix: "{\(repeatCount.min),\(repeatCount.max.map(String.init) ?? "")}", flags: flags)
                } else if scalar == "{" {
                    index += 1
                    flush()
                    lastAtom = (literal(scalar, flags), start, false)
                } else {
                    index += 1
                    try quantify(&lastAtom, start: start, suffix: String(scalar), flags: flags)
                }
            default:
                let atom = try self.atom(&flags, depth: depth)
                flush()
                lastAtom = atom.map { ($0, start, false) }
            }
        }
        flush()
        alternatives.append(current)
        return alternatives.joined(separator: "|")
    }

    /// Applies a repetition operator to the previous atom; a second operator on it is RE2's "invalid nested repetition".
    private mutating func quantify(
        _ atom: inout (text: String, start: Int, isRepetition: Bool)?, start: Int, suffix: String, flags: Flags
    ) throws(RegexSyntaxError) {
        var operatorEnd = index
        var lazy = false
        if peek == "?" {
            lazy = true
            index += 1
            operatorEnd = index
        }
        guard let previous = atom else {
            throw error(at: start, "missing argument to repetition operator: `\(text(start, operatorEnd))`")
        }
        guard !previous.isRepetition else { throw error(at: start, "invalid nested repetition operator: `\(text(start, operatorEnd))`") }
        // A flag `U` swaps greedy and lazy; ICU has no such flag, so the translation spells each repetition out.
        atom = ("(?:\(previous.text))\(suffix)\(lazy != flags.ungreedy ? "?" : "")", previous.start, true)
    }

    /// `{n}`, `{n,}` or `{n,m}` at the current position, or nil (then `{` is a literal, as in RE2).
    private mutating func repeatCount() throws(RegexSyntaxError) -> (min: Int, max: Int?)? {
        let start = index
        var position = index + 1
        func number() -> Int? {
            let digitsStart = position
            while position < scalars.count, ("0"..."9").contains(scalars[position]) { position += 1 }
            guard position > digitsStart else { return nil }
            return Int(text(digitsStart, position)) ?? Int.max
        }
        guard let minimum = number() else { return nil }
        var maximum: Int? = minimum
        if position < scalars.count, scalars[position] == "," {
            position += 1
            maximum = position < scalars.count && scalars[position] == "}" ? nil : number()
            if maximum == nil, position < scalars.count, scalars[position] != "}" { return nil }
        }
        guard position < scalars.count, scalars[position] == "}" else { return nil }
        index = position + 1
        if minimum > Self.maximumRepeat || (maximum ?? 0) > Self.maximumRepeat || (maximum.map { $0 < minimum } ?? false) {
            throw error(at: start, "invalid repeat count: `\(text(start, index))`")
        }
        return (minimum, maximum)
    }

    /// One atom; nil for a flag group such as `(?i)`, which only changes `flags`.
    private mutating func atom(_ flags: inout Flags, depth: Int) throws(RegexSyntaxError) -> String? {
        let start = index
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "(":
            return try group(start: start, &flags, depth: depth)
        case "[":
            return try characterClass(start: start, flags: flags)
        case ".":
            return flags.dotAll ? "[\\x{0}-\\x{10FFFF}]" : "[^\\x{A}]"
        case "^":
            return flags.multiLine ? "(?:\\A|(?<=\\x{A}))" : "(?:\\A)"
        case "$":
            return flags.multiLine ? "(?:\\z|(?=\\x{A}))" : "(?:\\z)"
        case "\\":
            return try escape(start: start, flags: flags)
        default:
            return literal(scalar, flags)
        }
    }

    private mutating func group(start: Int, _ flags: inout Flags, depth: Int) throws(RegexSyntaxError) -> String? {
        var inner = flags
        if peek == "?" {
            index += 1
            if peek == "P" && index + 1 < scalars.count && scalars[index + 1] == "<" {
                index += 2
                let nameStart = index
                while let character = peek, character != ">" { index += 1 }
                let name = text(nameStart, index)
                guard peek == ">", !name.isEmpty, name.unicodeScalars.allSatisfy({ Character($0).isWordCharacter }) else {
                    throw error(at: start, "invalid named capture: `\(text(start, index + 1))`")
                }
                index += 1
                guard groupNames[name] == nil else { throw error(at: start, "duplicate capture group name: `\(name)`") }
                groupCount += 1
                groupNames[name] = groupCount
            } else {
                // Flags: (?flags) for the rest of the group, (?flags:re) for re alone.
                var negate = false
                var sawFlag = false
                var changed = flags
                while true {
                    guard let character = peek else { throw error(at: start, "missing closing ): `\(text(start, index))`") }
                    index += 1
                    switch character {
                    case "i": changed.caseInsensitive = !negate
                    case "m": changed.multiLine = !negate
                    case "s": changed.dotAll = !negate
                    case "U": changed.ungreedy = !negate
                    case "-" where !negate:
                        negate = true
                        sawFlag = false
                        continue
                    case ":", ")":
                        guard !negate || sawFlag else { throw error(at: start, "invalid or unsupported Perl syntax: `\(text(start, index))`") }
                        if character == ")" {
                            flags = changed
                            return nil
                        }
                        inner = changed
                        let body = try alternation(&inner, depth: depth + 1)
                        guard peek == ")" else { throw error(at: start, "missing closing ): `\(text(start, index))`") }
                        index += 1
                        return "(?:\(body))"
                    default:
                        throw error(at: start, "invalid or unsupported Perl syntax: `\(text(start, index))`")
                    }
                    sawFlag = true
                }
            }
        } else {
            groupCount += 1
        }
        let body = try alternation(&inner, depth: depth + 1)
        guard peek == ")" else { throw error(at: start, "missing closing ): `\(text(start, index))`") }
        index += 1
        return "(\(body))"
    }

    private func literal(_ scalar: Unicode.Scalar, _ flags: Flags) -> String {
        let spelled = Self.spell(scalar)
        return flags.caseInsensitive ? "(?i:\(spelled))" : spelled
    }

    /// A scalar as ICU reads it literally, inside or outside a class.
    private static func spell(_ scalar: Unicode.Scalar) -> String {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            ? String(scalar) : "\\x{\(String(scalar.value, radix: 16, uppercase: true))}"
    }

    private static let asciiWord = "0-9A-Za-z_"
    private static let perlClasses: [Unicode.Scalar: String] = ["d": "0-9", "s": "\\x{9}\\x{A}\\x{C}\\x{D}\\x{20}", "w": asciiWord]
    private static let posixClasses: [String: String] = [
        "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x{0}-\\x{7F}", "blank": "\\x{9}\\x{20}", "cntrl": "\\x{0}-\\x{1F}\\x{7F}",
        "digit": "0-9", "graph": "\\x{21}-\\x{7E}", "lower": "a-z", "print": "\\x{20}-\\x{7E}",
        "punct": "\\x{21}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{60}\\x{7B}-\\x{7E}", "space": "\\x{9}-\\x{D}\\x{20}", "upper": "A-Z",
        "word": asciiWord, "xdigit": "0-9A-Fa-f",
    ]
    /// Unicode general categories RE2 knows; any other name must be a script.
    private static let categories: Set<String> = [
        "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No", "P", "Pc", "Pd",
        "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
    ]

    /// An escape outside a class: assertions, Perl and Unicode classes, `\Q…\E`, or one character.
    private mutating func escape(start: Int, flags: Flags) throws(RegexSyntaxError) -> String {
        guard let letter = peek else { throw error(at: start, "trailing backslash at end of expression") }
        let word = "[\(Self.asciiWord)]"
        switch letter {
        case "A":
            index += 1
            return "(?:\\A)"
        case "z":
            index += 1
            return "(?:\\z)"
        case "b":
            index += 1
            return "(?:(?<=\(word))(?!\(word))|(?<!\(word))(?=\(word)))"
        case "B":
            index += 1
            return "(?:(?<=\(word))(?=\(word))|(?<!\(word))(?!\(word)))"
        case "Q":
            index += 1
            var quoted = ""
            while index < scalars.count {
                if scalars[index] == "\\" && index + 1 < scalars.count && scalars[index + 1] == "E" {
                    index += 2
                    break
                }
                quoted += literal(scalars[index], flags)
                index += 1
            }
            return "(?:\(quoted))"
        default:
            if let set = try classEscape(start: start) { return flags.caseInsensitive ? "(?i:[\(set)])" : "[\(set)]" }
            return literal(try characterEscape(start: start), flags)
        }
    }

    /// `\d \D \s \S \w \W \pX \p{Name} \PX` as the inside of an ICU set, or nil when the escape is not a class.
    private mutating func classEscape(start: Int) throws(RegexSyntaxError) -> String? {
        guard let letter = peek else { return nil }
        if "dswDSW".unicodeScalars.contains(letter), let perl = Self.perlClasses[Unicode.Scalar(letter.value | 0x20)!] {
            index += 1
            return letter.properties.isUppercase ? "[^\(perl)]" : "[\(perl)]"
        }
        guard letter == "p" || letter == "P" else { return nil }
        index += 1
        var name: String
        if peek == "{" {
            let nameStart = index + 1
            while let character = peek, character != "}" { index += 1 }
            guard peek == "}" else { throw error(at: start, "missing closing }: `\(text(start, index))`") }
            name = text(nameStart, index)
            index += 1
        } else {
            guard let single = peek else { throw error(at: start, "invalid character class range: `\(text(start, index))`") }
            name = String(single)
            index += 1
        }
        var negated = letter == "P"
        if name.hasPrefix("^") {
            negated.toggle()
            name.removeFirst()
        }
        let property: String
        if name == "Any" {
            property = "\\x{0}-\\x{10FFFF}"
        } else if Self.categories.contains(name) {
            property = "\\p{gc=\(name)}"
        } else if !name.isEmpty, name.unicodeScalars.allSatisfy({ Character($0).isWordCharacter }),
            (try? NSRegularExpression(pattern: "\\p{sc=\(name)}")) != nil
        {
            property = "\\p{sc=\(name)}"
        } else {
            throw error(at: start, "invalid character class range: `\(text(start, index))`")
        }
        return negated ? "[^\(property)]" : "[\(property)]"
    }

    /// A single-character escape: `\n`, `\x41`, `\x{263a}`, octal `\101`, or escaped punctuation.
    private mutating func characterEscape(start: Int) throws(RegexSyntaxError) -> Unicode.Scalar {
        let letter = scalars[index]
        index += 1
        let invalid = error(at: start, "invalid escape sequence: `\(text(start, index))`")
        switch letter {
        case "a": return "\u{7}"
        case "f": return "\u{C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "v": return "\u{B}"
        case "0"..."7":
            // A lone non-zero digit would be a backreference, which RE2 does not have.
            guard letter == "0" || (peek.map { ("0"..."7").contains($0) } ?? false) else { throw invalid }
            var value = letter.value - 48
            for _ in 0..<2 {
                guard let digit = peek, ("0"..."7").contains(digit) else { break }
                value = value * 8 + digit.value - 48
                index += 1
            }
            return Unicode.Scalar(value)!
        case "x":
            var digits = ""
            if peek == "{" {
                index += 1
                while let character = peek, character != "}" {
                    digits.unicodeScalars.append(character)
                    index += 1
                }
                guard peek == "}" else { throw error(at: start, "invalid escape sequence: `\(text(start, index))`") }
                index += 1
            } else {
                for _ in 0..<2 {
                    guard let character = peek else { break }
                    digits.unicodeScalars.append(character)
                    index += 1
                }
                guard digits.count == 2 else { throw error(at: start, "invalid escape sequence: `\(text(start, index))`") }
            }
            guard let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw error(at: start, "invalid escape sequence: `\(text(start, index))`")
            }
            return scalar
        default:
            guard letter.isASCII, !Character(letter).isLetter, !Character(letter).isNumber else { throw invalid }
            return letter
        }
    }

    /// `[...]` after its `[`: ranges, escapes, Perl, Unicode and POSIX classes, `^` negation.
    private mutating func characterClass(start: Int, flags: Flags) throws(RegexSyntaxError) -> String {
        var negated = false
        if peek == "^" {
            negated = true
            index += 1
        }
        var items = ""
        var first = true
        while true {
            guard let scalar = peek else { throw error(at: start, "missing closing ]: `\(text(start, index))`") }
            if scalar == "]" && !first { break }
            first = false
            let itemStart = index
            if scalar == "[", index + 1 < scalars.count, scalars[index + 1] == ":" {
                var end = index + 2
                while end + 1 < scalars.count, !(scalars[end] == ":" && scalars[end + 1] == "]") { end += 1 }
                if end + 1 < scalars.count {
                    var name = text(index + 2, end)
                    let negatedPosix = name.hasPrefix("^")
                    if negatedPosix { name.removeFirst() }
                    guard let set = Self.posixClasses[name] else {
                        throw error(at: itemStart, "invalid character class range: `\(text(itemStart, end + 2))`")
                    }
                    index = end + 2
                    items += negatedPosix ? "[^\(set)]" : "[\(set)]"
                    continue
                }
            }
            if scalar == "\\" {
                index += 1
                guard peek != nil else { throw error(at: itemStart, "missing closing ]: `\(text(start, index))`") }
                if let set = try classEscape(start: itemStart) {
                    items += "[\(set)]"
                    continue
                }
            }
            let low = scalar == "\\" ? try characterEscape(start: itemStart) : next()
            guard peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" else {
                items += Self.spell(low)
                continue
            }
            index += 1
            let highStart = index
            let high: Unicode.Scalar
            if scalars[index] == "\\" {
                index += 1
                guard peek != nil else { throw error(at: itemStart, "missing closing ]: `\(text(start, index))`") }
                high = try characterEscape(start: highStart)
            } else {
                high = next()
            }
            guard low <= high else { throw error(at: itemStart, "invalid character class range: `\(text(itemStart, index))`") }
            items += "\(Self.spell(low))-\(Self.spell(high))"
        }
        index += 1
        let set = negated ? "[^\(items)]" : "[\(items)]"
        return flags.caseInsensitive ? "(?i:\(set))" : set
    }

    private mutating func next() -> Unicode.Scalar {
        defer { index += 1 }
        return scalars[index]
    }
}
