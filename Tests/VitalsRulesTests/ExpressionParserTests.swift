import Testing
import VitalsCore
import VitalsRules

@Suite struct ExpressionParserTests {
    private func selector(_ name: String, _ matchers: [LabelMatcher] = [], offset: TimeSpan = .seconds(0)) -> VectorSelector {
        VectorSelector(matchers: [.metricName(name)] + matchers, offset: offset)
    }

    private func binary(_ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, bool: Bool = false, matching: VectorMatching? = nil) -> Expr {
        .binary(BinaryOperation(op: op, lhs: lhs, rhs: rhs, returnsBool: bool, matching: matching))
    }

    @Test(arguments: [
        ("5%", 0.05), ("30s", 30), ("5m", 300), ("2h", 7200), ("7d", 604_800), ("1h30m", 5400), ("250ms", 0.25), ("1e3", 1000),
        ("2.5", 2.5), (".5", 0.5), ("-3", -3), ("Inf", Double.infinity), ("-inf", -Double.infinity), ("12.5%", 0.125),
    ])
    func numberLiterals(text: String, value: Double) throws {
        #expect(try ExpressionParser.parse(text) == .number(value))
    }

    @Test func selectorsWithAllMatcherKindsAndOffset() throws {
        let expr = try ExpressionParser.parse(#"errors_total{level="fatal", repo!="x", team=~"a|b", env!~'dev.*'} offset 7d"#)
        let expected = selector(
            "errors_total",
            [
                try LabelMatcher("level", .equal, "fatal"), try LabelMatcher("repo", .notEqual, "x"),
                try LabelMatcher("team", .matchesRegex, "a|b"), try LabelMatcher("env", .notMatchesRegex, "dev.*"),
            ], offset: .days(7))
        #expect(expr == .vector(expected))
        #expect(expr.type == .instantVector)
    }

    @Test func rangeSelectorInRateWithOffset() throws {
        let expr = try ExpressionParser.parse("rate(errors[10m] offset 1h)")
        #expect(expr == .call(.rate, [.range(selector("errors", offset: .hours(1)), .minutes(10))]))
        #expect(expr.type == .instantVector)
    }

    @Test func durationInNumberPositionIsSeconds() throws {
        #expect(
            try ExpressionParser.parse("time() - last_seen > 2h")
                == binary(.greater, binary(.subtract, .call(.time, []), .vector(selector("last_seen"))), .number(7200)))
    }

    @Test(arguments: [
        ("1 + 2 * 3", "(1 + (2 * 3))"), ("1 * 2 + 3", "((1 * 2) + 3)"), ("2 ^ 3 ^ 2", "(2 ^ (3 ^ 2))"), ("-2 ^ 2", "-((2 ^ 2))"),
        ("1 - 2 - 3", "((1 - 2) - 3)"), ("a or b and c", "(a or (b and c))"), ("a and b unless c", "((a and b) unless c)"),
        ("a + b > bool 1 * c", "((a + b) > bool (1 * c))"), ("2 ^ -1", "(2 ^ -1)"), ("-a * b", "(-(a) * b)"), ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("7 % 2", "(7 % 2)"), ("7%2", "(7 % 2)"), ("5% * 2", "(0.05 * 2)"), ("a / on(repo) b", "(a / on(repo) b)"),
    ])
    func precedence(text: String, expected: String) throws {
        #expect(Rendered(try ExpressionParser.parse(text)).text == expected)
    }

    @Test func aggregationsWithPrefixAndSuffixGrouping() throws {
        let operand = Expr.vector(selector("x"))
        #expect(
            try ExpressionParser.parse("sum by (repo, team) (x)")
                == .aggregation(Aggregation(op: .sum, operand: operand, grouping: .by(["repo", "team"]))))
        #expect(
            try ExpressionParser.parse("sum(x) without (level)")
                == .aggregation(Aggregation(op: .sum, operand: operand, grouping: .without(["level"]))))
        #expect(try ExpressionParser.parse("count(x)") == .aggregation(Aggregation(op: .count, operand: operand, grouping: .by([]))))
        #expect(
            try ExpressionParser.parse("quantile(0.9, x) by (repo)")
                == .aggregation(Aggregation(op: .quantile, parameter: .number(0.9), operand: operand, grouping: .by(["repo"]))))
    }

    @Test func matchingModifiers() throws {
        #expect(
            try ExpressionParser.parse("a == bool ignoring(level) b")
                == binary(.equal, .vector(selector("a")), .vector(selector("b")), bool: true, matching: .ignoring(["level"])))
    }

    @Test func braceOnlySelectorAndComments() throws {
        #expect(
            try ExpressionParser.parse("{__name__=~\"up|down\"} # comment")
                == .vector(VectorSelector(matchers: [try LabelMatcher("__name__", .matchesRegex, "up|down")])))
    }

    @Test func functionTypes() throws {
        #expect(try ExpressionParser.parse("scalar(x)").type == .scalar)
        #expect(try ExpressionParser.parse("x[5m]").type == .rangeVector)
        #expect(try ExpressionParser.parse("round(x, 0.5)") == .call(.round, [.vector(selector("x")), .number(0.5)]))
        #expect(try ExpressionParser.parse("vector(1) + 1").type == .instantVector)
    }
}

/// A fully parenthesised rendering of an expression, so precedence tests read as the grouping they expect.
private struct Rendered {
    let text: String

    init(_ expr: Expr) {
        switch expr {
        case .number(let value): text = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .vector(let selector): text = selector.matchers.first?.value ?? "?"
        case .range(let selector, let range): text = "\(selector.matchers.first?.value ?? "?")[\(range)]"
        case .call(let function, let arguments): text = "\(function.name)(\(arguments.map { Rendered($0).text }.joined(separator: ", ")))"
        case .aggregation(let aggregation): text = "\(aggregation.op.rawValue)(\(Rendered(aggregation.operand).text))"
        case .negation(let operand): text = "-(\(Rendered(operand).text))"
        case .string(let value): text = "\"\(value)\""
        case .binary(let operation):
            // A run of steps renders as the left-nested grouping it means.
            var rendered = Rendered(operation.lhs).text
            for step in operation.steps {
                var modifiers = step.returnsBool ? " bool" : ""
                switch step.matching {
                case .on(let labels): modifiers += " on(\(labels.joined(separator: ",")))"
                case .ignoring(let labels): modifiers += " ignoring(\(labels.joined(separator: ",")))"
                case nil: break
                }
                switch step.cardinality {
                case .manyToOne(let labels): modifiers += " group_left(\(labels.joined(separator: ",")))"
                case .oneToMany(let labels): modifiers += " group_right(\(labels.joined(separator: ",")))"
                case .oneToOne: break
                }
                rendered = "(\(rendered) \(step.op.rawValue)\(modifiers) \(Rendered(step.rhs).text))"
            }
            text = rendered
        }
    }
}
