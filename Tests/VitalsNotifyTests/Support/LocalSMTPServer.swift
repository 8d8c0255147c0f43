import Foundation
import VitalsTestSupport

/// A real SMTP server on 127.0.0.1 and a free port: Python's aiosmtpd (`scripts/setup --test` installs it), run as a
/// child process. Every accepted mail is written to a folder: its envelope, its bytes as received (after SMTP's
/// dot-unstuffing), and what Python's `email` package reads from them (decoded subject and parts, line endings as `\n`),
/// so tests check the message with an independent parser. Recipients starting with `reject` get `550`, with `later` get `451`; with a
/// username and password, AUTH is required; with a certificate, STARTTLS is offered and required before MAIL (and AUTH).
final class LocalSMTPServer {
    struct Mail: Decodable {
        let mailFrom: String
        let recipients: [String]
        let subject: String
        let headers: [String: String]
        let contentType: String
        let parts: [Part]
        /// Whether the mail came over a connection upgraded with STARTTLS.
        let tls: Bool

        struct Part: Decodable {
            let contentType: String
            let transferEncoding: String
            let content: String
        }
    }

    let port: Int
    let folder: TemporaryFolder
    private let process: Process

    static let script = #"""
        import asyncio, email, email.policy, json, os, socket, ssl, sys
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        folder, username, password, certificate, key = sys.argv[1:6]
        count = 0

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):
                if address.startswith("reject"):
                    return "550 5.1.1 no such user here"
                if address.startswith("later"):
                    return "451 4.3.0 mailbox busy, try again later"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                global count
                count += 1
                raw = envelope.original_content
                with open(os.path.join(folder, "%d.eml" % count), "wb") as f:
                    f.write(raw)
                message = email.message_from_bytes(raw, policy=email.policy.default)
                parts = [message] if not message.is_multipart() else list(message.iter_parts())
                record = {
                    "mailFrom": envelope.mail_from, "recipients": envelope.rcpt_tos,
                    "subject": str(message["Subject"]), "contentType": message.get_content_type(),
                    "headers": {k: str(v) for k, v in message.items()},
                    "parts": [{"contentType": p.get_content_type(), "transferEncoding": str(p["Content-Transfer-Encoding"]),
                               "content": p.get_content().replace("\r\n", "\n")} for p in parts],
                    "tls": session.ssl is not None,
                }
                with open(os.path.join(folder, "%d.json" % count), "w") as f:
                    json.dump(record, f)
                return "250 2.0.0 accepted"

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == username and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        options = dict(auth_required=True, auth_require_tls=bool(certificate), authenticator=authenticate) if username else {}
        if certificate:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(certificate, key)
            options.update(tls_context=context, require_starttls=True)
        controller = Controller(Handler(), hostname="127.0.0.1", port=port, decode_data=False, **options)
        controller.start()
        print(port, flush=True)
        sys.stdin.read()
        controller.stop()
        """#

    /// `certificate` and `key`: PEM files; with them the server offers STARTTLS and requires it.
    init(username: String = "", password: String = "", certificate: URL? = nil, key: URL? = nil) throws {
        folder = try TemporaryFolder()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, folder.url.path, username, password, certificate?.path ?? "", key?.path ?? ""]
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let port = Int(line) else {
            process.terminate()
            throw ServerError(description: "aiosmtpd did not start (is it installed? scripts/setup --test): '\(line)'")
        }
        self.port = port
        standardInput = input
    }

    private var standardInput: Pipe?

    deinit {
        // Closing its standard input ends the server.
        try? standardInput?.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    var url: URL { URL(string: "smtp://127.0.0.1:\(port)")! }

    /// The mails received so far, in order.
    func mails() throws -> [Mail] {
        var mails: [Mail] = []
        while case let file = folder.url.appendingPathComponent("\(mails.count + 1).json"), FileManager.default.fileExists(atPath: file.path) {
            mails.append(try JSONDecoder().decode(Mail.self, from: Data(contentsOf: file)))
        }
        return mails
    }

    /// The bytes of the n-th mail (1-based) as the server received them.
    func raw(_ index: Int) throws -> String {
        try String(decoding: Data(contentsOf: folder.url.appendingPathComponent("\(index).eml")), as: UTF8.self)
    }

    struct ServerError: Error, CustomStringConvertible {
        let description: String
    }
}
