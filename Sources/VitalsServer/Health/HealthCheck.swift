public import VitalsCore
public import VitalsPorts
public import VitalsService

/// When `GET /healthz` answers 503.
public struct HealthPolicy: Sendable {
    /// A job whose last this many runs all failed makes the service unhealthy.
    public var failuresInARow: Int
    /// How far past its planned wake-up the scheduler may be before it counts as stuck.
    public var wakeTolerance: TimeSpan
    /// The scheduler's heartbeat, which the daemon fills; nil where no scheduler runs (the loop is then not checked).
    public var heartbeat: (@Sendable () async -> SchedulerHeartbeat?)?

    public init(failuresInARow: Int = 3, wakeTolerance: TimeSpan = .minutes(1), heartbeat: (@Sendable () async -> SchedulerHeartbeat?)? = nil) {
        precondition(failuresInARow >= 1, "a job is unhealthy after at least one failure")
        self.failuresInARow = failuresInARow
        self.wakeTolerance = wakeTolerance
        self.heartbeat = heartbeat
    }
}

/// `GET /healthz`: each job's last run from the job-run log, and whether the service is healthy.
struct HealthCheck: Sendable {
    let store: any JobRunLog
    let policy: HealthPolicy
    let now: @Sendable () -> Timestamp

    /// How many of the newest runs are read to find the jobs.
    static let recentRuns = 1000

    /// The status code (200 or 503) and the JSON body.
    func answer() async throws -> (status: Int, body: String) {
        let now = now()
        var problems: [String] = []
        var json = JSONText(capacity: 1024)
        json.raw("{\"jobs\":[")
        let recent = try await store.jobRuns(source: nil, limit: Self.recentRuns)
        for (index, job) in Set(recent.map(\.source)).sorted().enumerated() {
            let runs = try await store.jobRuns(source: job, limit: policy.failuresInARow)
            let failures = runs.prefix { $0.status == .failed }.count
            if failures >= policy.failuresInARow { problems.append("job \(job) failed \(failures) times in a row") }
            if index > 0 { json.raw(",") }
            json.raw("{\"job\":")
            json.string(job)
            json.raw(",\"failuresInARow\":\(failures),\"lastRun\":")
            if let last = runs.first {
                json.raw("{\"started\":")
                json.time(last.started)
                json.raw(",\"finished\":")
                json.time(last.finished)
                json.raw(",\"status\":")
                json.string(last.status.rawValue)
                if let error = last.error {
                    json.raw(",\"error\":")
                    json.string(error)
                }
                json.raw(",\"samplesWritten\":\(last.samplesWritten)}")
            } else {
                json.raw("null")
            }
            json.raw("}")
        }
        json.raw("]")
        if let heartbeat = await policy.heartbeat?() {
            json.raw(",\"scheduler\":{\"lastBeat\":")
            json.time(heartbeat.lastBeat)
            json.raw(",\"nextWake\":")
            if let next = heartbeat.nextWake { json.time(next) } else { json.raw("null") }
            json.raw("}")
            if let next = heartbeat.nextWake, next.adding(policy.wakeTolerance) < now {
                problems.append(
                    "the scheduler loop is stuck: it last ran at \(heartbeat.lastBeat) and was due again at \(next), more than \(policy.wakeTolerance) ago"
                )
            }
        }
        json.raw(",\"status\":")
        json.string(problems.isEmpty ? "ok" : "unhealthy")
        json.raw(",\"problems\":")
        json.strings(problems)
        json.raw("}")
        return (problems.isEmpty ? 200 : 503, json.text)
    }
}
