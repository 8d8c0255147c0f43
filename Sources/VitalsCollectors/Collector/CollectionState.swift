public import Foundation
public import VitalsCore
public import VitalsPorts

/// What a remote source's collection remembers between runs, kept in the store through ``SourceStateStore`` under keys
/// starting with `collect.`, each written as soon as it is known:
/// - **the run in progress** (`collect.run`): its id and the earliest instant it reads. The ``CollectionRunner`` writes
///   it before the collector starts and removes it when the run succeeds, so a run that was killed or failed half-way is
///   found by the next one, which resumes it: it reads from the same instant and takes every page the interrupted run
///   already fetched from the store without asking again (``resumedPage(_:as:)``).
/// - **every page fetched** (`collect.page.PATH?QUERY`): the decoded answer (only the fields vitals reads, re-encoded,
///   so a page of GitHub pull requests takes a few kilobytes, not megabytes), the next page's link, the `ETag` the API
///   gave it and the run that fetched it. A later run asks `If-None-Match` with the ETag, and GitHub's 304, which costs
///   no rate limit, is answered from what was kept. A run that succeeds forgets the pages it did not ask for, so what is
///   kept stays the size of one run's answers.
///
/// Keys hold the URL's path and query only, never its host or credentials; tokens travel in headers and are never kept.
public struct CollectionState: Sendable {
    let store: any SourceStateStore
    public let source: String
    /// The id of the run the collector works for; pages stamped with it were fetched by this run or by the interrupted
    /// run it resumes.
    public let run: String

    public init(store: any SourceStateStore, source: String, run: String) {
        self.store = store
        self.source = source
        self.run = run
    }

    /// A fetched page as kept.
    public struct KeptPage<Value: Codable & Sendable>: Codable, Sendable {
        public let run: String
        public let etag: String?
        /// The next page's URL, absolute (nil on the last page).
        public let next: URL?
        public let value: Value
    }

    /// The kept page of `key` (from ``key(for:)``), whichever run fetched it; nil when none is kept, or when what is kept
    /// is not a `Value` (a change of vitals' records), which is then fetched again.
    public func keptPage<Value: Codable & Sendable>(_ key: String, as type: Value.Type) async throws -> KeptPage<Value>? {
        guard let text = try await store.sourceState(of: source, key: key) else { return nil }
        return try? JSONDecoder().decode(KeptPage<Value>.self, from: Data(text.utf8))
    }

    /// The page of `key` when this run or the interrupted run it resumes fetched it: the collector uses it as it is.
    public func resumedPage<Value: Codable & Sendable>(_ key: String, as type: Value.Type) async throws -> KeptPage<Value>? {
        guard let page = try await keptPage(key, as: type), page.run == run else { return nil }
        return page
    }

    /// Keeps `value`, fetched (or revalidated) by this run, as the page of `key`.
    public func keep<Value: Codable & Sendable>(_ value: Value, key: String, etag: String?, next: URL?) async throws {
        let page = KeptPage(run: run, etag: etag, next: next, value: value)
        try await store.updateSourceState([key: String(decoding: try JSONEncoder().encode(page), as: UTF8.self)], of: source)
    }

    /// The key of the page at `url`: its path and query.
    public static func key(for url: URL) -> String {
        pagePrefix + url.path + (url.query.map { "?" + $0 } ?? "")
    }

    /// The key of a page that no URL names (a GraphQL query and its variables).
    public static func key(for request: String) -> String { pagePrefix + request }

    static let prefix = "collect."
    static let pagePrefix = prefix + "page."
    static let runKey = prefix + "run"

    // MARK: The run in progress (the runner's side)

    /// A run that began and has not succeeded yet.
    struct PendingRun: Codable, Equatable {
        let id: String
        /// The earliest instant it reads (the request's `since`; nil for the collector's default history).
        let since: Timestamp?
        /// The `now` it ran at.
        let started: Timestamp
    }

    /// How long a pending run's pages are taken as they are; a later run asks again (with their ETags), since open pull
    /// requests and issues change, but still fills the history the pending run was filling.
    static let resumable = TimeSpan.days(1)

    /// Starts the run of `source` at `now` that reads from `since`, or resumes the one a killed or failed run left less
    /// than ``resumable`` before: that run's id, and the earlier of the two `since`s, so the history it was filling is filled. Returns the state and the
    /// `since` to read from.
    static func begin(
        _ source: String, store: any SourceStateStore, now: Timestamp, since: Timestamp?
    ) async throws -> (state: CollectionState, since: Timestamp?) {
        let kept = try await store.sourceState(of: source, key: runKey)
        let pending = kept.flatMap { try? JSONDecoder().decode(PendingRun.self, from: Data($0.utf8)) }
        // Nil for both is the default history; a run after a successful one always asks a `since`.
        let earliest = [pending?.since, since].compactMap { $0 }.min()
        let run =
            if let pending, max(pending.started, now).milliseconds - min(pending.started, now).milliseconds <= resumable.milliseconds {
                PendingRun(id: pending.id, since: earliest, started: pending.started)
            } else {
                PendingRun(id: UUID().uuidString, since: earliest, started: now)
            }
        if run != pending {
            try await store.updateSourceState([runKey: String(decoding: try JSONEncoder().encode(run), as: UTF8.self)], of: source)
        }
        return (CollectionState(store: store, source: source, run: run.id), run.since)
    }

    /// Ends a run that succeeded: no run is pending any more, and the pages it did not ask for are forgotten.
    func finish() async throws {
        struct Stamp: Decodable { let run: String }
        let pages = try await store.sourceState(of: source, keysStartingWith: Self.pagePrefix)
        var changes: [String: String?] = [Self.runKey: nil]
        for (key, text) in pages where (try? JSONDecoder().decode(Stamp.self, from: Data(text.utf8)))?.run != run {
            changes[key] = .some(nil)
        }
        try await store.updateSourceState(changes, of: source)
    }
}
