import GRDB

/// Applies the store's versioned migrations so that several processes opening one file at once can race safely.
///
/// GRDB's `DatabaseMigrator` reads which migrations a file has before it takes the write lock, so two processes creating a
/// store at once both set out to apply v1 and the second fails with `table series already exists`. Here the pending
/// migrations are read again after `BEGIN IMMEDIATE` has taken the write lock, and all of them run in that one transaction:
/// a process that waited for another's migration finds it done, and a file is never left half-migrated.
/// Applied versions are recorded in `grdb_migrations`, the table the files of earlier builds already have.
struct SchemaMigrator: Sendable {
    private var migrations: [(identifier: String, migrate: @Sendable (Database) throws -> Void)] = []

    /// Adds the migration `identifier` after the ones registered so far; a released migration is never edited.
    mutating func registerMigration(_ identifier: String, migrate: @escaping @Sendable (Database) throws -> Void) {
        precondition(!migrations.contains { $0.identifier == identifier }, "migration \(identifier) registered twice")
        migrations.append((identifier, migrate))
    }

    /// The registered migrations up to `target` (all when nil) that the file has not applied, oldest first.
    func pending(_ db: Database, upTo target: String? = nil) throws -> [String] {
        let applied = try db.tableExists("grdb_migrations") ? try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations") : []
        return wanted(upTo: target).map(\.identifier).filter { !applied.contains($0) }
    }

    /// Brings the file up to `target` (the newest when nil). A read decides whether anything is pending, so opening an
    /// up-to-date store never waits for another process's write lock.
    func migrate(_ writer: any DatabaseWriter, upTo target: String? = nil) async throws {
        guard try await !writer.read({ try pending($0, upTo: target) }).isEmpty else { return }
        try await writer.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                let pending = Set(try pending(db, upTo: target))
                for migration in wanted(upTo: target) where pending.contains(migration.identifier) {
                    try migration.migrate(db)
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
                }
                return .commit
            }
        }
    }

    private func wanted(upTo target: String?) -> ArraySlice<(identifier: String, migrate: @Sendable (Database) throws -> Void)> {
        guard let target else { return migrations[...] }
        guard let index = migrations.firstIndex(where: { $0.identifier == target }) else { preconditionFailure("no migration \(target)") }
        return migrations[...index]
    }
}
