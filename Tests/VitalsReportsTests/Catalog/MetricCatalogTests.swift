import Testing
import VitalsCollectors
import VitalsCore
import VitalsReports

@Suite struct MetricCatalogTests {
    /// The row `docs/metrics.md` must have for `metric`.
    static func documentationRow(_ metric: MetricDefinition) -> String {
        let kind =
            switch metric.derivation {
            case .distinctSeries: "distinct (derived)"
            case .distribution: "distribution"
            case .seriesValue, .successRatio, .hidden: metric.kind.rawValue
            }
        let labels = metric.labels.joined(separator: ", ") + metric.optionalLabels.map { ", \($0) (optional)" }.joined()
        let cells = ["`\(metric.name)`", metric.title, kind, metric.unit.rawValue, labels, metric.source.rawValue, metric.definition]
        return "| " + cells.joined(separator: " | ") + " |"
    }

    @Test(arguments: MetricCatalog.standard.metrics.map(\.name))
    func everyMetricIsDocumentedExactly(name: String) throws {
        let metric = try #require(MetricCatalog.standard[name])
        let documentation = try Repository.read("docs/metrics.md")
        #expect(documentation.split(separator: "\n").contains { $0 == Self.documentationRow(metric) })
    }

    @Test func documentationHasNoMetricOutsideTheCatalog() throws {
        let documented = try Repository.read("docs/metrics.md").split(separator: "\n").filter { $0.hasPrefix("| `") }
            .map { $0.dropFirst(3).prefix { $0 != "`" } }.map(String.init)
        #expect(documented == MetricCatalog.standard.metrics.map(\.name))
    }

    @Test func namesAreUniqueAndFollowTheConventions() {
        let names = MetricCatalog.standard.metrics.map(\.name)
        #expect(Set(names).count == names.count)
        for metric in MetricCatalog.standard.metrics {
            // A source about no repository (a probe) carries `source` first instead.
            let first = metric.labels.first == "repo" ? ["repo", "source"] : ["source"]
            #expect(metric.labels.prefix(first.count) == first[...], "\(metric.name) must carry repo and source, or source first")
            #expect(metric.unit != .ratio || metric.name.hasSuffix("_ratio"), "\(metric.name) is a ratio")
        }
    }

    @Test func familiesShowTheirMetricsInCatalogOrder() {
        let catalog = MetricCatalog.standard
        #expect(
            catalog.shown(in: .velocity).map(\.name) == [
                "git_commits", "git_merges", "git_lines_added", "git_lines_deleted", "git_files_changed", "git_authors", "github_prs_merged",
                "github_pr_cycle_seconds", "github_pr_first_review_seconds", "github_pr_size_lines", "github_prs_open", "github_prs_stale",
                "github_issues_opened", "github_issues_closed", "linear_issues_completed", "linear_points_completed",
                "linear_cycle_completion_ratio", "linear_issue_cycle_seconds",
            ])
        #expect(
            catalog.shown(in: .stability).map(\.name) == [
                "dora_deployments", "dora_lead_time_seconds", "dora_change_failure_ratio", "dora_change_failures", "dora_deployments_ended",
                "dora_recovery_seconds", "github_workflow_runs", "github_workflow_success_ratio", "github_workflow_duration_seconds",
                "github_bugs_open", "probe_success", "probe_duration_seconds", "sentry_crash_free_sessions_ratio", "sentry_crash_free_users_ratio",
                "sentry_error_ratio", "sentry_events_accepted", "sentry_unresolved_issues", "sentry_new_issues", "linear_bugs_open",
            ])
        #expect(catalog.sourceTypes(in: .quality) == [.coverage, .sarif, .markers, .github, .duplication, .sonarqube])
        #expect(catalog["git_author_commits"]?.isShown == false)
    }
}
