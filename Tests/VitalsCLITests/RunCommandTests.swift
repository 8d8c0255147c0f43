import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// `vitals run` as a real process: leadership between two daemons on one store file, and shutdown on signals. Nothing
/// waits for a minute to pass: a job runs at once as the catch-up of a run the store says was missed, and the lease's TTL
/// is shortened with the hidden `--lease-ttl`.
@Suite(.serialized) struct RunCommandTests {
    /// A running daemon whose standard error goes to a file the test polls.
    final class Daemon {
        let process: Process
        let log: URL

        /// Starts the daemon on `store` with its HTTP API on a port the kernel picks (`--listen 127.0.0.1:0`), so daemons side
        /// by side and other tests' servers never clash; ``api()`` reads it from the log.
        init(_ arguments: [String], in folder: TemporaryFolder, name: String, store: String = "vitals.db", environment: [String: String] = [:]) throws {
            log = folder.url.appendingPathComponent("\(name).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            process = try VitalsProcess.start(
                ["run", "--store", store, "--listen", "127.0.0.1:0"] + arguments, in: folder.url, environment: environment,
                standardError: try FileHandle(forWritingTo: log))
        }

        /// Where its HTTP API listens, once it says so.
        func api() async throws -> URL {
            let needle = "HTTP API listening address="
            #expect(try await waitFor(needle), "\(text)")
            let address = try #require(text.components(separatedBy: needle).dropFirst().first?.prefix { !$0.isWhitespace }, "\(text)")
            return try #require(URL(string: "http://\(address)"))
        }

        var text: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Waits until the log has a line containing `needle`, polling, for at most `timeout`.
        func waitFor(_ needle: String, timeout: Duration = .seconds(20)) async throws -> Bool {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while clock.now < deadline {
                if text.contains(needle) { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return text.contains(needle)
        }

        /// Waits for the process to exit, for at most `timeout`; false if it is still running.
        func waitForExit(timeout: Duration = .seconds(20)) async throws -> Bool {
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while process.isRunning && clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            return !process.isRunning
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    @Test func theStandbyTakesOverWhenTheLeaderIsKilled() async throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("jobs.crontab", "0 3 * * * housekeeping\n")
        let options = ["--schedule", "jobs.crontab", "--lease-ttl", "2s", "--log-format", "json"]
        let leader = try Daemon(options, in: folder, name: "leader")
        #expect(try await leader.waitFor("leader: holding the lease"), "\(leader.text)")
        let standby = try Daemon(options, in: folder, name: "standby")
        #expect(try await standby.waitFor("standby: another daemon holds the lease"), "\(standby.text)")

        leader.signal(SIGKILL)
        let killed = ContinuousClock.now
        #expect(try await standby.waitFor("leader: holding the lease", timeout: .seconds(60)), "\(standby.text)")
        let takeover = ContinuousClock.now - killed
        // The 2 s TTL and some slack for a loaded machine; the default TTL (30 s) would show that `--lease-ttl` was ignored.
        #expect(takeover < .seconds(20), "took over after \(takeover)")

        standby.signal(SIGTERM)
        #expect(try await standby.waitForExit())
        #expect(standby.process.terminationStatus == 0, "\(standby.text)")
        #expect(standby.text.contains("released the leader lease"))
        // Every line of a JSON log is one JSON object.
        for line in standby.text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["ts"] is String && object?["level"] is String && object?["message"] is String, "\(line)")
        }
    }

    @Test func aPausedLeaderLosesTheLeaseAndWaitsAsAStandbyWhenItResumes() async throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("jobs.crontab", "0 3 * * * housekeeping\n")
        let options = ["--schedule", "jobs.crontab", "--lease-ttl", "2s"]
        let first = try Daemon(options, in: folder, name: "first")
        #expect(try await first.waitFor("leader: holding the lease"), "\(first.text)")
        let second = try Daemon(options, in: folder, name: "second")
        #expect(try await second.waitFor("standby: another daemon holds the lease"), "\(second.text)")

        first.signal(SIGSTOP)
        #expect(try await second.waitFor("leader: holding the lease epoch=2"), "\(second.text)")
        first.signal(SIGCONT)
        #expect(try await first.waitFor("lost the leader lease"), "\(first.text)")
        #expect(try await first.waitFor("standby: another daemon holds the lease"), "\(first.text)")
        #expect(!second.text.contains("lost the leader lease"), "\(second.text)")
    }

