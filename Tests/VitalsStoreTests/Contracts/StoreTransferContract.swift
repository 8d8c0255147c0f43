import Foundation
import Testing
import VitalsCore
import VitalsPorts
import VitalsStore

/// A store holding rows in every table ``StoreTransfer`` copies, written through the other ports: samples across a month's
/// end (two PostgreSQL partitions), text keys whose byte order differs from a collation's, nulls, a report and an alert in the
/// outbox with delivered, retried (with progress) and dead deliveries.
enum TransferFixture {
    typealias Ports = MetricStore & JobRunLog & SourceStateStore & AlertStore & AlertHistory & SilenceStore & OutboxStore & StoreTransfer

    static let start = RFC3339.parse("2026-10-30T20:00:00Z")!

    static func populate(_ store: any Ports) async throws {
        var samples: [Sample] = []
        for (index, repo) in ["api", "Web", "été", "a\"b"].enumerated() {
            for step in 0..<30 {
                samples.append(
                    Sample(
                        "git_commits", ["repo": repo], kind: .counter, at: start.adding(.hours(Int64(step * 5))),
                        value: Double(step * (index + 1)) / 3))
            }
        }
        try await store.write(samples)
        try await store.write([Sample("coverage_ratio", kind: .gauge, unit: .ratio, at: start, value: 0.1)])
        // ∞ and −∞ in one hour: the hour's and the day's sums are NaN, which SQLite keeps as text (`StoredNumber`).
        try await store.write([
            Sample("error_ratio", kind: .gauge, unit: .ratio, at: start, value: .infinity),
            Sample("error_ratio", kind: .gauge, unit: .ratio, at: start.adding(.minutes(1)), value: -.infinity),
        ])
        try await store.recordJobRun(JobRun(source: "git", started: start, finished: start.adding(.seconds(3)), status: .ok, samplesWritten: 120))
        try await store.recordJobRun(
            JobRun(
                source: "sarif", scheduled: start, started: start.adding(.minutes(1)), finished: start.adding(.minutes(2)), status: .failed,
                error: "boom",
                samplesWritten: 0))
        try await store.setSourceState(["repo": "acme/api", "Zeta": "1", "alpha": "2"], of: "git")
        try await store.setSourceState(["open": "3"], of: "report:daily")
        try await store.setSourceState(["x": "y"], of: "Git")
        let at = start.adding(.minutes(5))
        let labels: Labels = ["repo": "api"]
        let notification = AlertNotification(
            group: "api", alert: "Busy", labels: labels, kind: .firing, severity: .warning, value: 2.5, at: at, channels: ["slack"])
        try await store.commit(
            slots: ["api": at, "Zed": start],
            rules: [
                AlertRoundRecord.RuleRecord(
                    rule: AlertRuleID(group: "api", alert: "Busy"),
                    state: AlertRuleState(
                        evaluatedAt: at, instances: [AlertInstance(labels: labels, phase: .firing, activeAt: start, firedAt: at, value: 2.5)]),
                    transitions: [
                        AlertTransition(labels: labels, from: .inactive, to: .pending, severity: .warning, value: 1, at: start),
                        AlertTransition(labels: labels, from: .pending, to: .firing, severity: .warning, value: 2.5, at: at),
                    ],
                    notifications: [QueuedNotification(notification, summary: "busy / api")]),
                AlertRoundRecord.RuleRecord(
                    rule: AlertRuleID(group: "api", alert: "Idle"), state: AlertRuleState(evaluatedAt: nil), transitions: [], notifications: []),
            ])
        try await store.addSilence(
            Silence(
                id: "s1", matchers: try SilenceMatcher.parseList("repo=~\"a/.*\""), startsAt: start, endsAt: start.adding(.hours(1)),
                comment: "deploy",
                createdBy: "ana"))
        try await store.addSilence(Silence(id: "S0", matchers: [], startsAt: start, endsAt: start.adding(.hours(2))))
        let report = OutboxMessage.Payload.report(
            ReportMessage(name: "daily", title: "Daily", bodies: ["md": "# Daily", "slack": "[{\"text\":\"a/b\"}]"]))
        _ = try await store.enqueue(key: "report:daily", payload: report, channels: ["slack", "file"], at: start, force: false)
        for unrouted in try await store.unroutedMessages(limit: 10) { try await store.route(messageID: unrouted.message.id, to: ["pager"], at: at) }
        let due = try await store.dueDeliveries(at: at, limit: 10)
        try #require(due.count == 3)
        try await store.record(.delivered(status: 200), forDelivery: due[0].id, at: at)
        try await store.recordProgress(DeliveryProgress(partsDelivered: 1, thread: "1700000000.000100"), forDelivery: due[1].id)
        try await store.record(.retry(at: at.adding(.minutes(1)), status: 503, error: "busy"), forDelivery: due[1].id, at: at)
        try await store.record(.dead(status: nil, error: "refused"), forDelivery: due[2].id, at: at)
        // An alert's value can be no number or infinite (a ratio over nothing): instances, transitions and queued messages
        // keep it, which SQLite binds as NULL but for `StoredNumber`.
        let ratio = AlertRuleID(group: "api", alert: "Ratio")
        let values: [Double] = [.nan, .infinity, -.infinity]
        let shards = values.indices.map { Labels(["shard": "\($0)"]) }
        try await store.commit(
            slots: ["api": at.adding(.minutes(1))],
            rules: [
                AlertRoundRecord.RuleRecord(
                    rule: ratio,
                    state: AlertRuleState(
                        evaluatedAt: at.adding(.minutes(1)),
                        instances: zip(shards, values).map { AlertInstance(labels: $0, phase: .firing, activeAt: start, firedAt: at, value: $1) }),
                    previousInstances: [],
                    transitions: zip(shards, values).map {
                        AlertTransition(labels: $0, from: .pending, to: .firing, severity: nil, value: $1, at: at)
                    },
                    notifications: zip(shards, values).map { labels, value in
                        QueuedNotification(
                            AlertNotification(
                                group: "api", alert: "Ratio", labels: labels, kind: .firing, severity: nil, value: value, at: at, channels: []),
                            summary: "ratio \(value)")
                    })
            ])
    }

