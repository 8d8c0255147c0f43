public import Foundation
public import VitalsCore
public import VitalsPorts

/// Runs collectors, stores what they return and logs each run, so one failing source never stops the others.
///
/// Every sample gets a `source` label with the source's name (``SeriesIdentity``), so two sources of one type never write
/// the same series. Besides the source's own samples, every run writes `vitals_source_up{source="..."}` (1 for a run that
/// succeeded, 0 for one that failed; none for one skipped for lack of input), so a failing source shows in queries, reports
/// and alert rules. A run never replaces a stored non-zero value with 0 (``ZeroOverwrites``): it keeps the value and says so.
/// After the runs it applies the store's retention, so the raw samples never outgrow it whatever drives collection, and
/// lets the store do its housekeeping (``MetricStore/checkpoint()``).
public struct CollectionRunner: Sendable {
    /// The samples, the job-run log and what the sources remember between runs (one store in production).
    public let store: any MetricStore & JobRunLog & SourceStateStore
    /// Every configured source, for ``SeriesIdentity``; empty leaves series from before the `source` label alone.
    public let sources: [SourceConfig]
    /// The real time: retention runs at it, never at a `now` ahead of it, which would age out samples that are not old.
    public let wallClock: any WallClock

    /// The metric every run writes: 1 for a run that succeeded, 0 for one that failed.
    public static let upMetric = "vitals_source_up"

    public init(store: any MetricStore & JobRunLog & SourceStateStore, sources: [SourceConfig] = [], wallClock: any WallClock = SystemClock()) {
        self.store = store
        self.sources = sources
        self.wallClock = wallClock
    }

    /// What one source's run produced.
    public struct Outcome: Sendable, Equatable {
        public let source: String
        public let family: MetricFamily
        /// Samples the collector returned (written unless it was a dry run).
        public let samples: Int
        public let duration: Duration
        public let status: JobRun.Status
        /// Why the run failed or was skipped; nil for a run that succeeded.
        public let error: String?
        /// What a run that succeeded did not do as asked: stored non-zero values it kept rather than zero.
        public let warning: String?
    }

    /// Runs `collectors` at `now`, all at once: a slow or failing source holds up none of the others, and remote sources
    /// share the process's HTTP client (``CollectorContext/http``), so its per-host limit holds across them. Each source's
    /// samples, its `vitals_source_up` and its job run are written as soon as it ends; the outcomes come back in the order
    /// of `collectors`.
    ///
    /// A run that fails or is killed leaves its ``CollectionState`` pending; the source's next run resumes it, reading
    /// from the earlier of the two `since`s and taking the pages already fetched from the store.
    ///
    /// - Parameters:
    ///   - backfill: re-read this much history (history sources only); without it a history source re-reads
    ///     from the day before its last successful run, or its default history on a first run.
    ///   - dryRun: collect and count, but write neither samples nor the job-run log.
    ///   - progress: called with the sources still running (`git, github`) whenever that changes, for a terminal's
    ///     progress line.
    public func run(
        _ collectors: [any Collector], now: Timestamp, timeZone: TimeZone, backfill: TimeSpan? = nil, dryRun: Bool = false,
        progress: @Sendable (String) -> Void = { _ in }
    ) async throws -> [Outcome] {
        guard !collectors.isEmpty else { return [] }
        var requests: [CollectionRequest] = []
        for collector in collectors {
            var since = if let backfill { now.subtracting(backfill) } else { try await resumePoint(of: collector.source, now: now, timeZone: timeZone) }
            var state: CollectionState?
            if !dryRun { (state, since) = try await CollectionState.begin(collector.source, store: store, now: now, since: since) }
            requests.append(CollectionRequest(now: now, timeZone: timeZone, since: since, state: state))
        }
        var outcomes = [Outcome?](repeating: nil, count: collectors.count)
        var running = Set(collectors.indices)
        func showProgress() {
            if !running.isEmpty { progress(running.sorted().map { collectors[$0].source }.joined(separator: ", ")) }
        }
        showProgress()
        try await withThrowingTaskGroup(of: (index: Int, collected: Collected).self) { group in
            for (index, (collector, request)) in zip(collectors, requests).enumerated() {
                group.addTask { (index, await Self.collect(collector, request)) }
            }
            for try await (index, collected) in group {
                outcomes[index] = try await record(collected, of: collectors[index], request: requests[index], dryRun: dryRun)
                running.remove(index)
                showProgress()
            }
        }
        if !dryRun {
            try await store.applyRetention(now: min(now, wallClock.now()))
            try await store.checkpoint()
        }
        return outcomes.compactMap { $0 }
    }

    /// What one collector's run gave, before it is stored.
    struct Collected: Sendable {
        var samples: [Sample] = []
        var status = JobRun.Status.ok
        var failure: String?
        var duration: Duration = .zero
    }

    /// Runs one collector; its failure is part of what it gave, never thrown.
    static func collect(_ collector: any Collector, _ request: CollectionRequest) async -> Collected {
        var collected = Collected()
        let clock = ContinuousClock()
        let started = clock.now
        do {
            collected.samples = SeriesIdentity.labelled(try await collector.collect(request), source: collector.source)
        } catch let skip as CollectionSkipped {
            (collected.status, collected.failure) = (.skipped, skip.message)
        } catch {
            (collected.status, collected.failure) = (.failed, String(describing: error))
        }
        collected.duration = clock.now - started
        return collected
    }

    /// Stores what `collector` gave (unless it is a dry run) and says what it did.
    func record(_ collected: Collected, of collector: any Collector, request: CollectionRequest, dryRun: Bool) async throws -> Outcome {
        let (samples, status, failure, duration) = (collected.samples, collected.status, collected.failure, collected.duration)
        let now = request.now
        // Series move to new labels first, so the zero check reads what is stored under the labels being written.
        if !dryRun { try await SeriesIdentity(store: store, sources: sources).migrate(collector, writing: samples) }
        let written = try await ZeroOverwrites(samples, store: store)
        if !dryRun {
            let up = Sample(Self.upMetric, ["source": collector.source], kind: .gauge, at: now, value: status == .ok ? 1 : 0)
            try await store.write(written.samples + (status == .skipped ? [] : [up]))
            try await store.recordJobRun(
                JobRun(
                    source: collector.source, started: now, finished: now.adding(TimeSpan(duration)), status: status, error: failure,
                    samplesWritten: written.samples.count))
            if status != .failed { try await request.state?.finish() }
        }
        return Outcome(
            source: collector.source, family: collector.family, samples: written.samples.count, duration: duration, status: status,
            error: failure, warning: written.warning)
    }

    /// The start of the day before the last successful run: days before it are final and need not be read again.
    /// A `now` before that run (re-running a past day) reads from the day before `now` instead.
    func resumePoint(of source: String, now: Timestamp, timeZone: TimeZone) async throws -> Timestamp? {
        guard let last = try await store.jobRuns(source: source, limit: 50).first(where: { $0.status == .ok }) else { return nil }
        return LocalDays(timeZone).previousStart(before: min(last.started, now))
    }
}
