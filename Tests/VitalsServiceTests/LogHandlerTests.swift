import Foundation
import Logging
import Synchronization
import Testing
import VitalsCore
import VitalsService

@Suite struct LogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var output: LogOutput { LogOutput { line in self.lines.withLock { $0.append(line) } } }
        var all: [String] { lines.withLock { $0 } }
    }

    static let at = try! Timestamp(rfc3339: "2026-03-02T08:00:00.250Z")

    func logger(_ format: VitalsLogHandler.Format, _ lines: Lines) -> Logger {
        Logger(label: "vitals.scheduler") { label in VitalsLogHandler(label: label, format: format, clock: FixedClock(Self.at), output: lines.output)
        }
    }

    @Test func textLines() {
        let lines = Lines()
        logger(.text, lines).info("job started", metadata: ["job": "collect stability", "late": "false"])
        #expect(lines.all == ["2026-03-02T08:00:00.250Z info vitals.scheduler: job started job=\"collect stability\" late=false\n"])
    }

    @Test func jsonLinesParseAsJSONWithEveryField() throws {
        let lines = Lines()
        var logger = logger(.json, lines)
        logger[metadataKey: "holder"] = "host:42"
        logger.warning("run \"skipped\"\n", metadata: ["job": "report", "nested": ["a": ["1", "2"]]])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["ts"] as? String == "2026-03-02T08:00:00.250Z")
        #expect(object["level"] as? String == "warning")
        #expect(object["label"] as? String == "vitals.scheduler")
        #expect(object["message"] as? String == "run \"skipped\"\n")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["job"] as? String == "report")
        #expect(metadata["holder"] as? String == "host:42")
        #expect((metadata["nested"] as? [String: Any])?["a"] as? [String] == ["1", "2"])
    }

    @Test("values of keys that name secrets are redacted, in both formats and nested", arguments: VitalsLogHandler.Format.allCases)
    func secretsAreRedacted(format: VitalsLogHandler.Format) {
        let lines = Lines()
        logger(format, lines).error(
            "delivery failed",
            metadata: [
                "GITHUB_TOKEN": "ghp_abc123", "slack_webhook_url": "https://hooks.slack.com/services/T/B/x", "Authorization": "Bearer xyz",
                "routing_key": "R0UTING", "channel": ["password": "hunter2", "name": "ops"], "job": "report",
            ])
        let line = lines.all.joined()
        for secret in ["ghp_abc123", "hooks.slack.com", "Bearer xyz", "R0UTING", "hunter2"] {
            #expect(!line.contains(secret), "\(secret) leaked: \(line)")
        }
        #expect(line.contains("ops") && line.contains("report") && line.contains("[redacted]"))
    }

    @Test(arguments: [
        ("GITHUB_TOKEN", true), ("api_key", true), ("x-api-key", true), ("session_id", true), ("job", false), ("source", false), ("holder", false),
    ])
    func secretKeys(key: String, secret: Bool) {
        #expect(SecretRedaction.isSecret(key: key) == secret)
    }
}
