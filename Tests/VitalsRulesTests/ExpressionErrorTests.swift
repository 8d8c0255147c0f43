import Testing
import VitalsRules

@Suite struct ExpressionErrorTests {
    @Test(arguments: [
        ("rate(errors[5m]))", 1, 17, "unexpected ')' after 'rate(errors[5m])'"),
        ("rate(errors[5m]", 1, 16, "unexpected end of input after 'rate(errors[5m]'; expected ')'"),
        ("rat(errors[5m])", 1, 1, "'rat' is not a function; did you mean 'rate'?"),
        ("frobnicate(x)", 1, 1, "'frobnicate' is not a function"),
        ("rate(errors)", 1, 6, "expected type range vector in call to function \"rate\", got instant vector"),
        ("abs(x[5m])", 1, 5, "expected type instant vector in call to function \"abs\", got range vector"),
        ("rate(a[5m], b[5m])", 1, 13, "expected 1 argument(s) in call to \"rate\", got 2"),
        ("round()", 1, 6, "expected at least 1 argument(s) in call to \"round\", got 0"),
        ("1 > 2", 1, 3, "comparisons between scalars must use BOOL modifier"),
        ("x + bool 1", 1, 5, "bool modifier can only be used on comparison operators"),
        ("x and 1", 1, 3, "set operator \"and\" not allowed in binary scalar expression"),
        ("x[5m] + 1", 1, 1, "binary expression must contain only scalar and instant vector types"),
        ("sum(x[5m])", 1, 5, "expected type instant vector in aggregation expression, got range vector"),
        ("quantile(x)", 1, 10, "wrong number of arguments for aggregate expression provided, expected 2, got 1"),
        ("{job=\"\"}", 1, 1, "vector selector must contain at least one non-empty matcher"),
        // Regex errors point into the pattern, at the construct RE2 refuses.
        ("x{a=~\"(\"}", 1, 7, "invalid regular expression '(': missing closing ): `(`"),
        ("x{a=~\"a\\\\1\"}", 1, 8, #"invalid regular expression 'a\1': invalid escape sequence: `\1`"#),
        ("x{a=~`ab(?=c)`}", 1, 9, "invalid regular expression 'ab(?=c)': invalid or unsupported Perl syntax: `(?=`"),
        ("label_replace(x, \"a\", \"$1\", \"b\", \"(.*)\\\\Z\")", 1, 39, "invalid regular expression in label_replace(): invalid escape"),
        ("label_join(x, \"1a\", \",\", \"b\")", 1, 15, "invalid destination label name in label_join(): 1a"),
        ("a and on(x) group_left b", 1, 13, "no grouping allowed for \"and\" operation"),
        ("x{a=\"b}", 1, 5, "unterminated quoted string"),
        ("x[5]", 1, 3, "unexpected '5' after 'x['; expected a duration such as 5m"),
        ("x[5x]", 1, 3, "bad number or duration '5x': unknown unit 'x'; accepted units: ms, s, m, h, d, w, y"),
        ("(1 + 2) offset 5m", 1, 9, "offset modifier must be preceded by an instant vector selector or range vector selector"),
        ("a /\n  on(x) group_left(x) b", 2, 9, "label \"x\" must not occur in ON and GROUP clause at once"),
        ("x offset 101y", 1, 10, "offset 101y is longer than 100y"),
        ("x &", 1, 3, "unexpected character '&'"),
        ("", 1, 1, "empty expression"),
        ("sum by (a) (x) by (b)", 1, 1, "sum has a grouping clause both before and after its arguments"),
    ])
    func errorMessagesAndPositions(text: String, line: Int, column: Int, message: String) {
        #expect {
            try ExpressionParser.parse(text)
        } throws: { error in
            guard let error = error as? ExpressionError else { return false }
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.message.hasPrefix(message), "got \(error.message)")
            return true
        }
    }

    @Test func caretPointsAtTheColumnOfTheOffendingLine() throws {
        let source = "sum(rate(errors[5m]))\n  > bool\t1 +"
        let error = try #require(throws: ExpressionError.self) { try ExpressionParser.parse(source) }
        #expect(error.description == "2:13: unexpected end of input after 'sum(rate(errors[5m]))\n  > bool\t1 +'")
        #expect(error.offset == source.utf8.count)
        #expect(error.caretLine(in: source) == "  > bool\t1 +\n        \t   ^")
    }

    @Test func columnsCountCharactersButOffsetsCountBytes() throws {
        let source = "x{a=\"é\"} +"
        let error = try #require(throws: ExpressionError.self) { try ExpressionParser.parse(source) }
        #expect(error.column == 11)
        #expect(error.offset == 11)
    }
}
