public import Foundation
public import VitalsCore
import VitalsHTTP

extension SourceType {
    /// `type: github`: one repository's pull requests, production deployments and incidents through GitHub's REST API
    /// (`base_url` for GitHub Enterprise Server, e.g. `https://github.example.com/api/v3`).
    public static let github = SourceType(
        "github", isLocal: false,
        options: [
            "repo": .name, "base_url": .url, "production_environment": .string, "incident_labels": .list, "bug_labels": .list,
            "deploy_workflows": .list,
            "history": .duration,
        ], requiredOptions: ["repo"])
}

/// The `github` source type: its options, metrics and collector.
public enum GitHubSource {
    public static let prsMerged = "github_prs_merged"
    public static let prCycle = "github_pr_cycle_seconds"
    public static let prFirstReview = "github_pr_first_review_seconds"
    public static let prSize = "github_pr_size_lines"
    public static let prsOpen = "github_prs_open"
    public static let prsStale = "github_prs_stale"
    public static let prStale = "github_pr_stale_seconds"
    public static let deployments = "dora_deployments"
    public static let leadTime = "dora_lead_time_seconds"
    public static let changeFailureRatio = "dora_change_failure_ratio"
    public static let changeFailures = "dora_change_failures"
    public static let deploymentsEnded = "dora_deployments_ended"
    public static let recovery = "dora_recovery_seconds"
    public static let workflowRuns = "github_workflow_runs"
    public static let workflowSuccessRatio = "github_workflow_success_ratio"
    public static let workflowDuration = "github_workflow_duration_seconds"
    public static let issuesOpened = "github_issues_opened"
    public static let issuesClosed = "github_issues_closed"
    public static let bugsOpen = "github_bugs_open"
    public static let codeScanningAlerts = "github_code_scanning_alerts_open"

    /// A stale pull request's title is cut to this many characters in its label.
    public static let stalePullTitleLimit = 100

    /// The labels of a stale pull request's series: `repo` (and what `repo` carries), `number`, `title`, `url`.
    static func stalePullLabels(_ pull: PullRequestRecord, repo labels: Labels) -> Labels {
        var labels = labels.setting("number", to: String(pull.number))
        if let title = pull.title {
            labels = labels.setting("title", to: title.count > stalePullTitleLimit ? String(title.prefix(stalePullTitleLimit - 1)) + "…" : title)
        }
        if let url = pull.url { labels = labels.setting("url", to: url) }
        return labels
    }

