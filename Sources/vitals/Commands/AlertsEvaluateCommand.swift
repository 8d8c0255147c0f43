import ArgumentParser
import VitalsCore
import VitalsNotify
import VitalsPorts
import VitalsRules
import VitalsStore

/// `vitals alerts evaluate`: one evaluation round.
struct AlertsEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate the rule groups that are due, record the transitions and queue the notifications.",
        discussion: """
            Each group is evaluated at slots aligned to its `interval:` (default 1m), as Prometheus does: multiples of \
            the interval plus an offset of the group's own (a hash of the rule file's name and the group name). A group \
            is due when its latest slot at or before --now is later than the slot it was last evaluated at; it is then \
            evaluated at that slot (queries, `for:` and the transitions' times use the slot, not --now). So running this \
            from cron every minute, however late in the minute it starts, evaluates a 1m group at every slot; running it \
            twice in one slot changes nothing. Slots passed over since the last evaluation are reported as missed, not \
            caught up. See docs/alerting.md.

            Prints each transition (inactive→pending→firing→resolved, severity changes), each notification queued in the \
            outbox (delivered by --send, `vitals outbox flush` or the daemon), the notifications held by a silence, mute window or cooldown, and the \
            rules whose data is missing. Exits 1 if a rule could not be evaluated; the others are still recorded. Each \
            round is logged as a run of the source `alerts` (`vitals query --runs`).

            Examples:
              vitals alerts evaluate
              vitals alerts evaluate --now 2026-11-25T08:00:00Z
              vitals alerts evaluate --send         and deliver what is due in the outbox at once
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Deliver what is due in the outbox after the round, as `vitals outbox flush` does.")
    var send = false

    func run() async throws {
        let alerts = try await AlertsWorkspace(global)
        let result = try await AlertRoundRun(round: alerts.oneRound(), store: alerts.store).evaluate(at: alerts.now)
        print(AlertsText.round(result), terminator: "")
        let failed = result.rules.filter { $0.error != nil }
        if send {
            let outbox = try OutboxWorkspace(alerts.workspace)
            print(OutboxWorkspace.text(try await outbox.exclusively { try await outbox.dispatcher.dispatchDue() }), terminator: "")
        }
        if !failed.isEmpty { throw CommandFailure("\(failed.count) rule\(failed.count == 1 ? "" : "s") could not be evaluated") }
    }
}
