import Foundation
import VitalsTestSupport

/// A stand-in for GitHub's REST API on 127.0.0.1, answering as the published description says: lists in pages of
/// ``pageSize`` with RFC 8288 `Link` headers (absolute URLs, `page` parameter), rate-limit headers on every answer,
/// `ETag`s and 304 for a matching `If-None-Match`, JSON error bodies `{"message": ...}`. Answers queued with
/// ``queue(_:_:)`` for a path go first (a secondary limit, an HTML page, a cut-off body).
final class FakeGitHub: @unchecked Sendable {
    let pageSize = 2
    private let lock = NSLock()
    private var lists: [String: [Any]] = [:]
    private var objects: [String: Any] = [:]
    private var queued: [String: [LoopbackHTTPServer.Response]] = [:]
    private var handlers: [String: @Sendable (LoopbackHTTPServer.Request, URL) -> LoopbackHTTPServer.Response] = [:]
    private var server: LoopbackHTTPServer!
    /// Sent as `x-ratelimit-reset` (epoch seconds).
    let reset: Int

    init(reset: Int = 1_772_600_000) throws {
        self.reset = reset
        server = try LoopbackHTTPServer { [unowned self] request in answer(request) }
    }

    deinit { server.stop() }

    var baseURL: URL { server.baseURL }
    var requests: [LoopbackHTTPServer.Request] { server.requests }

    func list(_ path: String, _ items: [Any]) { lock.withLock { lists[path] = items } }
    func object(_ path: String, _ value: Any) { lock.withLock { objects[path] = value } }
    func queue(_ path: String, _ response: LoopbackHTTPServer.Response) { lock.withLock { queued[path, default: []].append(response) } }
    /// Answers `path` with `handler`, given the request and the server's base URL.
    func handle(_ path: String, _ handler: @escaping @Sendable (LoopbackHTTPServer.Request, URL) -> LoopbackHTTPServer.Response) {
        lock.withLock { handlers[path] = handler }
    }

    private func answer(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        let path = String(request.path.drop { $0 == "/" })
        let rateHeaders = [("x-ratelimit-limit", "5000"), ("x-ratelimit-remaining", "4999"), ("x-ratelimit-reset", "\(reset)")]
        if let next = lock.withLock({ queued[path]?.isEmpty == false ? queued[path]!.removeFirst() : nil }) { return next }
        if let handler = lock.withLock({ handlers[path] }) { return handler(request, baseURL) }
        let query = URLComponents(string: request.target)?.queryItems ?? []
        var headers = rateHeaders + [("Content-Type", "application/json; charset=utf-8")]
        let body: Data
        if var items = lock.withLock({ lists[path] }) {
            // The filters of the issues and pulls lists: `state` (open, closed, all) and `labels` (names, case aside).
            if let state = query.first(where: { $0.name == "state" })?.value, state != "all" {
                items = items.filter { (($0 as? [String: Any])?["state"] as? String).map { $0 == state } ?? true }
            }
            if let label = query.first(where: { $0.name == "labels" })?.value?.lowercased() {
                items = items.filter { item in
                    let labels = (item as? [String: Any])?["labels"] as? [[String: Any]] ?? []
                    return labels.contains { ($0["name"] as? String)?.lowercased() == label }
                }
            }
            let page = Int(query.first { $0.name == "page" }?.value ?? "1") ?? 1
            let slice = Array(items.dropFirst((page - 1) * pageSize).prefix(pageSize))
            body = try! JSONSerialization.data(withJSONObject: slice, options: .sortedKeys)
            if page * pageSize < items.count {
                var components = URLComponents(url: baseURL.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
                components.queryItems = query.filter { $0.name != "page" } + [URLQueryItem(name: "page", value: "\(page + 1)")]
                headers.append(("Link", "<\(components.url!.absoluteString)>; rel=\"next\""))
            }
        } else if let value = lock.withLock({ objects[path] }) {
            body = try! JSONSerialization.data(withJSONObject: value, options: .sortedKeys)
        } else {
            let message = #"{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}"#
            return LoopbackHTTPServer.Response(status: 404, headers: headers, text: message)
        }
        let etag = "\"\(body.hashValue)\""
        if request.header("If-None-Match") == etag { return LoopbackHTTPServer.Response(status: 304, headers: rateHeaders + [("ETag", etag)]) }
        return LoopbackHTTPServer.Response(status: 200, headers: headers + [("ETag", etag)], body: body)
    }
}

/// GitHub objects with the fields the description requires that vitals reads, and a few it ignores.
enum GitHubJSON {
    static func user(_ login: String?) -> Any { login.map { ["login": $0, "id": abs($0.hashValue % 10_000), "type": "User"] } ?? NSNull() }

