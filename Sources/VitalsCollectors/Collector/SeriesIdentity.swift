import Foundation
public import VitalsCore
public import VitalsPorts

/// Who a sample belongs to: the `source` label the runner gives every sample, and the upkeep that keeps a source's series
/// continuous when its labels change.
///
/// Two migrations, each cheap on the runs that need none, because the store remembers per source what they did
/// (``SourceStateStore/sourceState(of:)``):
/// - **Series from before the `source` label** (they carry no `source`) go to the source that wrote them: the one configured
///   source whose collector writes their metric names. With several sources of one type the writer cannot be told (they
///   overwrote each other's series), so those series are left as they are. Done once per source.
/// - **A changed `repo` label** (an `origin` remote added, a `repo:` option set, or the upgrade from the folder-name label):
///   when a local source reads the same folder as last time but labels it differently, its series move to the new label,
///   merging with any already written under it. A folder the source never read before starts new series; on a source's
///   first run the label the folder-name rule gave it counts as the previous one.
public struct SeriesIdentity: Sendable {
    public let store: any MetricStore & SourceStateStore
    /// Every configured source: which one wrote the series from before the `source` label depends on all of them.
    public let sources: [SourceConfig]

    public init(store: any MetricStore & SourceStateStore, sources: [SourceConfig]) {
        self.store = store
        self.sources = sources
    }

    /// `samples` with the `source` label set to `source`, replacing any a collector set.
    public static func labelled(_ samples: [Sample], source: String) -> [Sample] {
        samples.map { sample in
            let key = SeriesKey(sample.series.key.name, sample.series.key.labels.setting("source", to: source))
            return Sample(SeriesDescriptor(key, kind: sample.series.kind, unit: sample.series.unit), at: sample.timestamp, value: sample.value)
        }
    }

    /// Brings `collector`'s stored series in line with the labels of `samples` (labelled, about to be written; none for a run
    /// that failed or was skipped, which still takes over the series from before the `source` label).
    public func migrate(_ collector: any Collector, writing samples: [Sample]) async throws {
        let source = collector.source
        let remembered = try await store.sourceState(of: source)
        var state = remembered
        if state[Key.adopted] == nil, let type = sources.first(where: { $0.name == source })?.type, sources.count(where: { $0.type == type }) == 1 {
            try await store.relabelSeries(named: collector.metrics, where: { $0["source"] == nil }, setting: "source", to: source)
            state[Key.adopted] = "yes"
        }
        let repos = Set(samples.compactMap { $0.series.key.labels["repo"] })
        if let local = collector as? any LocalCollector, repos.count == 1, let repo = repos.first {
            let folder = local.repository.standardizedFileURL
            let previous = state[Key.folder] == nil ? folder.lastPathComponent : state[Key.folder] == folder.path ? state[Key.repo] : nil
            if let previous, previous != repo {
                try await store.relabelSeries(
                    named: collector.metrics, where: { $0["source"] == source && $0["repo"] == previous }, setting: "repo", to: repo)
            }
            state[Key.repo] = repo
            state[Key.folder] = folder.path
        }
        if state != remembered { try await store.setSourceState(state, of: source) }
    }

    /// Keys of the source state.
    enum Key {
        /// Set once the series from before the `source` label were given to the source.
        static let adopted = "series_adopted"
        /// The `repo` label the source last wrote, and the folder it read.
        static let repo = "repo"
        static let folder = "repo_folder"
    }
}
