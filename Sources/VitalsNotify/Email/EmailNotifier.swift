public import Foundation
import VitalsCore
public import VitalsHTTP
public import VitalsPorts

/// Mails each message to the configured recipients: text/plain (Markdown) and text/html alternatives, a report's
/// `md` and `html` renderings or both built from an alert.
///
/// A 5xx reply (`550 no such user`, `535 authentication failed`) and a server without the STARTTLS the channel requires
/// are rejected; a 4xx reply (`451 try later`), no connection and a timeout are retried.
public struct EmailNotifier: Notifier {
    public let channel: String
    public let config: EmailChannelConfig
    let context: NotifierContext

    public init(channel: String, config: EmailChannelConfig, context: NotifierContext) {
        self.channel = channel
        self.config = config
        self.context = context
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        do throws(Undelivered) {
            let username = try config.usernameEnv.map { variable throws(Undelivered) in
                try context.secret(variable, key: "username_env")
            }
            let password = try config.passwordEnv.map { variable throws(Undelivered) in
                try context.secret(variable, key: "password_env")
            }
            let mail = MailSubmission(
                url: config.url, from: config.from, recipients: config.to, message: try mailMessage(message).rendered(), username: username,
                password: password, tls: config.starttls,
                caFile: config.caFile.map { $0.hasPrefix("/") ? $0 : context.root.appendingPathComponent($0).path })
            do {
                let receipt = try await context.mailTransport.send(mail)
                return .delivered(status: receipt.status)
            } catch {
                let failure = DeliveryFailure(
                    status: error.status, HTTPDelivery.redacting([username, password].compactMap { $0 }, from: error.description))
                switch error.code {
                case .invalidRequest: throw .reject(failure)
                case .status where (500..<600).contains(error.status ?? 0): throw .reject(failure)
                default: throw .retry(failure)
                }
            }
        } catch {
            return error.outcome
        }
    }

    func mailMessage(_ message: OutboxMessage) throws(Undelivered) -> MailMessage {
        let domain = config.from.split(separator: "@").last.map(String.init) ?? "vitals"
        let messageID = "<vitals.\(Fingerprints.sha256("\(channel)\n\(message.idempotencyKey)").prefix(32))@\(domain)>"
        switch message.payload {
        case .alert(let alert):
            let text = AlertText(alert)
            return MailMessage(
                from: config.from, to: config.to, subject: text.headline, date: context.now(), messageID: messageID, text: text.markdown,
                html: text.html)
        case .report(let report):
            guard let markdown = report.bodies["md"] else {
                throw .reject(DeliveryFailure(status: nil, "report '\(report.name)' has no md rendering for the mail's text"))
            }
            return MailMessage(
                from: config.from, to: config.to, subject: report.title, date: context.now(), messageID: messageID, text: markdown,
                html: report.bodies["html"])
        }
    }
}

extension EmailNotifier {
    /// `type: email` in `channels:`: the settings read by its config, the notifier made from them.
    public static let definition = ChannelDefinition(
        type: EmailChannelConfig.type, read: { section throws(ConfigError) in try EmailChannelConfig(section) },
        make: { name, config, context in EmailNotifier(channel: name, config: config, context: context) })
}
