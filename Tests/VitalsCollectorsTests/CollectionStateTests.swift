import Foundation
import Testing
@testable import VitalsCollectors
import VitalsCore
import VitalsPorts
import VitalsStore

/// The run in progress as ``CollectionState`` keeps it: a run that did not finish is resumed by the next (its id, the
/// earlier `since`) unless it began more than a day before; a finished run leaves no pending run and only its own pages.
@Suite struct CollectionStateTests {
    let now = try! Timestamp(rfc3339: "2026-11-25T12:00:00Z")
    func store() async throws -> SQLiteMetricStore { try await SQLiteMetricStore.inMemory(timeZone: .gmt, retention: .days(400)) }

    @Test func anUnfinishedRunIsResumedFromTheEarlierSince() async throws {
        let store = try await store()
        let backfill = now.subtracting(.days(90))
        let (killed, since) = try await CollectionState.begin("github", store: store, now: now, since: backfill)
        #expect(since == backfill)

        let (resumed, resumedSince) = try await CollectionState.begin("github", store: store, now: now.adding(.hours(1)), since: now.subtracting(.days(1)))

        #expect(resumed.run == killed.run)
        #expect(resumedSince == backfill)
    }

    @Test(arguments: [(TimeSpan.hours(23), true), (.hours(25), false)])
    func aRunOlderThanADayIsNotResumedButItsHistoryIsStillFilled(after: TimeSpan, resumes: Bool) async throws {
        let store = try await store()
        let backfill = now.subtracting(.days(90))
        let (killed, _) = try await CollectionState.begin("github", store: store, now: now, since: backfill)

        let (later, since) = try await CollectionState.begin("github", store: store, now: now.adding(after), since: nil)

        #expect((later.run == killed.run) == resumes)
        #expect(since == backfill)
    }

    @Test func aFinishedRunKeepsOnlyItsOwnPagesAndIsNotResumed() async throws {
        let store = try await store()
        let (first, _) = try await CollectionState.begin("github", store: store, now: now, since: nil)
        try await first.keep([1], key: CollectionState.key(for: URL(string: "http://h/a?page=1")!), etag: "\"a\"", next: nil)
        try await first.keep([2], key: CollectionState.key(for: URL(string: "http://h/b")!), etag: nil, next: nil)
        try await first.finish()
        let (second, _) = try await CollectionState.begin("github", store: store, now: now, since: nil)
        let page = try await second.keptPage(CollectionState.key(for: URL(string: "http://h/a?page=1")!), as: [Int].self)
        try await second.keep(try #require(page).value, key: CollectionState.key(for: URL(string: "http://h/a?page=1")!), etag: page?.etag, next: nil)

        try await second.finish()

        #expect(second.run != first.run)
        #expect(try await second.resumedPage("collect.page./a?page=1", as: [Int].self)?.value == [1])
        #expect(try await store.sourceState(of: "github").keys.sorted() == ["collect.page./a?page=1"])
    }
}
