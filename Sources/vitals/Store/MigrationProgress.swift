import Foundation
import VitalsPorts

/// What `vitals store migrate` shows on standard error while it works: a line per table copied with its rate, and on a
/// terminal a live line per batch; elsewhere (a log) a line every few seconds while one table takes long.
actor MigrationProgress {
    private let from: String
    private let to: String
    private let pauseAfterBatches: Int?
    private let line = ProgressLine()
    private let clock = ContinuousClock()
    private var tableStarted: ContinuousClock.Instant
    private var lastLine: ContinuousClock.Instant
    private var batches = 0

    /// How often a line is written while one table is copied, when standard error is no terminal.
    private static let logInterval = Duration.seconds(5)

    init(from: String, to: String, pauseAfterBatches: Int?) {
        self.from = from
        self.to = to
        self.pauseAfterBatches = pauseAfterBatches
        tableStarted = clock.now
        lastLine = clock.now
    }

    func observe(_ event: StoreMigration.Event) async {
        switch event {
        case .started(let resumed):
            write(resumed ? "resuming the migration from \(from) into \(to)" : "migrating \(from) into \(to)")
            tableStarted = clock.now
        case .imported(let table, let rows):
            batches += 1
            if line.enabled {
                line.show("copying \(table.rawValue): \(rows) rows, \(rate(rows))")
            } else if clock.now - lastLine >= Self.logInterval {
                write("copying \(table.rawValue): \(rows) rows so far, \(rate(rows))")
            }
            if batches == pauseAfterBatches {
                write("paused after batch \(batches) (\(StoreMigrateCommand.pauseVariable))")
                await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
            }
        case .copied(let table, let rows):
            line.clear()
            write("copied \(table.rawValue): \(rows) rows in \(String(format: "%.1f", seconds(clock.now - tableStarted))) s, \(rate(rows))")
            tableStarted = clock.now
        case .comparing(let table):
            line.show("comparing \(table.rawValue)")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data("vitals: \(text)\n".utf8))
        lastLine = clock.now
    }

    private func rate(_ rows: Int) -> String {
        let elapsed = seconds(clock.now - tableStarted)
        return "\(elapsed > 0 ? Int((Double(rows) / elapsed).rounded()) : 0) rows/s"
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
