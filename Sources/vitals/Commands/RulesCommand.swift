import ArgumentParser

/// `vitals rules`: checks and tests alert rule files.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check rule files for mistakes and run their unit tests.",
        subcommands: [RulesCheckCommand.self, RulesTestCommand.self]
    )
}
