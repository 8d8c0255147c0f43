import Testing
import VitalsRules

/// Expected strings are what Prometheus 2.42 (`promtool test rules`) rendered for the same templates and values.
@Suite struct RuleTestTemplateTests {
    static let template = "{{ $value }}|{{ humanize $value }}|{{ humanizePercentage $value }}|{{ humanizeDuration $value }}|"
        + "{{ $value | printf \"%.2f\" }}|{{ $labels.nope }}|{{ .Labels.job }}"

    @Test(arguments: [
        (1_234_567, "1.234567e+06|1.235M|1.235e+08%|14d 6h 56m 7s|1234567.00||x"),
        (123_456, "123456|123.5k|1.235e+07%|1d 10h 17m 36s|123456.00||x"),
        (0.000_012_34, "1.234e-05|12.34u|0.001234%|12.34us|0.00||x"),
        (1e21, "1e+21|1Z|1e+23%|-106751991167300d -15h -30m -8s|1000000000000000000000.00||x"),
        (-0.5, "-0.5|-500m|-50%|-500ms|-0.50||x"),
        (90061.5, "90061.5|90.06k|9.006e+06%|1d 1h 1m 1s|90061.50||x"),
        (.nan, "NaN|NaN|NaN%|NaN|NaN||x"),
        (0.0001, "0.0001|100u|0.01%|100us|0.00||x"),
        (.infinity, "+Inf|+Inf|+Inf%|+Inf|+Inf||x"),
    ] as [(Double, String)])
    func rendersAsPrometheus(value: Double, expected: String) throws {
        let rendered = try AlertTemplate(Self.template).render(TemplateData(labels: ["job": "x"], value: value))
        #expect(rendered == expected)
    }

    @Test func trimsAroundDashedActions() throws {
        #expect(try AlertTemplate("a  {{- $labels.x -}}  b").render(TemplateData(labels: ["x": "1"], value: 0)) == "a1b")
    }

    @Test(arguments: [
        ("{{ nope $value }}", 3, "function \"nope\" not defined; available: humanize, humanize1024, humanizePercentage, humanizeDuration, printf, toUpper, toLower"),
        ("{{ if $value }}x{{ end }}", 3, "'if' actions are not supported in alert templates"),
        ("{{ $valu }}", 3, "undefined variable \"$valu\"; available: $value, $labels, $externalLabels, $externalURL"),
        ("x {{ $value ", 12, "expected '}}' to close the action opened at character 3"),
    ] as [(String, Int, String)])
    func rejectsWhatItCannotRender(text: String, offset: Int, message: String) {
        #expect(throws: TemplateError(offset: offset, message: message)) { try AlertTemplate(text) }
    }
}
