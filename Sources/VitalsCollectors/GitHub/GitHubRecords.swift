public import VitalsCore

/// The parts of GitHub's REST answers vitals reads, named as GitHub's OpenAPI description names them (REST API version
/// 2022-11-28); every other field is ignored.
public enum GitHubRecords {
    /// `GET /repos/{owner}/{repo}/deployments` items (`deployment`).
    public struct Deployment: Codable, Sendable, Equatable {
        public let id: Int
        public let sha: String
        public let environment: String
        public let createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case id, sha, environment
            case createdAt = "created_at"
        }
    }

    /// `GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses` items (`deployment-status`).
    public struct DeploymentStatus: Codable, Sendable, Equatable {
        /// error, failure, inactive, pending, success, queued or in_progress.
        public let state: String
        public let createdAt: Timestamp

        enum CodingKeys: String, CodingKey {
            case state
            case createdAt = "created_at"
        }
    }

    /// `GET /repos/{owner}/{repo}/compare/{base}...{head}` (`commit-comparison`): the commits of head not in base.
    public struct Comparison: Codable, Sendable, Equatable {
        /// diverged, ahead, behind or identical.
        public let status: String
        public let totalCommits: Int
        public let commits: [Commit]

        enum CodingKeys: String, CodingKey {
            case status, commits
            case totalCommits = "total_commits"
        }
    }

    /// A `commit` of a comparison: its git author and committer (`git-user`, `date` optional).
    public struct Commit: Codable, Sendable, Equatable {
        public let sha: String
        public let commit: Details

        public struct Details: Codable, Sendable, Equatable {
            public let author: GitUser?
            public let committer: GitUser?
        }

        public struct GitUser: Codable, Sendable, Equatable {
            public let date: Timestamp?
        }

        /// When the change was written: the author date, else the committer date.
        public var time: Timestamp? { commit.author?.date ?? commit.committer?.date }
    }

    /// The `user` of a pull request, a review or an issue (`simple-user`, possibly null).
    public struct User: Codable, Sendable, Equatable {
        public let login: String
    }

    /// `GET /repos/{owner}/{repo}/pulls` items (`pull-request-simple`).
    public struct PullRequest: Codable, Sendable, Equatable {
        public let number: Int
        public let title: String?
        public let htmlURL: String?
        public let state: String
        public let user: User?
        public let createdAt: Timestamp
        public let updatedAt: Timestamp
        public let closedAt: Timestamp?
        public let mergedAt: Timestamp?
        public let draft: Bool?

        enum CodingKeys: String, CodingKey {
            case number, title, state, user, draft
            case htmlURL = "html_url"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case closedAt = "closed_at"
            case mergedAt = "merged_at"
        }
    }

    /// `GET /repos/{owner}/{repo}/pulls/{pull_number}` (`pull-request`): the line counts the list leaves out.
    public struct PullRequestSize: Codable, Sendable, Equatable {
        public let additions: Int
        public let deletions: Int
    }

    /// `GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews` items (`pull-request-review`).
    public struct Review: Codable, Sendable, Equatable {
        public let user: User?
        public let state: String
        /// Absent on a pending review, which is not submitted yet.
        public let submittedAt: Timestamp?

        enum CodingKeys: String, CodingKey {
            case user, state
            case submittedAt = "submitted_at"
        }
    }

    /// `GET /repos/{owner}/{repo}/issues` items (`issue`); pull requests are in the list too, with `pull_request` set.
    public struct Issue: Codable, Sendable, Equatable {
        public let number: Int
        /// open or closed.
        public let state: String
        public let createdAt: Timestamp
        public let closedAt: Timestamp?
        public let labels: [Label]
        public let pullRequest: PullRequestLink?

        public struct Label: Codable, Sendable, Equatable {
            public let name: String?
        }

        public struct PullRequestLink: Codable, Sendable, Equatable {}

        enum CodingKeys: String, CodingKey {
            case number, labels, state
            case createdAt = "created_at"
            case closedAt = "closed_at"
            case pullRequest = "pull_request"
        }
    }
}

extension GitHubRecords {
    /// `GET /repos/{owner}/{repo}/actions/runs` (`total_count`, `workflow_runs`).
    public struct WorkflowRuns: Codable, Sendable, Equatable {
        public let totalCount: Int
        public let workflowRuns: [WorkflowRun]

        enum CodingKeys: String, CodingKey {
            case totalCount = "total_count"
            case workflowRuns = "workflow_runs"
        }
    }

    /// A `workflow-run`.
    public struct WorkflowRun: Codable, Sendable, Equatable {
        public let id: Int
        public let name: String?
        public let workflowId: Int
        public let headSha: String
        public let status: String?
        public let conclusion: String?
        public let createdAt: Timestamp
        public let updatedAt: Timestamp
        public let runStartedAt: Timestamp?

        enum CodingKeys: String, CodingKey {
            case id, name, status, conclusion
            case workflowId = "workflow_id"
            case headSha = "head_sha"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case runStartedAt = "run_started_at"
        }
    }
}

extension GitHubRecords {
    /// `GET /repos/{owner}/{repo}/code-scanning/alerts` items (`code-scanning-alert-items`): the rule's severities.
    public struct CodeScanningAlert: Codable, Sendable, Equatable {
        public let number: Int
        public let state: String?
        public let rule: Rule

        public struct Rule: Codable, Sendable, Equatable {
            /// none, note, warning or error.
            public let severity: String?
            /// low, medium, high or critical, for security rules.
            public let securitySeverityLevel: String?

            enum CodingKeys: String, CodingKey {
                case severity
                case securitySeverityLevel = "security_severity_level"
            }
        }

        /// The security severity when the rule has one, else the rule's severity, else `none`.
        public var severity: String { rule.securitySeverityLevel ?? rule.severity ?? "none" }
    }
}
