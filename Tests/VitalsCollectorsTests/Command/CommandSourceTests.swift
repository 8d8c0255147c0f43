import Foundation
import Testing
import VitalsCollectors
import VitalsCore

/// The `command` source with real processes: each output form, bad names, failures and a timeout.
@Suite struct CommandSourceTests {
    let now = RFC3339.parse("2026-03-02T12:00:00Z")!

    func collect(_ script: String, metric: String? = nil, timeout: Duration = .seconds(10), environment: [String: String] = ["PATH": "/usr/bin:/bin"])
        async throws -> [Sample]
    {
        let collector = CommandCollector(source: "tool", argv: [script], shell: true, timeout: timeout, metric: metric, environment: environment)
        return try await collector.collect(CollectionRequest(now: now, timeZone: .gmt))
    }

    /// `name{labels}` = value, kind, unit, for every sample, all stamped `now`.
    func described(_ samples: [Sample]) -> [String] {
        #expect(samples.allSatisfy { $0.timestamp == now })
        return samples.map { "\($0.series.key.name){\($0.series.key.labels.canonical)} \($0.value) \($0.series.kind) \($0.series.unit)" }.sorted()
    }

    func failure(_ script: String, metric: String? = nil, timeout: Duration = .seconds(10), environment: [String: String] = ["PATH": "/usr/bin:/bin"])
        async -> String
    {
        do {
            let samples = try await collect(script, metric: metric, timeout: timeout, environment: environment)
            Issue.record("collected \(samples)")
            return ""
        } catch let error as CollectorError {
            #expect(error.source == "tool")
            return error.message
        } catch {
            Issue.record("unexpected \(error)")
            return ""
        }
    }

