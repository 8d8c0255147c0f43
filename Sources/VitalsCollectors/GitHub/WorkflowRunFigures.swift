public import VitalsCore

/// A completed workflow run as the CI figures need it.
public struct WorkflowRunRecord: Sendable, Equatable {
    public let id: Int
    /// The workflow's name (the run's `name`), else `workflow <workflow_id>`.
    public let workflow: String
    public let conclusion: String
    public let createdAt: Timestamp
    /// From `run_started_at` (else `created_at`) to `updated_at`, the run's last change, which for a completed run is its end.
    public let startedAt: Timestamp
    public let endedAt: Timestamp

    public init(id: Int, workflow: String, conclusion: String, createdAt: Timestamp, startedAt: Timestamp, endedAt: Timestamp) {
        self.id = id
        self.workflow = workflow
        self.conclusion = conclusion
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

/// The CI figures: pure functions over completed runs; `docs/metrics.md` states each.
public enum WorkflowRunFigures {
    /// Conclusions that judge the code: a success ratio counts these and nothing else (`cancelled`, `skipped`, `neutral`,
    /// `action_required` and `stale` say nothing about whether the change works).
    public static let verdicts: Set<String> = ["success", "failure", "timed_out", "startup_failure"]

    public struct DayCount: Sendable, Equatable {
        public let day: Timestamp
        public let workflow: String
        public let conclusion: String
        public let count: Int
    }

    public struct DayRatio: Sendable, Equatable {
        public let day: Timestamp
        public let workflow: String
        public let successes: Int
        public let verdicts: Int
        public var ratio: Double { Double(successes) / Double(verdicts) }
    }

    /// Runs per local day of `created_at`, workflow and conclusion; only combinations with runs.
    public static func runsPerDay(_ runs: [WorkflowRunRecord], days: [Timestamp]) -> [DayCount] {
        zip(days, days.dropFirst()).flatMap { start, end in
            let inDay = runs.filter { start <= $0.createdAt && $0.createdAt < end }
            return Dictionary(grouping: inDay) { [$0.workflow, $0.conclusion] }.map { key, runs in
                DayCount(day: start, workflow: key[0], conclusion: key[1], count: runs.count)
            }.sorted { ($0.workflow, $0.conclusion) < ($1.workflow, $1.conclusion) }
        }
    }

    /// Per local day and workflow with at least one verdict: successes over verdicts.
    public static func successRatios(_ runs: [WorkflowRunRecord], days: [Timestamp]) -> [DayRatio] {
        zip(days, days.dropFirst()).flatMap { start, end in
            let judged = runs.filter { start <= $0.createdAt && $0.createdAt < end && verdicts.contains($0.conclusion) }
            return Dictionary(grouping: judged, by: \.workflow).map { workflow, runs in
                DayRatio(day: start, workflow: workflow, successes: runs.count { $0.conclusion == "success" }, verdicts: runs.count)
            }.sorted { $0.workflow < $1.workflow }
        }
    }

    /// Per run ended in the window: its duration, stamped at its end, with its workflow.
    public static func durations(_ runs: [WorkflowRunRecord], from: Timestamp, to: Timestamp) -> [(workflow: String, observation: Observation)] {
        runs.filter { from <= $0.endedAt && $0.endedAt < to && $0.endedAt >= $0.startedAt }
            .sorted { ($0.endedAt, $0.id) < ($1.endedAt, $1.id) }
            .map { ($0.workflow, Observation(at: $0.endedAt, value: Double($0.endedAt.milliseconds - $0.startedAt.milliseconds) / 1000)) }
    }
}
