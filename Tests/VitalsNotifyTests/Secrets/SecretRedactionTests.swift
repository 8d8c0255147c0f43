import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsTestSupport

/// Whatever a failing delivery produces (its failure's message and description) never holds a channel's secret, even
/// when the receiver echoes the request back in its error, and when there is no receiver at all.
@Suite("no secret in a failed delivery")
struct SecretRedactionTests {
    static let secrets = ["TOKEN-S3CRET-1", "ROUTING-S3CRET-2", "PATH-S3CRET-3", "HMAC-S3CRET-4"]
    static let environment = [
        "SLACK_BOT_TOKEN": "xoxb-TOKEN-S3CRET-1", "PD_KEY": "ROUTING-S3CRET-2", "GH_TOKEN": "TOKEN-S3CRET-1",
        "LINEAR_API_KEY": "lin_api_TOKEN-S3CRET-1",
        "HOOK_SECRET": "HMAC-S3CRET-4",
    ]

    static func notifiers(_ base: URL) -> [any Notifier] {
        var environment = Self.environment
        environment["HOOK_URL"] = base.appendingPathComponent("hooks/PATH-S3CRET-3").absoluteString + "?key=PATH-S3CRET-3"
        return [
            SlackAPINotifier(
                channel: "slack", config: SlackAPIChannelConfig(tokenEnv: "SLACK_BOT_TOKEN", channel: "C1", baseURL: base),
                context: NotifierContext(environment: environment)),
            PagerDutyNotifier(
                channel: "pd", config: PagerDutyChannelConfig(routingKeyEnv: "PD_KEY", baseURL: base),
                context: NotifierContext(environment: environment)),
            WebhookNotifier(
                channel: "hook", config: WebhookChannelConfig(urlEnv: "HOOK_URL", secretEnv: "HOOK_SECRET"),
                context: NotifierContext(environment: environment)),
            GitHubIssueNotifier(
                channel: "gh", config: GitHubIssueChannelConfig(repo: "acme/shop", tokenEnv: "GH_TOKEN", baseURL: base),
                context: NotifierContext(environment: environment)),
            LinearIssueNotifier(
                channel: "linear", config: LinearIssueChannelConfig(team: "ENG", tokenEnv: "LINEAR_API_KEY", baseURL: base),
                context: NotifierContext(environment: environment)),
        ]
    }

    /// A receiver that answers `status` with everything it was sent: the target, every header, the body.
    static func echo(_ status: Int) -> LoopbackHTTPServer.Handler {
        { request in
            let headers = request.headers.map { "\($0.name): \($0.value)" }.joined(separator: " ")
            let text = "\(request.target) \(headers) \(String(decoding: request.body, as: UTF8.self))"
            return .init(
                status: status,
                text:
                    #"{"ok":false,"error":"\#(text.replacingOccurrences(of: "\"", with: "'"))","message":"\#(text.replacingOccurrences(of: "\"", with: "'"))"}"#
            )
        }
    }

    static func texts(_ outcome: DeliveryOutcome) -> [String] {
        switch outcome {
        case .delivered: []
        case .retry(let failure, _), .reject(let failure): [failure.message, failure.description, "\(failure)"]
        }
    }

    @Test("an echoing receiver (400, 500, an ok:false answer) and no receiver", arguments: [400, 500, 200, 0])
    func redacted(status: Int) async throws {
        let server = try LoopbackHTTPServer(Self.echo(status))
        if status == 0 { server.stop() }
        for notifier in Self.notifiers(server.baseURL) {
            let outcome = await notifier.deliver(Messages.alert())
            let texts = Self.texts(outcome)
            if status == 200 && notifier is WebhookNotifier || status == 200 && notifier is PagerDutyNotifier { continue }
            #expect(!texts.isEmpty, "\(notifier.channel) delivered on \(status)")
            for text in texts {
                for secret in Self.secrets { #expect(!text.contains(secret), "\(notifier.channel): \(text)") }
            }
        }
    }

    @Test("email: no server, and credentials refused")
    func email() async throws {
        let server = try LocalSMTPServer(username: "someone", password: "else")
        let closed: URL
        do { closed = try LocalSMTPServer().url }
        for url in [server.url, closed] {
            let notifier = EmailNotifier(
                channel: "mail",
                config: EmailChannelConfig(
                    url: url, from: "v@example.com", to: ["t@example.com"], usernameEnv: "SMTP_USER", passwordEnv: "SMTP_PASS", starttls: .off),
                context: NotifierContext(environment: ["SMTP_USER": "USER-S3CRET-5", "SMTP_PASS": "PASS-S3CRET-6"]))
            let texts = Self.texts(await notifier.deliver(Messages.alert()))
            #expect(!texts.isEmpty)
            for text in texts { #expect(!text.contains("S3CRET"), "\(text)") }
        }
    }
}
