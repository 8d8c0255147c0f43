import ArgumentParser
import VitalsCore
import VitalsPorts
import VitalsStore

/// `vitals housekeeping`: prunes what the store keeps for a limited time and compacts the file.
struct HousekeepingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "housekeeping",
        abstract: "Delete raw samples, alert transitions and job runs past their ages; checkpoint and optimize the store.",
        discussion: """
            Raw samples older than the configured `retention` are deleted (the hourly and daily rollups stay, so old \
            periods still report), alert transitions older than --transitions-age (default 400d), job runs older than \
            --job-runs-age (default 90d). Then the write-ahead log is copied into the file and truncated, and SQLite \
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

    func validate() throws {
        _ = try ages()
    }

    func run() async throws {
        let (transitions, jobRuns) = try ages()
        let alerts = try await AlertsWorkspace(global)
        let pruned = try await alerts.store.prune(now: alerts.now, transitionsAge: transitions, jobRunsAge: jobRuns)
        try await alerts.store.compact()
        print(
            "deleted \(pruned.samples) raw samples (older than \(alerts.workspace.config.retention)), "
                + "\(pruned.alertTransitions) alert transitions (older than \(transitions)), \(pruned.jobRuns) job runs (older than \(jobRuns)); "
                + "store checkpointed and optimized")
    }

    private func ages() throws -> (TimeSpan, TimeSpan) {
        func age(_ text: String, _ option: String) throws -> TimeSpan {
            do {
                return try TimeSpan(parsing: text)
            } catch {
                throw ValidationError("\(option): \(error.description)")
            }
        }
        return (try age(transitionsAge, "--transitions-age"), try age(jobRunsAge, "--job-runs-age"))
    }
}
