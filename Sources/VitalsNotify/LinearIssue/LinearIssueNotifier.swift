public import Foundation
import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// Opens, comments on and closes Linear issues for alerts (see ``ImprovementTask``), through Linear's GraphQL API: an
/// alert's issue is the team's issue, not completed or canceled, whose description contains the marker
/// (`issues(filter: {description: {contains: …}})`); closing moves it to the team's first `completed` workflow state.
///
/// GraphQL errors are rejected with Linear's message, except a rate limit (`RATELIMITED`, or HTTP 429), which is retried
/// like 5xx and no connection.
public struct LinearIssueNotifier: Notifier {
    public let channel: String
    public let config: LinearIssueChannelConfig
    let context: NotifierContext

    public init(channel: String, config: LinearIssueChannelConfig, context: NotifierContext) {
        self.channel = channel
        self.config = config
        self.context = context
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        await ImprovementTask.deliver(
            message, type: LinearIssueChannelConfig.type, tokenEnv: config.tokenEnv, lookAtReports: config.lookAtReports, context: context
        ) { token, delivery in
            LinearIssues(config: config, token: token, delivery: delivery)
        }
    }
}

/// Linear's issues of one team, over GraphQL.
struct LinearIssues: IssueTracker {
    let config: LinearIssueChannelConfig
    let token: String
    let delivery: HTTPDelivery

    func findOpen(marker: String) async throws(Undelivered) -> TrackedIssue? {
        let data = try await query(
            """
            query VitalsFindIssue($team: String!, $marker: String!) {
              issues(first: 1, filter: {team: {key: {eq: $team}}, description: {contains: $marker}, state: {type: {nin: ["completed", "canceled"]}}}) {
                nodes { id identifier }
              }
            }
            """, ["team": config.team, "marker": marker])
        let nodes = (data["issues"] as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
        return (nodes.first?["id"] as? String).map(TrackedIssue.init)
    }

    func create(title: String, body: String) async throws(Undelivered) -> TrackedIssue {
        let team = try await team()
        let data = try await query(
            """
            mutation VitalsCreateIssue($input: IssueCreateInput!) {
              issueCreate(input: $input) { success issue { id identifier url } }
            }
            """, ["input": ["teamId": team.id, "title": title, "description": body]])
        guard let id = ((data["issueCreate"] as? [String: Any])?["issue"] as? [String: Any])?["id"] as? String else {
            throw .retry(delivery.failure(status: nil, "Linear issueCreate: an answer without the issue's id"))
        }
        return TrackedIssue(id: id)
    }

    func comment(on issue: TrackedIssue, _ body: String) async throws(Undelivered) {
        _ = try await query(
            """
            mutation VitalsComment($input: CommentCreateInput!) {
              commentCreate(input: $input) { success }
            }
            """, ["input": ["issueId": issue.id, "body": body]])
    }

    func close(_ issue: TrackedIssue) async throws(Undelivered) {
        guard let completed = try await team().completedState else {
            throw .reject(delivery.failure(status: nil, "Linear team \(config.team) has no workflow state of type completed to close issues in"))
        }
        _ = try await query(
            """
            mutation VitalsCloseIssue($id: String!, $input: IssueUpdateInput!) {
              issueUpdate(id: $id, input: $input) { success }
            }
            """, ["id": issue.id, "input": ["stateId": completed]])
    }

    /// The team's id and its first `completed` workflow state (by position), by its key.
    private func team() async throws(Undelivered) -> (id: String, completedState: String?) {
        let data = try await query(
            """
            query VitalsTeam($team: String!) {
              teams(filter: {key: {eq: $team}}) { nodes { id states { nodes { id type position } } } }
            }
            """, ["team": config.team])
        guard let team = ((data["teams"] as? [String: Any])?["nodes"] as? [[String: Any]])?.first, let id = team["id"] as? String else {
            throw .reject(delivery.failure(status: nil, "Linear has no team with the key \(config.team) that this token can see"))
        }
        let states = (team["states"] as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
        let completed = states.filter { $0["type"] as? String == "completed" }
            .min { ($0["position"] as? Double ?? 0) < ($1["position"] as? Double ?? 0) }
        return (id, completed?["id"] as? String)
    }

    /// Runs one GraphQL operation; returns its `data`.
    private func query(_ text: String, _ variables: [String: Any]) async throws(Undelivered) -> [String: Any] {
        // Personal API keys go as they are; OAuth access tokens as Bearer tokens.
        let authorization = token.hasPrefix("lin_api_") ? token : "Bearer \(token)"
        let request = HTTPRequest(
            method: "POST", url: config.baseURL.appendingPathComponent("graphql"),
            headers: ["Content-Type": "application/json", "Authorization": authorization],
            body: HTTPDelivery.json(["query": text, "variables": variables]))
        let response = try await delivery.send(request)
        let answer = HTTPDelivery.object(response.body)
        let errors = answer?["errors"] as? [[String: Any]] ?? []
        if let error = errors.first {
            let message = "Linear: \(error["message"] as? String ?? "an error without a message")"
            let code = (error["extensions"] as? [String: Any])?["code"] as? String
            let failure = delivery.failure(status: response.status, code.map { "\(message) (\($0))" } ?? message)
            throw code == "RATELIMITED" || response.status == 429 || response.status >= 500 ? delivery.retry(failure, response) : .reject(failure)
        }
        try delivery.accept(response, "Linear")
        guard let data = answer?["data"] as? [String: Any] else {
            throw .retry(delivery.failure(status: response.status, "Linear: an answer without data: \(HTTPDelivery.excerpt(response))"))
        }
        return data
    }
}

extension LinearIssueNotifier {
    /// `type: linear_issue` in `channels:`: the settings read by its config, the notifier made from them.
    public static let definition = ChannelDefinition(
        type: LinearIssueChannelConfig.type, read: { section throws(ConfigError) in try LinearIssueChannelConfig(section) },
        make: { name, config, context in LinearIssueNotifier(channel: name, config: config, context: context) })
}
