import ArgumentParser

/// `vitals store`: the store as a whole.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Work on the store as a whole: copy it into another backend (SQLite, PostgreSQL).",
        subcommands: [StoreMigrateCommand.self]
    )
}
