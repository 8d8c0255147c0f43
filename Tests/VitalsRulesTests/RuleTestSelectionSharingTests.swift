import Foundation
import Testing
import VitalsRules
import VitalsTestSupport

/// Rules of one step share selections; a recording rule's output must still be seen by the rules after it in that step,
/// and not by those before it, which selected the same series already.
@Suite struct RuleTestSelectionSharingTests {
    static let rules = """
        groups:
          - name: g
            rules:
              - alert: Before
                expr: doubled > 0
              - record: doubled
                expr: base * 2
              - alert: After
                expr: doubled > 0
                annotations:
                  value: "{{ $value }}"
        """

    /// At 0m only `After` sees `doubled`; at 1m `After` sees the 1m value (6). `before` is what `Before` is expected to give at 0m.
    static func test(before: String) -> String {
        """
        rule_files: [rules.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'base{job="a"}'
                values: '1 3'
            alert_rule_test:
              - eval_time: 0m
                alertname: Before
                exp_alerts: \(before)
              - eval_time: 0m
                alertname: After
                exp_alerts:
                  - exp_labels: {job: a}
                    exp_annotations: {value: "2"}
              - eval_time: 1m
                alertname: After
                exp_alerts:
                  - exp_labels: {job: a}
                    exp_annotations: {value: "6"}
        """
    }

    @Test func recordedSeriesAreSeenByLaterRulesOfTheSameStep() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("rules.yml", Self.rules)
        let path = try folder.write("test.yml", Self.test(before: "[]"))
        let result = RuleTestRunner.run(contentsOf: path)
        #expect(result.passed, "\(RuleTestReport.render(result))")
        if PromtoolDifferentialTests.promtool != nil {
            #expect(try RuleTestPromtoolDifferentialTests.promtoolPasses(path, in: folder.url))
        }
    }

    @Test func aRuleBeforeTheRecordingRuleSeesOnlyEarlierSteps() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("rules.yml", Self.rules)
        let path = try folder.write("test.yml", Self.test(before: "[{exp_labels: {job: a}}]"))
        let result = RuleTestRunner.run(contentsOf: path)
        #expect(!result.passed)
        #expect(result.failures.count == 1)
    }
}
