import VitalsCore

/// Parses and type-checks rule expressions.
///
/// The grammar is Prometheus' (see `docs/rule-language.md`), limited to the supported functions and aggregations,
/// plus unit literals in number position: `5%` is 0.05 and `30s`, `5m`, `2h`, `7d` are seconds.
public struct ExpressionParser {
    private let source: [UInt8]
    private let tokens: [Token]
    private var index = 0
    private var depth = 0

    /// The longest range or offset accepted.
    static let longestDuration = TimeSpan(milliseconds: 100 * 365 * 86_400_000)

    /// Deeper nesting than this is refused rather than risking the stack.
    static let maximumDepth = 200

    private static let matcherKinds: [Token.Kind: LabelMatcher.Kind] = [
        .assign: .equal, .notEqual: .notEqual, .regexMatch: .matchesRegex, .regexNotMatch: .notMatchesRegex,
    ]

    private static let keywords: Set<String> = ["by", "without", "on", "ignoring", "bool", "offset", "and", "or", "unless"]

    private init(source: [UInt8], tokens: [Token]) {
        self.source = source
        self.tokens = tokens
    }

    /// Parses `text` into a type-checked expression; the error points at the offending character.
    public static func parse(_ text: String) throws(ExpressionError) -> Expr {
        let source = Array(text.utf8)
        var parser = ExpressionParser(source: source, tokens: try Lexer.tokens(of: source))
        if parser.current.kind == .end { throw parser.error(at: parser.current, "empty expression") }
        let expr = try parser.expression(minimumPrecedence: 1).expr
        if parser.current.kind != .end { throw parser.unexpected() }
        return expr
    }

    // MARK: Tokens

    private var current: Token { tokens[index] }

