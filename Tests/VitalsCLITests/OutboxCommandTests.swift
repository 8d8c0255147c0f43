import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// `vitals report --send` and `vitals outbox list|retry|flush`, run as a user runs them, against a Slack stand-in on 127.0.0.1.
@Suite(.timeLimit(.minutes(2))) struct OutboxCommandTests {
    let folder: TemporaryFolder
    let server: SlackWebhookServer
    let environment: [String: String]

    init(_ answer: @escaping @Sendable (Int, Data) -> SlackWebhookServer.Answer = { _, _ in .ok }) throws {
        folder = try TemporaryFolder()
        server = try SlackWebhookServer(answer)
        environment = ["OPS_WEBHOOK": server.webhookURL.absoluteString]
        _ = try folder.write(
            "vitals.yml",
            """
            channels:
              ops: {type: slack, webhook_url_env: OPS_WEBHOOK, rate_limit: none}
              log: {type: file, path: sent.jsonl}
            """)
    }

    init() throws { try self.init { _, _ in .ok } }

    func vitals(_ arguments: String...) throws -> VitalsProcess.Result {
        try VitalsProcess.run(arguments, in: folder.url, environment: environment)
    }

    var storePath: String { folder.url.appendingPathComponent(".vitals/vitals.db").path }

    /// Queues `count` alert notifications named m0000, m0001, ... for `channels`, straight into the store.
    func queueAlerts(_ count: Int, to channels: [String]) async throws {
        let store = try await SQLiteMetricStore(path: storePath, timeZone: .gmt, retention: .days(400))
        let now = SystemClock().now()
        for index in 0..<count {
            let name = String(format: "m%04d", index)
            let alert = AlertMessage(
                group: "api", alert: name, labels: ["service": "api"], event: .firing, severity: .warning, value: 1, summary: name, at: now)
            _ = try await store.enqueue(key: name, payload: .alert(alert), channels: channels, at: now, force: false)
        }
    }

    /// The message names in the texts Slack posted, in order.
    var posted: [String] { server.postedTexts.map(Self.name) }

    static func name(_ text: String) -> String {
        text.split(separator: "\n")[0].split(separator: "/").last.map { String($0.dropLast()) } ?? text
    }

    @Test func aReportIsSentOncePerPeriodUnlessForced() throws {
        let first = try vitals("report", "daily", "--no-collect", "--now", "2026-11-28T09:00:00Z", "--send", "ops", "log")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("queued report:daily@") && first.stderr.contains("delivered 2, retried 0, dead-lettered 0; 0 pending"))
        #expect(server.posted.count >= 1)
        let firstCount = server.posted.count
        let again = try vitals("report", "daily", "--no-collect", "--now", "2026-11-28T10:00:00Z", "--send", "ops", "log")
        #expect(again.status == 0)
        #expect(again.stderr.contains("was already queued; nothing new to send (--force sends it again)"))
        #expect(server.posted.count == firstCount)
        let forced = try vitals("report", "daily", "--no-collect", "--now", "2026-11-28T10:00:00Z", "--send", "ops", "--force")
        #expect(forced.status == 0)
        #expect(server.posted.count == 2 * firstCount)
        let lines = try String(contentsOfFile: folder.url.appendingPathComponent("sent.jsonl").path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        // The next day's report is a new period.
        _ = try vitals("report", "daily", "--no-collect", "--now", "2026-11-29T09:00:00Z", "--send", "ops")
        #expect(server.posted.count == 3 * firstCount)
    }

    /// `--send` without channels goes to the definition's `channels:` and nowhere else: not to a `default: true` channel, not
    /// to the other configured ones.
    @Test func aReportGoesToTheChannelsItsDefinitionLists() throws {
        let other = try SlackWebhookServer()
        defer { other.stop() }
        _ = try folder.write(
            "vitals.yml",
            """
            channels:
              ops: {type: slack, webhook_url_env: OPS_WEBHOOK, rate_limit: none}
              other: {type: slack, webhook_url_env: OTHER_WEBHOOK, rate_limit: none, default: true}
              log: {type: file, path: sent.jsonl}
            """)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("reports"), withIntermediateDirectories: true)
        _ = try folder.write(
            "reports/team.yml",
            """
            title: Team digest
            period: 1d
            channels: [ops, log]
            sections:
              - family: velocity
                metrics: [git_commits]
            """)
        let result = try VitalsProcess.run(
            ["report", "team", "--no-collect", "--now", "2026-11-28T09:00:00Z", "--send"], in: folder.url,
            environment: ["OPS_WEBHOOK": server.webhookURL.absoluteString, "OTHER_WEBHOOK": other.webhookURL.absoluteString])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("queued report:team@") && result.stderr.contains(" for ops, log\n"), "\(result.stderr)")
        #expect(result.stderr.contains("delivered 2, retried 0, dead-lettered 0; 0 pending"), "\(result.stderr)")
        let posted = try #require(server.postedTexts.first)
        #expect(server.postedTexts.count == 1 && posted.contains("Team digest"), "\(server.postedTexts)")
        #expect(other.bodies.isEmpty)
        let lines = try String(contentsOfFile: folder.url.appendingPathComponent("sent.jsonl").path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(#""channel":"log""#) && lines[0].contains("Team digest"))
        let deliveries = try vitals("outbox", "list")
        #expect(!deliveries.stdout.contains("other"), "\(deliveries.stdout)")
    }

    @Test func sendingNeedsAKnownChannelAndANamedReport() throws {
        let unknown = try vitals("report", "daily", "--no-collect", "--send", "opz")
        #expect(unknown.status == 1 && unknown.stderr == "vitals: no channel named 'opz' in vitals.yml; defined: ops, log\n")
        let nowhere = try vitals("report", "daily", "--no-collect", "--send")
        #expect(
            nowhere.status == 1
                && nowhere.stderr == "vitals: nowhere to send the report: name channels after --send, list them under channels: in the report's "
                + "definition, or mark one default: true in vitals.yml\n")
        let unnamed = try vitals("report", "--send")
        #expect(unnamed.status == 2 && unnamed.stderr.hasPrefix("Error: --send needs a report name, such as: vitals report daily --send"))
        let force = try vitals("report", "daily", "--force")
        #expect(force.status == 2 && force.stderr.hasPrefix("Error: --force goes with --send"))
    }

    @Test func aDeadLetterIsListedRetriedAndDeliveredAndNoSecretShows() async throws {
        let suite = try OutboxCommandTests { index, _ in index == 0 ? .channelNotFound : .ok }
        try await suite.queueAlerts(2, to: ["ops"])
        let flush = try suite.vitals("outbox", "flush")
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(flush.stdout == "delivered 1, retried 0, dead-lettered 1; 0 pending\ndead letter 1: m0000 to ops: 404: channel_not_found\n")
        let dead = try suite.vitals("outbox", "list", "--status", "dead")
        let lines = dead.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines[0].hasPrefix("ID  STATUS  CHANNEL  ATTEMPTS  DUE/ENDED"))
        #expect(lines[1].hasPrefix("1   dead    ops      1         ") && lines[1].hasSuffix("api/m0000{service=\"api\"} firing  404: channel_not_found"))
        #expect(try suite.vitals("outbox", "retry", "1").stdout == "delivery 1 is due again; vitals outbox flush sends it\n")
        let missing = try suite.vitals("outbox", "retry", "2")
        #expect(missing.status == 1 && missing.stderr.contains("no delivery 2 to retry"))
        #expect(try suite.vitals("outbox", "flush").stdout == "delivered 1, retried 0, dead-lettered 0; 0 pending\n")
        #expect(suite.posted == ["m0001", "m0000"])
        #expect(try suite.vitals("outbox", "list", "--status", "pending").stdout == "no pending deliveries\n")
        let all = try suite.vitals("outbox", "list")
        let store = try Data(contentsOf: URL(fileURLWithPath: suite.storePath))
        for text in [flush.stdout, flush.stderr, dead.stdout, all.stdout] {
            #expect(!text.contains("secret") && !text.contains(SlackWebhookServer.secretPath))
        }
        #expect(store.range(of: Data(SlackWebhookServer.secretPath.utf8)) == nil)
    }

    @Test func flushExitsOneWhileSomethingIsPendingBeyondTheWait() async throws {
        let suite = try OutboxCommandTests { _, _ in .rateLimited(retryAfter: 3600) }
        try await suite.queueAlerts(1, to: ["ops"])
        let flush = try suite.vitals("outbox", "flush", "--wait", "1s")
        #expect(flush.status == 1)
        #expect(flush.stdout == "delivered 0, retried 1, dead-lettered 0; 1 pending\n")
        #expect(flush.stderr == "vitals: 1 delivery is still pending (vitals outbox list)\n")
        let list = try suite.vitals("outbox", "list")
        #expect(list.stdout.contains("pending") && list.stdout.contains("429: rate_limited"))
        #expect(try suite.vitals("outbox", "flush", "--wait", "soon").status == 2)
    }

    /// The alert round queues the notification unrouted; `--send` routes it by severity (`critical` → the file channel)
    /// and delivers it.
    @Test func evaluateWithSendRoutesBySeverityAndDelivers() async throws {
        _ = try folder.write(
            "vitals.yml",
            """
            channels:
              ops: {type: slack, webhook_url_env: OPS_WEBHOOK, rate_limit: none, default: true}
              log: {type: file, path: sent.jsonl}
            routing:
              critical: [log]
            """)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        // The group's slots fall on whole multiples of 5 minutes for this file name (see AlertsCommandTests).
        _ = try folder.write("rules/api-575715.yml", AlertsCommandTests.rules)
        let store = try await SQLiteMetricStore(path: storePath, timeZone: .gmt, retention: .days(400))
        let start = RFC3339.parse("2026-11-25T08:00:00Z")!
        try await store.write(
            (0...10).map { Sample("error_ratio", ["service": "api"], kind: .gauge, unit: .ratio, at: start.adding(.minutes($0)), value: 0.07) })
        #expect(try vitals("alerts", "evaluate", "--now", "2026-11-25T08:00:00Z", "--send").stdout.hasSuffix("delivered 0, retried 0, dead-lettered 0; 0 pending\n"))
        let fired = try vitals("alerts", "evaluate", "--now", "2026-11-25T08:05:00Z", "--send")
        #expect(fired.status == 0, "\(fired.stderr)")
        #expect(fired.stdout.hasSuffix("delivered 1, retried 0, dead-lettered 0; 0 pending\n"))
        let lines = try String(contentsOfFile: folder.url.appendingPathComponent("sent.jsonl").path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let line = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(line["channel"] as? String == "log" && line["key"] as? String == "api/HighErrorRate{service=\"api\"}/firing@2026-11-25T08:05:00Z")
        let alert = try #require(line["alert"] as? [String: Any])
        #expect(alert["alert"] as? String == "HighErrorRate" && alert["event"] as? String == "firing" && alert["severity"] as? String == "critical")
        #expect(server.server.requests.isEmpty)
    }

    /// SIGKILL `vitals outbox flush` at seeded random points, 100 times, then let one run finish: every message arrives, each
    /// channel's in order, and a message arrives twice only when the run that sent it first was killed before recording it.
    @Test func killedFlushesLoseNothingAndDuplicateOnlyInTheWindow() async throws {
        let kills = KillLog()
        let suite = try OutboxCommandTests { _, body in
            let text = (try? JSONSerialization.jsonObject(with: body) as? [String: Any])?["text"] as? String ?? ""
            return kills.received(OutboxCommandTests.name(text))
        }
        let count = 600
        try await suite.queueAlerts(count, to: ["ops"])
        var random = SplitMix64(seed: 20_261_129)
        for run in 0..<100 {
            let point: KillLog.Point =
                switch random.next() % 3 {
                case 0: .onRequest(Int(random.next() % 6))
                case 1: .afterAnswer(Int(random.next() % 6))
                default: .afterMilliseconds(Int(random.next() % 150))
                }
            let child = try VitalsProcess.start(["outbox", "flush"], in: suite.folder.url, environment: suite.environment)
            kills.begin(run: run, child: child, point: point)
            if case .afterMilliseconds(let delay) = point {
                // A thread of its own: on a loaded machine a sleeping task can wake seconds late.
                Thread.detachNewThread {
                    usleep(UInt32(delay) * 1000)
                    kills.killNow(run: run)
                }
            }
            child.waitUntilExit()
            kills.end(killed: child.terminationReason == .uncaughtSignal)
            suite.server.server.waitUntilIdle()
        }
        kills.begin(run: 100, child: nil, point: .never)
        let last = try suite.vitals("outbox", "flush")
        #expect(last.status == 0, "\(last.stdout)\(last.stderr)")
        let receipts = kills.receipts
        let names = (0..<count).map { String(format: "m%04d", $0) }
        #expect(Set(receipts.map(\.name)) == Set(names), "every message arrives")
        // In order: each message's first arrival comes after every earlier message's first arrival.
        var firstSeen: [String] = []
        for receipt in receipts where !firstSeen.contains(receipt.name) { firstSeen.append(receipt.name) }
        #expect(firstSeen == names)
        var runsByName: [String: [Int]] = [:]
        for receipt in receipts { runsByName[receipt.name, default: []].append(receipt.run) }
        let killedRuns = kills.killedRuns
        for (name, runs) in runsByName where runs.count > 1 {
            for (earlier, later) in zip(runs, runs.dropFirst()) {
                #expect(earlier != later && killedRuns.contains(earlier), "\(name) arrived in runs \(runs); killed: \(killedRuns.sorted())")
            }
        }
        #expect(killedRuns.count > 50, "most runs are killed before they finish")
        let duplicates = receipts.count - Set(receipts.map(\.name)).count
        #expect(duplicates <= killedRuns.count)
    }
}

