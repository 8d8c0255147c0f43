import Testing
import VitalsCore

/// Each malformed document must fail with exactly this message, position included.
@Suite struct ConfigErrorMessageTests {
    static let cases: [(document: String, message: String)] = [
        (
            "store: x\ntimezon: UTC\n",
            "vitals.yml:2:1: unknown key 'timezon' in the top level; "
                + "allowed: time_zone, store, retention, rules, reports, reports_dir, sources, channels, routing, mute_windows (did you mean 'time_zone'?)"
        ),
        (
            "colour: red\n",
            "vitals.yml:1:1: unknown key 'colour' in the top level; "
                + "allowed: time_zone, store, retention, rules, reports, reports_dir, sources, channels, routing, mute_windows"
        ),
        (
            "# zone\ntime_zone: Europe/Berlinn\n",
            "vitals.yml:2:12: time_zone: 'Europe/Berlinn' is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)"
        ),
        ("time_zone: PST\n", "vitals.yml:1:12: time_zone: 'PST' is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)"),
        (
            "sources:\n  - type: git\n  - type: gitlab\n",
            "vitals.yml:3:11: sources[1].type: 'gitlab' is not a source type; allowed: command, coverage, duplication, git, github, http_probe, linear, markers, prometheus, sarif, sentry, sonarqube (did you mean 'github'?)"
        ),
        (
            "sources:\n  - type: sarfi\n",
            "vitals.yml:2:11: sources[0].type: 'sarfi' is not a source type; allowed: command, coverage, duplication, git, github, http_probe, linear, markers, prometheus, sarif, sentry, sonarqube (did you mean 'sarif'?)"
        ),
        ("retention: 40x\n", "vitals.yml:1:12: retention: invalid duration '40x': unknown unit 'x'; accepted units: ms, s, m, h, d, w, y"),
        ("retention: 0d\n", "vitals.yml:1:12: retention: '0d' is not longer than zero; give a duration such as 30s, 5m, 2h, 7d"),
        ("store: [a, b]\n", "vitals.yml:1:8: store: expected a string, found a list"),
        ("rules: {a: b}\n", "vitals.yml:1:8: rules: expected a string, found a mapping"),
        ("reports: ''\n", "vitals.yml:1:10: reports: expected a path, found an empty string"),
        ("- store\n- rules\n", "vitals.yml:1:1: top level: expected a mapping, found a list"),
        ("? [a]\n: b\n", "vitals.yml:1:3: top level: expected a key name, found a list"),
        ("sources: git\n", "vitals.yml:1:10: sources: expected a list, found a string"),
        ("sources:\nstore: x\n", "vitals.yml:1:9: sources: expected a list, found nothing"),
        ("sources:\n  - git\n", "vitals.yml:2:5: sources[0]: expected a mapping, found a string"),
        (
            "sources:\n  - name: repo\n",
            "vitals.yml:2:5: sources[0]: missing required key 'type'; allowed types: command, coverage, duplication, git, github, http_probe, linear, markers, prometheus, sarif, sentry, sonarqube"
        ),
        ("sources:\n  - type: [git]\n", "vitals.yml:2:11: sources[0].type: expected a string, found a list"),
        (
            "sources:\n  - type: git\n    paht: .\n",
            "vitals.yml:3:5: unknown key 'paht' in sources[0]; allowed: name, type, interval, token_env, branch, history, path, repo "
                + "(did you mean 'path'?)"
        ),
        ("sources:\n  - type: git\n    repo: ''\n", "vitals.yml:3:11: sources[0].repo: expected a name such as owner/name, found an empty string"),
        (
            "sources:\n  - type: coverage\n    repo: '  '\n",
            "vitals.yml:3:11: sources[0].repo: expected a name such as owner/name, found only white space"
        ),
        ("sources:\n  - type: markers\n    repo: [a, b]\n", "vitals.yml:3:11: sources[0].repo: expected a string, found a list"),
        (
            "sources:\n  - type: git\n  - type: git\n",
            "vitals.yml:3:5: sources[1]: source name 'git' (the default, its type) is already used by sources[0]; give each source its own name"
        ),
        (
            "sources:\n  - type: git\n  - name: git\n    type: markers\n",
            "vitals.yml:3:11: sources[1].name: source name 'git' is already used by sources[0]; give each source its own name"
        ),
        ("sources:\n  - type: git\n    name: ''\n", "vitals.yml:3:11: sources[0].name: expected a name, found an empty string"),
        ("sources:\n  - type: coverage\n    paths: {a: b}\n", "vitals.yml:3:12: sources[0].paths: expected a list, found a mapping"),
        ("sources:\n  - type: coverage\n    paths: [a, [b]]\n", "vitals.yml:3:16: sources[0].paths[1]: expected a string, found a list"),
        (
            "sources:\n  - type: git\n    history: 90\n",
            "vitals.yml:3:14: sources[0].history: invalid duration '90': '90' has no unit; accepted units: ms, s, m, h, d, w, y"
        ),
        (
            "sources:\n  - type: git\n    history: 101y\n",
            "vitals.yml:3:14: sources[0].history: '101y' is longer than 100y, the longest history read at once"
        ),
        (
            "sources:\n  - type: markers\n    interval: 5 minutes\n",
            "vitals.yml:3:15: sources[0].interval: invalid duration '5 minutes': '5' has no unit; accepted units: ms, s, m, h, d, w, y"
        ),
        (
            "sources:\n  - type: git\n    token_env: github_token\n",
            "vitals.yml:3:16: sources[0].token_env: expected an environment variable name in capitals, digits and underscores, "
                + "as in GITHUB_TOKEN (the value is not repeated here: this key names a secret)"
        ),
        ("sources:\n  - type: git\n    token_env: ghp_16C7e42F292c6912E7710c838347Ae178B4a\n", secretMessage(line: 3, column: 16)),
        ("sources:\n  - type: git\n    token_env: 'x9f2k1m8q7w3e5r6t4y0'\n", secretMessage(line: 3, column: 16)),
        ("store: [a, b\n", "vitals.yml:2:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at 1:8)"),
        ("store: a: b\n", "vitals.yml:1:9: invalid YAML: mapping values are not allowed in this context"),
        ("store: a\nstore: b\n", "vitals.yml:1:1: duplicate key 'store' in a mapping; each key may appear once"),
        ("store: *nowhere\n", "vitals.yml:1:8: invalid YAML: found undefined alias"),
    ]

    static func secretMessage(line: Int, column: Int) -> String {
        "vitals.yml:\(line):\(column): sources[0].token_env: this looks like the secret itself; give the name of the environment "
            + "variable that holds it, as in GITHUB_TOKEN (the value is not repeated here)"
    }

    @Test(arguments: cases)
    func rejectsWithPositionedMessage(document: String, message: String) {
        let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(document, file: "vitals.yml", environment: [:]) }
        #expect(error?.description == message)
    }

    @Test func codesTellTheKindOfProblem() {
        let cases: [(String, ConfigError.Code)] = [
            ("a: [\n", .syntax), ("colour: red\n", .unknownKey), ("store: [a]\n", .wrongType), ("retention: 1x\n", .invalidValue),
            ("sources:\n  - name: x\n", .missingKey), ("sources:\n  - type: git\n  - type: git\n", .duplicateName),
        ]
        for (document, code) in cases {
            let error = #expect(throws: ConfigError.self) { try ConfigLoader.parse(document, file: "f.yml", environment: [:]) }
            #expect(error?.code == code, "\(document)")
        }
    }
}
