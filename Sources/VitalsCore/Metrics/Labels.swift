/// A canonical, sorted set of label pairs that identifies one series of a metric.
///
/// Two label sets with the same pairs are equal whatever order they were written in;
/// `canonical` is the stable text form stored in the database (`k1="v1",k2="v2"`).
public struct Labels: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The pairs, sorted by name; names are unique.
    public let pairs: [(name: String, value: String)]

    public init(_ dictionary: [String: String] = [:]) {
        pairs = dictionary.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
    }

    /// The empty label set.
    public static let empty = Labels()

    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// A copy with `name` set to `value` (or removed when `value` is nil or empty).
    public func setting(_ name: String, to value: String?) -> Labels {
        // Inserted in place: the pairs are sorted already, and an alert round sets `__name__` on thousands of series.
        var pairs = self.pairs
        let index = pairs.firstIndex { $0.name >= name } ?? pairs.endIndex
        let present = index < pairs.endIndex && pairs[index].name == name
        switch (value, present) {
        case (let value?, true) where !value.isEmpty: pairs[index].value = value
        case (let value?, false) where !value.isEmpty: pairs.insert((name, value), at: index)
        case (_, true): pairs.remove(at: index)
        case (_, false): break
        }
        return Labels(filtered: pairs)
    }

    /// The pairs whose names satisfy `isIncluded`; cheaper than rebuilding from a dictionary, since the order is kept.
    public func filter(names isIncluded: (String) -> Bool) -> Labels {
        Labels(filtered: pairs.filter { isIncluded($0.name) })
    }

    private init(filtered pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    public var dictionary: [String: String] {
        Dictionary(uniqueKeysWithValues: pairs.map { ($0.name, $0.value) })
    }

    public var isEmpty: Bool { pairs.isEmpty }

    /// The stable text form, in Prometheus' notation: `name="value",...` sorted by name, values escaped.
    public var canonical: String {
        var text = ""
        for (index, pair) in pairs.enumerated() {
            if index > 0 { text += "," }
            text += pair.name
            text += "=\""
            text += Labels.escape(pair.value)
            text += "\""
        }
        return text
    }

    public var description: String { "{\(canonical)}" }

    /// Parses the `canonical` form back; returns nil for text that `canonical` does not produce.
    ///
    /// Both directions work on UTF-8 bytes, not characters, so a value holding a combining mark (which joins the quote or
    /// backslash before it into one character) reads back as it was written. Stores and alert rounds parse thousands of
    /// these, and cutting bytes costs far less than walking characters.
    public init?(canonical text: String) {
        var text = text
        let parsed = text.withUTF8 { bytes -> (pairs: [(name: String, value: String)], sorted: Bool)? in
            var pairs: [(name: String, value: String)] = []
            var sorted = true
            var position = 0
            var value: [UInt8] = []
            while position < bytes.count {
                let nameStart = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "=") { position += 1 }
                guard position > nameStart, position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") else { return nil }
                let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[nameStart..<position]), as: UTF8.self)
                position += 2
                value.removeAll(keepingCapacity: true)
                var closed = false
                while position < bytes.count {
                    let byte = bytes[position]
                    position += 1
                    if byte == UInt8(ascii: "\\"), position < bytes.count {
                        value.append(Labels.unescaped(bytes[position]))
                        position += 1
                    } else if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        value.append(byte)
                    }
                }
                guard closed else { return nil }
                if value.isEmpty || pairs.last.map({ !($0.name < name) }) ?? false { sorted = false }
                pairs.append((name, String(decoding: value, as: UTF8.self)))
                if position < bytes.count {
                    guard bytes[position] == UInt8(ascii: ",") else { return nil }
                    position += 1
                }
            }
            return (pairs, sorted)
        }
        guard let parsed else { return nil }
        if parsed.sorted {
            self.init(filtered: parsed.pairs)
        } else {
            // Not as `canonical` writes it (names out of order or repeated, empty values): read as a dictionary would be.
            self.init(Dictionary(parsed.pairs, uniquingKeysWith: { _, last in last }))
        }
    }

    /// A value as it stands between the quotes of ``canonical``: backslash, quote and newline escaped byte by byte, as
    /// Prometheus writes them, and NUL as `\0`, so that the text holds none (PostgreSQL's `text` refuses NUL, and SQLite's
    /// text reads back cut at the first).
    static func escape(_ value: String) -> String {
        // Most values need no escape; those are returned as they are.
        guard value.utf8.contains(where: isEscaped) else { return value }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(value.utf8.count + 4)
        for byte in value.utf8 {
            if isEscaped(byte) {
                escaped += [UInt8(ascii: "\\"), escapeLetter(byte)]
            } else {
                escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// Whether ``canonical`` writes `byte` of a value as a backslash and ``escapeLetter(_:)``.
    static func isEscaped(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == 0
    }

    /// The byte after the backslash of an escaped byte of a value; itself for the backslash and the quote.
    static func escapeLetter(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "\n"): UInt8(ascii: "n")
        case 0: UInt8(ascii: "0")
        default: byte
        }
    }

    /// The byte of a value that a backslash and `letter` stand for in ``canonical``.
    private static func unescaped(_ letter: UInt8) -> UInt8 {
        switch letter {
        case UInt8(ascii: "n"): UInt8(ascii: "\n")
        case UInt8(ascii: "0"): 0
        default: letter
        }
    }

    public static func == (lhs: Labels, rhs: Labels) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for pair in pairs {
            hasher.combine(pair.name)
            hasher.combine(pair.value)
        }
    }

    /// Orders label sets as their ``canonical`` texts; ASCII sets are compared without building the texts.
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        if lhs.isASCII, rhs.isASCII { return asciiCanonicallyPrecedes(lhs, rhs) }
        return lhs.canonical < rhs.canonical
    }
}

extension Labels: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension Labels: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: String].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dictionary)
    }
}