/// Which run is sending, when to kill it, and every message Slack received, attributed to the run that sent it.
final class KillLog: @unchecked Sendable {
    enum Point {
        /// Killed when the server receives the run's n-th request, before answering (Slack has posted it).
        case onRequest(Int)
        /// Killed just after the server answered the run's n-th request: the answer may be read, the commit not done.
        case afterAnswer(Int)
        case afterMilliseconds(Int)
        case never
    }

    private let lock = NSLock()
    private var run = -1
    private var child: Process?
    private var point: Point = .afterMilliseconds(0)
    private var requestsInRun = 0
    private var log: [(name: String, run: Int)] = []
    private var killed: Set<Int> = []

    func begin(run: Int, child: Process?, point: Point) {
        lock.withLock {
            self.run = run
            self.child = child
            self.point = point
            requestsInRun = 0
        }
    }

    func end(killed wasKilled: Bool) {
        lock.withLock {
            if wasKilled { killed.insert(run) }
            child = nil
        }
    }

    /// Signals only a child still running, and only while `run` is the current run, so a finished child's process id,
    /// which another test may have been given since, is never signalled, nor a later run's child by a late timer.
    func killNow(run: Int) { lock.withLock { if self.run == run { killChild() } } }

    private func killChild() { if let child, child.isRunning { kill(child.processIdentifier, SIGKILL) } }

