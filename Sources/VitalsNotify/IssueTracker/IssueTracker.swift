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
enum ImprovementTask {
    /// `<!-- vitals:fingerprint=<sha256 of the fingerprint> -->`: the fingerprint itself may hold `-->` or any text.
    static func marker(_ alert: AlertMessage) -> String { "<!-- vitals:fingerprint=\(Fingerprints.sha256(alert.fingerprint)) -->" }

    /// Delivers `message` with the tracker `tracker` makes from the token `tokenEnv` names; `type` names the channel
    /// type in messages.
    static func deliver<Tracker: IssueTracker>(
        _ message: OutboxMessage, type: String, tokenEnv: String, context: NotifierContext, tracker: (String, HTTPDelivery) -> Tracker
    ) async -> DeliveryOutcome {
        do throws(Undelivered) {
            guard case .alert(let alert) = message.payload else {
                throw .reject(DeliveryFailure(status: nil, "\(type) takes alerts only; send reports to a chat, email or webhook channel"))
            }
            let token = try context.secret(tokenEnv, key: "token_env")
            try await deliver(alert, to: tracker(token, context.delivery(secrets: [token])))
            return .delivered(status: nil)
        } catch {
            return error.outcome
        }
    }

    static func deliver(_ alert: AlertMessage, to tracker: some IssueTracker) async throws(Undelivered) {
        let marker = marker(alert)
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

    /// `CoverageLow: Line coverage fell below 70%`, at most 200 characters.
    static func title(_ alert: AlertMessage) -> String {
        let summary = alert.summary.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let title = summary.isEmpty ? "\(alert.alert) \(alert.labels)" : "\(alert.alert): \(summary)"
        return title.count > 200 ? String(title.prefix(199)) + "…" : title
    }
}
