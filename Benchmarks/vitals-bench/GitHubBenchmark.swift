import Foundation
import VitalsCollectors
import VitalsCore
import VitalsHTTP
import VitalsTestSupport

/// Remote collection against local stand-ins for GitHub (issue 10):
/// - 50 repositories' pull request lists of 3 pages each, read at once through one `HTTPClient` from a server that
///   answers every request after 100 ms: the wall time with the per-host limit at 16 (target < 2 s) and at the default 4,
///   and the most requests the server saw at once (never above the limit);
/// - the peak resident memory (`ru_maxrss`) of the release `vitals collect github` reading 10,000 merged pull requests
///   (100 list pages, then each one's reviews and size: 20,100 requests, every page kept in the store), target < 100 MB.
struct GitHubBenchmark {
    let folder: URL

    func run() async throws {
        print("github")
        for limit in [16, 4] { try await concurrentPages(limit: limit) }
        try memory(pulls: 10_000)
    }

    func concurrentPages(limit: Int, repositories: Int = 50, pages: Int = 3) async throws {
        // One body for every page: the figure is about waiting, not about making JSON on this 2-core machine.
        let body = try JSONSerialization.data(
            withJSONObject: (0..<100).map { index in
                ["number": index, "state": "closed", "user": ["login": "dev"], "created_at": "2026-11-01T08:00:00Z",
                 "updated_at": "2026-11-20T10:00:00Z", "closed_at": "2026-11-20T10:00:00Z", "merged_at": "2026-11-20T10:00:00Z"]
            })
        let server = try LoopbackHTTPServer { request in
            let query = URLComponents(string: request.target)?.queryItems ?? []
            let page = Int(query.first { $0.name == "page" }?.value ?? "1") ?? 1
            var headers = [("Content-Type", "application/json")]
            if page < pages {
                headers.append(("Link", "<\(request.path)?state=closed&per_page=100&page=\(page + 1)>; rel=\"next\""))
            }
            return LoopbackHTTPServer.Response(headers: headers, body: body, delay: .milliseconds(100))
        }
        defer { server.stop() }
        let http = HTTPClient(limiter: HostLimiter(limit: limit))
        let clock = ContinuousClock()
        let start = clock.now
        let read = try await withThrowingTaskGroup(of: Int.self) { group in
            for repository in 0..<repositories {
                group.addTask {
                    let client = GitHubClient(baseURL: server.baseURL, token: "bench", http: http)
                    let url = client.url("repos/acme/r\(repository)/pulls", query: [("state", "closed"), ("per_page", "100")])
                    return try await client.list(url, as: GitHubRecords.PullRequest.self).count
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard read == repositories * pages * 100, server.requests.count == repositories * pages else {
            throw BenchError("read \(read) pull requests in \(server.requests.count) requests")
        }
        let target = limit == 16 ? " (target < 2 s)" : ""
        line("  \(repositories) repos × \(pages) pages, 100 ms each, per-host limit \(limit)", "\(format(seconds, 2)) s\(target)")
        line("    most requests in flight at the server", "\(server.mostConcurrentRequests) (limit \(limit))")
        guard server.mostConcurrentRequests <= limit else { throw BenchError("more requests in flight than the limit") }
    }

    func memory(pulls: Int) throws {
        let now = "2026-11-25T12:00:00Z"
        let server = try LoopbackHTTPServer { request in
            let query = URLComponents(string: request.target)?.queryItems ?? []
            var headers = [("Content-Type", "application/json")]
            let body: Any
            switch request.path {
            case "/repos/acme/big/pulls" where query.contains { $0.name == "state" && $0.value == "closed" }:
                let page = Int(query.first { $0.name == "page" }?.value ?? "1") ?? 1
                if page * 100 < pulls { headers.append(("Link", "<\(request.path)?state=closed&sort=updated&direction=desc&per_page=100&page=\(page + 1)>; rel=\"next\"")) }
                body = (0..<100).map { index in
                    // Newest first, all merged in the 30 days read.
                    let minute = (page - 1) * 100 + index
                    let merged = RFC3339.format(try! Timestamp(rfc3339: now).subtracting(.minutes(Int64(minute * 4 + 1))))
                    return Self.pull(number: pulls - minute, merged: merged)
                }
            case let path where path.hasSuffix("/reviews"):
                body = [["user": ["login": "reviewer"], "state": "APPROVED", "submitted_at": "2026-11-01T09:00:00Z", "body": "Looks good."]]
            case let path where path.hasPrefix("/repos/acme/big/pulls/"):
                body = ["number": Int(path.split(separator: "/").last!)!, "additions": 120, "deletions": 30, "changed_files": 4]
            case "/repos/acme/big/actions/runs": body = ["total_count": 0, "workflow_runs": [Any]()]
            case "/repos/acme/big/code-scanning/alerts": return LoopbackHTTPServer.Response(status: 404, text: #"{"message":"Not Found"}"#)
            default: body = [Any]()
            }
            return LoopbackHTTPServer.Response(headers: headers, body: try! JSONSerialization.data(withJSONObject: body))
        }
        defer { server.stop() }
        let project = folder.appendingPathComponent("github-memory")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        try "sources:\n  - {type: github, repo: acme/big, token_env: GH_TOKEN, base_url: \(server.baseURL.absoluteString)}\n".write(
            to: project.appendingPathComponent("vitals.yml"), atomically: true, encoding: .utf8)
        let vitals = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vitals").path
        let arguments = ["collect", "github", "--now", now, "--config", project.appendingPathComponent("vitals.yml").path]
        // The reference: the same binary with one malloc arena, the least glibc's arenas can take.
        var peaks: [String: Int] = [:]
        for (name, environment) in [("as shipped", [String]()), ("MALLOC_ARENA_MAX=1", ["MALLOC_ARENA_MAX=1"])] {
            // Each run starts from an empty store, so both ask for the same pages.
            try? FileManager.default.removeItem(at: project.appendingPathComponent(".vitals"))
            let requestsBefore = server.requests.count
            let clock = ContinuousClock()
            let start = clock.now
            let peak = try peakResidentKilobytes(vitals, arguments, environment: environment)
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            line("  vitals collect github, \(pulls) merged PRs, \(name)", "\(format(seconds, 1)) s (\(server.requests.count - requestsBefore) requests)")
            line("    peak resident memory (ru_maxrss, target < 100 MB)", "\(format(Double(peak) / 1024, 1)) MB")
            peaks[name] = peak
        }
        if let shipped = peaks["as shipped"], let one = peaks["MALLOC_ARENA_MAX=1"] {
            line("    as shipped ÷ one arena", format(Double(shipped) / Double(one), 2))
        }
    }

    /// Runs `path ARGUMENTS` with `GH_TOKEN` and `environment` set, output discarded, and returns its peak resident set in
    /// kilobytes.
    func peakResidentKilobytes(_ path: String, _ arguments: [String], environment extra: [String] = []) throws -> Int {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environment = (["GH_TOKEN=bench", "TZ=UTC", "PATH=/usr/bin:/bin"] + extra).map { strdup($0) } + [nil]
        defer { (argv + environment).forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, path, &actions, nil, argv, environment) == 0 else { throw BenchError("cannot start \(path)") }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        guard status == 0 else { throw BenchError("\(path) \(arguments.joined(separator: " ")) failed (wait status \(status))") }
        return usage.ru_maxrss
    }

    /// A pull request as the list gives it, with the fields vitals ignores that make a real answer large.
    static func pull(number: Int, merged: String) -> [String: Any] {
        let repository: [String: Any] = [
            "id": 1, "name": "big", "full_name": "acme/big", "private": false, "description": String(repeating: "A repository. ", count: 20),
            "owner": ["login": "acme", "id": 1, "type": "Organization"],
        ]
        return [
            "number": number, "state": "closed", "title": "Change \(number)", "body": String(repeating: "Describes the change. ", count: 40),
            "user": ["login": "dev\(number % 7)", "id": number % 7, "type": "User"], "created_at": "2026-10-01T08:00:00Z",
            "updated_at": merged, "closed_at": merged, "merged_at": merged, "draft": false, "locked": false,
            "head": ["ref": "change-\(number)", "sha": "abc\(number)", "repo": repository],
            "base": ["ref": "main", "sha": "def\(number)", "repo": repository],
        ]
    }
}
