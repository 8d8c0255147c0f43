import Foundation
import Testing
import VitalsTestSupport

@Suite struct RulesCommandTests {
    /// The repository root, where the shipped `rules/` folder lives.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func shippedRulesPassCheckAndTheirUnitTests() throws {
        let check = try VitalsProcess.run(["rules", "check"], in: Self.repository)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout == "4 files, 5 rules: ok\n")
        let tests = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("rules/tests").path)
            .filter { $0.hasSuffix(".yml") }.sorted().map { "rules/tests/\($0)" }
        #expect(tests.count == 4)
        let run = try VitalsProcess.run(["rules", "test"] + tests, in: Self.repository)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout == tests.map { "Unit Testing:  \($0)\n  SUCCESS\n\n" }.joined())
    }

    @Test func aVeryLongLineIsCutAroundTheCaret() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        _ = try folder.write("rules/deep.yml", "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: \(String(repeating: "-", count: 50_000))1\n")
        let result = try VitalsProcess.run(["rules", "check"], in: folder.url)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "rules/deep.yml:5:216: error: expression nested too deeply (more than 200 levels)")
        #expect(lines[1] == "…" + String(repeating: "-", count: 160) + "…")
        #expect(lines[2] == String(repeating: " ", count: 81) + "^")
    }

    @Test func checkPointsAtEachProblemWithACaret() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        _ = try folder.write(
            "rules/bad.yml",
            """
            groups:
              - name: g
                rules:
                  - alert: A
                    expr: rate(errors[5m]))
                    for: 30s
            """)
        let result = try VitalsProcess.run(["rules", "check"], in: folder.url)
        #expect(result.status == 1)
        #expect(
            result.stdout == """
                rules/bad.yml:5:31: error: unexpected ')' after 'rate(errors[5m])'
                        expr: rate(errors[5m]))
                                              ^
                rules/bad.yml:6:9: error: 'for: 30s' of 'A' is shorter than the group interval 1m; use 0s or at least 1m
                        for: 30s
                        ^
                1 file, 1 rule: 2 errors

                """)
    }

    @Test func checkReportsNotifyChannelsTheConfigurationDoesNotDefine() throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        _ = try folder.write("vitals.yml", "channels:\n  slack-ops: {type: slack, webhook_url_env: SLACK_OPS_WEBHOOK_URL}\n")
        _ = try folder.write(
            "rules/api.yml",
            """
            groups:
              - name: api
                rules:
                  - alert: HighErrorRate
                    expr: error_ratio > 5%
                    notify: [slack-ops, pager]
            """)
        let result = try VitalsProcess.run(["rules", "check"], in: folder.url)
        #expect(result.status == 1)
        #expect(
            result.stdout == """
                rules/api.yml:6:9: error: 'HighErrorRate' notifies 'pager', which is not a channel; defined channels: slack-ops
                        notify: [slack-ops, pager]
                        ^
                1 file, 1 rule: 1 error

                """)
    }

    @Test func failingTestNamesTheTestTimeAndAlerts() throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("rules.yml", "groups:\n  - name: g\n    rules:\n      - alert: Up\n        expr: up > 0\n        for: 2m\n")
        _ = try folder.write(
            "test.yml",
            """
            rule_files: [rules.yml]
            tests:
              - name: fires after two minutes
                interval: 1m
                input_series:
                  - series: 'up{job="ci"}'
                    values: '1x5'
                alert_rule_test:
                  - eval_time: 1m
                    alertname: Up
                    exp_alerts:
                      - exp_labels: {job: ci}
                  - eval_time: 2m
                    alertname: Up
                    exp_alerts:
                      - exp_labels: {job: ci}
                promql_expr_test:
                  - expr: up
                    eval_time: 3m
                    exp_samples:
                      - labels: 'up{job="ci"}'
                        value: 2
            """)
        let result = try VitalsProcess.run(["rules", "test", "test.yml"], in: folder.url)
        #expect(result.status == 1)
        #expect(
            result.stdout == """
                Unit Testing:  test.yml
                  FAILED:
                    test 1, name: fires after two minutes,
                    alertname: Up, time: 1m, 
                        exp:[
                            0:
                              Labels:{alertname="Up", job="ci"}
                              Annotations:{}
                            ], 
                        got:[]

                    test 1, name: fires after two minutes,
                    expr: "up", time: 3m,
                        exp: {__name__="up", job="ci"} 2E+00
                        got: {__name__="up", job="ci"} 1E+00


                """)
    }

    @Test func testWithoutFilesIsAUsageError() throws {
        let folder = try TemporaryFolder()
        let result = try VitalsProcess.run(["rules", "test"], in: folder.url)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Missing expected argument '<file> ...'"))
    }
}
