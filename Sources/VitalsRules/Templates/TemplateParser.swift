/// Parses the template subset ``AlertTemplate`` supports into segments.
struct TemplateParser {
    private let characters: [Character]
    private var index = 0
    private var depth = 0

    /// Parenthesised pipelines nest at most this deep, like expressions (``ExpressionParser/maximumDepth``).
    static let maximumDepth = 200

    private init(_ text: String) {
        characters = Array(text)
    }

    static func parse(_ text: String) throws(TemplateError) -> [TemplateSegment] {
        var parser = TemplateParser(text)
        return try parser.segments()
    }

    private mutating func segments() throws(TemplateError) -> [TemplateSegment] {
        var segments: [TemplateSegment] = []
        var text = ""
        var trimNextText = false
        while index < characters.count {
            guard starts(with: "{{") else {
                text.append(characters[index])
                index += 1
                continue
            }
            let actionStart = index
            index += 2
            if starts(with: "- ") || starts(with: "-\t") || starts(with: "-\n") {
                while let last = text.last, last.isWhitespace { text.removeLast() }
                index += 1
            }
            if trimNextText { text = String(text.drop { $0.isWhitespace }) }
            if !text.isEmpty { segments.append(.text(text)) }
            text = ""
            skipSpaces()
            if starts(with: "/*") {
                guard let end = find("*/") else { throw error(at: actionStart, "unclosed comment") }
                index = end + 2
                skipSpaces()
            } else {
                let pipeline = try self.pipeline()
                segments.append(.action(pipeline))
            }
            skipSpaces()
            trimNextText = false
            if starts(with: "-}}") {
                trimNextText = true
                index += 1
            }
            guard starts(with: "}}") else { throw error(at: index, "expected '}}' to close the action opened at character \(actionStart + 1)") }
            index += 2
        }
        if trimNextText { text = String(text.drop { $0.isWhitespace }) }
        if !text.isEmpty { segments.append(.text(text)) }
        return segments
    }

    private mutating func pipeline() throws(TemplateError) -> TemplatePipeline {
        var commands = [try command()]
        skipSpaces()
        while index < characters.count, characters[index] == "|" {
            index += 1
            commands.append(try command())
            skipSpaces()
        }
        return TemplatePipeline(commands: commands)
    }

    private mutating func command() throws(TemplateError) -> TemplateCommand {
        skipSpaces()
        let start = index
        let word = identifier()
        if !word.isEmpty {
            guard let function = TemplateFunction(rawValue: word) else {
                let message =
                    ["if", "else", "end", "range", "with", "define", "template", "block"].contains(word)
                    ? "'\(word)' actions are not supported in alert templates"
                    : "function \"\(word)\" not defined; available: \(TemplateFunction.names)"
                throw error(at: start, message)
            }
            var arguments: [TemplateOperand] = []
            while true {
                skipSpaces()
                guard index < characters.count, !starts(with: "}}"), !starts(with: "-}}"), characters[index] != "|",
                    characters[index] != ")"
                else { break }
                arguments.append(try operand())
            }
            return TemplateCommand(function: function, arguments: arguments)
        }
        let single = try operand()
        skipSpaces()
        if index < characters.count, !starts(with: "}}"), !starts(with: "-}}"), characters[index] != "|", characters[index] != ")" {
            throw error(at: index, "unexpected '\(characters[index])' after an operand; call a function or pipe with '|'")
        }
        return TemplateCommand(function: nil, arguments: [single])
    }

    private mutating func operand() throws(TemplateError) -> TemplateOperand {
        skipSpaces()
        guard index < characters.count else { throw error(at: index, "unexpected end of template inside an action") }
        let start = index
        switch characters[index] {
        case "$":
            index += 1
            let name = identifier()
            let roots: [String: TemplateRoot] = [
                "value": .value, "labels": .labels, "externalLabels": .externalLabels, "externalURL": .externalURL,
            ]
            guard let root = roots[name] else {
                throw error(at: start, "undefined variable \"$\(name)\"; available: $value, $labels, $externalLabels, $externalURL")
            }
            return .field(root, try fieldPath())
        case ".":
            let path = try fieldPath()
            guard let first = path.first, let root = TemplateRoot.allCases.first(where: { $0.fieldName == first }) else {
                throw error(at: start, "unknown field '.\(path.first ?? "")'; available: .Value, .Labels, .ExternalLabels, .ExternalURL")
            }
            return .field(root, Array(path.dropFirst()))
        case "\"", "`":
            return .string(try stringLiteral())
        case "(":
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw error(at: index, "parentheses nested too deeply (more than \(Self.maximumDepth) levels)") }
            index += 1
            let inner = try pipeline()
            skipSpaces()
            guard index < characters.count, characters[index] == ")" else { throw error(at: index, "expected ')'") }
            index += 1
            return .pipeline(inner)
        default:
            let text = String(characters[index...].prefix { $0.isNumber || "+-.eE".contains($0) })
            guard !text.isEmpty, let number = Double(text) else {
                throw error(at: start, "unexpected '\(characters[index])' in an action")
            }
            index += text.count
            return .number(number)
        }
    }

    private mutating func fieldPath() throws(TemplateError) -> [String] {
        var path: [String] = []
        while index < characters.count, characters[index] == "." {
            index += 1
            let name = identifier()
            guard !name.isEmpty else { throw error(at: index, "expected a field name after '.'") }
            path.append(name)
        }
        return path
    }

    private mutating func stringLiteral() throws(TemplateError) -> String {
        let quote = characters[index]
        let start = index
        index += 1
        var value = ""
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == quote { return value }
            if character == "\\", quote == "\"", index < characters.count {
                let escaped = characters[index]
                index += 1
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(escaped)
                }
            } else {
                value.append(character)
            }
        }
        throw error(at: start, "unterminated string")
    }

    private mutating func identifier() -> String {
        let name = String(characters[index...].prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        index += name.count
        return name
    }

    private mutating func skipSpaces() {
        while index < characters.count, characters[index] == " " || characters[index] == "\t" || characters[index] == "\n" { index += 1 }
    }

    private func starts(with prefix: String) -> Bool {
        var position = index
        for character in prefix {
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
        }
        return true
    }

    private func find(_ needle: String) -> Int? {
        var probe = self
        while probe.index < characters.count {
            if probe.starts(with: needle) { return probe.index }
            probe.index += 1
        }
        return nil
    }

    private func error(at offset: Int, _ message: String) -> TemplateError { TemplateError(offset: offset, message: message) }
}
