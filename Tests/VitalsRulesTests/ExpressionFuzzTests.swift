import Testing
import VitalsCore
import VitalsRules
import VitalsTestSupport

/// Mutates valid expressions at random (seeded, so every run sees the same inputs) and checks the parser never crashes
/// and places every error inside the input, and that whatever parses also evaluates without crashing.
@Suite struct ExpressionFuzzTests {
    static let seeds: [UInt64] = [1, 2, 3, 4]
    static let iterationsPerSeed = 25_000

    static let corpus = [
        #"sum by (repo) (rate(errors_total{level="fatal"}[10m])) / sum by (repo) (rate(requests_total[10m])) > 5%"#,
        "avg_over_time(coverage_ratio[7d] offset 7d) - avg_over_time(coverage_ratio[7d]) >= bool 0.02",
        "quantile(0.9, lead_time_seconds) without (team) > 2h",
        "absent(up{job=~\"ci|build\"}) or absent_over_time(last_deploy[1d])",
        "-clamp_max(round(x * 100, 0.5), 1e3) ^ 2 ^ -1 % 7 unless on(repo) y",
        "time() - max(last_release_timestamp_seconds) > 30d",
        "scalar(count(open_issues)) + vector(1) == ignoring(level) count_over_time(z[5m])",
        "quantile_over_time(0.5, build_seconds[1h]) and increase(commits_total[1d]) != 0",
    ]

    static let fragments = [
        "(", ")", "[", "]", "{", "}", ",", "\"", "'", "`", "=~", "!~", "!=", "==", "=", "by", "without", "on", "ignoring", "bool",
        "offset", "and", "or", "unless", "5m", "1h30m", "5%", "0.5", "1e", "rate(", "sum(", "x", "[5m]", "é", "\n", " ", "#", ":",
        "^", "-", "+", "*", "/", "%", "group_left", "inf", "NaN", ".", "\\",
    ]

    @Test(arguments: seeds)
    func mutatedExpressionsNeverCrashAndErrorsStayInside(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var failures: [String] = []
        var parsed = 0
        let evaluator = Evaluator(querier: FixtureSeries.standardQuerier)
        for _ in 0..<Self.iterationsPerSeed {
            var bytes = Array(Self.corpus[Int(random.next() % UInt64(Self.corpus.count))].utf8)
            for _ in 0..<(1 + random.next() % 3) { mutate(&bytes, &random) }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let expr = try ExpressionParser.parse(text)
                parsed += 1
                // Runtime errors such as ambiguous matching are fine; a trap is not.
                _ = try? evaluator.instant(expr, at: Timestamp(milliseconds: 1_230_000))
            } catch {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let inside =
                    error.offset >= 0 && error.offset <= text.utf8.count && error.line >= 1 && error.line <= lines.count
                    && error.column >= 1 && error.column <= lines[error.line - 1].count + 1
                if !inside { failures.append("\(text.debugDescription): \(error)") }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        // Some mutations keep the expression valid; all-valid or all-invalid would mean the mutator is broken.
        #expect(parsed > Self.iterationsPerSeed / 100)
        #expect(parsed < Self.iterationsPerSeed / 2)
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
        switch random.next() % 5 {
        case 0 where !bytes.isEmpty:
            bytes.remove(at: min(position, bytes.count - 1))
        case 1:
            bytes.insert(UInt8(truncatingIfNeeded: 32 + random.next() % 95), at: position)
        case 2 where !bytes.isEmpty:
            bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next() % 256)
        case 3:
            bytes.insert(contentsOf: Array(Self.fragments[Int(random.next() % UInt64(Self.fragments.count))].utf8), at: position)
        default:
            let end = min(bytes.count, position + Int(random.next() % 12))
            bytes.removeSubrange(position..<end)
        }
    }
}