    /// Records a received message and decides the answer: `ok`, with the kill the run's point asks for.
    func received(_ name: String) -> SlackWebhookServer.Answer {
        lock.withLock {
            log.append((name, run))
            defer { requestsInRun += 1 }
            switch point {
            case .onRequest(let n) where n == requestsInRun:
                killChild()
            case .afterAnswer(let n) where n == requestsInRun:
                let run = run
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(1)) { self.killNow(run: run) }
            // A kill that a loaded machine delayed lands at the run's next request at the latest, so no run goes on to
            // deliver what the runs after it were meant to be killed in.
            case .afterAnswer(let n) where requestsInRun > n:
                killChild()
            case .afterMilliseconds where requestsInRun >= 6:
                killChild()
            default: break
            }
            return .ok
        }
    }

    var receipts: [(name: String, run: Int)] { lock.withLock { log } }
    var killedRuns: Set<Int> { lock.withLock { killed } }
}

/// Every channel type is reachable from vitals.yml: its settings are checked when any command loads the file, and
/// `vitals outbox flush` delivers through it.
@Suite(.timeLimit(.minutes(2))) struct ConfiguredChannelCommandTests {
    @Test(arguments: [["outbox", "list"], ["rules", "check"], ["report", "--no-collect"]])
    func aBadKeyInAChannelIsReportedWhenAnyCommandLoadsTheFile(arguments: [String]) throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "channels:\n  oncall: {type: pagerduty, routing_kye_env: PD_KEY}\n")
        let result = try VitalsProcess.run(arguments, in: folder.url)
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "vitals.yml:2:29: unknown key 'routing_kye_env' in channels.oncall; allowed: type, default, rate_limit, routing_key_env, base_url "
                + "(did you mean 'routing_key_env'?)\n")
    }

    /// The shipped example, every channel type un-commented, loads with its channels checked by their types' readers.
    @Test func theExampleFileLoadsWithEveryChannelType() throws {
        let folder = try TemporaryFolder()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let example = try String(contentsOf: root.appendingPathComponent("vitals.example.yml"), encoding: .utf8)
        for type in ["slack", "slack_api", "pagerduty", "webhook", "email", "github_issue", "linear_issue", "file"] {
            #expect(example.contains("type: \(type)\n") || example.contains("type: \(type),"), "\(type)")
        }
        _ = try folder.write("vitals.yml", example)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("rules"), withIntermediateDirectories: true)
        _ = try folder.write("rules/none.yml", "groups: []\n")
        let result = try VitalsProcess.run(["rules", "check"], in: folder.url)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func outboxFlushDeliversToAPagerDutyChannelConfiguredInVitalsYml() async throws {
        let server = try LoopbackHTTPServer { request in
            let event = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] ?? [:]
            let key = event["dedup_key"] as? String ?? ""
            return .init(status: 202, text: #"{"status":"success","message":"Event processed","dedup_key":"\#(key)"}"#)
        }
        let folder = try TemporaryFolder()
        _ = try folder.write(
            "vitals.yml", "channels:\n  oncall: {type: pagerduty, routing_key_env: PD_KEY, base_url: \"\(server.baseURL.absoluteString)\"}\n")
        let store = try await SQLiteMetricStore(
            path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(400))
        let now = SystemClock().now()
        let alert = AlertMessage(
            group: "api", alert: "HighErrorRate", labels: ["service": "api"], event: .firing, severity: .critical, value: 0.2, summary: "errors",
            at: now)
        _ = try await store.enqueue(key: "a1", payload: .alert(alert), channels: ["oncall"], at: now, force: false)
        let flush = try VitalsProcess.run(["outbox", "flush"], in: folder.url, environment: ["PD_KEY": "R0UTINGKEY0123"])
        #expect(flush.status == 0, "\(flush.stderr)")
        #expect(flush.stdout == "delivered 1, retried 0, dead-lettered 0; 0 pending\n")
        #expect(server.requests.map(\.path) == ["/v2/enqueue"])
        let request = try #require(server.requests.first)
        let event = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(event["routing_key"] as? String == "R0UTINGKEY0123")
        #expect(event["dedup_key"] as? String == alert.fingerprint)
        #expect(!flush.stdout.contains("R0UTINGKEY0123") && !flush.stderr.contains("R0UTINGKEY0123"))
    }
}
