import Testing
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsReports

@Suite struct SourceReportTests {
    static let now = RFC3339.parse("2026-11-25T09:00:00Z")!
    static let source = SourceConfig(name: "coverage", type: .coverage, interval: .hours(1))

    static func run(finishedMinutesAgo minutes: Int64, millisecondsMore: Int64 = 0, error: String? = nil) -> JobRun {
        let finished = Timestamp(milliseconds: now.milliseconds - minutes * 60_000 - millisecondsMore)
        return JobRun(
            source: "coverage", started: finished, finished: finished, status: error == nil ? .ok : .failed, error: error, samplesWritten: 5)
    }

    @Test func staleOnlyPastTwiceTheInterval() {
        #expect(!SourceReport(source: Self.source, latestRun: Self.run(finishedMinutesAgo: 120), now: Self.now).stale)
        #expect(SourceReport(source: Self.source, latestRun: Self.run(finishedMinutesAgo: 120, millisecondsMore: 1), now: Self.now).stale)
    }

    @Test func neverRunIsNeitherStaleNorFailed() {
        let report = SourceReport(source: Self.source, latestRun: nil, now: Self.now)
        #expect(report.status == .neverRun)
        #expect(!report.stale)
        #expect(report.lastRunAt == nil)
        #expect(report.samplesWritten == nil)
    }

    @Test(arguments: [
        (true, SourceReport.Status.failed, true, RowStatus.failed),
        (false, .failed, false, .failed),
        (true, .ok, true, .stale),
        (false, .ok, true, .stale),
        (false, .ok, false, .noData),
        (false, .neverRun, false, .noData),
        (true, .ok, false, .ok),
    ])
    func rowStatusPrefersFailedThenStaleThenNoData(hasData: Bool, sourceStatus: SourceReport.Status, stale: Bool, expected: RowStatus) {
        let source = SourceReport(
            name: "coverage", type: "coverage", lastRunAt: sourceStatus == .neverRun ? nil : Self.now, status: sourceStatus,
            error: sourceStatus == .failed ? "boom" : nil, samplesWritten: nil, stale: stale)
        #expect(RowStatus.of(hasData: hasData, source: source).status == expected)
    }

    @Test func leastHealthyPrefersFailedThenStale() {
        func report(_ name: String, _ status: SourceReport.Status, stale: Bool) -> SourceReport {
            SourceReport(name: name, type: "git", lastRunAt: Self.now, status: status, error: nil, samplesWritten: 1, stale: stale)
        }
        let ok = report("a", .ok, stale: false)
        let stale = report("b", .ok, stale: true)
        let failed = report("c", .failed, stale: false)
        #expect(SourceReport.leastHealthy([ok, stale, failed]) == failed)
        #expect(SourceReport.leastHealthy([ok, stale]) == stale)
        #expect(SourceReport.leastHealthy([ok]) == ok)
        #expect(SourceReport.leastHealthy([]) == nil)
    }
}
