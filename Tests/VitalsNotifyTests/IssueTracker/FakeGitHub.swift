import Foundation
import VitalsTestSupport

/// GitHub's issues endpoints for one repository, as its REST API documents them: list open issues (filtered by labels,
/// 30 a page unless `per_page`, `Link` to the next page; pull requests included), create, comment, close.
final class FakeGitHub: @unchecked Sendable {
    struct Issue {
        var number: Int
        var title: String
        var body: String
        var labels: [String]
        var state = "open"
        var stateReason: String?
        var comments: [String] = []
        var isPullRequest = false
    }

    private let lock = NSLock()
    private var stored: [Issue] = []
    let repo: String
    let token: String
    /// Answers every request with this instead, when set.
    var override: (@Sendable (LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response?)?

    init(repo: String = "acme/shop", token: String) {
        self.repo = repo
        self.token = token
    }

    var issues: [Issue] { lock.withLock { stored } }

    func add(_ issue: Issue) { lock.withLock { stored.append(issue) } }

    func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        if let answer = override?(request) { return answer }
        guard request.header("Authorization") == "Bearer \(token)" else { return Self.json(401, ["message": "Bad credentials"]) }
        guard request.header("X-GitHub-Api-Version") == "2022-11-28", request.header("Accept") == "application/vnd.github+json" else {
            return Self.json(400, ["message": "missing headers"])
        }
        let prefix = "/repos/\(repo)/issues"
        let path = request.path
        let body = Messages.object(request.body)
        return lock.withLock {
            switch (request.method, path) {
            case ("GET", prefix):
                let query = URLComponents(string: request.target)?.queryItems ?? []
                let value = { (name: String) in query.first { $0.name == name }?.value }
                let labels = value("labels").map { $0.split(separator: ",").map(String.init) } ?? []
                let matching = stored.filter { $0.state == (value("state") ?? "open") && Set(labels).isSubset(of: $0.labels) }
                let perPage = Int(value("per_page") ?? "30") ?? 30
                let page = Int(value("page") ?? "1") ?? 1
                let slice = matching.dropFirst((page - 1) * perPage).prefix(perPage)
                var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
                if page * perPage < matching.count {
                    // A relative target, as RFC 8288 allows.
                    var next = URLComponents(string: request.target)!
                    next.queryItems = query.filter { $0.name != "page" } + [URLQueryItem(name: "page", value: String(page + 1))]
                    headers.append(("Link", "<\(next.string!)>; rel=\"next\""))
                }
                return .init(status: 200, headers: headers, body: Messages.json(slice.map(Self.representation)))
            case ("POST", prefix):
                guard let title = body["title"] as? String, !title.isEmpty else {
                    return Self.json(
                        422, ["message": "Validation Failed", "errors": [["resource": "Issue", "code": "missing_field", "field": "title"]]])
                }
                let issue = Issue(
                    number: stored.count + 1, title: title, body: body["body"] as? String ?? "", labels: body["labels"] as? [String] ?? [])
                stored.append(issue)
                return .init(status: 201, body: Messages.json(Self.representation(issue)))
            case ("POST", _) where path.hasPrefix(prefix + "/") && path.hasSuffix("/comments"):
                let number = Int(path.dropFirst(prefix.count + 1).dropLast("/comments".count)) ?? 0
                guard let index = stored.firstIndex(where: { $0.number == number }) else { return Self.json(404, ["message": "Not Found"]) }
                stored[index].comments.append(body["body"] as? String ?? "")
                return .init(status: 201, body: Messages.json(["id": 1, "body": body["body"] ?? ""]))
            case ("PATCH", _) where path.hasPrefix(prefix + "/"):
                let number = Int(path.dropFirst(prefix.count + 1)) ?? 0
                guard let index = stored.firstIndex(where: { $0.number == number }) else { return Self.json(404, ["message": "Not Found"]) }
                if let state = body["state"] as? String { stored[index].state = state }
                stored[index].stateReason = body["state_reason"] as? String
                return .init(status: 200, body: Messages.json(Self.representation(stored[index])))
            default:
                return Self.json(404, ["message": "Not Found"])
            }
        }
    }

    static func representation(_ issue: Issue) -> [String: Any] {
        var object: [String: Any] = [
            "number": issue.number, "title": issue.title, "body": issue.body, "state": issue.state,
            "labels": issue.labels.map { ["name": $0] }, "html_url": "https://github.com/acme/shop/issues/\(issue.number)",
        ]
        if issue.isPullRequest { object["pull_request"] = ["url": "https://api.github.com/repos/acme/shop/pulls/\(issue.number)"] }
        return object
    }

    static func json(_ status: Int, _ object: Any, headers: [(name: String, value: String)] = []) -> LoopbackHTTPServer.Response {
        .init(status: status, headers: headers + [("Content-Type", "application/json")], body: Messages.json(object))
    }
}