    public static let definition = SourceDefinition(
        type: .github,
        metrics: [
            MetricDefinition(
                prsMerged, family: .velocity, kind: .event, unit: .count, source: .github, title: "Pull requests merged",
                definition: "Pull requests whose `merged_at` falls on the local day; days read without merges get a zero sample. "
                    + "Pull requests closed unmerged do not count."),
            MetricDefinition(
                prCycle, family: .velocity, kind: .gauge, unit: .seconds, source: .github, title: "PR cycle time",
                definition: "One sample per merged pull request, stamped at `merged_at`: `merged_at` − `created_at`. "
                    + "A pull request merged before the range read gives none, however recently it was updated.",
                derivation: .distribution(item: "PR", items: "PRs")),
            MetricDefinition(
                prFirstReview, family: .velocity, kind: .gauge, unit: .seconds, source: .github, title: "Time to first review",
                definition: "One sample per pull request, stamped at its first review: the earliest `submitted_at` of a review by "
                    + "someone other than its author (the author's own reviews and pending reviews do not count; a deleted "
                    + "reviewer does) − the pull request's `created_at`.",
                derivation: .distribution(item: "PR", items: "PRs")),
            MetricDefinition(
                prSize, family: .velocity, kind: .gauge, unit: .lines, source: .github, title: "PR size",
                definition: "One sample per merged pull request, stamped at `merged_at`: `additions` + `deletions`.",
                derivation: .distribution(item: "PR", items: "PRs")),
            MetricDefinition(
                prsOpen, family: .velocity, kind: .gauge, unit: .count, source: .github, title: "Open pull requests",
                definition: "Open pull requests, drafts included, as of the collection."),
            MetricDefinition(
                prsStale, family: .velocity, kind: .gauge, unit: .count, source: .github, title: "Stale pull requests",
                definition: "Open pull requests whose `updated_at` is more than 7 days before the collection."),
            MetricDefinition(
                prStale, family: .velocity, kind: .gauge, unit: .seconds, source: .github, labels: ["repo", "source", "number"],
                optionalLabels: ["title", "url"], title: "Stale pull request",
                definition: "One series per open pull request counted in `github_prs_stale`, with one sample per collection while "
                    + "it is stale: the collection's time − its `updated_at`. Labelled by `number`, with its `title` (cut to "
                    + "\(stalePullTitleLimit) characters) and web page `url` (`html_url`) when GitHub gave them. A pull request that "
                    + "is updated, closed or merged gets no more samples, so only the stale ones of a collection have a sample "
                    + "at its time.",
                derivation: .hidden),
            MetricDefinition(
                deployments, family: .stability, kind: .event, unit: .count, source: .github, title: "Deployments",
                definition: "Successful deployments to the production environment (`production_environment`, default "
                    + "`production`) per local day of their end: the `created_at` of their newest `success`, `failure` or `error` "
                    + "status, which must be `success` (DORA deployment frequency). With `deploy_workflows`, the completed runs of "
                    + "those workflows are the deployments instead: of their `head_sha`, ending at `updated_at`, successful when "
                    + "they conclude `success`, failed on `failure`, `timed_out` or `startup_failure`."),
            MetricDefinition(
                leadTime, family: .stability, kind: .gauge, unit: .seconds, source: .github, title: "Lead time for changes",
                definition: "One sample per change of a successful production deployment, stamped at the deployment's end: "
                    + "its end − the commit's author date. A deployment's changes are the commits of the compare between the "
                    + "previous successful deployment's `sha` and its own (none for a redeploy or a rollback; unknown, so no "
                    + "samples, for the first successful deployment read); non-positive values are discarded.",
                derivation: .distribution(item: "change", items: "changes")),
            MetricDefinition(
                changeFailureRatio, family: .stability, kind: .gauge, unit: .ratio, source: .github, title: "Change failure rate",
                definition: "`dora_change_failures` / `dora_deployments_ended` over the 30 days before the collection; none when no "
                    + "deployment ended then. Never above 1."),
            MetricDefinition(
                changeFailures, family: .stability, kind: .gauge, unit: .count, source: .github, title: "Change failures",
                definition: "Production deployments that ended in the 30 days before the collection and failed (newest ending "
                    + "status `failure` or `error`), or succeeded and have an incident attributed to them: an incident is "
                    + "attributed to the latest successful deployment that ended before it opened (none before any)."),
            MetricDefinition(
                deploymentsEnded, family: .stability, kind: .gauge, unit: .count, source: .github, title: "Deployments ended",
                definition: "Production deployments, successful or failed, that ended in the 30 days before the collection."),
            MetricDefinition(
                recovery, family: .stability, kind: .gauge, unit: .seconds, source: .github, title: "Time to restore",
                definition: "One sample per recovery, stamped at it: a run of failed production deployments, from the end of its "
                    + "first to the end of the next successful deployment; an incident (an issue, not a pull request, labelled "
                    + "with one of `incident_labels`, default `incident`) from `created_at` to `closed_at`. Unfinished ones "
                    + "have none yet.",
                derivation: .distribution(item: "recovery", items: "recoveries")),
            MetricDefinition(
                workflowRuns, family: .stability, kind: .event, unit: .count, source: .github,
                labels: ["repo", "source", "workflow", "conclusion"], title: "Workflow runs",
                definition: "Completed GitHub Actions runs per local day of `created_at`, per `workflow` (the run's `name`) and "
                    + "`conclusion` (success, failure, cancelled, skipped, timed_out, …); only combinations with runs are written. "
                    + "Ranges holding more than the API's 1,000 results per query are read in halves."),
            MetricDefinition(
                workflowSuccessRatio, family: .stability, kind: .gauge, unit: .ratio, source: .github, labels: ["repo", "source", "workflow"],
                title: "CI success rate",
                definition: "Per local day of `created_at` and `workflow`, stamped at the day's start: runs concluding `success` / runs "
                    + "concluding `success`, `failure`, `timed_out` or `startup_failure` (cancelled, skipped, neutral, action_required "
                    + "and stale runs judge nothing); the counts are `github_workflow_runs`. None for a day without such runs."),
            MetricDefinition(
                workflowDuration, family: .stability, kind: .gauge, unit: .seconds, source: .github, labels: ["repo", "source", "workflow"],
                title: "Workflow duration",
                definition: "One sample per completed run, stamped at its `updated_at` (a completed run's last change, its end): "
                    + "`updated_at` − `run_started_at` (else `created_at`).",
                derivation: .distribution(item: "run", items: "runs")),
            MetricDefinition(
                issuesOpened, family: .velocity, kind: .event, unit: .count, source: .github, title: "Issues opened",
                definition: "Issues (pull requests, which the issues list includes, left out) per local day of `created_at`; days read "
                    + "without any get a zero sample."),
            MetricDefinition(
                issuesClosed, family: .velocity, kind: .event, unit: .count, source: .github, title: "Issues closed",
                definition: "Issues (pull requests left out) per local day of `closed_at`; days read without any get a zero sample."),
            MetricDefinition(
                bugsOpen, family: .stability, kind: .gauge, unit: .count, source: .github, title: "Open bugs",
                definition: "Open issues (pull requests left out) carrying any of `bug_labels` (default `bug`, compared without regard "
                    + "to case), each counted once, as of the collection."),
            MetricDefinition(
                codeScanningAlerts, family: .quality, kind: .gauge, unit: .count, source: .github, labels: ["repo", "source", "severity"],
                title: "Code scanning alerts",
                definition: "Open code-scanning alerts per `severity`: the rule's `security_severity_level` (critical, high, medium, "
                    + "low; all four always written) when it has one, else its `severity` (error, warning, note, none; written when "
                    + "present). None written when GitHub answers 404 or 403 (code scanning not set up or not readable)."),
        ],
        collector: { config, context in
            GitHubCollector(
                source: config.name, repo: config.string("repo") ?? "", client: client(config, context),
                productionEnvironment: config.string("production_environment") ?? "production",
                incidentLabels: config.strings("incident_labels") ?? ["incident"], bugLabels: config.strings("bug_labels") ?? ["bug"],
                deployWorkflows: config.strings("deploy_workflows") ?? [],
                interval: config.interval,
                defaultHistory: config.string("history").flatMap { try? TimeSpan(parsing: $0) } ?? .days(30))
        },
        check: { config, context in
            struct Repository: Codable {
                let fullName: String
                enum CodingKeys: String, CodingKey { case fullName = "full_name" }
            }
            let repo = config.string("repo") ?? ""
            let notFound = "check repo (owner/name) and base_url, and that the token may read the repository (a fine-grained token lists it)"
            return await SourceCheck.asking(tokenEnv: config.tokenEnv, notFound: notFound) {
                let client = client(config, context)
                let found = try await client.object(client.url("repos/\(repo)"), as: Repository.self)
                return "GET repos/\(repo): \(found.fullName) is readable"
            }
        })

    static func client(_ config: SourceConfig, _ context: CollectorContext) -> GitHubClient {
        GitHubClient(
            baseURL: config.string("base_url").flatMap(URL.init(string:)) ?? GitHubClient.defaultBaseURL,
            token: config.tokenEnv.flatMap { context.environment[$0] } ?? "", http: context.http, notice: context.notice(config.name))
    }
}
