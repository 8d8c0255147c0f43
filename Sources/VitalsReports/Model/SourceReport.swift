public import VitalsCore
public import VitalsPorts

/// A configured source as a report shows it: its latest run, and whether that run failed or is too old.
public struct SourceReport: Sendable, Hashable, Codable {
    /// The outcome of a source's latest run.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case ok
        case failed
        /// The latest run found nothing to read (no input file where the source looks by default); `error` says where it looked.
        case skipped
        /// The job-run log has no run of the source.
        case neverRun = "never_run"
    }

    public let name: String
    public let type: String
    /// When the latest run finished.
    public let lastRunAt: Timestamp?
    public let status: Status
    /// The latest run's error, for a failed run; why it was skipped, for a skipped one.
    public let error: String?
    /// Samples the latest run wrote.
    public let samplesWritten: Int?
    /// Whether the latest run finished more than twice the source's interval before the report's `now`.
    public let stale: Bool

    public init(name: String, type: String, lastRunAt: Timestamp?, status: Status, error: String?, samplesWritten: Int?, stale: Bool) {
        self.name = name
        self.type = type
        self.lastRunAt = lastRunAt
        self.status = status
        self.error = error
        self.samplesWritten = samplesWritten
        self.stale = stale
    }

    /// The state of `source` at `now`, given its newest run in the job-run log.
    public init(source: SourceConfig, latestRun: JobRun?, now: Timestamp) {
        let staleBefore = Timestamp(milliseconds: now.milliseconds - 2 * source.interval.milliseconds)
        self.init(
            name: source.name, type: source.type.rawValue, lastRunAt: latestRun?.finished,
            status: latestRun.map(Self.status) ?? .neverRun, error: latestRun?.error,
            samplesWritten: latestRun?.samplesWritten, stale: latestRun.map { $0.finished < staleBefore } ?? false)
    }

    /// The state of each of `sources` at `now`, from its newest run in `log`; one list for ``ReportBuilder`` and ``DigestBuilder``.
    public static func latest(of sources: [SourceConfig], in log: any JobRunLog, now: Timestamp) async throws -> [SourceReport] {
        var reports: [SourceReport] = []
        for source in sources {
            reports.append(SourceReport(source: source, latestRun: try await log.jobRuns(source: source.name, limit: 1).first, now: now))
        }
        return reports
    }

    private static func status(of run: JobRun) -> Status {
        switch run.status {
        case .ok: .ok
        case .failed: .failed
        case .skipped: .skipped
        }
    }

    enum CodingKeys: String, CodingKey {
        case name
        case type
        case lastRunAt = "last_run_at"
        case status
        case error
        case samplesWritten = "samples_written"
        case stale
    }

    // Written by hand so absent values are `null` rather than missing keys: the schema requires every key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(lastRunAt, forKey: .lastRunAt)
        try container.encode(status, forKey: .status)
        try container.encode(error, forKey: .error)
        try container.encode(samplesWritten, forKey: .samplesWritten)
        try container.encode(stale, forKey: .stale)
    }
}

extension SourceReport {
    /// The first failed source, else the first stale one, else the first; nil for none.
    public static func leastHealthy(_ sources: [SourceReport]) -> SourceReport? {
        sources.first { $0.status == .failed } ?? sources.first { $0.stale } ?? sources.first
    }
}
