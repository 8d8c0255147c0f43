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
        var dictionary = self.dictionary
        dictionary[name] = value
        return Labels(dictionary)
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
        pairs.map { "\($0.name)=\"\(Labels.escape($0.value))\"" }.joined(separator: ",")
    }

    public var description: String { "{\(canonical)}" }

    /// Parses the `canonical` form back; returns nil for text that `canonical` does not produce.
    public init?(canonical text: String) {
        var dictionary: [String: String] = [:]
        var rest = Substring(text)
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let name = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            guard rest.first == "\"" else { return nil }
            rest = rest.dropFirst()
            var value = ""
            var closed = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if character == "\\", let next = rest.first {
                    rest = rest.dropFirst()
                    value.append(next == "n" ? "\n" : next)
                } else if character == "\"" {
                    closed = true
                    break
                } else {
                    value.append(character)
                }
            }
            guard closed, !name.isEmpty else { return nil }
            dictionary[name] = value
            if rest.first == "," { rest = rest.dropFirst() } else if !rest.isEmpty { return nil }
        }
        self.init(dictionary)
    }

    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
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

    public static func < (lhs: Labels, rhs: Labels) -> Bool { lhs.canonical < rhs.canonical }
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
