import Foundation
import Synchronization
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// `StoreMigration` between every pair of backends, in process; `StoreMigrateCommandTests` runs the command and kills it.
@Suite struct StoreMigrationTests {
    typealias Store = any TransferFixture.Ports

    /// Runs `body` with a factory of fresh stores of each backend.
    func withStores(_ from: ContractBackend, _ to: ContractBackend, _ body: (Store, Store) async throws -> Void) async throws {
        try await withStoreFactory(from, as: Store.self) { makeSource in
            try await withStoreFactory(to, as: Store.self) { makeDestination in try await body(makeSource(), makeDestination()) }
        }
    }

    @Test(arguments: [(ContractBackend.sqliteFile, ContractBackend.postgres), (.postgres, .sqliteFile), (.sqliteMemory, .sqliteFile)])
    func everyTableIsCopiedWholeAndComparedEqual(from: ContractBackend, to: ContractBackend) async throws {
        try await withStores(from, to) { source, destination in
            try await TransferFixture.populate(source)
            let migration = StoreMigration(from: source, named: "source", to: destination, named: "destination", batchSize: 7)
            let comparisons = try await migration.run()
            #expect(comparisons.map(\.table) == TransferTable.allCases)
            #expect(comparisons.allSatisfy { $0.matches && $0.source.rows > 0 }, "\(comparisons.filter { !$0.matches })")
            #expect(
                try await TransferFixture.export(destination).mapValues { $0.filter { $0.first != .text(StoreMigration.stateSource) } }
                    == TransferFixture.export(source))
            // Run again: it resumes, finds nothing left, and compares equal again.
            let resumed = Events()
            let again = try await migration.run { await resumed.append($0) }
            #expect(again == comparisons)
            #expect(await resumed.started == [true])
        }
    }

    /// A run that fails after some batches (here the destination's fifth import commits and then fails, as a process killed
    /// before it records its progress) leaves its progress; the next run continues from there, imports the fifth batch again
    /// (skipped), and the stores end equal, without a row twice.
    @Test(arguments: [ContractBackend.sqliteFile, .postgres]) func anInterruptedMigrationResumesWithoutDuplicates(to: ContractBackend) async throws {
        try await withStores(.sqliteMemory, to) { source, destination in
            try await TransferFixture.populate(source)
            let failing = FailingImports(destination, after: 4)
            await #expect(throws: FailingImports.Refused.self) {
                _ = try await StoreMigration(from: source, named: "source", to: failing, named: "destination", batchSize: 5).run()
            }
            let events = Events()
            let comparisons = try await StoreMigration(from: source, named: "source", to: destination, named: "destination", batchSize: 5).run {
                await events.append($0)
            }
            #expect(comparisons.allSatisfy { $0.matches }, "\(comparisons.filter { !$0.matches })")
            #expect(await events.started == [true])
            #expect(await events.copied[.series] == 0, "series were copied before the failure and not again")
        }
    }

    @Test func aDestinationHoldingOtherDataIsRefused() async throws {
        try await withStores(.sqliteMemory, .sqliteMemory) { source, destination in
            try await TransferFixture.populate(source)
            try await destination.recordJobRun(
                JobRun(source: "git", started: TransferFixture.start, finished: TransferFixture.start, status: .ok, samplesWritten: 0))
            await #expect(throws: StoreMigrationError.destinationHoldsData("destination", tables: [.jobRuns])) {
                _ = try await StoreMigration(from: source, named: "source", to: destination, named: "destination").run()
            }
        }
        try await withStores(.sqliteMemory, .sqliteMemory) { source, destination in
            try await TransferFixture.populate(source)
            _ = try await StoreMigration(from: source, named: "a.db", to: destination, named: "destination").run()
            await #expect(throws: StoreMigrationError.otherMigration(destination: "destination", from: "a.db", given: "b.db")) {
                _ = try await StoreMigration(from: source, named: "b.db", to: destination, named: "destination").run()
            }
        }
    }

    @Test func theChecksumIgnoresOrderAndCountsEveryRow() {
        let rows: [[TransferValue]] = [
            [.integer(1), .text("a"), .null], [.integer(2), .real(0.5), .boolean(true)], [.integer(3), .text(""), .null],
        ]
        func checksum(_ rows: [[TransferValue]]) -> TransferChecksum {
            var checksum = TransferChecksum()
            for row in rows { checksum.add(row) }
            return checksum
        }
        #expect(checksum(rows) == checksum(rows.reversed()))
        #expect(checksum(rows + [rows[0]]) != checksum(rows))
        #expect(checksum(rows).sum != checksum(rows + [rows[0]]).sum)
        #expect(checksum([[.integer(1), .text("a")]]) != checksum([[.integer(1)], [.text("a")]]))
        #expect(checksum([[.text("ab"), .text("")]]) != checksum([[.text("a"), .text("b")]]))
        #expect(checksum([[.real(0)]]) != checksum([[.real(-0.0)]]))
        #expect(checksum(rows).description.count == 16)
    }
}

/// What a run told its observer.
private actor Events {
    var started: [Bool] = []
    var copied: [TransferTable: Int] = [:]

    func append(_ event: StoreMigration.Event) {
        switch event {
        case .started(let resumed): started.append(resumed)
        case .copied(let table, let rows): copied[table] = rows
        case .imported, .comparing: break
        }
    }
}

/// A destination whose imports after the first `after` fail once they are written, as a killed process's last one would.
private struct FailingImports: StoreMigration.Store {
    struct Refused: Error {}

    let store: any StoreMigration.Store
    let imports = Counter()
    let after: Int

    init(_ store: any StoreMigration.Store, after: Int) {
        self.store = store
        self.after = after
    }

    final class Counter: Sendable {
        let count = Mutex(0)
    }

    func exportRows(of table: TransferTable, after cursor: [TransferValue]?, limit: Int) async throws -> [[TransferValue]] {
        try await store.exportRows(of: table, after: cursor, limit: limit)
    }

    func importRows(_ rows: [[TransferValue]], into table: TransferTable) async throws -> Int {
        let inserted = try await store.importRows(rows, into: table)
        let made = imports.count.withLock { count in
            count += 1
            return count
        }
        guard made <= after else { throw Refused() }
        return inserted
    }

    func sourceState(of source: String) async throws -> [String: String] { try await store.sourceState(of: source) }
    func setSourceState(_ state: [String: String], of source: String) async throws { try await store.setSourceState(state, of: source) }
    func sourceState(of source: String, key: String) async throws -> String? { try await store.sourceState(of: source, key: key) }
    func sourceState(of source: String, keysStartingWith prefix: String) async throws -> [String: String] {
        try await store.sourceState(of: source, keysStartingWith: prefix)
    }
    func updateSourceState(_ changes: [String: String?], of source: String) async throws { try await store.updateSourceState(changes, of: source) }
}
