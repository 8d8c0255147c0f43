import Foundation
import VitalsCollectors
import VitalsCore
import VitalsPorts

/// How `vitals collect` prints what each source did.
enum CollectionSummary {
    static func text(_ outcomes: [CollectionRunner.Outcome], dryRun: Bool) -> String {
        let width = max(6, outcomes.map(\.source.count).max() ?? 0)
        var text = ""
        for outcome in outcomes {
            let name = outcome.source.padding(toLength: width, withPad: " ", startingAt: 0)
            let time = milliseconds(outcome.duration)
            switch outcome.status {
            case .failed: text += "\(name)  FAILED   \(time) ms  \(outcome.error ?? "")\n"
            case .skipped: text += "\(name)  skipped  \(time) ms  \(outcome.error ?? "")\n"
            case .ok:
                let warning = outcome.warning.map { "; \($0)" } ?? ""
                text += "\(name)  ok       \(time) ms  \(outcome.samples) samples\(dryRun ? " (dry run, not stored)" : "")\(warning)\n"
            }
        }
        let failed = outcomes.filter { $0.status == .failed }.count
        let skipped = outcomes.filter { $0.status == .skipped }.count
        text += "\(outcomes.count) sources, \(failed) failed, \(skipped) skipped, \(outcomes.map(\.samples).reduce(0, +)) samples"
        text += "\(dryRun ? " (dry run)" : "")\n"
        return text
    }

    static func json(_ outcomes: [CollectionRunner.Outcome], dryRun: Bool) throws -> String {
        struct Entry: Encodable {
            let source: String
            let family: String
            let status: String
            let samples: Int
            let duration_ms: Int64
            let error: String?
            let warning: String?
        }
        struct Document: Encodable {
            let dry_run: Bool
            let sources: [Entry]
        }
        let document = Document(
            dry_run: dryRun,
            sources: outcomes.map {
                Entry(
                    source: $0.source, family: $0.family.rawValue, status: $0.status.rawValue, samples: $0.samples,
                    duration_ms: milliseconds($0.duration), error: $0.error, warning: $0.warning)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    static func milliseconds(_ duration: Duration) -> Int64 { TimeSpan(duration).milliseconds }
}
