import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsScheduler
import VitalsStore
import VitalsTestSupport

/// The store under the shipped schedule (`cron/vitals.crontab`) for two simulated years, on a real SQLite file.
///
/// Simulated time steps from one run of the schedule to the next, as the daemon's scheduler computes them
/// (`CronSchedule.next(after:)`, Europe/Berlin); the scheduler itself (one run per time, catch-up, overlap) is tested in
/// `JobSchedulerTests`. Each run does to the store what its command does:
/// - `collect stability|velocity|quality`: two samples (two series of the source) and a job run;
/// - the alert round after each stability collection: an alert of the stability source fires at 10:00 and resolves at
///   12:00 every day, so the round commits two transitions and queues two notifications a day, which the dispatcher
///   routes to one channel and delivers;
/// - `report`: a report message queued for one channel and delivered;
/// - `housekeeping`: ``Housekeeping`` with its documented default ages (raw samples at the configured retention, 400 days
///   by default; transitions 400 days; job runs 90 days; outbox messages 30 days), then compaction.
/// A collection's samples are written in one call per simulated day (before housekeeping and before each measurement),
/// which leaves the same rows as writing them run by run and keeps the test at a few seconds in a debug build.
@Suite struct StoreSizeOverTimeTests {
    static let zone = TimeZone(identifier: "Europe/Berlin")!
    static let start = Harness.time("2026-01-01T00:00:00Z")
    static let alert = AlertRuleID(group: "stability", alert: "SimulatedStabilityLow")
    static let channel = "slack"

    /// What the store holds at one instant.
    struct Size: Equatable, CustomStringConvertible {
        var samples = 0
        var transitions = 0
        var jobRuns = 0
        var deliveries = 0
        var fileBytes = 0

        var description: String {
            "\(samples) samples, \(transitions) transitions, \(jobRuns) job runs, \(deliveries) deliveries, \(fileBytes / 1024) KiB"
        }
    }

