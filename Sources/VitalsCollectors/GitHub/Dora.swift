public import VitalsCore

/// One deployment to the production environment, as the DORA figures need it.
public struct DeploymentRecord: Sendable, Equatable {
    /// How a deployment ended: its newest `success`, `failure` or `error` status (statuses such as `inactive`, which GitHub
    /// gives a deployment a newer one replaced, and `pending`, `queued`, `in_progress` do not end it).
    public enum Outcome: Sendable, Equatable {
        case success
        case failure
    }

    public let id: Int
    public let sha: String
    /// Its outcome and when that status was created; nil for a deployment that has not ended.
    public let outcome: Outcome?
    public let finishedAt: Timestamp?
    /// The commit times (author dates) of the changes it shipped: the commits in it and not in the previous successful
    /// deployment. Empty for a redeploy of the same commit or a rollback; nil when unknown (a failed deployment, or the
    /// first successful one read, whose predecessor is not known).
    public let changes: [Timestamp]?

    public init(id: Int, sha: String, outcome: Outcome?, finishedAt: Timestamp?, changes: [Timestamp]? = nil) {
        self.id = id
        self.sha = sha
        self.outcome = outcome
        self.finishedAt = finishedAt
        self.changes = changes
    }

    /// The outcome of a deployment from its statuses (`state`, created at), in any order.
    public static func outcome(of statuses: [(state: String, at: Timestamp)]) -> (Outcome, Timestamp)? {
        let ending = statuses.compactMap { status -> (Outcome, Timestamp)? in
            switch status.state {
            case "success": (.success, status.at)
            case "failure", "error": (.failure, status.at)
            default: nil
            }
        }
        return ending.max { $0.1 < $1.1 }
    }
}

/// An incident: opened, and resolved or not yet.
public struct IncidentRecord: Sendable, Equatable {
    public let number: Int
    public let openedAt: Timestamp
    public let resolvedAt: Timestamp?

    public init(number: Int, openedAt: Timestamp, resolvedAt: Timestamp?) {
        self.number = number
        self.openedAt = openedAt
        self.resolvedAt = resolvedAt
    }
}

/// The four DORA figures from deployment and incident records: pure functions, no I/O, so each is checked against
/// hand-computed values. `docs/metrics.md` states each definition; a window is `[from, to)` on the instants named there.
public enum Dora {
    /// The ended deployments, oldest end first (ties by id, so the order never depends on the API's).
    static func ended(_ deployments: [DeploymentRecord]) -> [(record: DeploymentRecord, outcome: DeploymentRecord.Outcome, at: Timestamp)] {
        deployments.compactMap { record in record.outcome.flatMap { outcome in record.finishedAt.map { (record, outcome, $0) } } }
            .sorted { ($0.at, $0.record.id) < ($1.at, $1.record.id) }
    }

    /// Lead time for changes: per change of a successful deployment ending in the window, its end minus the change's commit
    /// time; a non-positive difference (a commit dated after the deploy, a clock skew) is discarded, not counted as zero.
    public static func leadTimes(_ deployments: [DeploymentRecord], from: Timestamp, to: Timestamp) -> [Observation] {
        ended(deployments).filter { $0.outcome == .success && from <= $0.at && $0.at < to }.flatMap { deployment in
            (deployment.record.changes ?? []).compactMap { committed in
                let seconds = Double(deployment.at.milliseconds - committed.milliseconds) / 1000
                return seconds > 0 ? Observation(at: deployment.at, value: seconds) : nil
            }
        }
    }

    /// The ids of the deployments that count as change failures: those that failed, and successful ones an incident is
    /// attributed to (the latest successful deployment that ended before the incident opened). An incident opened before
    /// any successful deployment is attributed to none.
    public static func changeFailures(_ deployments: [DeploymentRecord], incidents: [IncidentRecord]) -> Set<Int> {
        let ended = ended(deployments)
        var failures = Set(ended.filter { $0.outcome == .failure }.map(\.record.id))
        for incident in incidents {
            if let cause = ended.last(where: { $0.outcome == .success && $0.at < incident.openedAt }) { failures.insert(cause.record.id) }
        }
        return failures
    }

    /// The change failure ratio of the deployments that ended in the window: change failures over deployments (both counts
    /// given, the ratio nil when no deployment ended). The failures are a subset of the deployments, so it never exceeds 1.
    public static func changeFailureRatio(
        _ deployments: [DeploymentRecord], incidents: [IncidentRecord], from: Timestamp, to: Timestamp
    ) -> (failures: Int, deployments: Int, ratio: Double?) {
        let failed = changeFailures(deployments, incidents: incidents)
        let inWindow = ended(deployments).filter { from <= $0.at && $0.at < to }
        let failures = inWindow.count { failed.contains($0.record.id) }
        return (failures, inWindow.count, inWindow.isEmpty ? nil : Double(failures) / Double(inWindow.count))
    }

    /// Time to restore, stamped at the recovery, for recoveries in the window: a run of failed deployments (from the end of
    /// its first) to the end of the next successful deployment; an incident from its opening to its resolution. A run not
    /// yet followed by a success, and an unresolved incident, have none yet.
    public static func recoveries(_ deployments: [DeploymentRecord], incidents: [IncidentRecord], from: Timestamp, to: Timestamp) -> [Observation] {
        var observations: [Observation] = []
        var failingSince: Timestamp?
        for deployment in ended(deployments) {
            switch deployment.outcome {
            case .failure:
                failingSince = failingSince ?? deployment.at
            case .success:
                if let start = failingSince { observations.append(Observation(at: deployment.at, value: seconds(from: start, to: deployment.at))) }
                failingSince = nil
            }
        }
        for incident in incidents {
            if let resolved = incident.resolvedAt, resolved >= incident.openedAt {
                observations.append(Observation(at: resolved, value: seconds(from: incident.openedAt, to: resolved)))
            }
        }
        return observations.filter { from <= $0.at && $0.at < to }.sorted { ($0.at, $0.value) < ($1.at, $1.value) }
    }

    /// Successful deployments per local day of their end, for each day from `from`'s through the one before `to`'s end.
    public static func deploymentsPerDay(_ deployments: [DeploymentRecord], days: [Timestamp]) -> [(day: Timestamp, count: Int)] {
        let successes = ended(deployments).filter { $0.outcome == .success }.map(\.at)
        return zip(days, days.dropFirst()).map { start, end in (start, successes.count { start <= $0 && $0 < end }) }
    }

    static func seconds(from start: Timestamp, to end: Timestamp) -> Double { Double(end.milliseconds - start.milliseconds) / 1000 }
}

/// One value stamped at an instant: a per-change, per-recovery or per-pull-request observation.
public struct Observation: Sendable, Equatable {
    public let at: Timestamp
    public let value: Double

    public init(at: Timestamp, value: Double) {
        self.at = at
        self.value = value
    }
}

extension Observation {
    /// The observations of one series, each at an instant of its own: a store keeps one value per series and instant, so
    /// an observation at the instant of an earlier one (the changes of one deployment all end with it) moves 1 ms after
    /// the one before it. Sorted by instant, in the given order where instants tie.
    public static func distinctInstants(_ observations: [Observation]) -> [Observation] {
        var previous: Timestamp?
        return observations.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map { _, observation in
            let at = previous.map { max(observation.at, $0.adding(TimeSpan(milliseconds: 1))) } ?? observation.at
            previous = at
            return Observation(at: at, value: observation.value)
        }
    }
}
