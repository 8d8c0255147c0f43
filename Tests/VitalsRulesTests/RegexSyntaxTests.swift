import Foundation
import Testing
import VitalsCore
import VitalsRules
import VitalsTestSupport

/// Label regexes are RE2's (Go's `regexp`), fully anchored, as Prometheus 2.42 compiles them (`^(?:re)$`, no `(?s)`):
/// the same patterns are accepted, and the accepted ones match the same values, which promtool checks when installed.
@Suite struct RegexSyntaxTests {
    /// Patterns RE2 accepts, some of which ICU would read differently without translation (`\d` and POSIX classes are
    /// ASCII-only, `.` does not match a newline, `$` only matches at the very end, `{,3}` is literal, `(?U)` swaps greed).
    static let accepted = [
        #"\d+"#, #"[[:alpha:]]+"#, #"[[:^digit:]x]+"#, #"\pL+"#, #"\p{Greek}+"#, #"\PL"#, #"(?i)abc"#, #"a.c"#, #"(?s)a.c"#, #"[^a]"#,
        #"\w+"#, #"\s"#, #"\S+"#, #"a{2,3}"#, #"a{,3}"#, #"(?P<n>x)y"#, #"x*?y"#, #"(?U)a+"#, #"\x41"#, #"\x{263a}"#, #"\Qa.b\E"#,
        #"[a-c\d]+"#, #"\babc\b"#, #"(?m)^abc$"#, #"abc$"#, #"a|b|"#, #"\."#, #"[\]]"#, #"\101"#, #"é"#, #"(?i)k"#, #".*"#,
        #"(?i:A)bc"#, #"[[:word:]]+"#, #"\A\z"#, #"(a|ab)(c|bcd)"#, #"^abc"#, "", #"\pN+"#, #"[\p{Greek}\d]+"#, #"(?-s:.)"#, #"(?)x"#,
    ]

