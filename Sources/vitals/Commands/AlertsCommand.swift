import ArgumentParser

/// `vitals alerts`: evaluate the alert rules and look at, or silence, what they raised.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Evaluate the alert rules in rules/, list firing and pending alerts, their history, and silences.",
        discussion: """
            Alert state lives in the store: an alert that is pending (waiting out its `for:`) stays pending across runs, \
            and every notification goes to the store's outbox exactly once, even if a run is killed half way.

            Typical use: run `vitals alerts evaluate` from cron every minute; each group is evaluated at the slots of its `interval:`.

            Examples:
              vitals alerts evaluate                evaluate the groups due now
              vitals alerts list                    firing and pending: since, value
              vitals alerts history --since 7d      every transition of 7 days
              vitals alerts silences                silences in force or scheduled
              vitals alerts unsilence 3f2a9c1d0b7e  end a silence now
              vitals alerts silence --for 2h --comment "deploy" \\
                  --match 'alertname=HighErrorRate,service=api'

            See docs/alerting.md for the rule format, cooldowns and what survives a restart.
            """,
        subcommands: [
            AlertsEvaluateCommand.self, AlertsListCommand.self, AlertsHistoryCommand.self, AlertsSilenceCommand.self,
            AlertsSilencesCommand.self, AlertsUnsilenceCommand.self,
        ]
    )
}
