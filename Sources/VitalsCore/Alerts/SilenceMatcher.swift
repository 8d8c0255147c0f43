import Foundation

/// One label matcher of a silence or mute window, as in Alertmanager: `service=api`, `env!=dev`, `team=~"core|infra"`, `job!~"test.*"`.
///
/// Regular expressions match the whole value; a missing label matches as the empty string. Matching is a selector's
/// ``LabelMatcher``'s, so a silence and a rule read `=~` the same way; this type adds Alertmanager's list syntax and storage.
public struct SilenceMatcher: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Operator: String, Sendable, Codable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public let name: String
    public let op: Operator
    public let value: String
    private let matcher: LabelMatcher

    /// A matcher; a regular expression that does not compile is rejected here, not at match time.
    public init(name: String, op: Operator, value: String) throws(SilenceMatcherError) {
        let text = "\(name)\(op.rawValue)\(value)"
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
            name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) })
        else { throw SilenceMatcherError(text: text, reason: "'\(name)' is not a label name (letters, digits and _, not starting with a digit)") }
        let kind: LabelMatcher.Kind =
            switch op {
            case .equal: .equal
            case .notEqual: .notEqual
            case .matches: .matchesRegex
            case .notMatches: .notMatchesRegex
            }
        do {
            matcher = try LabelMatcher(name, kind, value)
        } catch {
            throw SilenceMatcherError(text: text, reason: "'\(value)' is not a valid regular expression")
        }
        self.name = name
        self.op = op
        self.value = value
    }

    private enum CodingKeys: String, CodingKey {
        case name
        case op
        case value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: try container.decode(String.self, forKey: .name), op: try container.decode(Operator.self, forKey: .op),
            value: try container.decode(String.self, forKey: .value))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(op, forKey: .op)
        try container.encode(value, forKey: .value)
    }

    /// Parses a comma-separated list: `alertname=HighErrorRate,service=api`; values may be double-quoted to hold commas.
    public static func parseList(_ text: String) throws(SilenceMatcherError) -> [SilenceMatcher] {
        var matchers: [SilenceMatcher] = []
        for part in splitOutsideQuotes(text) where !part.allSatisfy(\.isWhitespace) {
            matchers.append(try parse(part))
        }
        return matchers
    }

    /// Parses one matcher such as `service!="api"`.
    public static func parse(_ text: String) throws(SilenceMatcherError) -> SilenceMatcher {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let opStart = trimmed.firstIndex(where: { $0 == "=" || $0 == "!" }) else {
            throw SilenceMatcherError(text: text, reason: "expected name, an operator (\(operators)) and a value, as in service=api")
        }
        let rest = trimmed[opStart...]
        guard let op = Operator.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }).first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw SilenceMatcherError(text: text, reason: "unknown operator; allowed: \(operators)")
        }
        var value = rest.dropFirst(op.rawValue.count).trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
        }
        return try SilenceMatcher(name: trimmed[..<opStart].trimmingCharacters(in: .whitespaces), op: op, value: value)
    }

    static let operators = Operator.allCases.map(\.rawValue).joined(separator: " ")

    private static func splitOutsideQuotes(_ text: String) -> [String] {
        var parts: [String] = [""]
        var quoted = false
        var escaped = false
        for character in text {
            if character == "," && !quoted {
                parts.append("")
                continue
            }
            if character == "\"" && !escaped { quoted.toggle() }
            escaped = character == "\\" && !escaped
            parts[parts.count - 1].append(character)
        }
        return parts
    }

    public func matches(_ labels: Labels) -> Bool { matcher.matches(labels) }

    public var description: String { "\(name)\(op.rawValue)\"\(value)\"" }
}

/// A matcher that cannot be used: the text and what is wrong with it.
public struct SilenceMatcherError: Error, Equatable, Sendable, CustomStringConvertible {
    public let text: String
    public let reason: String

    public var description: String { "invalid matcher '\(text)': \(reason)" }
}
