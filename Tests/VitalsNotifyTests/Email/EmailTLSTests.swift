import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsStore
import VitalsTestSupport

/// STARTTLS with real certificates, made for the test by the openssl CLI: aiosmtpd offers STARTTLS and requires it (and
/// AUTH over it); the channel trusts the test's CA through `ca_file`.
@Suite("email over STARTTLS (aiosmtpd with a test CA)", .timeLimit(.minutes(1)))
struct EmailTLSTests {
    static let password = "P4ssw0rd-secret"
    let certificates: TestCertificates
    let authority: TestCertificates.Pair

    init() throws {
        certificates = try TestCertificates()
        authority = try certificates.authority("vitals-test-ca")
    }

    func notifier(_ server: LocalSMTPServer, caFile: String?) -> EmailNotifier {
        EmailNotifier(
            channel: "mail",
            config: EmailChannelConfig(
                url: server.url, from: "vitals@example.com", to: ["team@example.com"], usernameEnv: "SMTP_USER", passwordEnv: "SMTP_PASS",
                starttls: .required, caFile: caFile),
            context: NotifierContext(
                root: certificates.folder.url, environment: ["SMTP_USER": "mailer", "SMTP_PASS": Self.password], now: { EmailNotifierTests.now }))
    }

    func server(_ certificate: TestCertificates.Pair) throws -> LocalSMTPServer {
        try LocalSMTPServer(username: "mailer", password: Self.password, certificate: certificate.certificate, key: certificate.key)
    }

    @Test("a server certificate signed by the CA in ca_file (relative to the configuration's folder): upgraded, authenticated, delivered intact")
    func trusted() async throws {
        let certificate = try certificates.server("mail", alternativeName: "IP:127.0.0.1", signedBy: authority)
        let server = try server(certificate)
        let outcome = await notifier(server, caFile: authority.certificate.lastPathComponent).deliver(Messages.report())
        #expect(outcome == .delivered(status: 250))
        let mail = try #require(try server.mails().first)
        #expect(mail.tls)
        #expect(mail.recipients == ["team@example.com"])
        #expect(mail.subject == "Daily report · 2026-11-28")
        try #require(mail.parts.count == 2)
        #expect(mail.parts[0].content == "# Daily report · 2026-11-28\n\n.a line that starts with a dot\n\nScore 82 ✓\n")
        #expect(mail.parts[1].content == "<!DOCTYPE html><html><body><h1>Daily report · 2026-11-28</h1></body></html>\n")
    }

    enum BadCertificate: String, CaseIterable, CustomTestStringConvertible {
        case selfSigned = "self-signed"
        case otherAuthority = "signed by a CA not in ca_file"
        case wrongHost = "issued for another host name"
        case systemTrust = "from a private CA, with no ca_file"

        var testDescription: String { rawValue }
    }

    @Test("a certificate the channel cannot trust: no mail, the attempt retried with libcurl's reason, no secret in it", arguments: BadCertificate.allCases)
    func refused(_ bad: BadCertificate) async throws {
        let certificate: TestCertificates.Pair
        let cause: String
        switch bad {
        case .selfSigned:
            certificate = try certificates.server("mail", alternativeName: "IP:127.0.0.1", signedBy: nil)
            cause = "self-signed certificate"
        case .otherAuthority:
            certificate = try certificates.server("mail", alternativeName: "IP:127.0.0.1", signedBy: try certificates.authority("someone-else"))
            cause = "unable to get local issuer certificate"
        case .wrongHost:
            certificate = try certificates.server("mail", alternativeName: "DNS:mail.example.com", signedBy: authority)
            cause = "no alternative certificate subject name matches target host name '127.0.0.1'"
        case .systemTrust:
            certificate = try certificates.server("mail", alternativeName: "IP:127.0.0.1", signedBy: authority)
            cause = "unable to get local issuer certificate"
        }
        let server = try server(certificate)
        let notifier = notifier(server, caFile: bad == .systemTrust ? nil : authority.certificate.path)

        // Through the dispatcher and a real store: the delivery stays pending, with the reason, for the next attempt.
        let clock = ManualClock(start: Messages.at)
        let store = try await SQLiteMetricStore.inMemory(timeZone: TimeZone(identifier: "UTC")!, retention: .days(400))
        let message = Messages.report()
        guard case .report(let report) = message.payload else { Issue.record("not a report"); return }
        _ = try await store.enqueue(key: message.idempotencyKey, payload: .report(report), channels: ["mail"], at: clock.timestamp, force: false)
        let dispatcher = Dispatcher(
            store: store, notifiers: [notifier], routing: ChannelRouting(), policy: DeliveryPolicy(jitter: { $0 }), rateLimits: [:], clock: clock,
            now: { clock.timestamp })
        let summary = try await dispatcher.dispatchDue()
        #expect(summary.delivered == 0 && summary.retried == 1 && summary.dead.isEmpty)
        let delivery = try #require(try await store.deliveries(status: nil).first)
        #expect(delivery.status == .pending && delivery.attempts == 1)
        let error = try #require(delivery.lastError)
        #expect(error.contains("the server's TLS certificate was not accepted"), "\(error)")
        #expect(error.contains(cause), "\(error)")
        #expect(!error.contains(Self.password) && !error.contains("mailer"), "\(error)")
        #expect(try server.mails().isEmpty)
    }
}
