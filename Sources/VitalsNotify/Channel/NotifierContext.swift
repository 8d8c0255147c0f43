public import Foundation
public import VitalsHTTP

/// What every notifier is built with besides its channel's settings: the configuration's folder (a `file` channel's
/// relative path starts there), the environment its secrets are read from when it delivers, the transports (libcurl's,
/// or a test's), and the clock (for `Retry-After` dates and a mail's `Date`).
public struct NotifierContext: Sendable {
    public var root: URL
    public var environment: [String: String]
    public var transport: any HTTPTransport
    public var mailTransport: any MailTransport
    public var now: @Sendable () -> Date

    public init(
        root: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath), environment: [String: String], transport: any HTTPTransport = CurlTransport(), mailTransport: any MailTransport = CurlTransport(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.root = root
        self.environment = environment
        self.transport = transport
        self.mailTransport = mailTransport
        self.now = now
    }

    /// The value of `variable`, which the channel's `key` names. Secrets are read when a message is delivered, never when
    /// the channel is configured; a variable that is not set is a reject: no retry sets it, and `vitals outbox retry`
    /// sends the message again once it is.
    func secret(_ variable: String, key: String) throws(Undelivered) -> String {
        guard let value = environment[variable], !value.isEmpty else {
            throw .reject(DeliveryFailure(status: nil, "the environment variable \(variable) (\(key)) is not set"))
        }
        return value
    }

    /// One attempt's HTTP exchanges, with `secrets` kept out of every failure.
    func delivery(secrets: [String]) -> HTTPDelivery { HTTPDelivery(transport: transport, now: now, secrets: secrets) }
}