    /// Every table's rows, read `batch` at a time.
    static func export(_ store: any StoreTransfer, batch: Int = 3) async throws -> [TransferTable: [[TransferValue]]] {
        var tables: [TransferTable: [[TransferValue]]] = [:]
        for table in TransferTable.allCases {
            var rows: [[TransferValue]] = []
            while true {
                let next = try await store.exportRows(of: table, after: rows.last.map { Array($0.prefix(table.keyColumns)) }, limit: batch)
                if next.isEmpty { break }
                rows += next
            }
            tables[table] = rows
        }
        return tables
    }
}

/// What every ``StoreTransfer`` backend does, against the ports only.
enum StoreTransferContract {
    static func checkAll(_ make: () async throws -> any TransferFixture.Ports) async throws {
        try await anImportedExportReadsBackTheSameAndAgainAddsNothing(make(), make())
    }

    /// Every table holds rows; an export (in batches, after each batch's last key) imported into an empty store exports the
    /// same rows in the same order and reads the same through the other ports; importing it again inserts nothing; rows
    /// written afterwards get ids past the imported ones.
    static func anImportedExportReadsBackTheSameAndAgainAddsNothing(_ source: any TransferFixture.Ports, _ copy: any TransferFixture.Ports)
        async throws
    {
        try await TransferFixture.populate(source)
        let exported = try await TransferFixture.export(source)
        for table in TransferTable.allCases {
            #expect(exported[table]?.isEmpty == false, "\(table)")
            #expect(exported[table]?.allSatisfy { $0.count == table.columns.count } == true, "\(table)")
        }
        #expect(
            exported[.sourceState]?.map { "\($0[0].text!) \($0[1].text!)" } == ["Git x", "git Zeta", "git alpha", "git repo", "report:daily open"])
        for table in TransferTable.allCases {
            let rows = exported[table] ?? []
            #expect(try await copy.importRows(Array(rows.prefix(2)), into: table) == min(2, rows.count), "\(table)")
            #expect(try await copy.importRows(rows, into: table) == max(rows.count - 2, 0), "\(table)")
        }
        #expect(try await TransferFixture.export(copy, batch: 1000) == exported)
        for table in TransferTable.allCases { #expect(try await copy.importRows(exported[table] ?? [], into: table) == 0, "\(table)") }
        #expect(try await copy.deliveries(status: nil) == source.deliveries(status: nil))
        #expect(try await copy.jobRuns(source: nil, limit: 10) == source.jobRuns(source: nil, limit: 10))
        #expect(try await AlertStoreContract.described(copy.alertStates()) == AlertStoreContract.described(source.alertStates()))
        #expect(
            try await copy.alertHistory(since: TransferFixture.start).map { "\($0.transition.value.map { "\($0)" } ?? "none")" }.suffix(3) == [
                "nan", "inf", "-inf",
            ])
        #expect(
            try await copy.unroutedMessages(limit: 10).map { message -> String in
                if case .alert(let alert) = message.message.payload { alert.value.map { "\($0)" } ?? "none" } else { "report" }
            } == ["nan", "inf", "-inf"])
        #expect(try await copy.allSilences() == source.allSilences())
        let key = SeriesKey("git_commits", ["repo": "api"])
        let days = (0..<8).map { TransferFixture.start.adding(.days(Int64($0))) }
        #expect(try await copy.summaries(of: key, boundaries: days) == source.summaries(of: key, boundaries: days))

        let later = TransferFixture.start.adding(.days(1))
        try await copy.write([Sample("new_metric", kind: .gauge, at: later, value: 1)])
        try await copy.recordJobRun(JobRun(source: "git", started: later, finished: later, status: .ok, samplesWritten: 1))
        let message = try await copy.enqueue(
            key: "new", payload: .report(ReportMessage(name: "n", title: "N", bodies: [:])), channels: ["x"], at: later, force: false)
        let maxMessage = exported[.outboxMessages]?.compactMap { $0[0].integer }.max() ?? 0
        #expect((message?.id ?? 0) > maxMessage)
        #expect(try await copy.jobRuns(source: "git", limit: 1).first?.started == later)
    }
}

@Suite struct StoreTransferContractTests {
    @Test(arguments: ContractBackend.allCases) func everyStoreKeepsTheTransferContract(backend: ContractBackend) async throws {
        try await withStoreFactory(backend, as: (any TransferFixture.Ports).self) { make in
            try await StoreTransferContract.checkAll { try await make() }
        }
    }
}
