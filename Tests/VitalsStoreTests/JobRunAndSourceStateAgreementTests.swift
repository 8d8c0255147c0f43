import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// The SQLite and PostgreSQL stores given the same random job runs and source-state changes (seeded) answer every read
/// alike: runs newest first with ties of start broken by the order recorded, any limit, of one source or all; state set
/// whole, updated key by key (set and forgotten), read whole, by key and by prefix (prefixes holding `%`, `_`, other
/// case and non-ASCII text, as LIKE would get them wrong).
@Suite struct JobRunAndSourceStateAgreementTests {
    static let sources = ["git", "github", "Git", "ci_runs", "ci%runs", "ü-source"]
    static let keys = ["page:1", "page:10", "Page:1", "page_1", "page%1", "pagé", "p", "", "page:1\u{0}x"]
    static let texts = ["", "v", "line\nnext", "quote \" and \\", "日本", "{\"a\":1}", "tab\t", "nul\u{0}byte"]

    @Test(.timeLimit(.minutes(3)), arguments: [1, 2, 3, 4] as [UInt64])
    func sqliteAndPostgresRememberAlike(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let sqlite = try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400))
        let postgres = try await PostgresMetricStore(
            configuration: freshDatabase(in: PostgresTestCluster.shared()), timeZone: utc, retention: .days(400))
        defer { postgres.close() }
        let stores: [any JobRunLog & SourceStateStore] = [sqlite, postgres]
        var now = Timestamp(milliseconds: 1_764_316_800_000)
        for step in 0..<60 {
            // Runs often start at the same millisecond (a schedule's slot), and state keys repeat.
            now = now.adding(TimeSpan(milliseconds: [0, 0, 1, 60_000].randomElement(using: &random)!))
            let source = Self.sources.randomElement(using: &random)!
            let what: String
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                let run = JobRun(
                    source: source, scheduled: Bool.random(using: &random) ? now : nil, started: now,
                    finished: now.adding(TimeSpan(milliseconds: Int64.random(in: 0...5_000, using: &random))),
                    status: [.ok, .failed, .skipped].randomElement(using: &random)!,
                    error: Bool.random(using: &random) ? Self.texts.randomElement(using: &random)! : nil,
                    samplesWritten: Int.random(in: 0...1_000, using: &random))
                what = "record \(run)"
                for store in stores { try await store.recordJobRun(run) }
            case 1:
                let state = Dictionary(
                    (0..<Int.random(in: 0...4, using: &random)).map { _ in
                        (Self.keys.randomElement(using: &random)!, Self.texts.randomElement(using: &random)!)
                    }, uniquingKeysWith: { first, _ in first })
                what = "set \(source) to \(state)"
                for store in stores { try await store.setSourceState(state, of: source) }
            default:
                let changes = Dictionary(
                    (0..<Int.random(in: 1...4, using: &random)).map { _ in
                        (Self.keys.randomElement(using: &random)!, Bool.random(using: &random) ? Self.texts.randomElement(using: &random)! : nil)
                    }, uniquingKeysWith: { first, _ in first })
                what = "update \(source) with \(changes)"
                for store in stores { try await store.updateSourceState(changes, of: source) }
            }
            // After each call, the reads of what it touched; after the last, of everything.
            try await Self.compare(
                sqlite, postgres, sources: step == 59 ? Self.sources : [source], "seed \(seed) step \(step) after \(what)", &random)
        }
    }

    static func compare(
        _ sqlite: SQLiteMetricStore, _ postgres: PostgresMetricStore, sources: [String], _ context: String, _ random: inout SplitMix64
    ) async throws {
        for source in [nil] + sources {
            let limit = Int.random(in: 1...8, using: &random)
            let runs = (try await sqlite.jobRuns(source: source, limit: limit), try await postgres.jobRuns(source: source, limit: limit))
            #expect(runs.0 == runs.1, "\(context): runs of \(source ?? "all"), \(limit)\n\(runs.0)\n\(runs.1)")
        }
        for source in sources {
            let whole = (try await sqlite.sourceState(of: source), try await postgres.sourceState(of: source))
            #expect(whole.0 == whole.1, "\(context): state of \(source)\n\(whole.0)\n\(whole.1)")
            for key in Self.keys {
                let one = (try await sqlite.sourceState(of: source, key: key), try await postgres.sourceState(of: source, key: key))
                #expect(one.0 == one.1, "\(context): \(source) \(key)")
            }
            for prefix in ["", "page", "page:1", "Page", "page_", "page%", "pag", "pagé", "p"] {
                let found = (
                    try await sqlite.sourceState(of: source, keysStartingWith: prefix),
                    try await postgres.sourceState(of: source, keysStartingWith: prefix)
                )
                #expect(found.0 == found.1, "\(context): \(source) keys starting with \(prefix)\n\(found.0)\n\(found.1)")
            }
        }
    }
}
