import Foundation
import Testing
import VitalsCore
import VitalsStore

/// The two ways a store runs; every behaviour test runs against both.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
    case inMemory
    case onDisk

    var testDescription: String { rawValue }
}

/// A temporary folder removed when the test is done.
struct TemporaryFolder: ~Copyable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

let berlin = TimeZone(identifier: "Europe/Berlin")!
let utc = TimeZone(identifier: "UTC")!

/// Runs `body` with a fresh store of `kind`; an on-disk store lives in a nested folder the store must create.
func withStore<T>(
    _ kind: StoreKind, timeZone: TimeZone = berlin, retention: TimeSpan = .days(400), _ body: (SQLiteMetricStore) async throws -> T
) async throws -> T {
    switch kind {
    case .inMemory:
        return try await body(await SQLiteMetricStore.inMemory(timeZone: timeZone, retention: retention))
    case .onDisk:
        let folder = try TemporaryFolder()
        return try await body(await SQLiteMetricStore(path: folder.file("nested/vitals.db"), timeZone: timeZone, retention: retention))
    }
}

func time(_ text: String) -> Timestamp { RFC3339.parse(text)! }

/// A summary computed straight from raw points, independently of `SampleSummary.merging`, as the reference rollups must equal:
/// Swift's `+` (IEEE 754, so past the range of a double a sum is infinite) over the points in time order, the sum from the
/// first value, the increase from 0 by each step that is not negative (a NaN step, `∞ - ∞`, is not), else by the value.
func bruteForceSummary(_ points: [SamplePoint]) -> SampleSummary? {
    guard let first = points.first, let last = points.last else { return nil }
    var sum = first.value
    var increase = 0.0
    for (previous, next) in zip(points, points.dropFirst()) {
        sum = sum + next.value
        let step = next.value - previous.value
        increase = increase + (step >= 0 ? step : next.value)
    }
    let values = points.map(\.value)
    return SampleSummary(count: points.count, sum: sum, min: values.min()!, max: values.max()!, first: first, last: last, increase: increase)
}