    private func peek(_ distance: Int = 1) -> Token { tokens[min(index + distance, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func isKeyword(_ word: String) -> Bool { current.kind == .identifier && current.text == word }

    private mutating func expect(_ kind: Token.Kind, _ spelling: String) throws(ExpressionError) -> Token {
        guard current.kind == kind else { throw unexpected(expected: "'\(spelling)'") }
        return advance()
    }

    private func error(at token: Token, _ message: String) -> ExpressionError { error(at: token.start, message) }

    private func error(at offset: Int, _ message: String) -> ExpressionError { ExpressionError(at: offset, in: source, message) }

    /// `unexpected ')' after 'rate(errors[5m]'`, quoting up to 40 characters of what came before.
    private func unexpected(expected: String? = nil) -> ExpressionError {
        let token = current
        let before = String(decoding: source[..<token.start], as: UTF8.self).trimmingTrailingSpace
        var message = "unexpected \(token.quoted)"
        if !before.isEmpty { message += " after '\(before.count > 40 ? "…" + before.suffix(40) : before)'" }
        if let expected { message += "; expected \(expected)" }
        return error(at: token, message)
    }

    // MARK: Expressions

    /// A parsed expression with the offset it starts at, for errors about it.
    private struct Located {
        var expr: Expr
        var start: Int
    }

    private mutating func expression(minimumPrecedence: Int) throws(ExpressionError) -> Located {
        var lhs = try unary()
        while let op = current.binaryOperator, op != .power, op.precedence >= minimumPrecedence {
            let operatorToken = advance()
            lhs = try binaryTail(op, lhs: lhs, operatorToken: operatorToken) { parser throws(ExpressionError) in
                try parser.expression(minimumPrecedence: op.precedence + 1)
            }
        }
        return lhs
    }

    /// A unary minus or plus binds tighter than every binary operator except `^`: `-2 ^ 2` is -4, as in Prometheus.
    private mutating func unary() throws(ExpressionError) -> Located {
        if current.kind == .minus || current.kind == .plus {
            let sign = advance()
            let operand = try unary()
            guard sign.kind == .minus else { return Located(expr: operand.expr, start: sign.start) }
            guard operand.expr.type != .rangeVector else {
                throw error(at: sign, "unary expression only allowed on expressions of type scalar or instant vector, got range vector")
            }
            if case .number(let value) = operand.expr { return Located(expr: .number(-value), start: sign.start) }
            return Located(expr: .negation(operand.expr), start: sign.start)
        }
        let base = try postfix()
        guard current.kind == .caret else { return base }
        let operatorToken = advance()
        return try binaryTail(.power, lhs: base, operatorToken: operatorToken) { parser throws(ExpressionError) in try parser.unary() }
    }

    /// The modifiers and right operand after a binary operator, then the type checks Prometheus makes.
    private mutating func binaryTail(
        _ op: BinaryOperator, lhs: Located, operatorToken: Token, rhs parseRHS: (inout ExpressionParser) throws(ExpressionError) -> Located
    ) throws(ExpressionError) -> Located {
        var returnsBool = false
        if isKeyword("bool") {
            guard op.isComparison else { throw error(at: current, "bool modifier can only be used on comparison operators") }
            advance()
            returnsBool = true
        }
        var matching: VectorMatching?
        if isKeyword("on") || isKeyword("ignoring") {
            let on = advance().text == "on"
            let labels = try labelList()
            matching = on ? .on(labels) : .ignoring(labels)
        }
        if isKeyword("group_left") || isKeyword("group_right") {
            throw error(at: current, "\(current.text) is not supported: only one-to-one vector matching is")
        }
        let rhs = try nested { parser throws(ExpressionError) in try parseRHS(&parser) }
        for operand in [lhs, rhs] where operand.expr.type == .rangeVector {
            throw error(at: operand.start, "binary expression must contain only scalar and instant vector types")
        }
        let hasScalar = lhs.expr.type == .scalar || rhs.expr.type == .scalar
        if op.isSetOperator && hasScalar {
            throw error(at: operatorToken, "set operator \"\(op.rawValue)\" not allowed in binary scalar expression")
        }
        if op.isComparison && !returnsBool && lhs.expr.type == .scalar && rhs.expr.type == .scalar {
            throw error(at: operatorToken, "comparisons between scalars must use BOOL modifier")
        }
        if matching != nil && hasScalar { throw error(at: operatorToken, "vector matching only allowed between instant vectors") }
        let operation = BinaryOperation(op: op, lhs: lhs.expr, rhs: rhs.expr, returnsBool: returnsBool, matching: matching)
        return Located(expr: .binary(operation), start: lhs.start)
    }

    private mutating func nested<T>(_ body: (inout ExpressionParser) throws(ExpressionError) -> T) throws(ExpressionError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error(at: current, "expression nested too deeply (more than \(Self.maximumDepth) levels)") }
        return try body(&self)
    }

    /// A primary expression with an optional range `[5m]` and `offset`.
    private mutating func postfix() throws(ExpressionError) -> Located {
        var located = try primary()
        if current.kind == .leftBracket {
            guard case .vector(let selector) = located.expr, selector.offset.milliseconds == 0 else {
                throw error(at: current, "ranges only allowed for vector selectors")
            }
            advance()
            let range = try duration(what: "range")
            if current.kind == .identifier && current.text.hasPrefix(":") {
                throw error(at: current, "subqueries are not supported")
            }
            _ = try expect(.rightBracket, "]")
            located.expr = .range(selector, range)
        }
        if isKeyword("offset") {
            let offsetToken = advance()
            let offset = try duration(what: "offset")
            switch located.expr {
            case .vector(var selector) where selector.offset.milliseconds == 0:
                selector.offset = offset
                located.expr = .vector(selector)
            case .range(var selector, let range) where selector.offset.milliseconds == 0:
                selector.offset = offset
                located.expr = .range(selector, range)
            default:
                throw error(at: offsetToken, "offset modifier must be preceded by an instant vector selector or range vector selector")
            }
        }
        return located
    }

    /// A duration such as `5m` or `1h30m` inside brackets or after `offset`; a bare `0` is allowed for offsets only.
    private mutating func duration(what: String) throws(ExpressionError) -> TimeSpan {
        guard current.kind == .duration else { throw unexpected(expected: "a duration such as 5m") }
        let token = advance()
        // The lexer already parsed it, so this cannot fail.
        let span = try! TimeSpan(parsing: token.text)
        guard span.milliseconds > 0 || what == "offset" else { throw error(at: token, "\(what) must be positive, got \(token.text)") }
        // Window arithmetic on millisecond timestamps must not overflow; no health rule looks back further.
        guard span <= Self.longestDuration else { throw error(at: token, "\(what) \(token.text) is longer than 100y") }
        return span
    }

    private mutating func primary() throws(ExpressionError) -> Located {
        let token = current
        switch token.kind {
        case .number, .duration:
            advance()
            return Located(expr: .number(token.number), start: token.start)
        case .leftParen:
            advance()
            let inner = try nested { parser throws(ExpressionError) in try parser.expression(minimumPrecedence: 1) }
            _ = try expect(.rightParen, ")")
            return Located(expr: inner.expr, start: token.start)
        case .leftBrace:
            return Located(expr: .vector(try selector(name: nil)), start: token.start)
        case .string:
            throw error(at: token, "string literals are only allowed as label matcher values")
        case .identifier:
            return Located(expr: try identifierExpression(), start: token.start)
        default:
            throw unexpected()
        }
    }

    private mutating func identifierExpression() throws(ExpressionError) -> Expr {
        let token = current
        if let op = AggregationOperator(rawValue: token.text) { return try aggregation(op) }
        switch token.text.lowercased() {
        case "inf":
            advance()
            return .number(.infinity)
        case "nan":
            advance()
            return .number(.nan)
        default: break
        }
        if peek().kind == .leftParen { return try call() }
        if Self.keywords.contains(token.text) { throw unexpected() }
        advance()
        return .vector(try selector(name: token))
    }

    // MARK: Selectors

    private mutating func selector(name: Token?) throws(ExpressionError) -> VectorSelector {
        var matchers = name.map { [LabelMatcher.metricName($0.text)] } ?? []
        let braceToken = current
        if current.kind == .leftBrace {
            advance()
            while current.kind != .rightBrace {
                guard current.kind == .identifier else { throw unexpected(expected: "a label name") }
                let label = advance()
                guard let kind = Self.matcherKinds[current.kind] else { throw unexpected(expected: "one of '=', '!=', '=~', '!~'") }
                advance()
                guard current.kind == .string else { throw unexpected(expected: "a quoted label value") }
                let value = advance()
                if label.text == "__name__" && name != nil {
                    throw error(at: label, "metric name must not be set twice: '\(name!.text)' or '\(value.text)'")
                }
                do {
                    matchers.append(try LabelMatcher(label.text, kind, value.text))
                } catch {
                    throw self.error(at: value, "invalid regular expression '\(error.pattern)': \(error.reason)")
                }
                guard current.kind == .comma else { break }
                advance()
            }
            _ = try expect(.rightBrace, "}")
        }
        guard matchers.contains(where: { !$0.matches("") }) else {
            throw error(at: name ?? braceToken, "vector selector must contain at least one non-empty matcher")
        }
        return VectorSelector(matchers: matchers)
    }

    private mutating func labelList() throws(ExpressionError) -> [String] {
        _ = try expect(.leftParen, "(")
        var labels: [String] = []
        while current.kind != .rightParen {
            guard current.kind == .identifier else { throw unexpected(expected: "a label name") }
            labels.append(advance().text)
            guard current.kind == .comma else { break }
            advance()
        }
        _ = try expect(.rightParen, ")")
        return labels
    }

    // MARK: Calls and aggregations

    private mutating func arguments() throws(ExpressionError) -> [Located] {
        _ = try expect(.leftParen, "(")
        var arguments: [Located] = []
        while current.kind != .rightParen {
            arguments.append(try nested { parser throws(ExpressionError) in try parser.expression(minimumPrecedence: 1) })
            guard current.kind == .comma else { break }
            advance()
        }
        _ = try expect(.rightParen, ")")
        return arguments
    }

    private mutating func call() throws(ExpressionError) -> Expr {
        let nameToken = advance()
        guard let function = Function(rawValue: nameToken.text) else {
            var message = "'\(nameToken.text)' is not a function"
            if let suggestion = Self.closestFunction(to: nameToken.text) { message += "; did you mean '\(suggestion)'?" }
            throw error(at: nameToken, message)
        }
        let closeBefore = current
        let arguments = try arguments()
        let types = function.argumentTypes
        let minimum = types.count - function.optionalArgumentCount
        guard (minimum...types.count).contains(arguments.count) else {
            let bound = minimum == types.count ? "" : arguments.count < minimum ? "at least " : "at most "
            let expected = arguments.count < minimum ? minimum : types.count
            throw error(
                at: arguments.count > expected ? arguments[expected].start : closeBefore.start,
                "expected \(bound)\(expected) argument(s) in call to \"\(function.name)\", got \(arguments.count)")
        }
        for (argument, type) in zip(arguments, types) where argument.expr.type != type {
            throw error(
                at: argument.start, "expected type \(type.rawValue) in call to function \"\(function.name)\", got \(argument.expr.type.rawValue)")
        }
        return .call(function, arguments.map(\.expr))
    }

    private mutating func aggregation(_ op: AggregationOperator) throws(ExpressionError) -> Expr {
        let opToken = advance()
        var grouping = try groupingClause()
        let openParen = current
        let arguments = try arguments()
        if let suffix = try groupingClause() {
            guard grouping == nil else { throw error(at: opToken, "\(op.rawValue) has a grouping clause both before and after its arguments") }
            grouping = suffix
        }
        let expected = op == .quantile ? 2 : 1
        guard arguments.count == expected else {
            throw error(
                at: arguments.last?.start ?? openParen.start,
                "wrong number of arguments for aggregate expression provided, expected \(expected), got \(arguments.count)")
        }
        let operand = arguments[expected - 1]
        guard operand.expr.type == .instantVector else {
            throw error(at: operand.start, "expected type instant vector in aggregation expression, got \(operand.expr.type.rawValue)")
        }
        var parameter: Expr?
        if expected == 2 {
            guard arguments[0].expr.type == .scalar else {
                throw error(at: arguments[0].start, "expected type scalar in aggregation parameter, got \(arguments[0].expr.type.rawValue)")
            }
            parameter = arguments[0].expr
        }
        return .aggregation(Aggregation(op: op, parameter: parameter, operand: operand.expr, grouping: grouping ?? .by([])))
    }

    private mutating func groupingClause() throws(ExpressionError) -> Grouping? {
        guard isKeyword("by") || isKeyword("without") else { return nil }
        let by = advance().text == "by"
        let labels = try labelList()
        return by ? .by(labels) : .without(labels)
    }

    /// The supported function nearest to a misspelt name, if it is at most two edits away.
    static func closestFunction(to name: String) -> String? {
        let typed = Array(name.utf8)
        var best: (name: String, distance: Int)?
        for candidate in candidateNames where abs(candidate.bytes.count - typed.count) <= 2 {
            let distance = editDistance(typed, candidate.bytes)
            if distance <= 2 && distance < (best?.distance ?? .max) { best = (candidate.name, distance) }
        }
        return best?.name
    }

    private static let candidateNames = (Function.allCases.map(\.name) + AggregationOperator.allCases.map(\.rawValue))
        .map { (name: $0, bytes: Array($0.utf8)) }

    /// Levenshtein distance with a single reused row.
    private static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var row = [Int](repeating: 0, count: b.count + 1)
        for j in row.indices { row[j] = j }
        for i in 0..<a.count {
            var diagonal = row[0]
            row[0] = i + 1
            for j in 0..<b.count {
                let above = row[j + 1]
                row[j + 1] = Swift.min(above + 1, row[j] + 1, diagonal + (a[i] == b[j] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}

extension String {
    fileprivate var trimmingTrailingSpace: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
