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
        let located = try parser.expression(minimumPrecedence: 1)
        if parser.current.kind != .end { throw parser.unexpected() }
        if located.expr.type == .string { throw parser.error(at: located.start, "a rule expression must not be a string") }
        return located.expr
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

    /// Keywords are case-insensitive in PromQL: `BY`, `On`, `GROUP_LEFT`.
    private func isKeyword(_ word: String) -> Bool { current.kind == .identifier && current.text.lowercased() == word }

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

    /// Precedence climbing: each run of operators of one precedence level becomes one ``BinaryOperation`` whose steps are
    /// appended in place, so `a + b + … + z` is parsed in linear time and leaves a tree of constant depth.
    private mutating func expression(minimumPrecedence: Int) throws(ExpressionError) -> Located {
        var lhs = try unary()
        while let first = current.binaryOperator, first != .power, first.precedence >= minimumPrecedence {
            let level = first.precedence
            var steps: [BinaryStep] = []
            var type = lhs.expr.type
            while let op = current.binaryOperator, op != .power, op.precedence == level {
                let operatorToken = advance()
                let step = try binaryStep(op, lhsType: type, lhsStart: lhs.start, operatorToken: operatorToken) { parser throws(ExpressionError) in
                    try parser.expression(minimumPrecedence: level + 1)
                }
                type = type == .scalar && step.rhs.type == .scalar ? .scalar : .instantVector
                steps.append(step)
            }
            lhs = Located(expr: .binary(BinaryOperation(lhs: lhs.expr, steps: steps)), start: lhs.start)
        }
        return lhs
    }

    /// A unary minus or plus binds tighter than every binary operator except `^`: `-2 ^ 2` is -4, as in Prometheus.
    /// Each sign is a level of nesting: a chain of signs deeper than ``maximumDepth`` is refused, not recursed into.
    private mutating func unary() throws(ExpressionError) -> Located {
        if current.kind == .minus || current.kind == .plus {
            let sign = advance()
            let operand = try nested { parser throws(ExpressionError) in try parser.unary() }
            guard sign.kind == .minus else { return Located(expr: operand.expr, start: sign.start) }
            guard operand.expr.type == .scalar || operand.expr.type == .instantVector else {
                throw error(
                    at: sign, "unary expression only allowed on expressions of type scalar or instant vector, got \(operand.expr.type.rawValue)")
            }
            if case .number(let value) = operand.expr { return Located(expr: .number(-value), start: sign.start) }
            return Located(expr: .negation(operand.expr), start: sign.start)
        }
        let base = try postfix()
        guard current.kind == .caret else { return base }
        let operatorToken = advance()
        let step = try binaryStep(.power, lhsType: base.expr.type, lhsStart: base.start, operatorToken: operatorToken) {
            parser throws(ExpressionError) in try parser.unary()
        }
        return Located(expr: .binary(BinaryOperation(lhs: base.expr, steps: [step])), start: base.start)
    }

    /// The modifiers and right operand after a binary operator, then the type checks Prometheus makes.
    private mutating func binaryStep(
        _ op: BinaryOperator, lhsType: ValueType, lhsStart: Int, operatorToken: Token,
        rhs parseRHS: (inout ExpressionParser) throws(ExpressionError) -> Located
    ) throws(ExpressionError) -> BinaryStep {
        var returnsBool = false
        if isKeyword("bool") {
            guard op.isComparison else { throw error(at: current, "bool modifier can only be used on comparison operators") }
            advance()
            returnsBool = true
        }
        var matching: VectorMatching?
        var cardinality = MatchCardinality.oneToOne
        if isKeyword("on") || isKeyword("ignoring") {
            let on = advance().text.lowercased() == "on"
            let labels = try labelList()
            matching = on ? .on(labels) : .ignoring(labels)
            if isKeyword("group_left") || isKeyword("group_right") {
                let groupToken = advance()
                guard !op.isSetOperator else { throw error(at: groupToken, "no grouping allowed for \"\(op.rawValue)\" operation") }
                let include = current.kind == .leftParen ? try labelList() : []
                if case .on(let names) = matching, let both = include.first(where: names.contains) {
                    throw error(at: groupToken, "label \"\(both)\" must not occur in ON and GROUP clause at once")
                }
                cardinality = groupToken.text.lowercased() == "group_left" ? .manyToOne(include) : .oneToMany(include)
            }
        }
        let rhs = try nested { parser throws(ExpressionError) in try parseRHS(&parser) }
        for (type, start) in [(lhsType, lhsStart), (rhs.expr.type, rhs.start)] where type != .scalar && type != .instantVector {
            throw error(at: start, "binary expression must contain only scalar and instant vector types")
        }
        let hasScalar = lhsType == .scalar || rhs.expr.type == .scalar
        if op.isSetOperator && hasScalar {
            throw error(at: operatorToken, "set operator \"\(op.rawValue)\" not allowed in binary scalar expression")
        }
        if op.isComparison && !returnsBool && lhsType == .scalar && rhs.expr.type == .scalar {
            throw error(at: operatorToken, "comparisons between scalars must use BOOL modifier")
        }
        if matching != nil && hasScalar { throw error(at: operatorToken, "vector matching only allowed between instant vectors") }
        return BinaryStep(op: op, rhs: rhs.expr, returnsBool: returnsBool, matching: matching, cardinality: cardinality)
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
            advance()
            return Located(expr: .string(token.text), start: token.start)
        case .identifier:
            return Located(expr: try identifierExpression(), start: token.start)
        default:
            throw unexpected()
        }
    }

    private mutating func identifierExpression() throws(ExpressionError) -> Expr {
        let token = current
        if let op = AggregationOperator(rawValue: token.text.lowercased()) { return try aggregation(op) }
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
        if Self.keywords.contains(token.text.lowercased()) { throw unexpected() }
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
                    throw self.error(
                        at: sourceOffset(ofByte: error.offset, inStringAt: value.start),
                        "invalid regular expression '\(error.pattern)': \(error.reason)")
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

    /// Where the byte `offset` of a string literal's value was written: the lexer removed the quotes and some escapes, so
    /// the literal starting at `start` is read again.
    private func sourceOffset(ofByte offset: Int, inStringAt start: Int) -> Int {
        let quote = source[start]
        var position = start + 1
        var produced = 0
        while produced < offset, position < source.count, source[position] != quote {
            if source[position] == UInt8(ascii: "\\"), quote != UInt8(ascii: "`"), position + 1 < source.count {
                let escaped = source[position + 1]
                let removesBackslash = "ntr\\\"'".utf8.contains(escaped)
                produced += removesBackslash ? 1 : 2
                position += 2
            } else {
                produced += 1
                position += 1
            }
        }
        return position
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
        let maximum = function.isVariadic ? Int.max : types.count
        guard (minimum...maximum).contains(arguments.count) else {
            let bound = minimum == maximum ? "" : arguments.count < minimum ? "at least " : "at most "
            let expected = arguments.count < minimum ? minimum : maximum
            throw error(
                at: arguments.count > expected ? arguments[expected].start : closeBefore.start,
                "expected \(bound)\(expected) argument(s) in call to \"\(function.name)\", got \(arguments.count)")
        }
        for (index, argument) in arguments.enumerated() {
            let type = types[Swift.min(index, types.count - 1)]
            guard argument.expr.type != type else { continue }
            throw error(
                at: argument.start, "expected type \(type.rawValue) in call to function \"\(function.name)\", got \(argument.expr.type.rawValue)")
        }
        try checkLabelArguments(function, arguments)
        return .call(function, arguments.map(\.expr))
    }

    /// `label_replace` and `label_join` take label names and a regular expression as strings; Prometheus checks them when
    /// the query runs, vitals when the rule loads.
    private func checkLabelArguments(_ function: Function, _ arguments: [Located]) throws(ExpressionError) {
        let labelArguments: [Int]
        switch function {
        case .labelReplace:
            labelArguments = [1, 3]
            guard case .string(let pattern) = arguments[4].expr else { return }
            do {
                _ = try LabelRegex(pattern)
            } catch {
                throw self.error(
                    at: sourceOffset(ofByte: error.offset, inStringAt: arguments[4].start),
                    "invalid regular expression in label_replace(): \(error.message)")
            }
        case .labelJoin: labelArguments = Array(1..<arguments.count).filter { $0 != 2 }
        default: return
        }
        for index in labelArguments {
            guard case .string(let name) = arguments[index].expr, !Labels.isValidName(name) else { continue }
            let role = index == 1 ? "destination" : "source"
            throw error(at: arguments[index].start, "invalid \(role) label name in \(function.name)(): \(name)")
        }
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
        let expected = op.parameterType == nil ? 1 : 2
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
        if let parameterType = op.parameterType {
            guard arguments[0].expr.type == parameterType else {
                throw error(
                    at: arguments[0].start, "expected type \(parameterType.rawValue) in aggregation parameter, got \(arguments[0].expr.type.rawValue)"
                )
            }
            if case .string(let label) = arguments[0].expr, !Labels.isValidName(label) {
                throw error(at: arguments[0].start, "invalid label name \"\(label)\" in count_values")
            }
            parameter = arguments[0].expr
        }
        return .aggregation(Aggregation(op: op, parameter: parameter, operand: operand.expr, grouping: grouping ?? .by([])))
    }

    private mutating func groupingClause() throws(ExpressionError) -> Grouping? {
        guard isKeyword("by") || isKeyword("without") else { return nil }
        let by = advance().text.lowercased() == "by"
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
