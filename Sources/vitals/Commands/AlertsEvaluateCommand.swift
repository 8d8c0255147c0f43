import ArgumentParser
import VitalsCore
import VitalsRules
import VitalsStore

/// `vitals alerts evaluate`: one evaluation round.
struct AlertsEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate the rule groups that are due, record the transitions and queue the notifications.",
        discussion: """
            A group is due when it was never evaluated or its `interval:` (default 1m) has passed since its last \
            evaluation, so running this every minute evaluates each group at its own pace, and running it twice at the \
            same --now changes nothing.

            Prints each transition (inactive→pending→firing→resolved, severity changes), each notification queued in the \
            outbox (delivery is a separate step), the notifications held by a silence, mute window or cooldown, and the \
            rules whose data is missing. Exits 1 if a rule could not be evaluated; the others are still recorded. Each \
            round is logged as a run of the source `alerts` (`vitals query --runs`).

            Examples:
              vitals alerts evaluate
              vitals alerts evaluate --now 2026-11-25T08:00:00Z
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let alerts = try AlertsWorkspace(global)
        let clock = ContinuousClock()
        let started = clock.now
        let result = try alerts.round().run(at: alerts.now, metrics: alerts.store, alerts: alerts.store)
        print(AlertsText.round(result), terminator: "")
        let failed = result.rules.filter { $0.error != nil }
        try alerts.store.recordJobRun(
            JobRun(
                source: "alerts", started: alerts.now,
                finished: alerts.now.adding(TimeSpan(clock.now - started)),
                status: failed.isEmpty ? .ok : .failed,
                error: failed.isEmpty ? nil : failed.map { "\($0.rule): \($0.error!)" }.joined(separator: "; "),
                samplesWritten: 0))
        try alerts.store.checkpoint()
        if !failed.isEmpty { throw CommandFailure("\(failed.count) rule\(failed.count == 1 ? "" : "s") could not be evaluated") }
    }
}
