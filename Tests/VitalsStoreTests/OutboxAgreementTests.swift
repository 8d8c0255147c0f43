import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// The SQLite and PostgreSQL outboxes given the same random calls (seeded) answer alike, call by call, and list the same
/// deliveries after each: queueing (keys queued again, forced or not, channel lists empty, reordered or repeated), routing,
/// due and claimed deliveries of two claimants, outcomes of every kind, progress, retries and pruning, at times that often
/// tie. Ids are the stores' own (PostgreSQL's sequence also moves on a key queued again), so a message is named by its key
/// and a delivery by its key and channel.
@Suite struct OutboxAgreementTests {
    static let keys = ["k0", "k1", "k2", "k3", "k4", "k5"]
    static let channels = ["slack", "mail", "pager", "file"]

    /// A delivery as both stores must give it: everything but the ids.
    static func seen(_ delivery: OutboxDelivery) -> OutboxDelivery {
        OutboxDelivery(
            id: 0, message: withoutID(delivery.message), channel: delivery.channel, status: delivery.status, attempts: delivery.attempts,
            nextAttemptAt: delivery.nextAttemptAt, lastStatus: delivery.lastStatus, lastError: delivery.lastError,
            finishedAt: delivery.finishedAt, progress: delivery.progress)
    }

    static func withoutID(_ message: OutboxMessage) -> OutboxMessage {
        OutboxMessage(id: 0, idempotencyKey: message.idempotencyKey, payload: message.payload, createdAt: message.createdAt)
    }

    struct Stores {
        let sqlite: SQLiteMetricStore
        let postgres: PostgresMetricStore

        var both: [any OutboxStore] { [sqlite, postgres] }

        /// The id each store gives the delivery of `key` to `channel`, if it has one.
        func ids(of key: String, _ channel: String) async throws -> [Int64]? {
            var ids: [Int64] = []
            for store in both {
                guard let id = try await store.deliveries(status: nil).first(where: { $0.message.idempotencyKey == key && $0.channel == channel })?.id
                else { return nil }
                ids.append(id)
            }
            return ids
        }
    }

