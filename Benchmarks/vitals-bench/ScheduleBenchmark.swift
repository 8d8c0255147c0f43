import Foundation
import VitalsCore
import VitalsScheduler

/// Next-run computations per second for the shipped schedule's expressions and a few others, in zones with and without
/// daylight saving, beside cronsim (the Python cron library the tests check against) on the same cases in the same run.
struct ScheduleBenchmark {
    static let expressions = ["*/15 * * * *", "0 * * * *", "5 * * * *", "0 8 * * 1-5", "30 2 * * *", "0 0 1 * *", "0 9-17/2 * * MON-FRI"]
    static let zones = ["UTC", "Europe/Berlin", "America/Santiago", "Australia/Lord_Howe"]
    static let perCase = 5_000

    func run() throws {
        let start = Timestamp(seconds: 1_767_225_600)  // 2026-01-01T00:00:00Z
        let schedules = try Self.zones.flatMap { zone in
            try Self.expressions.map { CronSchedule(try CronExpression(parsing: $0), timeZone: TimeZone(identifier: zone)!) }
        }
        let computations = schedules.count * Self.perCase
        print("schedule: \(Self.expressions.count) expressions × \(Self.zones.count) zones × \(Self.perCase) consecutive next runs from 2026-01-01")
        let ours = measure(runs: 5) {
            for schedule in schedules {
                var cursor = start
                for _ in 0..<Self.perCase {
                    cursor = schedule.next(after: cursor)!
                }
            }
        }
        line("  vitals next-run computations/s (median of 5)", "\(Int(Double(computations) / ours.median))")
        guard let theirs = try cronsimSeconds() else {
            line("  cronsim", "not installed (scripts/setup --test installs it)")
            return
        }
        line("  cronsim next-run computations/s (best of 3)", "\(Int(Double(computations) / theirs))")
        line("  vitals / cronsim", "\(format(theirs / ours.median))×")
    }

    /// The same work in cronsim, timed inside Python so interpreter start-up is not counted.
    private func cronsimSeconds() throws -> Double? {
        let script = """
            import sys, time
            from datetime import datetime, timezone
            from zoneinfo import ZoneInfo
            try:
                from cronsim import CronSim
            except ImportError:
                print("missing"); sys.exit(0)
            exprs = \(Self.expressions)
            zones = \(Self.zones)
            best = None
            for _ in range(3):
                t = time.perf_counter()
                for zone in zones:
                    for expr in exprs:
                        it = CronSim(expr, datetime(2026, 1, 1, tzinfo=timezone.utc).astimezone(ZoneInfo(zone)))
                        for _ in range(\(Self.perCase)):
                            next(it)
                elapsed = time.perf_counter() - t
                best = elapsed if best is None else min(best, elapsed)
            print(best)
            """
        let output = String(decoding: try runProgram("/usr/bin/env", ["python3", "-c", script], capture: true), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Double(output)
    }
}