    /// A daemon whose `collect slow` job (a command source that takes `seconds`) starts at once: the store says the
    /// job's last run was two hours ago, so this minute's run is a missed one within the catch-up hour. `configuration`
    /// goes at the head of its vitals.yml.
    func daemonWithAJobInFlight(
        seconds: Int, in folder: TemporaryFolder, configuration: String = "", options: [String] = [], environment: [String: String] = [:]
    ) async throws -> Daemon {
        _ = try folder.write(
            "vitals.yml",
            configuration + """
                sources:
                  - type: command
                    name: slow
                    argv: [sh, -c, "echo $$ > job.pid; sleep \(seconds); echo 1"]
                    metric: slow_value
                    timeout: 5m
                """)
        _ = try folder.write("jobs.crontab", "* * * * * collect slow\n")
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent("vitals.db").path, timeZone: .gmt, retention: .days(30))
        let twoHoursAgo = SystemClock().now().subtracting(.hours(2))
        try await store.recordJobRun(JobRun(source: "collect slow", started: twoHoursAgo, finished: twoHoursAgo, status: .ok, samplesWritten: 0))
        let daemon = try Daemon(["--schedule", "jobs.crontab"] + options, in: folder, name: "daemon", environment: environment)
        #expect(try await daemon.waitFor("job started"), "\(daemon.text)")
        // The daemon says so when it starts the job's shell, which may not have run yet: the job is in flight once the shell
        // has written its pid (a test that signalled at once found no `job.pid`: the shell had been killed before it wrote).
        let pid = folder.url.appendingPathComponent("job.pid")
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? String(contentsOf: pid, encoding: .utf8))?.hasSuffix("\n") != true, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return daemon
    }

    /// Queues a firing `HighErrorRate` alert for `channel` in the folder's store, which it returns.
    func queueAnAlert(in folder: TemporaryFolder, to channel: String) async throws -> SQLiteMetricStore {
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent("vitals.db").path, timeZone: .gmt, retention: .days(30))
        let now = SystemClock().now()
        let alert = AlertMessage(
            group: "api", alert: "HighErrorRate", labels: ["service": "api"], event: .firing, severity: .critical, value: 0.07,
            summary: "error rate 7%", at: now)
        _ = try await store.enqueue(key: "api/HighErrorRate@now", payload: .alert(alert), channels: [channel], at: now, force: false)
        return store
    }

    /// On SIGTERM the leader lets the running job finish, then sends what the outbox can send one last time before it
    /// exits: a message queued just before the signal reaches its webhook, though the next delivery round is days away.
    @Test func onSIGTERMWhatTheOutboxHoldsIsSentAfterTheRunningJobBeforeTheDaemonExits() async throws {
        let receiver = try LoopbackHTTPServer { _ in .init(status: 200, text: "ok") }
        let folder = try TemporaryFolder()
        let daemon = try await daemonWithAJobInFlight(
            seconds: 1, in: folder, configuration: "channels:\n  hook: {type: webhook, url_env: HOOK_URL}\n",
            options: ["--delivery-interval", "1000d"], environment: ["HOOK_URL": receiver.baseURL.absoluteString + "/hook"])
        let store = try await queueAnAlert(in: folder, to: "hook")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit())
        #expect(daemon.process.terminationStatus == 0, "\(daemon.text)")
        #expect(receiver.requests.map(\.path) == ["/hook"], "\(daemon.text)")
        #expect(String(decoding: try #require(receiver.requests.first).body, as: UTF8.self).contains("HighErrorRate"))
        let text = daemon.text
        let finished = try #require(text.range(of: "job finished"), "\(text)")
        let delivered = try #require(text.range(of: "outbox delivered dead=0 delivered=1"), "\(text)")
        #expect(finished.lowerBound < delivered.lowerBound, "the job finished first: \(text)")
        #expect(try await store.deliveries(status: .delivered).count == 1)
    }

    @Test func onSIGTERMTheRunningJobFinishesAndTheDaemonExitsZero() async throws {
        let folder = try TemporaryFolder()
        let daemon = try await daemonWithAJobInFlight(seconds: 1, in: folder)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit())
        #expect(daemon.process.terminationStatus == 0, "\(daemon.text)")
        #expect(daemon.text.contains("shutting down: no new runs"))
        #expect(daemon.text.contains("job finished") && daemon.text.contains("status=ok"), "\(daemon.text)")
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent("vitals.db").path, timeZone: .gmt, retention: .days(30))
        // The catch-up run of the minute that passed before the daemon started: recorded with that minute as its time. A test
        // that crosses a minute also finds that minute's run, recorded as skipped since the catch-up was still running.
        let runs = try await store.jobRuns(source: "collect slow", limit: 10)
        let run = try #require(runs.first { $0.scheduled != nil && $0.status != .skipped }, "\(runs)")
        let scheduled = try #require(run.scheduled, "\(run)")
        #expect(run.status == .ok && scheduled.milliseconds % 60_000 == 0 && scheduled < run.started, "\(run)")
        #expect(runs.allSatisfy { $0.status != .skipped || $0.error?.hasSuffix("was still running") == true }, "\(runs)")
        #expect(try await store.jobRuns(source: "slow", limit: 1).first?.status == .ok)
    }

    /// Every daemon serves the HTTP API beside its jobs: `/healthz` lists the job-run log, `/api/v1/query` reads the store.
    @Test func theDaemonServesItsHTTPAPI() async throws {
        let folder = try TemporaryFolder()
        let daemon = try await daemonWithAJobInFlight(seconds: 0, in: folder)
        #expect(try await daemon.waitFor("job finished"), "\(daemon.text)")
        let transport = CurlTransport()
        let api = try await daemon.api()
        let health = try await transport.send(HTTPRequest(method: "GET", url: api.appendingPathComponent("healthz")))
        #expect(health.status == 200)
        #expect(String(decoding: health.body, as: UTF8.self).contains(#""job":"collect slow""#))
        let query = try await transport.send(
            HTTPRequest(method: "GET", url: URL(string: api.absoluteString + "/api/v1/query?query=slow_value")!))
        #expect(String(decoding: query.body, as: UTF8.self).contains(#""value":["#), "\(String(decoding: query.body, as: UTF8.self))")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit())
    }

    /// The leader sends what is due in the outbox at every delivery slot: a message queued before it started reaches its
    /// channel (a file of JSON lines here) once.
    @Test func theLeaderDeliversWhatTheOutboxHolds() async throws {
        let folder = try TemporaryFolder()
        _ = try folder.write("vitals.yml", "channels:\n  audit: {type: file, path: sent.jsonl}\n")
        _ = try folder.write("jobs.crontab", "0 3 * * * housekeeping\n")
        _ = try await queueAnAlert(in: folder, to: "audit")
        let daemon = try Daemon(["--schedule", "jobs.crontab", "--delivery-interval", "200ms"], in: folder, name: "daemon")
        #expect(try await daemon.waitFor("outbox delivered dead=0 delivered=1"), "\(daemon.text)")
        let sent = try String(contentsOf: folder.url.appendingPathComponent("sent.jsonl"), encoding: .utf8)
        #expect(sent.split(separator: "\n").count == 1 && sent.contains("HighErrorRate"), "\(sent)")
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitForExit())
    }

    /// The job in flight would hold a graceful shutdown for two minutes; the second signal ends the daemon long before
    /// (within seconds idle, up to 7 s seen on a loaded CI machine), and the job's shell with the `sleep` it started.
    @Test func aSecondSignalExitsAtOnce() async throws {
        let folder = try TemporaryFolder()
        let daemon = try await daemonWithAJobInFlight(seconds: 120, in: folder)
        daemon.signal(SIGTERM)
        #expect(try await daemon.waitFor("shutting down: no new runs"), "\(daemon.text)")
        let second = ContinuousClock.now
        daemon.signal(SIGINT)
        #expect(try await daemon.waitForExit(timeout: .seconds(60)))
        #expect(ContinuousClock.now - second < .seconds(60))
        #expect(daemon.process.terminationStatus == 128 + SIGINT, "\(daemon.text)")
        #expect(daemon.text.contains("second signal: exiting now"))
        let shell = try #require(Int32(try String(contentsOf: folder.url.appendingPathComponent("job.pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(try await livingProcesses(inGroup: shell, within: .seconds(10)).isEmpty)
    }

    /// The processes of group `group` that have not exited (zombies not counted), once none is left or `within` passed.
    private func livingProcesses(inGroup group: Int32, within timeout: Duration) async throws -> [String] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let living = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { $0.allSatisfy(\.isNumber) }.compactMap { pid -> String? in
                // pid (comm) state ppid pgrp …; comm may hold spaces, so fields are counted after its closing parenthesis.
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return nil }
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group ? stat : nil
            }
            if living.isEmpty || clock.now >= deadline { return living }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
