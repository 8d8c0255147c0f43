import ArgumentParser
import VitalsCore
import VitalsPorts
import VitalsStore

/// `vitals housekeeping`: prunes what the store keeps for a limited time and compacts the file.
struct HousekeepingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "housekeeping",
        abstract: "Delete raw samples, alert transitions, job runs and sent outbox messages past their ages; checkpoint and optimize the store.",
        discussion: """
            Raw samples older than the configured `retention` are deleted (the hourly and daily rollups stay, so old \
            periods still report), alert transitions older than --transitions-age (default 400d), job runs older than \
            --job-runs-age (default 90d), outbox messages whose every delivery ended (delivered or dead) more than \
            --outbox-age (default 30d) ago; pending deliveries are always kept. Then the write-ahead log is copied into the file and truncated, and SQLite \
            refreshes its query statistics (PRAGMA optimize). The shipped schedule runs it daily at 03:00. See \
            docs/storage.md.

            Examples:
              vitals housekeeping
              vitals housekeeping --job-runs-age 30d
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("transitions-age"), help: ArgumentHelp("Keep alert transitions this long.", valueName: "span"))
    var transitionsAge = HousekeepingAges.transitions.description

    @Option(name: .customLong("job-runs-age"), help: ArgumentHelp("Keep job runs this long.", valueName: "span"))
    var jobRunsAge = HousekeepingAges.jobRuns.description

    @Option(name: .customLong("outbox-age"), help: ArgumentHelp("Keep sent and dead outbox messages this long.", valueName: "span"))
    var outboxAge = HousekeepingAges.outbox.description

    func validate() throws {
        _ = try ages()
    }

    func run() async throws {
        let housekeeping = try ages()
        let alerts = try await AlertsWorkspace(global)
        let pruned = try await housekeeping.run(on: alerts.store, now: alerts.now)
        print(
            "deleted \(pruned.samples) raw samples (older than \(alerts.workspace.config.retention)), "
                + "\(pruned.alertTransitions) alert transitions (older than \(housekeeping.transitionsAge)), "
                + "\(pruned.jobRuns) job runs (older than \(housekeeping.jobRunsAge)), "
                + "\(pruned.outboxMessages) outbox messages (sent or dead over \(housekeeping.outboxAge) ago); store checkpointed and optimized")
    }

    private func ages() throws -> Housekeeping {
        func age(_ text: String, _ option: String) throws -> TimeSpan {
            do {
                return try TimeSpan(parsing: text)
            } catch {
                throw ValidationError("\(option): \(error.description)")
            }
        }
        return Housekeeping(
            transitionsAge: try age(transitionsAge, "--transitions-age"), jobRunsAge: try age(jobRunsAge, "--job-runs-age"),
            outboxAge: try age(outboxAge, "--outbox-age"))
    }
}
