import Foundation
import VitalsCollectors
import VitalsCore
import VitalsStore
import VitalsTestSupport

/// One run of a remote collector beside a local one (markers on a one-file repository) into a store of its own, as the
/// hostile-answer tests need it: the remote source may fail, the local one must still succeed.
struct RunBesideALocalSource {
    let folder: TemporaryFolder
    let outcomes: [CollectionRunner.Outcome]

    init(_ collector: any Collector, now: Timestamp) async throws {
        folder = try TemporaryFolder()
        let store = try await SQLiteMetricStore(path: folder.url.appendingPathComponent("vitals.db").path, timeZone: .gmt, retention: .days(400))
        let repository = try GitRepository(name: "shop")
        try repository.write("a.c", "// TODO\n")
        try repository.commit("start", at: "2026-03-01T09:00:00+00:00")
        outcomes = try await CollectionRunner(store: store).run([collector, MarkersCollector(repository: repository.url)], now: now, timeZone: .gmt)
    }

    /// The text of every file of the store (the database and its journals).
    func storeFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).map {
            String(decoding: try Data(contentsOf: folder.url.appendingPathComponent($0)), as: UTF8.self)
        }
    }
}
