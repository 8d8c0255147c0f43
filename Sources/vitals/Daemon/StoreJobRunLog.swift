import VitalsCore
import VitalsService

/// The scheduler's runs in the store's job-run log, under the job's command (`collect stability`) as the source. The log
/// knows ok, failed and skipped: a timed-out run is a failed one whose error says so, and a late run's error field notes
/// the time it belonged to.
struct StoreJobRunLog: JobRunRecorder {
    let store: any MetricStore

    func record(_ run: JobRunRecord) async throws {
        let status: JobRun.Status =
            switch run.status {
            case .ok: .ok
            case .skipped: .skipped
            case .failed, .timedOut: .failed
            }
        let late = run.late ? "late: the run of \(run.scheduled)" : nil
        try await store.recordJobRun(
            JobRun(
                source: run.job, started: run.started, finished: run.finished, status: status,
                error: [late, run.error].compactMap { $0 }.joined(separator: "; ").nilIfEmpty, samplesWritten: 0))
    }

    func latestRun(of job: String) async throws -> Timestamp? {
        try await store.jobRuns(source: job, limit: 1).first?.started
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
