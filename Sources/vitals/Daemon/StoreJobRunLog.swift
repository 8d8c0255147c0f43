import VitalsCore
import VitalsPorts
import VitalsService

/// The scheduler's runs in the store's job-run log, under the job's command (`collect stability`) as the source, with the
/// time each was scheduled for (a late run starts after it). The log knows ok, failed and skipped: a timed-out run is a
/// failed one whose error says so.
struct StoreJobRunLog: JobRunRecorder {
    let store: any JobRunLog

    func record(_ run: JobRunRecord) async throws {
        let status: JobRun.Status =
            switch run.status {
            case .ok: .ok
            case .skipped: .skipped
            case .failed, .timedOut: .failed
            }
        try await store.recordJobRun(
            JobRun(
                source: run.job, scheduled: run.scheduled, started: run.started, finished: run.finished, status: status, error: run.error,
                samplesWritten: 0))
    }

    func latestRun(of job: String) async throws -> Timestamp? {
        try await store.jobRuns(source: job, limit: 1).first.map { $0.scheduled ?? $0.started }
    }
}