    @Test(.timeLimit(.minutes(3)), arguments: [1, 2, 3, 4] as [UInt64])
    func sqliteAndPostgresKeepTheOutboxAlike(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let stores = Stores(
            sqlite: try await SQLiteMetricStore.inMemory(timeZone: utc, retention: .days(400)),
            postgres: try await PostgresMetricStore(
                configuration: freshDatabase(in: PostgresTestCluster.shared()), timeZone: utc, retention: .days(400)))
        defer { stores.postgres.close() }
        var now = Timestamp(milliseconds: 1_764_316_800_000)
        var log: [String] = []
        for step in 0..<80 {
            // Times often tie: several calls in one millisecond, as a dispatcher's pass makes them.
            now = now.adding(TimeSpan(milliseconds: [0, 0, 1, 1_000, 30_000, 90_000].randomElement(using: &random)!))
            let key = Self.keys.randomElement(using: &random)!
            let channel = Self.channels.randomElement(using: &random)!
            let what: String
            switch Int.random(in: 0..<9, using: &random) {
            case 0, 1:
                let payload = Self.payload(&random, at: now)
                let channels = Self.channelList(&random)
                let force = Int.random(in: 0..<4, using: &random) == 0
                what = "enqueue \(key) to \(channels) force \(force)"
                var answers: [OutboxMessage?] = []
                for store in stores.both {
                    answers.append(try await store.enqueue(key: key, payload: payload, channels: channels, at: now, force: force))
                }
                #expect(answers[0].map(Self.withoutID) == answers[1].map(Self.withoutID), "seed \(seed) step \(step): \(what)")
            case 2:
                let limit = Int.random(in: 1...4, using: &random)
                let routes = Self.channelList(&random)
                what = "route the first unrouted of \(limit) to \(routes)"
                var answers: [[UnroutedMessage]] = []
                for store in stores.both {
                    let unrouted = try await store.unroutedMessages(limit: limit)
                    // Without the stores' ids.
                    answers.append(unrouted.map { UnroutedMessage(message: Self.withoutID($0.message), channels: $0.channels) })
                    if let first = unrouted.first { try await store.route(messageID: first.message.id, to: routes, at: now) }
                }
                #expect(answers[0] == answers[1], "seed \(seed) step \(step): \(what)")
            case 3:
                let limit = Int.random(in: 1...6, using: &random)
                what = "due at \(now.milliseconds), \(limit)"
                var answers: [[OutboxDelivery]] = []
                for store in stores.both { answers.append(try await store.dueDeliveries(at: now, limit: limit).map(Self.seen)) }
                #expect(answers[0] == answers[1], "seed \(seed) step \(step): \(what)\n\(answers[0])\n\(answers[1])")
            case 4:
                let limit = Int.random(in: 1...6, using: &random)
                let claimant = ["a", "b"].randomElement(using: &random)!
                let until = now.adding(.seconds(Int64.random(in: 1...120, using: &random)))
                what = "claim \(limit) for \(claimant) until \(until.milliseconds)"
                var answers: [[OutboxDelivery]] = []
                for store in stores.both {
                    answers.append(try await store.claimDueDeliveries(at: now, limit: limit, claimant: claimant, until: until).map(Self.seen))
                }
                #expect(answers[0] == answers[1], "seed \(seed) step \(step): \(what)\n\(answers[0])\n\(answers[1])")
            case 5, 6:
                let result = Self.result(&random, now: now)
                what = "record \(result) for \(key)/\(channel)"
                if let ids = try await stores.ids(of: key, channel) {
                    for (store, id) in zip(stores.both, ids) { try await store.record(result, forDelivery: id, at: now) }
                }
            case 7:
                let progress = DeliveryProgress(
                    partsDelivered: Int.random(in: 0...3, using: &random), thread: Bool.random(using: &random) ? "1764316800.00\(step)" : nil)
                let retrying = Bool.random(using: &random)
                what = retrying ? "retry \(key)/\(channel)" : "progress \(progress.partsDelivered) for \(key)/\(channel)"
                if let ids = try await stores.ids(of: key, channel) {
                    var answers: [Bool] = []
                    for (store, id) in zip(stores.both, ids) {
                        if retrying {
                            answers.append(try await store.retry(deliveryID: id, at: now))
                        } else {
                            try await store.recordProgress(progress, forDelivery: id)
                        }
                    }
                    #expect(answers.count < 2 || answers[0] == answers[1], "seed \(seed) step \(step): \(what)")
                }
            default:
                let cutoff = now.subtracting(.seconds(Int64.random(in: 0...300, using: &random)))
                what = "prune before \(cutoff.milliseconds)"
                var answers: [Int] = []
                for store in stores.both { answers.append(try await store.prune(finishedBefore: cutoff)) }
                #expect(answers[0] == answers[1], "seed \(seed) step \(step): \(what) \(answers)")
            }
            log.append(what)
            for status in [nil] + DeliveryStatus.allCases {
                let listed = (
                    try await stores.sqlite.deliveries(status: status).map(Self.seen),
                    try await stores.postgres.deliveries(status: status).map(Self.seen)
                )
                #expect(
                    listed.0 == listed.1, "seed \(seed) step \(step) after \(log.suffix(4)): \(String(describing: status))\n\(listed.0)\n\(listed.1)")
            }
            #expect(try await stores.sqlite.pendingCount() == stores.postgres.pendingCount(), "seed \(seed) step \(step): pending")
            #expect(try await stores.sqlite.nextDue() == stores.postgres.nextDue(), "seed \(seed) step \(step) after \(log.suffix(4)): next due")
        }
    }

    /// Mostly an alert (its value −0 or with a NUL in its summary now and then), sometimes a report.
    static func payload(_ random: inout SplitMix64, at now: Timestamp) -> OutboxMessage.Payload {
        if Int.random(in: 0..<4, using: &random) == 0 {
            return .report(
                ReportMessage(name: "daily", title: "Daily · \(now.milliseconds)", bodies: ["md": "# \(now.milliseconds)", "slack": "[]"]))
        }
        let value: Double? = [nil, -0.0, 0.25, .infinity, 1e300].randomElement(using: &random)!
        return .alert(
            AlertMessage(
                group: "api", alert: ["Down", "Slow#2"].randomElement(using: &random)!,
                labels: ["team": ["a", "b\u{0}c"].randomElement(using: &random)!],
                event: [.firing, .resolved, .reminder].randomElement(using: &random)!, severity: [nil, .warning].randomElement(using: &random)!,
                value: value, summary: ["down", "team b\u{0}c down"].randomElement(using: &random)!, at: now))
    }

    /// None, some, or some twice, in any order.
    static func channelList(_ random: inout SplitMix64) -> [String] {
        var list = channels.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random)).map { $0 }
        if !list.isEmpty, Int.random(in: 0..<6, using: &random) == 0 { list.append(list[0]) }
        return list
    }

    static func result(_ random: inout SplitMix64, now: Timestamp) -> DeliveryResult {
        switch Int.random(in: 0..<3, using: &random) {
        case 0: .delivered(status: [nil, 200].randomElement(using: &random)!)
        case 1:
            .retry(
                at: now.adding(.seconds(Int64.random(in: 0...60, using: &random))), status: [nil, 429, 503].randomElement(using: &random)!,
                error: ["rate limited", "unavailable\u{0}"].randomElement(using: &random)!)
        default: .dead(status: [nil, 404].randomElement(using: &random)!, error: "channel_not_found")
        }
    }
}
