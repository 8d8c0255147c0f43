import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsReports
import VitalsServer
import VitalsService
import VitalsStore

/// `/healthz` from the job-run log and the scheduler's heartbeat, and `/api/report` as `vitals report --format json` prints it.
@Suite struct HealthAndReportTests {
    let fixture: ServerFixture

    init() async throws {
        fixture = try await ServerFixture()
    }

    func run(_ source: String, minute: Int64, _ status: JobRun.Status) async throws {
        let started = ServerFixture.start.adding(.minutes(minute))
        try await fixture.store.recordJobRun(
            JobRun(
                source: source, started: started, finished: started.adding(.seconds(2)), status: status, error: status == .failed ? "exit 1" : nil,
                samplesWritten: 3))
    }

    @Test func healthyWithEachJobsLastRun() async throws {
        try await run("git", minute: 1, .failed)
        try await run("git", minute: 2, .ok)
        try await run("coverage", minute: 3, .failed)
        try await run("coverage", minute: 4, .failed)
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/healthz")
            #expect(response.status == 200, "\(response.body)")
            #expect(
                response.body
                    == #"{"jobs":[{"job":"coverage","failuresInARow":2,"lastRun":{"started":"2026-11-20T10:04:00Z","finished":"2026-11-20T10:04:02Z","status":"failed","error":"exit 1","samplesWritten":3}},{"job":"git","failuresInARow":0,"lastRun":{"started":"2026-11-20T10:02:00Z","finished":"2026-11-20T10:02:02Z","status":"ok","samplesWritten":3}}],"status":"ok","problems":[]}"#
            )
        }
    }

    @Test(arguments: [3, 5])
    func unhealthyAfterNFailuresInARow(_ limit: Int) async throws {
        for minute in 1...Int64(limit) { try await run("coverage", minute: minute, .failed) }
        try await fixture.withServer(health: HealthPolicy(failuresInARow: limit)) { (client: TestClient) async throws in
            let response = try await client.get("/healthz")
            #expect(response.status == 503)
            #expect((response.json as? [String: Any])?["problems"] as? [String] == ["job coverage failed \(limit) times in a row"])
        }
        try await run("coverage", minute: 10, .ok)
        try await fixture.withServer(health: HealthPolicy(failuresInARow: limit)) { (client: TestClient) async throws in
            #expect(try await client.get("/healthz").status == 200)
        }
    }

    @Test func unhealthyWhenTheSchedulerMissedItsWakeUp() async throws {
        let late = SchedulerHeartbeat(lastBeat: ServerFixture.now.subtracting(.hours(2)), nextWake: ServerFixture.now.subtracting(.minutes(2)))
        try await fixture.withServer(health: HealthPolicy(heartbeat: { late })) { (client: TestClient) async throws in
            let response = try await client.get("/healthz")
            #expect(response.status == 503)
            #expect(response.body.contains(#""scheduler":{"lastBeat":"2026-11-20T08:30:00Z","nextWake":"2026-11-20T10:28:00Z"}"#))
        }
        // Asleep until its next job hours away, with its last beat long ago: healthy.
        let asleep = SchedulerHeartbeat(lastBeat: ServerFixture.now.subtracting(.hours(9)), nextWake: ServerFixture.now.adding(.hours(3)))
        try await fixture.withServer(health: HealthPolicy(heartbeat: { asleep })) { (client: TestClient) async throws in
            #expect(try await client.get("/healthz").status == 200)
        }
    }

    @Test func reportOfAPeriodIsTheCommandsJSON() async throws {
        let period = Period.since(.days(7), now: ServerFixture.now, timeZone: .gmt)
        let expected = try await JSONRenderer().render(
            ReportBuilder.build(store: fixture.store, period: period, now: ServerFixture.now, timeZone: .gmt, sources: []))
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/api/report?since=7d")
            #expect(response.status == 200)
            #expect(response.body == expected)
            #expect(try await client.get("/api/report").body == expected)
        }
    }

    @Test func namedReportIsTheCommandsJSON() async throws {
        let definition = try #require(
            try ReportDefinitionLoader.load(name: "daily", directory: fixture.reportSettings.reportsDirectory, channels: []))
        let expected = try await DigestJSONRenderer().render(
            DigestBuilder.build(
                definition: definition, store: fixture.store, alerts: fixture.store, outbox: fixture.store, now: ServerFixture.now, timeZone: .gmt, sources: [])
        )
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/api/report?name=daily")
            #expect(response.status == 200)
            #expect(response.body == expected)
            let unknown = try await client.get("/api/report?name=monthly")
            #expect(unknown.status == 404)
            #expect(unknown.body.hasPrefix(#"{"status":"error","errorType":"not_found","error":"no report named 'monthly'; known: daily, weekly"#))
            #expect(try await client.get("/api/report?since=3000y").status == 400)
        }
    }

    /// Like `vitals report NAME`, a named report lists what the outbox dead-lettered since the previous report of that name.
    @Test func namedReportListsTheOutboxDeadLetters() async throws {
        let alert = AlertMessage(
            group: "quality", alert: "CoverageLow", labels: [:], event: .firing, severity: .warning, value: 0.6, summary: "coverage fell",
            at: ServerFixture.now.subtracting(.hours(3)))
        _ = try await fixture.store.enqueue(
            key: "alert-1", payload: .alert(alert), channels: ["ops"], at: ServerFixture.now.subtracting(.hours(3)), force: false)
        let delivery = try #require(try await fixture.store.deliveries(status: .pending).first)
        try await fixture.store.record(.dead(status: 404, error: "404: channel_not_found"), forDelivery: delivery.id, at: ServerFixture.now.subtracting(.hours(2)))
        try await fixture.withServer { (client: TestClient) async throws in
            let response = try await client.get("/api/report?name=daily")
            #expect(response.status == 200)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
            let letters = try #require((json["delivery"] as? [String: Any])?["dead_letters"] as? [[String: Any]])
            #expect(letters.map { $0["channel"] as? String } == ["ops"])
            #expect(letters.first?["error"] as? String == "404: channel_not_found")
        }
    }
}

@Suite struct ListenAddressTests {
    @Test func defaultIsLoopbackOnly() {
        #expect(ListenAddress.default == ListenAddress(host: "127.0.0.1", port: 9464))
    }

    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464), ("0.0.0.0:80", "0.0.0.0", 80), ("[::1]:9464", "::1", 9464), ("localhost:0", "localhost", 0),
    ])
    func parses(_ text: String, _ host: String, _ port: Int) throws {
        #expect(try ListenAddress(parsing: text) == ListenAddress(host: host, port: port))
    }

    @Test(arguments: ["9464", ":9464", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:http"])
    func refuses(_ text: String) {
        #expect(throws: ListenAddressError.self) { try ListenAddress(parsing: text) }
    }
}
