import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsTestSupport

@Suite("email over SMTP (aiosmtpd on loopback)")
struct EmailNotifierTests {
    static let now = Date(timeIntervalSince1970: 1_795_939_200)

    func notifier(_ server: LocalSMTPServer, to: [String] = ["team@example.com"], starttls: MailSubmission.TLSPolicy = .off, auth: Bool = false)
        -> EmailNotifier
    {
        EmailNotifier(
            channel: "mail",
            config: EmailChannelConfig(
                url: server.url, from: "vitals@example.com", to: to, usernameEnv: auth ? "SMTP_USER" : nil, passwordEnv: auth ? "SMTP_PASS" : nil,
                starttls: starttls),
            context: NotifierContext(environment: ["SMTP_USER": "mailer", "SMTP_PASS": "P4ssw0rd-secret"], now: { Self.now }))
    }

    @Test("an alert arrives as multipart/alternative: Markdown as text/plain, HTML as text/html, the headers right")
    func alert() async throws {
        let server = try LocalSMTPServer()
        let outcome = await notifier(server, to: ["team@example.com", "lead@example.com"]).deliver(Messages.alert(.firing, severity: .critical))
        #expect(outcome == .delivered(status: 250))
        let mail = try #require(try server.mails().first)
        #expect(mail.mailFrom == "vitals@example.com")
        #expect(mail.recipients == ["team@example.com", "lead@example.com"])
        #expect(mail.subject == "Firing: CoverageLow (critical)")
        #expect(mail.contentType == "multipart/alternative")
        #expect(mail.headers["Date"] == "Sun, 29 Nov 2026 08:00:00 +0000")
        #expect(mail.headers["From"] == "vitals@example.com")
        #expect(mail.headers["To"] == "team@example.com, lead@example.com")
        #expect(mail.headers["MIME-Version"] == "1.0")
        let messageID = try #require(mail.headers["Message-ID"])
        #expect(messageID.hasPrefix("<vitals.") && messageID.hasSuffix("@example.com>"))
        #expect(mail.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(mail.parts.map(\.transferEncoding) == ["quoted-printable", "quoted-printable"])
        try #require(mail.parts.count == 2)
        #expect(
            mail.parts[0].content.contains(
                "**Firing: CoverageLow (critical)**\n\nLine coverage fell to 61% <below 70%> & falling\n\n- Group: quality"))
        #expect(mail.parts[1].content.contains("<p>Line coverage fell to 61% &lt;below 70%&gt; &amp; falling</p>"))
        // On the wire: CRLF line endings only, no line over 78 characters.
        let raw = try server.raw(1)
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(raw.components(separatedBy: "\r\n").filter { $0.utf8.count > 78 } == [])
    }

    @Test("a report's Markdown and HTML renderings arrive intact: a non-ASCII subject (RFC 2047), a line starting with a dot")
    func report() async throws {
        let server = try LocalSMTPServer()
        #expect(await notifier(server).deliver(Messages.report()) == .delivered(status: 250))
        let mail = try #require(try server.mails().first)
        #expect(mail.subject == "Daily report · 2026-11-28")
        #expect(try server.raw(1).contains("Subject: =?UTF-8?B?"))
        try #require(mail.parts.count == 2)
        #expect(mail.parts[0].content == "# Daily report · 2026-11-28\n\n.a line that starts with a dot\n\nScore 82 ✓\n")
        #expect(mail.parts[1].content.contains("<h1>Daily report · 2026-11-28</h1>"))
    }

    @Test("the same message keeps its Message-ID on every attempt, so a receiver can tell a redelivery")
    func messageID() async throws {
        let server = try LocalSMTPServer()
        _ = await notifier(server).deliver(Messages.alert())
        _ = await notifier(server).deliver(Messages.alert())
        _ = await notifier(server).deliver(Messages.alert(.resolved))
        let ids = try server.mails().map { $0.headers["Message-ID"] ?? "" }
        #expect(ids.count == 3 && ids[0] == ids[1] && ids[1] != ids[2])
    }

    @Test("AUTH with the credentials from the environment; wrong ones are rejected and never named")
    func auth() async throws {
        let server = try LocalSMTPServer(username: "mailer", password: "P4ssw0rd-secret")
        #expect(await notifier(server, auth: true).deliver(Messages.alert()) == .delivered(status: 250))
        let strict = try LocalSMTPServer(username: "someone", password: "else")
        let outcome = await notifier(strict, auth: true).deliver(Messages.alert())
        guard case .reject(let failure) = outcome else {
            Issue.record("a refused login is not rejected: \(outcome)")
            return
        }
        #expect(failure.status == 535)
        #expect(!failure.description.contains("P4ssw0rd-secret") && !failure.description.contains("mailer"))
    }

    @Test("a 5xx reply is rejected, a 4xx reply retried; nothing is sent")
    func refusals() async throws {
        let server = try LocalSMTPServer()
        guard case .reject(let rejected) = await notifier(server, to: ["reject@example.com"]).deliver(Messages.alert()) else {
            Issue.record("550 is not rejected")
            return
        }
        #expect(rejected.status == 550)
        guard case .retry(let later, nil) = await notifier(server, to: ["later@example.com"]).deliver(Messages.alert()) else {
            Issue.record("451 is not retried")
            return
        }
        #expect(later.status == 451)
        #expect(try server.mails().isEmpty)
    }

    @Test("STARTTLS is required unless configured otherwise: a server without it gets no mail")
    func starttls() async throws {
        let server = try LocalSMTPServer()
        guard case .reject(let failure) = await notifier(server, starttls: .required).deliver(Messages.alert()) else {
            Issue.record("a server without STARTTLS is not rejected")
            return
        }
        #expect(failure.message.contains("STARTTLS"))
        #expect(await notifier(server, starttls: .optional).deliver(Messages.alert()) == .delivered(status: 250))
        #expect(try server.mails().count == 1)
    }

    @Test("no server is retried")
    func noServer() async throws {
        let url: URL
        do {
            let server = try LocalSMTPServer()
            url = server.url
        }
        let notifier = EmailNotifier(
            channel: "mail", config: EmailChannelConfig(url: url, from: "vitals@example.com", to: ["team@example.com"], starttls: .off),
            context: NotifierContext(environment: [:]))
        guard case .retry(let failure, nil) = await notifier.deliver(Messages.alert()) else {
            Issue.record("no retry")
            return
        }
        #expect(failure.status == nil)
    }
}
