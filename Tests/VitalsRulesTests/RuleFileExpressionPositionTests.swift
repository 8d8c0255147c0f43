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
        let index = try #require(expression.text.firstIndex(of: character))
        let position = expression.position(atUTF8Offset: expression.text.utf8.distance(from: expression.text.startIndex, to: index))
        #expect("\(position.line):\(position.column)" == expected)
    }

    @Test func startIsTheFirstCharacterAfterQuoteOrBlockHeader() throws {
        #expect(try Self.expression("        expr: \"up == 0\"").position == SourcePosition(file: "rules.yml", line: 5, column: 16))
        #expect(try Self.expression("        expr: |\n          up == 0").position == SourcePosition(file: "rules.yml", line: 6, column: 11))
    }

    @Test(arguments: [
        ("        expr: rate(errors[5m]", "rules.yml:5:30: unexpected end of input after 'rate(errors[5m]'; expected ')'"),
        // UTF-8 offsets from the parser become columns in characters: 'ü' is two bytes, one column.
        ("        expr: x{city=\"Zürich\"} > )", "rules.yml:5:34: unexpected ')' after 'x{city=\"Zürich\"} >'"),
        (
            "        expr: |\n          sum(rate(errors[5m]))\n            / rat(requests[5m])",
            "rules.yml:7:15: 'rat' is not a function; did you mean 'rate'?"
        ),
        ("        expr: \"  rate(errors)\"", "rules.yml:5:23: expected type range vector in call to function \"rate\", got instant vector"),
    ])
    func parseErrorsPointIntoTheFile(lines: String, expected: String) throws {
        let expression = try Self.expression(lines)
        #expect {
            _ = try expression.parse()
        } throws: { error in
            (error as? RuleFileError)?.description == expected
        }
    }

    @Test func parsesToTheSyntaxTree() throws {
        #expect(try Self.expression("        expr: up == 0").parse() == ExpressionParser.parse("up == 0"))
    }
}