    static func pull(
        _ number: Int, by author: String?, created: String, updated: String, merged: String? = nil, closed: String? = nil, state: String = "closed"
    ) -> [String: Any] {
        [
            "number": number, "state": state, "title": "Change \(number)", "html_url": "https://github.com/o/r/pull/\(number)", "user": user(author),
            "created_at": created, "updated_at": updated,
            "closed_at": closed ?? merged ?? NSNull(), "merged_at": merged ?? NSNull(), "draft": false, "locked": false,
        ]
    }

    static func review(by login: String?, submitted: String?, state: String = "APPROVED") -> [String: Any] {
        ["id": 1, "user": user(login), "state": state, "body": "", "submitted_at": submitted ?? NSNull(), "commit_id": "abc"]
    }

    static func deployment(_ id: Int, sha: String, created: String, environment: String = "production") -> [String: Any] {
        ["id": id, "sha": sha, "ref": "main", "task": "deploy", "environment": environment, "created_at": created, "updated_at": created]
    }

    static func status(_ state: String, at created: String) -> [String: Any] {
        ["id": 1, "state": state, "description": "", "created_at": created, "updated_at": created, "environment": "production"]
    }

    static func comparison(_ status: String, commitDates: [String]) -> [String: Any] {
        let commits = commitDates.enumerated().map { index, date in
            ["sha": "c\(index)", "commit": ["author": ["name": "Ana", "email": "ana@example.org", "date": date], "message": "change"]]
        }
        return ["status": status, "ahead_by": commits.count, "behind_by": 0, "total_commits": commits.count, "commits": commits]
    }

    static func run(
        _ id: Int, workflow: String, conclusion: String, created: String, started: String, updated: String, sha: String = "abc"
    ) -> [String: Any] {
        [
            "id": id, "name": workflow, "workflow_id": abs(workflow.hashValue % 1000), "status": "completed", "conclusion": conclusion,
            "created_at": created, "run_started_at": started, "updated_at": updated, "head_sha": sha, "event": "push", "run_number": id,
        ]
    }

    static func alert(_ number: Int, securitySeverity: String?, severity: String) -> [String: Any] {
        [
            "number": number, "state": "open", "created_at": "2026-03-01T00:00:00Z", "dismissed_by": NSNull(), "dismissed_at": NSNull(),
            "dismissed_reason": NSNull(),
            "rule": [
                "id": "rule\(number)", "severity": severity, "security_severity_level": securitySeverity.map { $0 as Any } ?? NSNull(),
                "description": "r",
            ],
            "tool": ["name": "CodeQL", "version": "2.20.0"],
        ]
    }

    static func issue(_ number: Int, created: String, closed: String? = nil, labels: [String], pullRequest: Bool = false) -> [String: Any] {
        var issue: [String: Any] = [
            "number": number, "title": "Issue \(number)", "state": closed == nil ? "open" : "closed", "created_at": created,
            "closed_at": closed ?? NSNull(), "labels": labels.map { ["name": $0] },
        ]
        if pullRequest { issue["pull_request"] = ["url": "https://api.github.com/repos/o/r/pulls/\(number)"] }
        return issue
    }
}
