public import Foundation
public import VitalsCore
import VitalsHTTP

extension SourceType {
    /// `type: linear`: one Linear team's completed issues, points, cycles and open bugs (`team` is the team's key, as in
    /// `ENG-123`).
    public static let linear = SourceType(
        "linear", isLocal: false, options: ["team": .name, "base_url": .url, "bug_labels": .list], requiredOptions: ["team"])
}

/// The `linear` source type: its options, metrics, collector and check.
public enum LinearSource {
    public static let issuesCompleted = "linear_issues_completed"
    public static let pointsCompleted = "linear_points_completed"
    public static let cycleCompletion = "linear_cycle_completion_ratio"
    public static let bugsOpen = "linear_bugs_open"
    public static let issueCycle = "linear_issue_cycle_seconds"

    static let labels = ["source", "team"]

    public static let definition = SourceDefinition(
        type: .linear,
        metrics: [
            MetricDefinition(
                issuesCompleted, family: .velocity, kind: .event, unit: .count, source: .linear, labels: labels, title: "Linear issues completed",
                definition: "Issues of the team whose `completedAt` falls on the local day; days read without any get a zero sample. "
                    + "Canceled issues do not count."),
            MetricDefinition(
                pointsCompleted, family: .velocity, kind: .event, unit: .count, source: .linear, labels: labels, title: "Points completed",
                definition: "The `estimate`s of the issues counted in `linear_issues_completed` that day, summed (an issue without "
                    + "an estimate adds 0)."),
            MetricDefinition(
                cycleCompletion, family: .velocity, kind: .gauge, unit: .ratio, source: .linear, labels: labels + ["cycle"],
                title: "Cycle completion",
                definition: "For the team's active cycle and the one before it (`cycle` is its number): the last value of "
                    + "`completedScopeHistory` / the last value of `scopeHistory` (completed points over points in the cycle, as "
                    + "Linear counts scope), as of the collection; none for a cycle without scope."),
            MetricDefinition(
                bugsOpen, family: .stability, kind: .gauge, unit: .count, source: .linear, labels: labels, title: "Open Linear bugs",
                definition: "Issues of the team in a state whose `type` is neither `completed` nor `canceled`, carrying a label "
                    + "named as one of `bug_labels` (default `bug`, compared without regard to case), as of the collection."),
            MetricDefinition(
                issueCycle, family: .velocity, kind: .gauge, unit: .seconds, source: .linear, labels: labels, title: "Issue cycle time",
                definition: "One sample per completed issue, stamped at `completedAt`: `completedAt` − `startedAt` (the first move "
                    + "to a started state); none for an issue never started; non-positive values are discarded."),
        ],
        collector: { config, context in
            LinearCollector(
                source: config.name, team: config.string("team") ?? "", bugLabels: config.strings("bug_labels") ?? ["bug"],
                client: client(config, context), interval: config.interval)
        },
        check: { config, context in
            await SourceCheck.asking(
                tokenEnv: config.tokenEnv, notFound: "check base_url: it is the GraphQL endpoint, https://api.linear.app/graphql"
            ) {
                do {
                    let viewer = try await client(config, context).query("query { viewer { id } }", as: LinearRecords.Viewer.self)
                    return "query viewer { id }: user \(viewer.viewer.id)"
                } catch let error as RemoteAPIError where error.description.contains("AUTHENTICATION_ERROR") {
                    // Linear refuses a bad key with HTTP 400 and this code: the fix is a 401's.
                    throw RemoteAPIError(error.description, status: 401)
                }
            }
        })

    static func client(_ config: SourceConfig, _ context: CollectorContext) -> LinearClient {
        LinearClient(
            baseURL: config.string("base_url").flatMap(URL.init(string:)) ?? LinearClient.defaultBaseURL,
            token: config.tokenEnv.flatMap { context.environment[$0] } ?? "", api: context.api(config.name))
    }
}
