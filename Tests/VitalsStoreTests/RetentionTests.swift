import Foundation
import Testing
import VitalsCore
import VitalsStore

@Suite struct RetentionTests {
    static let now = time("2026-06-01T12:00:00Z")
    static let recent = SamplePoint(time("2026-05-31T08:00:00Z"), 7)
    static let dayLayout = CounterFixture.layouts[0].boundaries

    @Test(arguments: StoreKind.allCases)
    func oldRawSamplesGoButTheirRollupsStillSummarise(kind: StoreKind) async throws {
        try await withStore(kind, retention: .days(30)) { store in
            try await store.write(CounterFixture.samples + [Sample(CounterFixture.descriptor, at: Self.recent.timestamp, value: Self.recent.value)])

            #expect(try await store.applyRetention(now: Self.now) == CounterFixture.points.count)
            #expect(try await store.applyRetention(now: Self.now) == 0)

            let march = Period(from: time("2026-03-01T00:00:00Z"), to: time("2026-04-30T00:00:00Z"))
            #expect(try await store.samples(of: CounterFixture.key, in: march).isEmpty)
            #expect(try await store.samples(of: CounterFixture.key, in: Period(from: march.to, to: Self.now)) == [Self.recent])
            // A report over old whole days reads daily rollups only, so it is as exact as before retention.
            #expect(try await store.summaries(of: CounterFixture.key, boundaries: Self.dayLayout) == CounterFixture.expected(Self.dayLayout))
            #expect(try await store.lastSample(of: CounterFixture.key, before: Self.recent.timestamp) == CounterFixture.points.last)
            #expect(try await store.lastSample(of: CounterFixture.key, before: Self.now) == Self.recent)
            #expect(try await store.activeSeries(named: CounterFixture.key.name, in: march) == [CounterFixture.key])
        }
    }

    @Test(arguments: StoreKind.allCases)
    func samplesInsideRetentionStay(kind: StoreKind) async throws {
        try await withStore(kind, retention: .days(30)) { store in
            let edge = Self.now.subtracting(.days(30))
            let descriptor = CounterFixture.descriptor
            try await store.write([Sample(descriptor, at: edge.subtracting(.seconds(1)), value: 1), Sample(descriptor, at: edge, value: 2)])
            #expect(try await store.applyRetention(now: Self.now) == 1)
            #expect(try await store.samples(of: descriptor.key, in: Period(from: edge.subtracting(.days(1)), to: Self.now)).map(\.value) == [2])
        }
    }
}
