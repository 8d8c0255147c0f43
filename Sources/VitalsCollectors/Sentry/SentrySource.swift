public import Foundation
public import VitalsCore
import VitalsHTTP

extension SourceType {
    /// `type: sentry`: one Sentry project's release health, accepted errors and issues (`base_url` for a self-hosted
    /// Sentry, default `https://sentry.io`).
    public static let sentry = SourceType(
        "sentry", isLocal: false,
        options: ["org": .name, "project": .name, "environment": .name, "base_url": .url], requiredOptions: ["org", "project"])
}

/// The `sentry` source type: its options, metrics, collector and check.
public enum SentrySource {
    public static let crashFreeSessions = "sentry_crash_free_sessions_ratio"
    public static let crashFreeUsers = "sentry_crash_free_users_ratio"
    public static let errorRatio = "sentry_error_ratio"
    public static let eventsAccepted = "sentry_events_accepted"
    public static let unresolvedIssues = "sentry_unresolved_issues"
    public static let newIssues = "sentry_new_issues"

    static let labels = ["source", "project"]
    static let interval = "Per day as Sentry buckets its data (`interval=1d`, UTC days), stamped at the day's start"

    public static let definition = SourceDefinition(
        type: .sentry,
        metrics: [
            MetricDefinition(
                crashFreeSessions, family: .stability, kind: .gauge, unit: .ratio, source: .sentry, labels: labels, optionalLabels: ["environment"],
                title: "Crash-free sessions",
                definition: interval + ": `crash_free_rate(session)` from the organization sessions API (1 − crashed sessions / "
                    + "sessions), for the project and `environment` (the label, when configured); none for a day without sessions."),
            MetricDefinition(
                crashFreeUsers, family: .stability, kind: .gauge, unit: .ratio, source: .sentry, labels: labels, optionalLabels: ["environment"],
                title: "Crash-free users",
                definition: interval + ": `crash_free_rate(user)` (1 − users with a crashed session / users); none for a day without "
                    + "sessions."),
            MetricDefinition(
                errorRatio, family: .stability, kind: .gauge, unit: .ratio, source: .sentry, labels: labels, optionalLabels: ["environment"],
                title: "Session error rate",
                definition: interval + ": `sum(session)` grouped by `session.status`: (errored + unhandled + crashed) / all sessions "
                    + "(healthy, errored, unhandled, crashed, abnormal), Sentry's statuses being exclusive; none for a day without "
                    + "sessions."),
            MetricDefinition(
                eventsAccepted, family: .stability, kind: .event, unit: .count, source: .sentry, labels: labels, title: "Error events accepted",
                definition: interval + ": `sum(quantity)` from the organization's `stats_v2` for the project, `category=error`, "
                    + "outcome `accepted` (errors stored, not filtered, rate-limited or dropped); all environments."),
            MetricDefinition(
                unresolvedIssues, family: .stability, kind: .gauge, unit: .count, source: .sentry, labels: labels, optionalLabels: ["environment"],
                title: "Unresolved issues",
                definition: "Issues of the project matching `is:unresolved` (in `environment`, when configured), counted over every "
                    + "page, as of the collection."),
            MetricDefinition(
                newIssues, family: .stability, kind: .event, unit: .count, source: .sentry, labels: labels, optionalLabels: ["environment"],
                title: "New issues",
                definition: "Issues of the project (any status) per local day of `firstSeen`; days read without any get a zero "
                    + "sample."),
        ],
        collector: { config, context in
            SentryCollector(
                source: config.name, organization: config.string("org") ?? "", project: config.string("project") ?? "",
                environment: config.string("environment"), client: client(config, context), interval: config.interval)
        },
        check: { config, context in
            let path = "projects/\(config.string("org") ?? "")/\(config.string("project") ?? "")/"
            let notFound = "check org and project: they are the slugs in the project's Sentry URL, and the token must see them"
            return await SourceCheck.asking(tokenEnv: config.tokenEnv, notFound: notFound) {
                let found = try await client(config, context).object(path, as: SentryRecords.Project.self)
                return "GET api/0/\(path): project \(found.slug) (id \(found.id))"
            }
        })

    static func client(_ config: SourceConfig, _ context: CollectorContext) -> SentryClient {
        SentryClient(
            baseURL: config.string("base_url").flatMap(URL.init(string:)) ?? SentryClient.defaultBaseURL,
            token: config.tokenEnv.flatMap { context.environment[$0] } ?? "", api: context.api(config.name))
    }
}
