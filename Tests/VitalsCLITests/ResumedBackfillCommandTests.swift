import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `vitals collect github --backfill 90d` killed half-way, then run again: the second run resumes at the page where the
/// first stopped (it asks for no page the first one had, beyond the one in flight), and the store ends with the samples of
/// a run that was never interrupted; the store file holds no token.
@Suite struct ResumedBackfillCommandTests {
    static let token = "ghp_RESUMEtoken0123456789abcdefABCDEFgh"
    let now = "2026-11-25T12:00:00Z"

    /// A stand-in for GitHub's REST API with eleven merged pull requests (pages of two, `Link` headers) and empty lists
    /// elsewhere. Until `release` is called, the request for `blocked` is recorded and never answered, and `reached` is
    /// signalled.
    final class GitHubStandIn: @unchecked Sendable {
        let blocked: String
        let reached = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var held = true
        private(set) var server: LoopbackHTTPServer!

        init(blocking blocked: String) throws {
            self.blocked = blocked
            server = try LoopbackHTTPServer { [unowned self] request in answer(request) }
        }

        func release() { lock.withLock { held = false } }

        static var pulls: [[String: Any]] {
            (1...11).map { number in
                let day = String(format: "%02d", 24 - number)
                return [
                    "number": number, "state": "closed", "user": ["login": "dev\(number % 3)"], "created_at": "2026-11-\(day)T08:00:00Z",
                    "updated_at": "2026-11-\(day)T10:00:00Z", "closed_at": "2026-11-\(day)T10:00:00Z", "merged_at": "2026-11-\(day)T10:00:00Z",
                    "draft": false, "title": "Change \(number)",
                ]
            }
        }

        private func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response? {
            if request.target.hasPrefix(blocked), lock.withLock({ held }) {
                reached.signal()
                return nil
            }
            let path = request.path
            let query = URLComponents(string: request.target)?.queryItems ?? []
            var headers = [("Content-Type", "application/json"), ("x-ratelimit-remaining", "4999"), ("x-ratelimit-reset", "1772600000")]
            func json(_ value: Any) -> LoopbackHTTPServer.Response {
                LoopbackHTTPServer.Response(headers: headers, body: try! JSONSerialization.data(withJSONObject: value, options: .sortedKeys))
            }
            if path == "/repos/acme/api/pulls" {
                let items = query.contains { $0.name == "state" && $0.value == "closed" } ? Self.pulls : []
                let page = Int(query.first { $0.name == "page" }?.value ?? "1") ?? 1
                if page * 2 < items.count {
                    var components = URLComponents(url: server.baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
                    components.queryItems = query.filter { $0.name != "page" } + [URLQueryItem(name: "page", value: "\(page + 1)")]
                    headers.append(("Link", "<\(components.url!.absoluteString)>; rel=\"next\""))
                }
                return json(Array(items.dropFirst((page - 1) * 2).prefix(2)))
            }
            if path.hasSuffix("/reviews") { return json([["user": ["login": "reviewer"], "state": "APPROVED", "submitted_at": "2026-11-01T09:00:00Z"]]) }
            if let number = Int(path.split(separator: "/").last ?? ""), path.contains("/pulls/") {
                return json(["number": number, "additions": number * 10, "deletions": number])
            }
            if path.hasSuffix("/actions/runs") { return json(["total_count": 0, "workflow_runs": []]) }
            if path.hasSuffix("/code-scanning/alerts") { return LoopbackHTTPServer.Response(status: 404, text: #"{"message":"Not Found"}"#) }
            return json([])
        }
    }

    func project(_ server: LoopbackHTTPServer) throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        _ = try folder.write(
            "vitals.yml",
            "sources:\n  - type: github\n    repo: acme/api\n    token_env: GH_TOKEN\n    base_url: \(server.baseURL.absoluteString)\n")
        return folder
    }

    /// Every sample in the store of `folder`, as text lines, sorted.
    func samples(in folder: TemporaryFolder) async throws -> [String] {
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: .gmt, retention: .days(3650))
        let all = Period(from: Timestamp(milliseconds: 0), to: try Timestamp(rfc3339: "2100-01-01T00:00:00Z"))
        var lines: [String] = []
        for series in try await store.series(named: nil) {
            for point in try await store.samples(of: series.key, in: all) { lines.append("\(series.key) \(point.timestamp) \(point.value)") }
        }
        return lines.sorted()
    }

