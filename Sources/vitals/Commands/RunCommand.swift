import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsRules
import VitalsScheduler
import VitalsServer
import VitalsService
import VitalsStore

/// `vitals run`: the daemon. It runs the schedule's jobs in-process and the alert rounds at their slots while it holds
/// the store's leader lease, and waits as a standby while another daemon on the same store does.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: the scheduled jobs, the alert rounds and the HTTP API, until stopped.",
        discussion: """
            Jobs come from the schedule file (cron/vitals.crontab beside vitals.yml, else the built-in schedule; see \
            `vitals schedule`) and run inside this process at their times, each line parsed as a vitals subcommand. A job \
            still running at its next time is not started twice (the run is logged as skipped); a run longer than its \
            timeout= is stopped. At start, the latest run of each job missed while the daemon was down runs once, late, \
            if it is within its catchup= window (default 1h). Alert rule groups are evaluated at their slots, as \
            `vitals alerts evaluate` does.

            Several daemons may share a store: one holds the store's leader lease and runs the jobs, the others wait and \
            take over within a minute when it dies.

            SIGTERM or SIGINT: nothing new starts, a running job may finish (up to 30s), what the outbox can send is sent, \
            the store is checkpointed, exit 0. \
            A second signal exits at once. Logs go to standard error. See docs/scheduling.md.

            Examples:
              vitals run
              vitals run --log-format json --schedule ops/vitals.crontab
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(
        help: ArgumentHelp(
            "Where the HTTP API listens (host:port; port 0: any free port, logged); anything wider than 127.0.0.1 is your choice.",
            valueName: "address"))
    var listen = "127.0.0.1:9464"

    @Option(name: .customLong("log-format"), help: ArgumentHelp("Log lines as text or json (one JSON object per line).", valueName: "format"))
    var logFormat: LogFormat = .text

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text
        case json
    }

    @Option(help: ArgumentHelp("The schedule file (default: cron/vitals.crontab, else the built-in schedule).", valueName: "file"))
    var schedule: String?

    @Option(name: .customLong("lease-ttl"), help: .hidden)
    var leaseTTL: String?

    @Option(name: .customLong("shutdown-grace"), help: .hidden)
    var shutdownGrace: String?

    @Option(name: .customLong("delivery-interval"), help: .hidden)
    var deliveryInterval: String?

    func validate() throws {
        if global.now != nil { throw ValidationError("--now: the daemon runs on the machine's clock; run a job's command with --now instead") }
        do {
            _ = try ListenAddress(parsing: listen)
        } catch {
            throw ValidationError("\(error)")
        }
        for (option, value) in [("--lease-ttl", leaseTTL), ("--shutdown-grace", shutdownGrace), ("--delivery-interval", deliveryInterval)] {
            if let value { _ = try span(value, option: option) }
        }
    }

    func run() async throws {
        StopSignals.unblock()
        let format = VitalsLogHandler.Format(rawValue: logFormat.rawValue)!
        LoggingSystem.bootstrap { VitalsLogHandler(label: $0, format: format) }
        // Everything the daemon counts lands in the registry `/metrics` exposes, what its jobs' commands count included.
        let metrics = VitalsMetrics()
        MetricsSystem.bootstrap(metrics)
        let heartbeat = SchedulerHeartbeatMonitor()
        let logger = Logger(label: "vitals.daemon")

        let alerts = try await AlertsWorkspace(global)
        let store = alerts.store
        let lines = try ScheduleSource.load(file: schedule, root: alerts.workspace.root, timeZone: alerts.timeZone)
        let jobs = lines.jobs.map { line in
            let command = InProcessCommand(line.arguments, global: global)
            return DaemonJob(line) { try await command.run() }
        }
        var ruleFiles: [RuleFile] = []
        do {
            ruleFiles = try alerts.ruleFiles()
        } catch let missing as CommandFailure {
            // No rules folder, or no rule files in it: the daemon runs its jobs without alert rounds.
            logger.notice("no alert rounds", metadata: ["reason": "\(missing.userMessage)"])
        }
        let rounds = AlertRoundRun(round: try alerts.round(of: ruleFiles), store: store)
        let clock = ServiceClock<ContinuousClock>.system
        let grace = try shutdownGrace.map { try span($0, option: "--shutdown-grace") } ?? JobScheduler<ContinuousClock>.defaultShutdownGrace
        let holder = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        // Memory that start-up, a job or a round used once goes back when the daemon idles (docs/scheduling.md).
        let trimmer = ResidentMemoryTrimmer(now: { clock.now() })
        logger.notice(
            "vitals daemon starting",
            metadata: ["schedule": "\(lines.path)", "jobs": "\(jobs.count)", "rules": "\(rounds.round.ruleCount)", "holder": "\(holder)"])

        let delivery = DeliveryRound(
            outbox: try OutboxWorkspace(alerts.workspace),
            interval: try deliveryInterval.map { try span($0, option: "--delivery-interval") } ?? Self.deliveryInterval,
            logger: Logger(label: "vitals.outbox"))
        let leadership = LeadershipService(
            lease: store, holder: holder,
            ttl: try leaseTTL.map { try span($0, option: "--lease-ttl") } ?? LeadershipService<ContinuousClock>.defaultTTL,
            clock: clock, logger: Logger(label: "vitals.lease"),
            // Stopping: once the running job has finished, what the outbox can send now goes out before the daemon exits.
            closing: { _ = try? await delivery.run(at: clock.now()) },
            term: { _, isCurrent in
                [
                    JobScheduler(
                        jobs: jobs, clock: clock, log: StoreJobRunLog(store: store), logger: Logger(label: "vitals.scheduler"), metrics: metrics,
                        shutdownGrace: grace, heartbeat: heartbeat, permission: isCurrent, whenIdle: { trimmer.trimIfGrown() }),
                    SlottedRoundService(
                        name: "alerts", round: rounds, clock: clock, logger: Logger(label: "vitals.alerts"), metrics: metrics, permission: isCurrent,
                        whenIdle: { trimmer.trimIfGrown() }),
                    SlottedRoundService(
                        name: "outbox", round: delivery, clock: clock, logger: Logger(label: "vitals.outbox"), metrics: metrics, permission: isCurrent,
                        whenIdle: { trimmer.trimIfGrown() }),
                ]
            })
        // Every instance serves the read-only HTTP API, leader or standby.
        let address = try ListenAddress(parsing: listen)
        let httpLogger = Logger(label: "vitals.http")
        let http = VitalsServer.application(
            store: store, alerts: store, outbox: store, rules: ruleFiles,
            reports: ReportSettings(config: alerts.workspace.config, root: alerts.workspace.root), metrics: metrics,
            version: Vitals.configuration.version, health: HealthPolicy { heartbeat.current }, listen: address, logger: httpLogger,
            // The bound port, which port 0 leaves to the kernel.
            onListening: { port in
                httpLogger.notice("HTTP API listening", metadata: ["address": "\(ListenAddress(host: address.host, port: port))"])
                // Started: what start-up alone used goes back, on a standby too (whose scheduler does not run until it leads).
                trimmer.trimIfGrown()
            })
        let services: [any Service] = [leadership, http]
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                // The first SIGTERM or SIGINT shuts down gracefully; a second exits at once.
                var caught = 0
                for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                    caught += 1
                    if caught == 1 {
                        logger.notice("signal: shutting down gracefully (send it again to exit at once)", metadata: ["signal": "\(signal)"])
                        await group.triggerGracefulShutdown()
                    } else {
                        logger.warning("second signal: exiting now", metadata: ["signal": "\(signal)"])
                        ChildProcesses.endAll(within: .seconds(1))
                        Foundation.exit(128 + signal.rawValue)
                    }
                }
            }
            try await tasks.next()
            tasks.cancelAll()
        }
        try await store.checkpoint()
        logger.notice("vitals daemon stopped")
    }

    /// How often the leader sends what is due in the outbox (notifications its alert rounds queued, retries whose backoff
    /// ended); commands run by the schedule with `--send` deliver at once.
    static let deliveryInterval = TimeSpan.seconds(15)

    private func span(_ text: String, option: String) throws -> TimeSpan {
        do {
            let span = try TimeSpan(parsing: text)
            guard span.milliseconds > 0 else { throw ValidationError("\(option): must be longer than zero") }
            return span
        } catch let error as TimeSpanError {
            throw ValidationError("\(option): \(error.description)")
        }
    }
}
