/// The report definitions vitals ships, used when the reports folder has no file of that name.
///
/// The same text as `reports/daily.yml` and `reports/weekly.yml` in the repository (a test keeps them equal).
extension ReportDefinition {
    public static let builtIn: [String: String] = [
        "daily": """
        # The daily digest: yesterday (midnight to midnight in vitals.yml's time_zone) against the same weekday a week before.
        # Thresholds grade and score a metric (docs/reports.md); metrics without them are shown, not scored.
        title: Daily digest
        period: previous_day
        comparison: same_period_last_week
        alerts: true
        sections:
          - title: Code quality
            family: quality
            metrics:
              - metric: coverage_lines_ratio
                better: higher
                good: 80%
                warn: 70%
                bad: 50%
              - metric: coverage_branches_ratio
                better: higher
                good: 70%
                warn: 60%
                bad: 40%
              - coverage_functions_ratio
              - metric: security_findings
                better: lower
                good: 0
                warn: 5
                bad: 20
              - metric: security_findings_new
                better: lower
                good: 0
                warn: 1
                bad: 5
              - metric: code_markers
                better: lower
                good: 20
                warn: 50
                bad: 150
          - title: Stability
            family: stability
            metrics:
              - metric: github_workflow_success_ratio
                better: higher
                good: 95%
                warn: 90%
                bad: 80%
              - metric: probe_success
                better: higher
                good: 99.9%
                warn: 99%
                bad: 95%
              - dora_deployments
              - dora_lead_time_seconds
              - dora_change_failure_ratio
              - dora_recovery_seconds
              - github_workflow_duration_seconds
              - github_bugs_open
          - title: Velocity
            family: velocity
            metrics:
              - git_commits
              - git_merges
              - git_authors
              - git_lines_added
              - git_lines_deleted
              - git_files_changed
              - github_prs_merged
              - github_pr_cycle_seconds
              - github_pr_first_review_seconds
              - github_pr_size_lines
              - github_prs_open
              - metric: github_prs_stale
                better: lower
                good: 0
                warn: 3
                bad: 10

        """,
        "weekly": """
        # The weekly digest: the last calendar week (Monday to Sunday in vitals.yml's time_zone) against the week before.
        # Thresholds grade and score a metric (docs/reports.md); metrics without them are shown, not scored.
        title: Weekly digest
        period: previous_week
        comparison: previous_period
        alerts: true
        sections:
          - title: Code quality
            family: quality
            metrics:
              - metric: coverage_lines_ratio
                better: higher
                good: 80%
                warn: 70%
                bad: 50%
              - metric: coverage_branches_ratio
                better: higher
                good: 70%
                warn: 60%
                bad: 40%
              - coverage_functions_ratio
              - metric: security_findings
                better: lower
                good: 0
                warn: 5
                bad: 20
              - metric: security_findings_new
                better: lower
                good: 0
                warn: 1
                bad: 5
              - metric: code_markers
                better: lower
                good: 20
                warn: 50
                bad: 150
          - title: Stability
            family: stability
            metrics:
              - metric: github_workflow_success_ratio
                better: higher
                good: 95%
                warn: 90%
                bad: 80%
              - metric: probe_success
                better: higher
                good: 99.9%
                warn: 99%
                bad: 95%
              - dora_deployments
              - dora_lead_time_seconds
              - dora_change_failure_ratio
              - dora_recovery_seconds
              - github_workflow_duration_seconds
              - github_bugs_open
          - title: Velocity
            family: velocity
            metrics:
              - metric: git_commits
                better: higher
                good: 10
                warn: 3
                bad: 0
              - metric: git_authors
                better: higher
                good: 3
                warn: 2
                bad: 0
              - git_merges
              - git_lines_added
              - git_lines_deleted
              - git_files_changed
              - github_prs_merged
              - github_pr_cycle_seconds
              - github_pr_first_review_seconds
              - github_pr_size_lines
              - github_prs_open
              - metric: github_prs_stale
                better: lower
                good: 0
                warn: 3
                bad: 10

        """,
    ]
}
