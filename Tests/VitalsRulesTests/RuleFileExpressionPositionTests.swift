import Testing
import VitalsRules

/// An expression parser reports an offset into the expression text; these map it back to the rule file.
@Suite struct RuleFileExpressionPositionTests {
    static func expression(_ exprLines: String) throws -> RuleExpression {
        let text = """
            groups:
              - name: api
                rules:
                  - alert: HighErrorRate
            \(exprLines)
            """
        return try RuleFileLoader.parse(text, file: "rules.yml").groups[0].rules[0].expr
    }

    @Test(arguments: [
        // (rule-file lines for expr, the character looked up, expected line:column)
        ("        expr: rate(errors[5m]) > 0.05", ">", "5:32"),
        ("        expr: \"rate(errors[5m]) > 0.05\"", ">", "5:33"),
        ("        expr: 'rate(errors{job=''api''}[5m]) > 0.05'", ">", "5:46"),
        ("        expr: \"rate(errors{job=\\\"api\\\"}[5m]) > 0.05\"", ">", "5:46"),
        ("        expr: |\n          sum(rate(errors[5m]))\n            / sum(rate(requests[5m])) > 0.05", "/", "7:13"),
        ("        expr: |\n          sum(rate(errors[5m]))\n            / sum(rate(requests[5m])) > 0.05", ">", "7:39"),
        ("        expr: >-\n          sum(rate(errors[5m]))\n          / sum(rate(requests[5m]))", "/", "7:11"),
        ("        expr: sum(rate(errors[5m]))\n          / sum(rate(requests[5m]))", "/", "6:11"),
    ])
    func offsetMapsToFilePosition(lines: String, character: Character, expected: String) throws {
        let expression = try Self.expression(lines)
        let offset = try #require(expression.text.firstIndex(of: character).map { expression.text.distance(from: expression.text.startIndex, to: $0) })
        let position = expression.position(atOffset: offset)
        #expect("\(position.line):\(position.column)" == expected)
    }

    @Test func startIsTheFirstCharacterAfterQuoteOrBlockHeader() throws {
        #expect(try Self.expression("        expr: \"up == 0\"").position == SourcePosition(file: "rules.yml", line: 5, column: 16))
        #expect(try Self.expression("        expr: |\n          up == 0").position == SourcePosition(file: "rules.yml", line: 6, column: 11))
    }

    @Test func offsetPastTheEndPointsJustAfterTheLastCharacter() throws {
        let expression = try Self.expression("        expr: rate(errors[5m]")
        #expect(expression.error(atOffset: 99, "unclosed '('").description == "rules.yml:5:30: unclosed '('")
    }
}