    /// Patterns RE2 refuses, with where the error points (a UTF-8 offset into the pattern) and what it says.
    static let refused: [(pattern: String, offset: Int, message: String)] = [
        (#"(a)\1"#, 3, #"invalid escape sequence: `\1`"#), (#"(?=a)"#, 0, "invalid or unsupported Perl syntax: `(?=`"),
        (#"(?!a)"#, 0, "invalid or unsupported Perl syntax"), (#"x(?<=a)b"#, 1, "invalid or unsupported Perl syntax: `(?<`"),
        (#"(?<!a)b"#, 0, "invalid or unsupported Perl syntax"), (#"a*+"#, 2, "invalid nested repetition operator"),
        (#"a++"#, 2, "invalid nested repetition operator"), (#"(?>a)"#, 0, "invalid or unsupported Perl syntax"),
        (#"abc\Z"#, 3, #"invalid escape sequence: `\Z`"#), (#"a**"#, 2, "invalid nested repetition operator"),
        (#"(?<n>x)"#, 0, "invalid or unsupported Perl syntax"), (#"\C"#, 0, "invalid escape sequence"),
        (#"a{1001}"#, 1, "invalid repeat count"), (#"[z-a]"#, 1, "invalid character class range: `z-a`"),
        ("(", 0, "missing closing )"), ("a)", 1, "unexpected )"), ("[a", 0, "missing closing ]"),
        ("*a", 0, "missing argument to repetition operator"),
        (#"\G"#, 0, "invalid escape sequence"), (#"(?#c)"#, 0, "invalid or unsupported Perl syntax"),
        (#"(?x)a"#, 0, "invalid or unsupported Perl syntax"),
        (#"\h"#, 0, "invalid escape sequence"), (#"\u0041"#, 0, "invalid escape sequence"), (#"[[:foo:]]"#, 1, "invalid character class range"),
        (#"\p{Foo}"#, 0, "invalid character class range"), (#"(?P=n)"#, 0, "invalid or unsupported Perl syntax"), (#"é\1"#, 2, "invalid escape"),
        (#"(?i-)a"#, 0, "invalid or unsupported Perl syntax"),
    ]

    static let values = [
        "", "a", "abc", "ABC", "a\nc", "abc\n", "123", "١٢٣", "é", "αβγ", "aa", "aaa", "a{,3}", "x", "xy", "A", "☺", "a.b", "ab", " ", "\t",
        "k", "K", "\u{212A}", "abcd", "_a1", "a-b", "]", "A1", "ac", "abcbcd",
    ]

    @Test(arguments: accepted)
    func acceptedPatternsCompile(pattern: String) throws {
        _ = try LabelMatcher("v", .matchesRegex, pattern)
    }

    @Test(arguments: refused.map { [$0.pattern, String($0.offset), $0.message] })
    func refusedPatternsArePositionedErrors(row: [String]) throws {
        let error = try #require(throws: LabelMatcherError.self) { try LabelMatcher("v", .matchesRegex, row[0]) }
        #expect(error.offset == Int(row[1]))
        #expect(error.reason.hasPrefix(row[2]), "got \(error.reason)")
    }

    /// Values matched, against what an RE2 reading says, for the cases where ICU's own reading would differ.
    @Test(
        arguments: [
            (#"\d+"#, "123", true), (#"\d+"#, "١٢٣", false), (#"a.c"#, "a\nc", false), (#"(?s)a.c"#, "a\nc", true), (#"abc$"#, "abc\n", false),
            (#"a{,3}"#, "a{,3}", true), (#"[[:alpha:]]+"#, "αβγ", false), (#"\pL+"#, "αβγ", true), (#"\w+"#, "é", false),
            (#"(?i)k"#, "\u{212A}", true),
            (#"(?m)^abc$"#, "abc", true), ("", "", true), ("", "a", false), (#"a|b|"#, "", true), (#"(?U)a+"#, "aaa", true),
        ] as [(String, String, Bool)])
    func matchesAsRE2(pattern: String, value: String, matches: Bool) throws {
        #expect(try LabelMatcher("v", .matchesRegex, pattern).matches(value) == matches)
    }

    /// promtool's verdict on each pattern (accepted or refused in a rule file) is vitals' verdict.
    @Test(.enabled(if: PromtoolDifferentialTests.promtool != nil, "promtool is not installed"))
    func promtoolAgreesOnWhatCompiles() throws {
        let folder = try TemporaryFolder()
        let patterns = Self.accepted.map { ($0, true) } + Self.refused.map { ($0.pattern, false) }
        for (index, (pattern, accepted)) in patterns.enumerated() {
            let rule =
                "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: 'up{v=~`\(pattern.replacingOccurrences(of: "'", with: "''"))`}'\n"
            let path = try folder.write("r\(index).yml", rule)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: PromtoolDifferentialTests.promtool!)
            process.arguments = ["check", "rules", "--lint=none", path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect((process.terminationStatus == 0) == accepted, "promtool on \(pattern)")
        }
    }

    /// promtool selects the same series as vitals for every accepted pattern over the value table.
    @Test(.enabled(if: PromtoolDifferentialTests.promtool != nil, "promtool is not installed"))
    func promtoolMatchesTheSameValues() throws {
        let series = Self.values.enumerated().map { index, value in
            QueriedSeries(labels: ["__name__": "x", "i": "\(index)", "v": value], points: [SamplePoint(Timestamp(milliseconds: 0), 1)])
        }
        let evaluator = Evaluator(querier: InMemorySeriesQuerier(series))
        var yaml = "rule_files: []\ntests:\n  - interval: 1m\n    input_series:\n"
        for (index, value) in Self.values.enumerated() {
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t")
            yaml += "      - series: 'x{i=\"\(index)\",v=\"\(escaped)\"}'\n        values: '1'\n"
        }
        yaml += "    promql_expr_test:\n"
        // `i=~".+"` keeps the selector valid for patterns that match the empty value.
        for pattern in Self.accepted {
            let expr = "count by (i) (x{i=~\".+\",v=~`\(pattern)`})"
            guard case .vector(let samples) = try evaluator.instant(try ExpressionParser.parse(expr), at: Timestamp(milliseconds: 0)) else {
                Issue.record("not a vector")
                continue
            }
            yaml += "      - expr: '\(expr.replacingOccurrences(of: "'", with: "''"))'\n        eval_time: 0m\n"
            yaml += samples.isEmpty ? "        exp_samples: []\n" : "        exp_samples:\n"
            for sample in samples { yaml += "          - labels: '{i=\"\(sample.labels["i"] ?? "")\"}'\n            value: 1\n" }
        }
        let folder = try TemporaryFolder()
        let path = try folder.write("regex_test.yml", yaml)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PromtoolDifferentialTests.promtool!)
        process.arguments = ["test", "rules", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool disagrees:\n\(text)")
    }
}
