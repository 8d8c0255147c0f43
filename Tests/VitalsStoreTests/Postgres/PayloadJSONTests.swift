import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsTestSupport

@testable import VitalsStorePostgres

/// An alert's outbox payload as the PostgreSQL store writes it (`PayloadJSON.alert`, written directly for speed) reads back
/// as the message it was, and as Foundation's encoder would have written it: for texts with quotes, backslashes, control
/// characters and any other characters, and for every kind of value (random bits, ±∞, NaN, none; −0 reads back as 0, as
/// from the SQLite store's outbox).
@Suite struct PayloadJSONTests {
    static func text(_ random: inout SplitMix64) -> String {
        let pieces = ["a", "\"", "\\", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "日本", "🚀", "/", "{", "}", ":", ",", " ", "\u{2028}"]
        return String((0..<Int.random(in: 0...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined())
    }

    static func value(_ random: inout SplitMix64) -> Double? {
        switch Int.random(in: 0..<8, using: &random) {
        case 0: nil
        case 1: .infinity
        case 2: -.infinity
        case 3: .nan
        case 4: -0.0
        case 5: Double.random(in: -1000...1000, using: &random)
        default: Double(bitPattern: random.next())
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64]) func alertPayloadsReadBackAsTheyWere(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        for _ in 0..<500 {
            var labels: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &random) { labels["l" + Self.text(&random)] = Self.text(&random) }
            let message = AlertMessage(
                group: Self.text(&random), alert: Self.text(&random), labels: Labels(labels),
                event: [.firing, .reminder, .escalated, .resolved].randomElement(using: &random)!,
                severity: [nil, .info, .warning, .critical].randomElement(using: &random)!, value: Self.value(&random),
                summary: Self.text(&random), at: Timestamp(milliseconds: Int64.random(in: -10_000_000_000_000...10_000_000_000_000, using: &random)))
            // The summary comes back storable (a NUL as U+FFFD), as every store keeps it; the rest as it was (−0 as 0).
            let expected = AlertMessage(
                group: message.group, alert: message.alert, labels: message.labels, event: message.event, severity: message.severity,
                value: message.value, summary: message.summary.storable, at: message.at)
            let written = PayloadJSON.alert(message)
            let read = try PayloadJSON.decoder().decode(OutboxMessage.Payload.self, from: Data(written.utf8))
            let encoded = try PayloadJSON.decoder().decode(
                OutboxMessage.Payload.self, from: PayloadJSON.encoder().encode(OutboxMessage.Payload.alert(expected)))
            guard case .alert(let back) = read, case .alert(let viaEncoder) = encoded else {
                Issue.record("not an alert: \(written)")
                continue
            }
            // NaN is equal to nothing: compared by what it is.
            let same = { (a: AlertMessage, b: AlertMessage) in
                a.value?.isNaN == true ? b.value?.isNaN == true && AlertMessage.withoutValue(a) == AlertMessage.withoutValue(b) : a == b
            }
            #expect(same(back, expected), "\(written)")
            #expect(same(viaEncoder, back), "\(written)")
            if let value = message.value, !value.isNaN { #expect(back.value?.bitPattern == value.withPositiveZero.bitPattern, "\(written)") }
        }
    }
}

extension AlertMessage {
    static func withoutValue(_ message: AlertMessage) -> AlertMessage {
        AlertMessage(
            group: message.group, alert: message.alert, labels: message.labels, event: message.event, severity: message.severity, value: nil,
            summary: message.summary, at: message.at)
    }
}
