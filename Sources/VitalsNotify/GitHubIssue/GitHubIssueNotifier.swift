public import Foundation
import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// Opens, comments on and closes GitHub issues for alerts (see ``ImprovementTask``), through GitHub's REST API: an
/// alert's issue is found again by listing the open issues with the channel's labels and reading their bodies for the
/// marker (the issue list is consistent at once, where the search API's index lags behind a new issue).
///
/// 401, 404, 410 and 422 are rejected with GitHub's message; a rate limit (403 or 429 with `x-ratelimit-remaining: 0`
/// or a secondary limit), 5xx and no connection are retried, not before the reset or `retry-after`.
public struct GitHubIssueNotifier: Notifier {
    public let channel: String
    public let config: GitHubIssueChannelConfig
    let context: NotifierContext

    public init(channel: String, config: GitHubIssueChannelConfig, context: NotifierContext) {
        self.channel = channel
        self.config = config
        self.context = context
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        await ImprovementTask.deliver(
            message, type: GitHubIssueChannelConfig.type, tokenEnv: config.tokenEnv, lookAtReports: config.lookAtReports, context: context
        ) { token, delivery in
            GitHubIssues(config: config, token: token, delivery: delivery)
        }
    }
}

/// GitHub's issues endpoints for one repository.
struct GitHubIssues: IssueTracker {
    let config: GitHubIssueChannelConfig
    let token: String
    let delivery: HTTPDelivery

    var repository: URL { config.baseURL.appendingPathComponent("repos").appendingPathComponent(config.repo) }

    func findOpen(marker: String) async throws(Undelivered) -> TrackedIssue? {
        var components = URLComponents(url: repository.appendingPathComponent("issues"), resolvingAgainstBaseURL: false)!
        components.queryItems = [URLQueryItem(name: "state", value: "open"), URLQueryItem(name: "per_page", value: "100")]
        if !config.labels.isEmpty { components.queryItems!.append(URLQueryItem(name: "labels", value: config.labels.joined(separator: ","))) }
        var next = components.url
        while let url = next {
            let response = try await send("GET", url, body: nil)
            guard let issues = (try? JSONSerialization.jsonObject(with: response.body)) as? [[String: Any]] else {
                throw .retry(
                    delivery.failure(status: response.status, "GitHub issues: a list that is not GitHub's: \(HTTPDelivery.excerpt(response))"))
            }
            // The list holds pull requests too; their bodies are not vitals'.
            if let issue = issues.first(where: { $0["pull_request"] == nil && ($0["body"] as? String ?? "").contains(marker) }),
                let number = issue["number"] as? Int
            {
                return TrackedIssue(id: String(number))
            }
            next = WebLink.nextPage(of: response, requested: url)
        }
        return nil
    }

    func create(title: String, body: String) async throws(Undelivered) -> TrackedIssue {
        let response = try await send(
            "POST", repository.appendingPathComponent("issues"), body: ["title": title, "body": body, "labels": config.labels])
        guard let number = HTTPDelivery.object(response.body)?["number"] as? Int else {
            throw .retry(delivery.failure(status: response.status, "GitHub create issue: an answer without the issue's number"))
        }
        return TrackedIssue(id: String(number))
    }

    func comment(on issue: TrackedIssue, _ body: String) async throws(Undelivered) {
        _ = try await send("POST", repository.appendingPathComponent("issues/\(issue.id)/comments"), body: ["body": body])
    }

    func close(_ issue: TrackedIssue) async throws(Undelivered) {
        _ = try await send("PATCH", repository.appendingPathComponent("issues/\(issue.id)"), body: ["state": "closed", "state_reason": "completed"])
    }

    private func send(_ method: String, _ url: URL, body: [String: Any]?) async throws(Undelivered) -> HTTPResponse {
        var headers: HTTPHeaders = [
            "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28", "Authorization": "Bearer \(token)",
        ]
        if body != nil { headers.set("Content-Type", "application/json") }
        let response = try await delivery.send(HTTPRequest(method: method, url: url, headers: headers, body: body.map(HTTPDelivery.json)))
        let what = "GitHub \(method) \(url.path)"
        if [403, 429].contains(response.status), let wait = rateLimitWait(response) {
            throw .retry(
                delivery.failure(status: response.status, "\(what): rate limited\(HTTPDelivery.suffix(Self.message(response)))"), after: wait)
        }
        try delivery.accept(response, what, explain: Self.message)
        return response
    }

    /// How long a rate-limited answer asks to wait: `retry-after`, else until `x-ratelimit-reset` when none is left, else a
    /// minute for a secondary limit (as GitHub's documentation asks); nil when the 403 is not a rate limit.
    private func rateLimitWait(_ response: HTTPResponse) -> TimeSpan? {
        if let value = response.headers["retry-after"], let seconds = Int64(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return .seconds(seconds)
        }
        if response.headers["x-ratelimit-remaining"]?.trimmingCharacters(in: .whitespaces) == "0",
            let reset = response.headers["x-ratelimit-reset"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        {
            return TimeSpan(milliseconds: Int64((max(0, reset - delivery.now().timeIntervalSince1970) * 1000).rounded(.up)))
        }
        return Self.message(response).lowercased().contains("secondary rate limit") || response.status == 429 ? .seconds(60) : nil
    }

    /// GitHub's `message` (and the first of its `errors`), else the start of the body.
    static func message(_ response: HTTPResponse) -> String {
        guard let answer = HTTPDelivery.object(response.body), let message = answer["message"] as? String else {
            return HTTPDelivery.excerpt(response)
        }
        let first = (answer["errors"] as? [[String: Any]])?.first.flatMap { $0["message"] as? String ?? $0["code"] as? String }
        return first.map { "\(message) (\($0))" } ?? message
    }
}

extension GitHubIssueNotifier {
    /// `type: github_issue` in `channels:`: the settings read by its config, the notifier made from them.
    public static let definition = ChannelDefinition(
        type: GitHubIssueChannelConfig.type, read: { section throws(ConfigError) in try GitHubIssueChannelConfig(section) },
        make: { name, config, context in GitHubIssueNotifier(channel: name, config: config, context: context) })
}