    @Test func aBareNumberIsTheNamedMetric() async throws {
        #expect(described(try await collect("printf ' 42.5\\n'", metric: "queue_depth")) == ["queue_depth{} 42.5 gauge count"])
        #expect(
            await failure("printf 42")
                == "the shell command printed output that cannot be read: the output is a single number; set `metric` to name it")
    }

    @Test(arguments: [
        (#"{"build_seconds": 12.5, "warnings": 3}"#, ["build_seconds{} 12.5 gauge seconds", "warnings{} 3.0 gauge count"]),
        (#"{"open_tickets": {"labels": {"team": "core"}, "value": 7}}"#, ["open_tickets{team=\"core\"} 7.0 gauge count"]),
        (
            #"{"open_tickets": [{"labels": {"team": "core"}, "value": 7}, {"labels": {"team": "web"}, "value": 2}]}"#,
            ["open_tickets{team=\"core\"} 7.0 gauge count", "open_tickets{team=\"web\"} 2.0 gauge count"]
        ),
        (
            #"[{"a_ratio": 0.5}, {"b": {"value": 1}}]"#, ["a_ratio{} 0.5 gauge ratio", "b{} 1.0 gauge count"]
        ),
    ])
    func jsonOutput(json: String, expected: [String]) async throws {
        #expect(described(try await collect("cat <<'EOF'\n\(json)\nEOF")) == expected)
    }

    @Test func prometheusTextExposition() async throws {
        let text = """
            # HELP http_requests_total Requests served.
            # TYPE http_requests_total counter
            http_requests_total{method="post",code="200"} 1027 1395066363000
            http_requests_total{method="get", code="400"} 3
            # TYPE temperature gauge
            temperature 21.5
            # A comment
            odd_label{path="C:\\\\dir\\"x\\"\\nend"} 1
            untyped_thing 2e3
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="+Inf"} 5
            latency_seconds_sum 1.5
            latency_seconds_count 5
            not_a_number NaN
            """
        #expect(
            described(try await collect("cat <<'EOF'\n\(text)\nEOF")) == [
                "http_requests_total{code=\"200\",method=\"post\"} 1027.0 counter count",
                "http_requests_total{code=\"400\",method=\"get\"} 3.0 counter count",
                "latency_seconds_bucket{le=\"+Inf\"} 5.0 counter count",
                "latency_seconds_count{} 5.0 counter count",
                "latency_seconds_sum{} 1.5 counter count",
                "odd_label{path=\"C:\\\\dir\\\"x\\\"\\nend\"} 1.0 gauge count",
                "temperature{} 21.5 gauge count",
                "untyped_thing{} 2000.0 gauge count",
            ])
    }

    @Test(arguments: [
        (#"{"1st": 1}"#, "'1st' is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)"),
        (#"{"a": {"labels": {"__name": "x"}, "value": 1}}"#, "'__name' of a is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)"),
        ("a{bad-label=\"x\"} 1", "'bad-label' of a is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)"),
        ("a{team} 1", "line 1: expected label=\"value\" in a's labels"),
        ("a{team=\"x\"} 1\na{team=\"x\"} 2", "the series a{team=\"x\"} appears twice"),
        ("a{source=\"x\"} 1", "a carries the label 'source', which vitals sets (the source's name)"),
        ("a 1 2 3", "line 1: expected at most a timestamp (milliseconds) after the value"),
        ("a{team=\"x} 1", "line 1: a label value is not closed"),
        ("<html>oops</html>", "line 1: expected a number after <html>oops</html>, found ''"),
        (#"{"a": true}"#, "a: expected a number or {\"labels\": {...}, \"value\": number}"),
        ("{\"a\": 1", "the output starts like JSON but is not valid JSON"),
        ("# only a comment", "the output is neither a number, JSON, nor Prometheus text exposition format (no sample line)"),
    ])
    func unreadableOutputFailsTheSource(output: String, reason: String) async {
        #expect(await failure("cat <<'EOF'\n\(output)\nEOF") == "the shell command printed output that cannot be read: \(reason)")
    }

    @Test func aNonZeroExitQuotesTheFirstLinesOfStandardErrorWithSecretsMasked() async {
        let message = await failure(
            "echo \"token $API_TOKEN rejected\" >&2; for i in 1 2 3 4 5 6 7; do echo line$i >&2; done; echo 3; exit 4",
            environment: ["API_TOKEN": "hunter2-secret", "HOME": "/home/ana", "PATH": "/usr/bin:/bin"])
        #expect(message == "the shell command exited with status 4; standard error: token *** rejected | line1 | line2 | line3 | line4")
    }

    @Test func argumentsAreNeverQuoted() async {
        let collector = CommandCollector(source: "tool", argv: ["/bin/sh", "-c", "exit 2", "--password=hunter2"])
        do {
            _ = try await collector.collect(CollectionRequest(now: now, timeZone: .gmt))
            Issue.record("collected")
        } catch {
            #expect("\(error)" == "tool: '/bin/sh' exited with status 2")
        }
        let missing = CommandCollector(source: "tool", argv: ["no-such-program-here", "--password=hunter2"])
        await #expect(throws: CollectorError.self) { try await missing.collect(CollectionRequest(now: now, timeZone: .gmt)) }
        do { _ = try await missing.collect(CollectionRequest(now: now, timeZone: .gmt)) } catch { #expect(!"\(error)".contains("hunter2")) }
    }

    @Test func aCommandPastItsTimeoutIsKilledWithWhatItStarted() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-timeout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pidFile = folder.appendingPathComponent("started.pid").path
        // The shell starts a sleep with its pipes closed, which only the kill of the process group can end, then becomes a
        // sleep that holds the pipes. Both must be gone: no bound on the time taken, which a loaded machine stretches.
        let message = await failure(
            "sleep 120 </dev/null >/dev/null 2>&1 & echo $! > \(pidFile); echo waiting >&2; printf 'a 1\\n'; exec sleep 120",
            timeout: .seconds(2))
        #expect(message == "the shell command did not finish within 2 s and was killed; standard error: waiting")
        let started = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await Self.ends(started))
    }

    /// Whether process `pid` ends (is gone, or a zombie waiting for init) within 30 s; SIGKILL is delivered at once, but a
    /// loaded machine may take a moment to run it.
    static func ends(_ pid: Int32) async -> Bool {
        for _ in 0..<3000 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            if stat.split(separator: ")").last?.split(separator: " ").first == "Z" { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    static let types = SourceRegistry.types

    @Test func aShellCommandLoads() throws {
        let config = try ConfigLoader.parse(
            "sources:\n  - type: command\n    name: tickets\n    argv: ./count-tickets --open\n    shell: true\n    metric: tickets_open\n    timeout: 5s\n",
            file: "vitals.yml", environment: [:], sourceTypes: Self.types)
        let source = try #require(config.sources.first { $0.name == "tickets" })
        let collector = try #require(SourceRegistry.collector(for: source, root: URL(fileURLWithPath: "/")) as? CommandCollector)
        #expect(collector.argv == ["./count-tickets --open"])
        #expect(collector.shell && collector.metric == "tickets_open" && collector.timeout == .seconds(5))
        let plain = try ConfigLoader.parse(
            "sources:\n  - type: command\n    argv: [tool, report]\n", file: "vitals.yml", environment: [:], sourceTypes: Self.types)
        let configured = try #require(plain.sources.first { $0.type == .command })
        let defaults = try #require(SourceRegistry.collector(for: configured, root: URL(fileURLWithPath: "/")) as? CommandCollector)
        #expect(!defaults.shell && defaults.timeout == .seconds(30) && defaults.argv == ["tool", "report"])
    }

    @Test(arguments: [
        (
            "    argv: [tool]\n    metric: 9lives\n",
            "vitals.yml:4:13: sources[0].metric: expected a metric name such as build_seconds ([a-zA-Z_:][a-zA-Z0-9_:]*), found '9lives'"
        ),
        ("    argv: [tool]\n    shell: yes please\n", "vitals.yml:4:12: sources[0].shell: expected true or false, found 'yes please'"),
        ("    shell: true\n", "vitals.yml:2:5: sources[0]: missing required key 'argv' for a source of type command"),
        (
            "    argv: []\n",
            "vitals.yml:3:11: sources[0].argv: expected a program and its arguments, such as [./scripts/count, --json], found no program"
        ),
    ])
    func badOptionsAreRejectedWithTheirPosition(options: String, message: String) {
        #expect(throws: ConfigError.self) {
            try ConfigLoader.parse("sources:\n  - type: command\n" + options, file: "vitals.yml", environment: [:], sourceTypes: Self.types)
        }
        do {
            _ = try ConfigLoader.parse("sources:\n  - type: command\n" + options, file: "vitals.yml", environment: [:], sourceTypes: Self.types)
        } catch {
            #expect(error.description == message)
        }
    }
}
