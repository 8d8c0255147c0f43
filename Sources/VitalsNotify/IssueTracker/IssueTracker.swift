import VitalsCore
import VitalsPorts

/// An issue tracker as an improvement-task channel uses it: find the open issue an alert opened, open one, comment, close.
protocol IssueTracker: Sendable {
    /// The open issue whose body holds `marker`, or nil.
    func findOpen(marker: String) async throws(Undelivered) -> TrackedIssue?
    func create(title: String, body: String) async throws(Undelivered) -> TrackedIssue
    func comment(on issue: TrackedIssue, _ body: String) async throws(Undelivered)
    func close(_ issue: TrackedIssue) async throws(Undelivered)
}

/// An issue as a tracker names it: GitHub's number, Linear's id.
struct TrackedIssue: Sendable, Equatable {
    let id: String
}

/// One issue per alert instance, found again by a hidden marker in its body (the SHA-256 of the alert's fingerprint), so
/// a restart or a second vitals never opens a duplicate: a firing alert opens it, an escalation comments on it, a resolve
/// comments and closes it. A reminder opens it only if it is missing (a firing delivered before the channel existed).
///
/// A report's "what to look at" items (``LookAtTasks``) are handled the same way, each keyed by its own fingerprint: an
/// item in at least `lookAtReports` consecutive reports opens an issue (unless one is open), one that got worse since the
/// previous report comments on its open issue, and one that left the list comments on and closes it.
enum ImprovementTask {
    /// `<!-- vitals:fingerprint=<sha256 of the fingerprint> -->`: the fingerprint itself may hold `-->` or any text.
    static func marker(_ fingerprint: String) -> String { "<!-- vitals:fingerprint=\(Fingerprints.sha256(fingerprint)) -->" }

    /// Delivers `message` with the tracker `tracker` makes from the token `tokenEnv` names; `type` names the channel
    /// type in messages.
    static func deliver<Tracker: IssueTracker>(
        _ message: OutboxMessage, type: String, tokenEnv: String, lookAtReports: Int, context: NotifierContext,
        tracker: (String, HTTPDelivery) -> Tracker
    ) async -> DeliveryOutcome {
        do throws(Undelivered) {
            switch message.payload {
            case .alert(let alert):
                let token = try context.secret(tokenEnv, key: "token_env")
                try await deliver(alert, to: tracker(token, context.delivery(secrets: [token])))
            case .report(let report):
                guard let tasks = report.bodies[LookAtTasks.bodyKey].flatMap(LookAtTasks.init(json:)) else {
                    throw .reject(
                        DeliveryFailure(
                            status: nil, "report '\(report.name)' carries no what-to-look-at items for \(type) (queued by an older vitals)"))
                }
                let token = try context.secret(tokenEnv, key: "token_env")
                try await deliver(tasks, after: lookAtReports, to: tracker(token, context.delivery(secrets: [token])))
            }
            return .delivered(status: nil)
        } catch {
            return error.outcome
        }
    }

    static func deliver(_ alert: AlertMessage, to tracker: some IssueTracker) async throws(Undelivered) {
        let marker = marker(alert.fingerprint)
        let text = AlertText(alert)
        let open = try await tracker.findOpen(marker: marker)
        switch (alert.event, open) {
        case (.firing, nil), (.reminder, nil), (.escalated, nil):
            _ = try await tracker.create(title: title(alert), body: "\(text.markdown)\n\n\(marker)\n")
        case (.firing, _?), (.reminder, _?), (.resolved, nil):
            break
        case (.escalated, let issue?):
            try await tracker.comment(on: issue, text.markdown)
        case (.resolved, let issue?):
            try await tracker.comment(on: issue, text.markdown)
            try await tracker.close(issue)
        }
    }

    /// Opens, comments on and closes the issues of a report's items; an item in fewer than `reports` consecutive reports
    /// has none yet.
    static func deliver(_ tasks: LookAtTasks, after reports: Int, to tracker: some IssueTracker) async throws(Undelivered) {
        for item in tasks.items where item.reports >= reports {
            let marker = marker(item.fingerprint)
            if let issue = try await tracker.findOpen(marker: marker) {
                if item.worsened { try await tracker.comment(on: issue, "Worse in the \(tasks.report) report of \(tasks.period):\n\n\(item.text)") }
            } else {
                let intro = "In what to look at of the \(tasks.report) report for \(item.reports) consecutive reports (vitals):"
                _ = try await tracker.create(title: cut(item.title), body: "\(intro)\n\n\(item.text)\n\n\(marker)\n")
            }
        }
        for item in tasks.left {
            guard let issue = try await tracker.findOpen(marker: marker(item.fingerprint)) else { continue }
            try await tracker.comment(on: issue, "Left what to look at in the \(tasks.report) report of \(tasks.period).")
            try await tracker.close(issue)
        }
    }

    /// `CoverageLow: Line coverage fell below 70%`, at most 200 characters.
    static func title(_ alert: AlertMessage) -> String {
        let summary = alert.summary.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return cut(summary.isEmpty ? "\(alert.alert) \(alert.labels)" : "\(alert.alert): \(summary)")
    }

    /// `title` within 200 characters.
    static func cut(_ title: String) -> String {
        title.count > 200 ? String(title.prefix(199)) + "…" : title
    }
}
