import Foundation
import Testing
import VitalsCore
import VitalsRules

/// Inputs built to exhaust the stack, time or memory get a positioned error or a bounded answer, never a crash.
@Suite struct HostileExpressionTests {
    private static func nestingError(_ text: String) throws -> ExpressionError {
        try #require(throws: ExpressionError.self) { try ExpressionParser.parse(text) }
    }

    /// Each sign, parenthesis and call is a level of nesting; the level past the limit is where the error points.
    @Test(arguments: [
        (String(repeating: "-", count: 50_000) + "x", 202),
        (String(repeating: "-", count: 1_000_000) + "1", 202),
        (String(repeating: "+-", count: 30_000) + "x", 202),
        (String(repeating: "(", count: 50_000) + "x" + String(repeating: ")", count: 50_000), 202),
        (String(repeating: "abs(", count: 50_000) + "x" + String(repeating: ")", count: 50_000), 805),
        (String(repeating: "sum(", count: 50_000) + "x" + String(repeating: ")", count: 50_000), 805),
        (String(repeating: "2^", count: 50_000) + "2", 403),
        (String(repeating: "x + (", count: 50_000) + "x" + String(repeating: ")", count: 50_000), 505),
    ])
    func deepNestingIsAPositionedError(text: String, column: Int) throws {
        let error = try Self.nestingError(text)
        #expect(error.message == "expression nested too deeply (more than 200 levels)")
        #expect(error.line == 1)
        #expect(error.column == column)
    }

    /// The deepest expressions the parser accepts are evaluated, compared and walked without exhausting the stack of a
    /// task on the cooperative pool (where alert rounds evaluate).
    @Test func nestingAtTheLimitEvaluatesInATask() async throws {
        let depth = 199
        let querier = InMemorySeriesQuerier([QueriedSeries(labels: ["__name__": "x"], points: [SamplePoint(Timestamp(milliseconds: 0), 2)])])
        let texts = [
            String(repeating: "-", count: depth) + "x",
            String(repeating: "abs(", count: depth) + "x" + String(repeating: ")", count: depth),
            // A parenthesis and an operator's right operand are a level each.
            String(repeating: "(x + ", count: depth / 2) + "x" + String(repeating: ")", count: depth / 2),
            String(repeating: "sum(", count: depth) + "x" + String(repeating: ")", count: depth),
        ]
        for text in texts {
            let result = try await Task {
                let expr = try ExpressionParser.parse(text)
                #expect(expr == (try ExpressionParser.parse(text)))
                return try Evaluator(querier: querier).instant(expr, at: Timestamp(milliseconds: 0))
            }.value
            guard case .vector(let samples) = result else {
                Issue.record("not a vector")
                continue
            }
            #expect(samples.count == 1)
        }
    }

    /// `a + a + …` is one node with a step per operator: the tree does not deepen with the chain, so 100,000 terms parse
    /// and evaluate (the parser used to rescan the chain at every operator, and every walker recursed once per term).
    @Test(arguments: ["x + ", "x or ", "x * 1 + ", "x > bool "])
    func longOperatorChainsStayFlat(separator: String) throws {
        let terms = 100_000
        let text = String(repeating: separator, count: terms - 1) + "x"
        let expr = try ExpressionParser.parse(text)
        guard case .binary(let operation) = expr else {
            Issue.record("not a binary operation")
            return
        }
        #expect(operation.steps.count == terms - 1)
        #expect(operation.steps.allSatisfy { if case .binary = $0.rhs { false } else { true } } || separator == "x * 1 + ")
        let querier = InMemorySeriesQuerier([QueriedSeries(labels: ["__name__": "x"], points: [SamplePoint(Timestamp(milliseconds: 0), 1)])])
        let result = try Evaluator(querier: querier).instant(expr, at: Timestamp(milliseconds: 0))
        guard case .vector(let samples) = result, let value = samples.first?.value else {
            Issue.record("not a vector")
            return
        }
        let expected: [String: Double] = ["x + ": Double(terms), "x or ": 1, "x * 1 + ": Double(terms), "x > bool ": 0]
        #expect(value == expected[separator])
    }

    @Test func deepTemplateParenthesesAreAnError() throws {
        let text = "{{ " + String(repeating: "(", count: 50_000) + "$value" + String(repeating: ")", count: 50_000) + " }}"
        let error = try #require(throws: TemplateError.self) { try AlertTemplate(text) }
        #expect(error.description.contains("nested too deeply"))
    }

    /// `0+1x1000000000` expands to the steps the test reads (promtool expands all of them and runs out of memory).
    @Test func seriesExpansionStopsAtTheLastEvalTime() throws {
        #expect(try SeriesNotation.values("0+1x1000000000", limit: 5) == [0, 1, 2, 3, 4])
        #expect(try SeriesNotation.values("7x1000000000 _x1000000000 1", limit: 3) == [7, 7, 7])
        #expect(try SeriesNotation.values("_x1000000000 1-1x9223372036854775807", limit: 2) == [nil, nil])
        #expect(throws: SeriesNotationError.self) { try SeriesNotation.values("0+1x1000000000 oops", limit: 5) }
        let file = try RuleTestFileLoader.parse(
            """
            rule_files: []
            tests:
              - input_series:
                  - series: up
                    values: '0+1x1000000000'
                promql_expr_test:
                  - expr: up
                    eval_time: 10m
                    exp_samples: [{labels: 'up', value: 10}]
            """, file: "t.yml")
        #expect(file.tests[0].inputSeries[0].points.count == 11)
        #expect(RuleTestRunner.run(file).failures.isEmpty)
    }

    @Test func evaluationStepsAreBounded() throws {
        let error = try #require(throws: RuleFileError.self) {
            try RuleTestFileLoader.parse(
                """
                rule_files: []
                evaluation_interval: 1s
                tests:
                  - input_series: []
                    alert_rule_test:
                      - eval_time: 30d
                        alertname: A
                """, file: "t.yml")
        }
        #expect(error.description.hasPrefix("t.yml:6:9: eval_time 30d needs 2592001 steps of 1s; a test group may take at most 1000000"))
    }
}
