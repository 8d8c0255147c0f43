import Crypto
import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsTestSupport

@Suite("generic webhook")
struct WebhookNotifierTests {
    static let secret = "whsec-S3CRET-signing-key"

    func notifier(_ server: LoopbackHTTPServer, header: String = "X-Vitals-Signature", signed: Bool = true) -> WebhookNotifier {
        WebhookNotifier(
            channel: "hooks", config: WebhookChannelConfig(urlEnv: "HOOK_URL", secretEnv: signed ? "HOOK_SECRET" : nil, signatureHeader: header),
            context: NotifierContext(environment: [
                "HOOK_URL": server.baseURL.appendingPathComponent("hooks/T0KEN-IN-PATH").absoluteString, "HOOK_SECRET": Self.secret,
            ]))
    }

    /// A receiver that checks the signature the way its documentation tells receivers to: 401 when it does not match.
    static func verifying(header: String) -> LoopbackHTTPServer.Handler {
        { request in
            let expected =
                "sha256="
                + HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: Data(secret.utf8)))
                .map { String(format: "%02x", $0) }.joined()
            return request.header(header) == expected ? .init(status: 204) : .init(status: 401, text: "bad signature")
        }
    }

    @Test("an alert arrives as the documented JSON, signed so the receiver can verify it", arguments: ["X-Vitals-Signature", "X-Hub-Signature-256"])
    func alert(header: String) async throws {
        let server = try LoopbackHTTPServer(Self.verifying(header: header))
        #expect(await notifier(server, header: header).deliver(Messages.alert(.escalated, severity: .critical, id: 42)) == .delivered(status: 204))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/hooks/T0KEN-IN-PATH")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("X-Vitals-Idempotency-Key") == #"alert:quality/CoverageLow{repo="acme/shop",source="coverage"}:escalated"#)
        let expected = #"""
            {"alert":{"alert":"CoverageLow","at":"2026-11-29T08:00:00Z","event":"escalated",\#
            "fingerprint":"quality/CoverageLow{repo=\"acme/shop\",source=\"coverage\"}","group":"quality",\#
            "labels":{"repo":"acme/shop","source":"coverage"},"severity":"critical","summary":"Line coverage fell to 61% <below 70%> & falling",\#
            "value":0.61},"created_at":"2026-11-29T08:00:00Z","id":42,\#
            "idempotency_key":"alert:quality/CoverageLow{repo=\"acme/shop\",source=\"coverage\"}:escalated","kind":"alert","version":1}
            """#
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body == expected)
    }

    @Test("a report carries every rendering; without a secret no signature is sent")
    func report() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 200) }
        #expect(await notifier(server, signed: false).deliver(Messages.report()) == .delivered(status: 200))
        let request = try #require(server.requests.first)
        #expect(request.header("X-Vitals-Signature") == nil)
        let body = Messages.object(request.body)
        #expect(body["kind"] as? String == "report")
        #expect(body["alert"] == nil)
        let report = try #require(body["report"] as? [String: Any])
        #expect(report["name"] as? String == "daily")
        #expect(Set((report["bodies"] as? [String: String])?.keys ?? [:].keys) == ["md", "html", "json", "slack"])
    }

    @Test(
        "2xx is delivered, 408 and 429 and 5xx retried (Retry-After honoured), any other 4xx rejected",
        arguments: [
            (200, "delivered"), (202, "delivered"), (400, "reject"), (401, "reject"), (404, "reject"), (410, "reject"), (408, "retry"),
            (429, "retry"), (500, "retry"), (503, "retry"),
        ])
    func statuses(status: Int, expected: String) async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: status, headers: [("Retry-After", "7")], text: "answer") }
        let outcome = await notifier(server).deliver(Messages.alert())
        switch outcome {
        case .delivered(let code): #expect(expected == "delivered" && code == status)
        case .reject(let failure): #expect(expected == "reject" && failure == DeliveryFailure(status: status, "webhook: HTTP \(status): answer"))
        case .retry(let failure, let wait):
            #expect(expected == "retry" && failure.status == status)
            #expect(wait == ([429, 503].contains(status) ? .seconds(7) : nil))
        }
    }

    @Test("a URL that is not http(s) is rejected without repeating it")
    func badURL() async {
        let notifier = WebhookNotifier(
            channel: "hooks", config: WebhookChannelConfig(urlEnv: "HOOK_URL"),
            context: NotifierContext(environment: ["HOOK_URL": "ftp://secret-host/x"]))
        #expect(
            await notifier.deliver(Messages.alert())
                == .reject(DeliveryFailure(status: nil, "the environment variable HOOK_URL (url_env) does not hold an http or https URL")))
    }
}
