import Foundation
import Testing
import VitalsCore
import VitalsHTTP
import VitalsNotify
import VitalsPorts
import VitalsTestSupport

/// A report's "what to look at" items as improvement tasks: counted across reports, an issue once an item stays N reports,
/// a comment when it worsens, closed when it leaves; each delivery by a fresh notifier, as after a restart.
@Suite("improvement tasks for persistent what-to-look-at items")
struct LookAtTaskTests {
    static let coverage = "look_at/coverage_lines_ratio{repo=\"acme/shop\"}"
    static let markers = "look_at/code_markers{repo=\"acme/shop\"}"

    static func item(_ fingerprint: String, score: Double) -> LookAtTasks.Item {
        LookAtTasks.Item(fingerprint: fingerprint, title: "\(fingerprint) title", text: "**\(fingerprint)** at \(score)", score: score)
    }

    /// Five daily reports: coverage stays in the list (worse on day 4) and leaves on day 5; markers appear on day 2 only.
    static func reports() -> [LookAtTasks] {
        let days: [[LookAtTasks.Item]] = [
            [item(coverage, score: 40)],
            [item(coverage, score: 40), item(markers, score: 60)],
            [item(coverage, score: 45)],
            [item(coverage, score: 30)],
            [],
        ]
        var previous: LookAtTasks?
        return days.enumerated().map { day, items in
            let tasks = LookAtTasks.counting(items, report: "daily", period: "day\(day + 1)", after: previous)
            previous = tasks
            return tasks
        }
    }

    static func message(_ tasks: LookAtTasks, id: Int64) -> OutboxMessage {
        OutboxMessage(
            id: id, idempotencyKey: "report:daily@\(tasks.period)",
            payload: .report(ReportMessage(name: "daily", title: "Daily", bodies: ["md": "# Daily", LookAtTasks.bodyKey: tasks.json])),
            createdAt: Timestamp(milliseconds: 1_795_939_200_000))
    }

    @Test func consecutiveReportsAreCountedOncePerPeriod() {
        let reports = Self.reports()
        #expect(reports.map { $0.items.map(\.reports) } == [[1], [2, 1], [3], [4], []])
        #expect(reports.map { $0.items.map(\.worsened) } == [[false], [false, false], [false], [true], []])
        #expect(reports.map { $0.left.map(\.fingerprint) } == [[], [], [Self.markers], [], [Self.coverage]])
        let again = LookAtTasks.counting([Self.item(Self.coverage, score: 10)], report: "daily", period: "day4", after: reports[3])
        #expect(again == reports[3], "a second send of a period counts nothing again")
        #expect(LookAtTasks(json: reports[1].json) == reports[1])
    }

    @Test func gitHubOpensOneIssueAfterThreeReportsCommentsWhenWorseAndClosesWhenItLeaves() async throws {
        let github = FakeGitHub(token: GitHubIssueNotifierTests.token)
        let server = try LoopbackHTTPServer { github.handle($0) }
        func notifier() -> GitHubIssueNotifier {
            GitHubIssueNotifier(
                channel: "tasks", config: GitHubIssueChannelConfig(repo: "acme/shop", tokenEnv: "GH_TOKEN", baseURL: server.baseURL),
                context: NotifierContext(environment: ["GH_TOKEN": GitHubIssueNotifierTests.token]))
        }
        var counts: [Int] = []
        for (index, tasks) in Self.reports().enumerated() {
            #expect(await notifier().deliver(Self.message(tasks, id: Int64(index))) == .delivered(status: nil))
            // The opening report delivered again (a retry after the issue was created, a second vitals): no second issue.
            if index == 2 { #expect(await notifier().deliver(Self.message(tasks, id: Int64(index))) == .delivered(status: nil)) }
            counts.append(github.issues.count)
        }
        #expect(counts == [0, 0, 1, 1, 1])
        let issue = try #require(github.issues.first)
        #expect(issue.title == "\(Self.coverage) title")
        #expect(issue.body.contains("for 3 consecutive reports") && issue.body.contains("<!-- vitals:fingerprint="))
        #expect(issue.comments.count == 2, "worse on day 4, left on day 5")
        #expect(issue.comments.first?.hasPrefix("Worse in the daily report of day4") == true)
        #expect(issue.comments.last == "Left what to look at in the daily report of day5.")
        #expect(issue.state == "closed")
    }

    @Test func linearCountsTheChannelsNumberOfReports() async throws {
        let linear = FakeLinear(token: LinearIssueNotifierTests.token)
        let server = try LoopbackHTTPServer { linear.handle($0) }
        let notifier = LinearIssueNotifier(
            channel: "linear", config: LinearIssueChannelConfig(team: "ENG", tokenEnv: "LINEAR_API_KEY", lookAtReports: 2, baseURL: server.baseURL),
            context: NotifierContext(environment: ["LINEAR_API_KEY": LinearIssueNotifierTests.token]))
        var counts: [Int] = []
        for (index, tasks) in Self.reports().enumerated() {
            #expect(await notifier.deliver(Self.message(tasks, id: Int64(index))) == .delivered(status: nil))
            counts.append(linear.issues.count)
        }
        #expect(counts == [0, 1, 1, 1, 1], "coverage opens on day 2; markers, in one report only, never")
        let issue = try #require(linear.issues.first)
        #expect(issue.stateID == "state-merged" && issue.comments.count == 2)
    }

    @Test func aReportWithoutItemsIsRejected() async throws {
        let server = try LoopbackHTTPServer { _ in .init(status: 500) }
        let notifier = GitHubIssueNotifier(
            channel: "tasks", config: GitHubIssueChannelConfig(repo: "acme/shop", tokenEnv: "GH_TOKEN", baseURL: server.baseURL),
            context: NotifierContext(environment: ["GH_TOKEN": GitHubIssueNotifierTests.token]))
        let outcome = await notifier.deliver(Messages.report())
        #expect(
            outcome
                == .reject(
                    DeliveryFailure(status: nil, "report 'daily' carries no what-to-look-at items for github_issue (queued by an older vitals)")))
        #expect(server.requests.isEmpty)
    }
}
