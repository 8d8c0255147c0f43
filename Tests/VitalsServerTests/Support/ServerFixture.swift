import Foundation
import Logging
import ServiceLifecycle
import VitalsCore
import VitalsHTTP
import VitalsRules
import VitalsServer
import VitalsStore
import VitalsTestSupport

/// A real SQLite store filled with known samples, and the server over it on 127.0.0.1 and a free port.
final class ServerFixture {
    /// The instant the queries are made at: 30 minutes after the first sample.
    static let start = Timestamp(milliseconds: 1_795_168_800_000)  // 2026-11-20T10:00:00Z
    static let now = start.adding(.minutes(30))

    static let rules = """
        groups:
          - name: builds
            interval: 1m
            rules:
              - alert: SlowBuild
                expr: build_duration_seconds > 25
                for: 2m
                labels:
                  team: ci
                annotations:
                  summary: "build of {{ $labels.repo }} takes {{ $value }}s"
              - record: repo:build_duration_seconds:max
                expr: max by (repo) (build_duration_seconds)
        """

    let folder: TemporaryFolder
    let store: SQLiteMetricStore
    let ruleFiles: [RuleFile]
    let metrics = VitalsMetrics()

    init() async throws {
        folder = try TemporaryFolder()
        store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent("vitals.db").path, timeZone: .gmt, retention: .days(400))
        try await store.write(Self.samples)
        ruleFiles = [try RuleFileLoader.load(contentsOf: try folder.write("builds.yml", Self.rules))]
    }

    /// Two build-duration gauges, a request counter with a reset, an event series and a source's up series, one sample a
    /// minute for 30 minutes (the counter every 15 s).
    static let samples: [Sample] = {
        var samples: [Sample] = []
        for minute in 0...30 {
            let time = start.adding(.minutes(Int64(minute)))
            samples.append(
                Sample(
                    "build_duration_seconds", ["repo": "api", "branch": "main"], kind: .gauge, unit: .seconds, at: time, value: 10 + Double(minute)))
            samples.append(
                Sample(
                    "build_duration_seconds", ["repo": "web", "branch": "main"], kind: .gauge, unit: .seconds, at: time,
                    value: 40 - 0.5 * Double(minute)))
            samples.append(Sample("vitals_source_up", ["source": "git"], kind: .gauge, at: time, value: minute == 12 ? 0 : 1))
            if minute % 10 == 0 { samples.append(Sample("git_commits", ["repo": "api"], kind: .event, at: time, value: Double(minute / 10 + 1))) }
        }
        for step in 0...120 {
            let value = step < 60 ? Double(step * 3) : Double((step - 60) * 2)
            samples.append(Sample("http_requests_total", ["code": "200"], kind: .counter, at: start.adding(.seconds(Int64(step * 15))), value: value))
        }
        return samples
    }()

    var reportSettings: ReportSettings {
        ReportSettings(timeZone: .gmt, sources: [], reportsDirectory: folder.url.appendingPathComponent("reports").path, channels: [])
    }

    /// Runs `body` against the server started on a free port, and stops the server after it.
    func withServer<T>(health: HealthPolicy = HealthPolicy(), _ body: (TestClient) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let service = VitalsServer.application(
            store: store, alerts: store, outbox: store, rules: ruleFiles, reports: reportSettings, metrics: metrics, version: "0.1.0", health: health,
            listen: ListenAddress(host: "127.0.0.1", port: 0), now: { Self.now }, onListening: { continuation.yield($0) })
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        let server = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
        do {
            let result = try await body(TestClient(port: port))
            await group.triggerGracefulShutdown()
            try await server.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = await server.result
            throw error
        }
    }

    /// The evaluator's own answer, as the API must give it: the querier reads what the evaluation selects on its first
    /// pass, and the expression is evaluated again over it.
    func evaluate(_ expression: String, at time: Timestamp) async throws -> EvaluationResult {
        let querier = StoreSeriesQuerier(store: store)
        let expr = try ExpressionParser.parse(expression)
        var result = try Evaluator(querier: querier).instant(expr, at: time)
        while try await querier.readMissed() { result = try Evaluator(querier: querier).instant(expr, at: time) }
        return result
    }
}

/// Requests to the running server through vitals' own libcurl client.
struct TestClient: Sendable {
    let port: Int

    var base: String { "http://127.0.0.1:\(port)" }

    func get(_ path: String) async throws -> (status: Int, body: String, json: Any?) {
        try await send(HTTPRequest(url: URL(string: base + path)!))
    }

    func post(_ path: String, form: String) async throws -> (status: Int, body: String, json: Any?) {
        try await send(
            HTTPRequest(
                method: "POST", url: URL(string: base + path)!, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                body: Data(form.utf8)))
    }

    private func send(_ request: HTTPRequest) async throws -> (status: Int, body: String, json: Any?) {
        // Only a guard against a hung server: a debug build answering a report among 32 parallel tests on a loaded machine has
        // taken over 30 s (the transport's default).
        let response = try await CurlTransport(options: .init(timeout: .seconds(180))).send(request)
        return (response.status, String(decoding: response.body, as: UTF8.self), try? JSONSerialization.jsonObject(with: response.body))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program to its end: its status, standard output and standard error.
func runProgram(_ arguments: [String], input: Data? = nil) async throws -> (status: Int32, output: String, error: String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = arguments
                let output = Pipe()
                let errors = Pipe()
                let standardInput = Pipe()
                process.standardOutput = output
                process.standardError = errors
                process.standardInput = standardInput
                try process.run()
                if let input { standardInput.fileHandleForWriting.write(input) }
                try standardInput.fileHandleForWriting.close()
                let out = output.fileHandleForReading.readDataToEndOfFile()
                let err = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(
                    returning: (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self)))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

/// Whether promtool (Debian's prometheus package, which `scripts/setup --test` installs) is on PATH.
let promtoolAvailable = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
    FileManager.default.isExecutableFile(atPath: "\($0)/promtool")
}