    @Test func aKilledBackfillResumesAtThePageWhereItStopped() async throws {
        let blocked = "/repos/acme/api/pulls/7/reviews"
        let github = try GitHubStandIn(blocking: blocked)
        let folder = try project(github.server)
        let environment = ["GH_TOKEN": Self.token]
        let arguments = ["collect", "github", "--backfill", "90d", "--now", now]

        let killed = try VitalsProcess.start(arguments, in: folder.url, environment: environment)
        // Should vitals end before it reaches the blocked page, this stops the wait below.
        killed.terminationHandler = { _ in github.reached.signal() }
        github.reached.wait()
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        github.server.waitUntilIdle()
        let first = github.server.requests.map(\.target)
        try #require(first.last?.hasPrefix(blocked) == true, "vitals ended before the blocked page: \(first)")
        github.release()

        let resumed = try VitalsProcess.run(arguments, in: folder.url, environment: environment)

        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        let second = Array(github.server.requests.map(\.target).dropFirst(first.count))
        #expect(second.first?.hasPrefix(blocked) == true, "\(second)")
        let askedTwice = Set(first.dropLast()).intersection(second)
        #expect(askedTwice.isEmpty, "asked again: \(askedTwice.sorted())")
        #expect(first.count > 10 && second.count > 5, "first \(first.count), then \(second.count) requests")

        let reference = try GitHubStandIn(blocking: "/none")
        let uninterrupted = try project(reference.server)
        let whole = try VitalsProcess.run(arguments, in: uninterrupted.url, environment: environment)
        #expect(whole.status == 0, "\(whole.stdout)\(whole.stderr)")
        #expect(Set(reference.server.requests.map(\.target)) == Set(first.dropLast() + second))
        let expected = try await samples(in: uninterrupted)
        #expect(expected.contains { $0.hasPrefix("github_prs_merged") })
        #expect(try await samples(in: folder) == expected)

        let files = try FileManager.default.contentsOfDirectory(at: folder.url.appendingPathComponent(".vitals"), includingPropertiesForKeys: nil)
        for file in files { #expect(!String(decoding: try Data(contentsOf: file), as: UTF8.self).contains(Self.token), "\(file.lastPathComponent)") }
    }

    /// A run after a successful one asks `If-None-Match` with the ETags kept in the store by the process before.
    @Test func aLaterRunRevalidatesWithTheKeptETags() throws {
        let etags = try LoopbackHTTPServer { request in
            let etag = "\"v1-\(request.path.count)\""
            if request.header("If-None-Match") == etag { return LoopbackHTTPServer.Response(status: 304, headers: [("ETag", etag)]) }
            let body = request.path.hasSuffix("/actions/runs") ? #"{"total_count":0,"workflow_runs":[]}"# : "[]"
            return LoopbackHTTPServer.Response(headers: [("Content-Type", "application/json"), ("ETag", etag)], text: body)
        }
        let folder = try project(etags)
        let arguments = ["collect", "github", "--now", now]

        let first = try VitalsProcess.run(arguments, in: folder.url, environment: ["GH_TOKEN": Self.token])
        let count = etags.requests.count
        let second = try VitalsProcess.run(arguments, in: folder.url, environment: ["GH_TOKEN": Self.token])

        #expect(first.status == 0 && second.status == 0, "\(first.stderr)\(second.stderr)")
        #expect(etags.requests.prefix(count).allSatisfy { $0.header("If-None-Match") == nil })
        // The lists read since a time (issues, workflow runs) ask from the day before the first run now: other URLs.
        let asked = Set(etags.requests.prefix(count).map(\.target))
        let again = etags.requests.dropFirst(count).filter { asked.contains($0.target) }
        #expect(again.count >= 5, "\(again.map(\.target))")
        #expect(again.allSatisfy { $0.header("If-None-Match") == "\"v1-\($0.path.count)\"" }, "\(again.map(\.target))")
    }
}