    /// Every kind of row that housekeeping prunes stops growing once the simulation is older than its age: job runs and
    /// outbox messages (90 and 30 days) after month 3, raw samples and transitions (400 days) after month 14. Month 3 and
    /// month 12 hold the same number of job runs and deliveries, month 15 and month 24 the same number of samples and
    /// transitions (within the calendar's variation: weekdays, month lengths). The file grows only by the hourly and daily
    /// rollups, which are kept for good (reports over old periods read them; `docs/storage.md`): 6 series' rollups, about
    /// 150 rows a day, in a file of a few MB.
    @Test func theStoreStaysBoundedUnderTheShippedSchedule() async throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("vitals.db").path
        let store = try await SQLiteMetricStore(path: path, timeZone: Self.zone, retention: VitalsConfig.defaultRetention)
        let schedule = try ScheduleFileParser(defaultTimeZone: Self.zone).load(contentsOf: Self.shippedSchedule)
        var simulation = Simulation(store: store, path: path, jobs: schedule.jobs)
        var sizes: [Int: Size] = [:]
        var pruned = HousekeepingResult()
        for month in 1...24 {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .gmt
            let end = Timestamp(calendar.date(byAdding: .month, value: month, to: Self.start.date)!)
            let result = try await simulation.run(until: end)
            pruned.samples += result.samples
            pruned.alertTransitions += result.alertTransitions
            pruned.jobRuns += result.jobRuns
            pruned.outboxMessages += result.outboxMessages
            sizes[month] = try await simulation.size()
        }
        let (m3, m12, m15, m24) = (sizes[3]!, sizes[12]!, sizes[15]!, sizes[24]!)
        #expect(pruned.samples > 0 && pruned.alertTransitions > 0 && pruned.jobRuns > 0 && pruned.outboxMessages > 0, "\(pruned)")
        #expect(Self.near(m12.jobRuns, m3.jobRuns, 0.02) && Self.near(m24.jobRuns, m3.jobRuns, 0.02), "\(m3) / \(m12) / \(m24)")
        #expect(Self.near(m12.deliveries, m3.deliveries, 0.15) && Self.near(m24.deliveries, m3.deliveries, 0.15), "\(m3) / \(m12) / \(m24)")
        #expect(Self.near(m24.samples, m15.samples, 0.02) && Self.near(m24.transitions, m15.transitions, 0.02), "\(m15) / \(m24)")
        // Unpruned, the 400-day kinds would double from month 12 to month 24; the file grows by the rollups only.
        #expect(m24.samples < m12.samples * 5 / 4 && m24.transitions < m12.transitions * 5 / 4, "\(m12) / \(m24)")
        #expect(m24.fileBytes < m15.fileBytes * 3 / 2, "\(m15) / \(m24)")
        // Before month 3 nothing of the 90-day kinds is pruned yet; the plateau is what retention holds, not an empty store.
        #expect(m3.jobRuns > 10_000 && m15.samples > 100_000 && m15.transitions > 700, "\(m3) / \(m15)")
    }

    static func near(_ value: Int, _ reference: Int, _ tolerance: Double) -> Bool {
        abs(Double(value - reference)) <= tolerance * Double(reference)
    }

    static var shippedSchedule: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("cron/vitals.crontab").path
    }

    /// The schedule's runs applied to the store in time order.
    struct Simulation {
        let store: SQLiteMetricStore
        let path: String
        let jobs: [ScheduledJob]
        var now = StoreSizeOverTimeTests.start
        var next: [Timestamp?]
        var pending: [Sample] = []
        var firing = false

        init(store: SQLiteMetricStore, path: String, jobs: [ScheduledJob]) {
            self.store = store
            self.path = path
            self.jobs = jobs
            next = jobs.map { $0.schedule.next(after: StoreSizeOverTimeTests.start) }
        }

        /// Runs every job due up to `end` (exclusive); returns what housekeeping deleted meanwhile.
        mutating func run(until end: Timestamp) async throws -> HousekeepingResult {
            var pruned = HousekeepingResult()
            while let (index, at) = next.enumerated().compactMap({ index, at in at.map { (index, $0) } }).min(by: { $0.1 < $1.1 }), at < end {
                now = at
                let arguments = jobs[index].arguments
                switch arguments.first {
                case "collect": try await collect(arguments.dropFirst().joined(separator: " "))
                case "report": try await report()
                case "housekeeping":
                    try await flush()
                    let result = try await Housekeeping().run(on: store, now: now)
                    pruned.samples += result.samples
                    pruned.alertTransitions += result.alertTransitions
                    pruned.jobRuns += result.jobRuns
                    pruned.outboxMessages += result.outboxMessages
                default: Issue.record("the shipped schedule runs '\(arguments.joined(separator: " "))', which this simulation does not know")
                }
                try await store.recordJobRun(
                    JobRun(source: arguments.joined(separator: " "), scheduled: at, started: at, finished: at, status: .ok, samplesWritten: 0))
                next[index] = jobs[index].schedule.next(after: at)
            }
            try await flush()
            return pruned
        }

        func size() async throws -> Size {
            var size = Size()
            for key in Self.sources.flatMap(Self.series) {
                size.samples += try await store.samples(of: key, in: Period(from: .init(milliseconds: 0), to: now.adding(.days(1)))).count
            }
            size.transitions = try await store.alertHistory(since: .init(milliseconds: 0)).count
            size.jobRuns = try await store.jobRuns(source: nil, limit: 1_000_000).count
            size.deliveries = try await store.deliveries(status: nil).count
            size.fileBytes = [path, path + "-wal"].compactMap { (try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? Int }.reduce(0, +)
            return size
        }

        static let sources = ["stability", "velocity", "quality"]

        static func series(of source: String) -> [SeriesKey] {
            (0..<2).map { SeriesKey("simulated_\(source)", ["source": source, "repo": "r\($0)"]) }
        }

        private mutating func collect(_ source: String) async throws {
            let minute = Double(now.milliseconds / 60_000 % 1_440)
            for key in Self.series(of: source) {
                pending.append(Sample(SeriesDescriptor(key, kind: .gauge, unit: .count), at: now, value: minute))
            }
            if source == "stability" { try await alertRound() }
        }

        /// The alert round after a stability collection: the alert fires from 10:00 to 12:00 UTC.
        private mutating func alertRound() async throws {
            let hour = now.milliseconds / 3_600_000 % 24
            let condition = (10..<12).contains(hour)
            guard condition != firing else { return }
            firing = condition
            let labels = Labels(["source": "stability"])
            let (from, to): (AlertPhase, AlertPhase) = firing ? (.inactive, .firing) : (.firing, .resolved)
            let instance = AlertInstance(labels: labels, phase: to, firedAt: now, resolvedAt: firing ? nil : now, value: 1)
            let notification = AlertNotification(
                group: Self.alertID.group, alert: Self.alertID.alert, labels: labels, kind: firing ? .firing : .resolved, severity: nil, value: 1,
                at: now)
            try await store.commit(
                slots: [Self.alertID.group: now],
                rules: [
                    AlertRoundRecord.RuleRecord(
                        rule: Self.alertID, state: AlertRuleState(evaluatedAt: now, instances: [instance]),
                        transitions: [AlertTransition(labels: labels, from: from, to: to, severity: nil, value: 1, at: now)],
                        notifications: [QueuedNotification(notification, summary: "stability is low")])
                ])
            for message in try await store.unroutedMessages(limit: 10) {
                try await store.route(messageID: message.message.id, to: [StoreSizeOverTimeTests.channel], at: now)
            }
            try await deliver()
        }

        private func report() async throws {
            let payload = OutboxMessage.Payload.report(ReportMessage(name: "report", title: "Report · \(now)", bodies: ["md": "# Report"]))
            _ = try await store.enqueue(key: "report@\(now.milliseconds)", payload: payload, channels: [StoreSizeOverTimeTests.channel], at: now, force: false)
            try await deliver()
        }

        private func deliver() async throws {
            for delivery in try await store.dueDeliveries(at: now, limit: 10) {
                try await store.record(.delivered(status: 200), forDelivery: delivery.id, at: now)
            }
        }

        private mutating func flush() async throws {
            guard !pending.isEmpty else { return }
            _ = try await store.write(pending)
            pending = []
        }

        static let alertID = StoreSizeOverTimeTests.alert
    }
}
