import Foundation
import VitalsTestSupport

/// SonarQube's Web API as its documentation's example answers show it, for project `shop`: `api/measures/component`
/// (values as strings, ratings `"1.0"`..`"5.0"`, a new-code measure with `period` and no `value`),
/// `api/qualitygates/project_status` (a failing gate with its conditions), `api/authentication/validate`; errors as
/// `{"errors":[{"msg":...}]}`.
enum FakeSonarQube {
    static let measures: [(String, String)] = [
        ("coverage", "81.5"), ("duplicated_lines_density", "3.2"), ("sqale_debt_ratio", "1.5"), ("bugs", "4"), ("vulnerabilities", "0"),
        ("code_smells", "120"), ("security_hotspots", "2"), ("reliability_rating", "3.0"), ("security_rating", "1.0"), ("sqale_rating", "2.0"),
    ]

    static func make(measures: [(String, String)] = measures) throws -> FakeAPI {
        let sonar = try FakeAPI()
        let items: [[String: Any]] =
            measures.map { ["metric": $0.0, "value": $0.1, "bestValue": false] } + [
                ["metric": "new_coverage", "period": ["index": 1, "value": "62.5"]]
            ]
        nonisolated(unsafe) let component: [String: Any] = ["component": ["key": "shop", "name": "Shop", "qualifier": "TRK", "measures": items]]
        sonar.handle("/api/measures/component") { request, _ in
            guard FakeAPI.query(request).contains(URLQueryItem(name: "component", value: "shop")) else {
                return FakeAPI.Response(status: 404, text: #"{"errors":[{"msg":"Component key 'other' not found"}]}"#)
            }
            return FakeLinear.json(component)
        }
        sonar.json(
            "/api/qualitygates/project_status",
            [
                "projectStatus": [
                    "status": "ERROR", "ignoredConditions": false,
                    "conditions": [
                        ["status": "ERROR", "metricKey": "new_coverage", "comparator": "LT", "errorThreshold": "80", "actualValue": "62.5"],
                        [
                            "status": "OK", "metricKey": "new_duplicated_lines_density", "comparator": "GT", "errorThreshold": "3",
                            "actualValue": "0.0",
                        ],
                    ],
                    "period": ["mode": "PREVIOUS_VERSION", "date": "2026-03-01T10:00:00+0000"],
                ]
            ])
        sonar.json("/api/authentication/validate", ["valid": true])
        return sonar
    }
}
