import Foundation
import Testing
import VitalsCore
import VitalsRules
import VitalsServer
import VitalsStore

/// `/api/v1/series`, `/labels`, `/label/NAME/values`, `/rules`, `/alerts` and `/status/buildinfo` over a real socket.
@Suite struct MetadataAPITests {
    let fixture: ServerFixture

    init() async throws {
        fixture = try await ServerFixture()
    }

    @Test func seriesListsTheMatchedLabelSets() async throws {
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/api/v1/series?match%5B%5D=build_duration_seconds%7Brepo%3D%22web%22%7D&match%5B%5D=git_commits")
            #expect(
                response.body
                    == #"{"status":"success","data":[{"__name__":"build_duration_seconds","branch":"main","repo":"web"},{"__name__":"git_commits","repo":"api"}]}"#
            )
            let post = try await client.post("/api/v1/series", form: "match%5B%5D=%7B__name__%3D~%22git_.*%22%7D")
            #expect(post.body == #"{"status":"success","data":[{"__name__":"git_commits","repo":"api"}]}"#)
        }
    }

    @Test func seriesWithATimeRangeKeepOnlySeriesWithDataInIt() async throws {
        try await fixture.withServer { (client: TestClient) async throws in
            // git_commits has samples at minutes 0, 10, 20, 30 only.
            let start = ServerFixture.start.adding(.minutes(11)).secondsSinceEpoch
            let end = ServerFixture.start.adding(.minutes(19)).secondsSinceEpoch
            let response = try await client.get("/api/v1/series?match%5B%5D=%7Brepo%3D%22api%22%7D&start=\(start)&end=\(end)")
            #expect(response.body == #"{"status":"success","data":[{"__name__":"build_duration_seconds","branch":"main","repo":"api"}]}"#)
        }
    }

    @Test func labelsAndTheirValues() async throws {
        try await fixture.withServer { (client: TestClient) async throws in
            #expect(try await client.get("/api/v1/labels").body == #"{"status":"success","data":["__name__","branch","code","repo","source"]}"#)
            #expect(
                try await client.get("/api/v1/labels?match[]=git_commits").body == #"{"status":"success","data":["__name__","repo"]}"#)
            #expect(
                try await client.get("/api/v1/label/__name__/values").body
                    == #"{"status":"success","data":["build_duration_seconds","git_commits","http_requests_total","vitals_source_up"]}"#)
            #expect(try await client.get("/api/v1/label/repo/values").body == #"{"status":"success","data":["api","web"]}"#)
            #expect(
                try await client.get("/api/v1/label/repo/values?match[]=git_commits").body == #"{"status":"success","data":["api"]}"#)
            #expect(try await client.get("/api/v1/label/nothing/values").body == #"{"status":"success","data":[]}"#)
        }
    }

    @Test func rulesAndAlertsShowTheStoredState() async throws {
        let round = try AlertEvaluationRound(files: fixture.ruleFiles)
        // web's builds exceed 25 s until minute 30; api's from minute 16. Evaluated every minute, both fire after 2 minutes.
        for minute in 14...20 {
            _ = try await round.run(at: ServerFixture.start.adding(.minutes(Int64(minute))), metrics: fixture.store, alerts: fixture.store)
        }
        try await fixture.withServer { (client: TestClient) async throws in
            let alerts = try await client.get("/api/v1/alerts")
            #expect(alerts.status == 200)
            let list = try #require(((alerts.json as? [String: Any])?["data"] as? [String: Any])?["alerts"] as? [[String: Any]])
            #expect(list.count == 2)
            let web = try #require(list.first { ($0["labels"] as? [String: String])?["repo"] == "web" })
            #expect(web["labels"] as? [String: String] == ["alertname": "SlowBuild", "branch": "main", "repo": "web", "team": "ci"])
            #expect(web["state"] as? String == "firing")
            let stored = try #require(try await fixture.store.alertStates()[AlertRuleID(group: "builds", alert: "SlowBuild")])
            let webState = try #require(stored.instances.first { $0.labels["repo"] == "web" })
            let webValue = try #require(webState.value)
            #expect(web["activeAt"] as? String == RFC3339.format(try #require(webState.activeAt)))
            #expect(web["value"] as? String == GoNumberFormat.exponent(webValue, marker: "e"))
            #expect(web["annotations"] as? [String: String] == ["summary": "build of web takes \(GoNumberFormat.value(webValue))s"])
            let api = try #require(list.first { ($0["labels"] as? [String: String])?["repo"] == "api" })
            #expect(api["state"] as? String == "firing")
            let apiState = try #require(stored.instances.first { $0.labels["repo"] == "api" })
            #expect(api["activeAt"] as? String == RFC3339.format(try #require(apiState.activeAt)))

            let rules = try await client.get("/api/v1/rules")
            let groups = try #require(((rules.json as? [String: Any])?["data"] as? [String: Any])?["groups"] as? [[String: Any]])
            #expect(groups.count == 1)
            #expect(groups[0]["name"] as? String == "builds")
            #expect(groups[0]["interval"] as? Double == 60)
            #expect(groups[0]["lastEvaluation"] as? String == RFC3339.format(try #require(try await fixture.store.groupEvaluations()["builds"])))
            let ruleList = try #require(groups[0]["rules"] as? [[String: Any]])
            #expect(ruleList.map { $0["type"] as? String } == ["alerting", "recording"])
            #expect(ruleList[0]["state"] as? String == "firing")
            #expect(ruleList[0]["duration"] as? Double == 120)
            #expect(ruleList[0]["health"] as? String == "ok")
            #expect((ruleList[0]["alerts"] as? [Any])?.count == 2)
            #expect(ruleList[1]["health"] as? String == "unknown")
            #expect(ruleList[1]["query"] as? String == "max by (repo) (build_duration_seconds)")

            let onlyRecording = try await client.get("/api/v1/rules?type=record")
            #expect(onlyRecording.body.contains(#""type":"recording""#) && !onlyRecording.body.contains(#""type":"alerting""#))
        }
    }

    @Test func buildInfo() async throws {
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/api/v1/status/buildinfo")
            #expect(
                response.body
                    == #"{"status":"success","data":{"version":"0.1.0","revision":"","branch":"","buildUser":"","buildDate":"","goVersion":""}}"#)
        }
    }
}
