import Foundation
import VitalsTestSupport

/// Linear's GraphQL endpoint for what the linear_issue channel asks, answering as Linear's schema says (field names checked
/// against `packages/sdk/src/schema.graphql` of linear/linear): `teams(filter: {key: {eq}})` with `states`,
/// `issues(filter: {team, description: {contains}, state: {type: {nin}}})`, `issueCreate`, `commentCreate`, `issueUpdate`.
/// Errors come as GraphQL errors with an `extensions.code`.
final class FakeLinear: @unchecked Sendable {
    struct Issue {
        var id: String
        var identifier: String
        var title: String
        var description: String
        var stateID: String
        var comments: [String] = []
    }

    static let states: [(id: String, type: String, position: Double)] = [
        ("state-backlog", "backlog", 0), ("state-todo", "unstarted", 1), ("state-done", "completed", 3), ("state-merged", "completed", 2),
        ("state-canceled", "canceled", 4),
    ]

    private let lock = NSLock()
    private var stored: [Issue] = []
    let token: String

    init(token: String) {
        self.token = token
    }

    var issues: [Issue] { lock.withLock { stored } }

    func stateType(_ id: String) -> String { Self.states.first { $0.id == id }?.type ?? "" }

    func handle(_ request: LoopbackHTTPServer.Request) -> LoopbackHTTPServer.Response {
        guard request.method == "POST", request.path == "/graphql" else { return .init(status: 404) }
        guard request.header("Authorization") == token else {
            return Self.errors(400, "Authentication required, not authenticated", code: "AUTHENTICATION_ERROR")
        }
        let body = Messages.object(request.body)
        let query = body["query"] as? String ?? ""
        let variables = body["variables"] as? [String: Any] ?? [:]
        let input = variables["input"] as? [String: Any] ?? [:]
        return lock.withLock {
            if query.contains("issueCreate(input: $input)") {
                guard input["teamId"] as? String == "team-eng", let title = input["title"] as? String else {
                    return Self.errors(200, "Argument Validation Error", code: "INVALID_INPUT")
                }
                let issue = Issue(
                    id: "issue-\(stored.count + 1)", identifier: "ENG-\(stored.count + 1)", title: title,
                    description: input["description"] as? String ?? "",
                    stateID: "state-todo")
                stored.append(issue)
                return Self.data([
                    "issueCreate": ["success": true, "issue": ["id": issue.id, "identifier": issue.identifier, "url": "https://linear.app/x"]]
                ])
            }
            if query.contains("commentCreate(input: $input)") {
                guard let index = stored.firstIndex(where: { $0.id == input["issueId"] as? String }) else {
                    return Self.errors(200, "Entity not found: Issue", code: "INVALID_INPUT")
                }
                stored[index].comments.append(input["body"] as? String ?? "")
                return Self.data(["commentCreate": ["success": true]])
            }
            if query.contains("issueUpdate(id: $id, input: $input)") {
                guard let index = stored.firstIndex(where: { $0.id == variables["id"] as? String }), let state = input["stateId"] as? String else {
                    return Self.errors(200, "Entity not found: Issue", code: "INVALID_INPUT")
                }
                stored[index].stateID = state
                return Self.data(["issueUpdate": ["success": true]])
            }
            if query.contains("teams(filter: {key: {eq: $team}})") && query.contains("states { nodes { id type position } }") {
                let nodes: [[String: Any]] =
                    variables["team"] as? String == "ENG"
                    ? [["id": "team-eng", "states": ["nodes": Self.states.map { ["id": $0.id, "type": $0.type, "position": $0.position] }]]] : []
                return Self.data(["teams": ["nodes": nodes]])
            }
            if query.contains(
                "issues(first: 1, filter: {team: {key: {eq: $team}}, description: {contains: $marker}, state: {type: {nin: [\"completed\", \"canceled\"]}}})"
            ) {
                let marker = variables["marker"] as? String ?? "<none>"
                let found = stored.filter {
                    variables["team"] as? String == "ENG" && $0.description.contains(marker)
                        && !["completed", "canceled"].contains(stateType($0.stateID))
                }
                return Self.data(["issues": ["nodes": found.prefix(1).map { ["id": $0.id, "identifier": $0.identifier] }]])
            }
            return Self.errors(400, "Cannot query this", code: "GRAPHQL_VALIDATION_FAILED")
        }
    }

    static func data(_ data: [String: Any]) -> LoopbackHTTPServer.Response {
        .init(status: 200, headers: [("Content-Type", "application/json")], body: Messages.json(["data": data]))
    }

    static func errors(_ status: Int, _ message: String, code: String) -> LoopbackHTTPServer.Response {
        .init(
            status: status, headers: [("Content-Type", "application/json")],
            body: Messages.json(["errors": [["message": message, "extensions": ["code": code, "type": "graphql error"]]]]))
    }
}
