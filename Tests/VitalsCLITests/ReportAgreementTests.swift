import Foundation
import Testing
import VitalsCollectors
import VitalsCore
import VitalsStore
import VitalsStorePostgres
import VitalsTestSupport

/// `vitals report --format json` prints the same bytes from the SQLite store and from the PostgreSQL store holding the same
/// samples: random samples (seeded) of every metric the sources define, with their labels, kinds and units, over the 40
/// days before a random `--now`, in a random zone; the last 7 and 30 days and the weekly digest. (Seeds 4 and 7 print a
/// value of −0 that the PostgreSQL store once gave back as `-0`.)
@Suite struct ReportAgreementTests {
    @Test(arguments: [1, 4, 7] as [UInt64]) func bothStoresPrintTheSameReport(seed: UInt64) async throws {
        var random = SplitMix64(seed: seed)
        let zone = TimeZone.knownTimeZoneIdentifiers.filter { TimeZone(identifier: $0) != nil }.randomElement(using: &random)!
        let now = Timestamp(milliseconds: Int64.random(in: 1_600_000_000_000...2_000_000_000_000, using: &random))
        let samples = Self.samples(before: now, using: &random)
        let folder = try TemporaryFolder()
        try "time_zone: \(zone)\n".write(to: folder.url.appendingPathComponent("vitals.yml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(".vitals"), withIntermediateDirectories: true)
        let timeZone = try #require(TimeZone(identifier: zone))
        let sqlite = try await SQLiteMetricStore(
            path: folder.url.appendingPathComponent(".vitals/vitals.db").path, timeZone: timeZone, retention: .days(4000))
        try await sqlite.write(samples)
        let cluster = try await PostgresTestCluster.shared()
        let database = try cluster.newDatabase()
        let postgres = try await PostgresMetricStore(
            configuration: PostgresStoreConfiguration(
                host: cluster.host, port: cluster.port, database: database, user: cluster.user, password: cluster.password, tls: .disable),
            timeZone: timeZone, retention: .days(4000))
        try await postgres.write(samples)
        postgres.close()
        let url = "postgres://\(cluster.user)@\(cluster.host):\(cluster.port)/\(database)?sslmode=disable"
        for report in [["--since", "7d"], ["--since", "30d"], ["weekly"]] {
            let arguments = ["report"] + report + ["--format", "json", "--no-collect", "--now", now.description]
            let printed = try [[], ["--store", url]].map { store in
                let result = try VitalsProcess.run(arguments + store, in: folder.url, environment: ["PGPASSWORD": cluster.password])
                #expect(result.status == 0, "\(result.stderr)")
                return result.stdout
            }
            let context = "seed \(seed), zone \(zone), now \(now), \(report.joined(separator: " ")): \(samples.count) samples"
            #expect(printed[0].count > 1_000, "\(context): \(printed[0])")
            #expect(
                printed[0] == printed[1],
                "\(context): \(zip(printed[0].split(separator: "\n"), printed[1].split(separator: "\n")).filter { $0 != $1 }.prefix(5))")
        }
    }

    /// Up to four series of each metric, with every label it carries (and now and then its optional ones), and up to 40
    /// samples each: values fit for the unit, a counter rising with a reset now and then, and now and then a value at the
    /// edge (0, −0, a large one), at random times in the 40 days before `now` (in whole minutes half the time).
    static func samples(before now: Timestamp, using random: inout SplitMix64) -> [Sample] {
        var samples: [Sample] = []
        for metric in SourceRegistry.metrics {
            for index in 0..<Int.random(in: 0...4, using: &random) {
                var labels: [String: String] = [:]
                for label in metric.labels { labels[label] = ["a", "b", "ü", "x y"].randomElement(using: &random)! + "\(index)" }
                for label in metric.optionalLabels where Bool.random(using: &random) { labels[label] = "o\(index)" }
                let descriptor = SeriesDescriptor(SeriesKey(metric.name, Labels(labels)), kind: metric.kind, unit: metric.unit)
                var total = 0.0
                for _ in 0..<Int.random(in: 0...40, using: &random) {
                    var time = now.milliseconds - Int64.random(in: 0...(40 * 86_400_000), using: &random)
                    if Bool.random(using: &random) { time = time / 60_000 * 60_000 }
                    total = Int.random(in: 0..<10, using: &random) == 0 ? 0 : total + Double(Int.random(in: 0...20, using: &random))
                    let value: Double =
                        switch (Int.random(in: 0..<12, using: &random), metric.kind, metric.unit) {
                        case (0, _, _): [0, -0.0, 1e9].randomElement(using: &random)!
                        case (_, .counter, _): total
                        case (_, _, .ratio): Double.random(in: 0...1, using: &random)
                        case (_, _, .seconds): Double.random(in: 0...500_000, using: &random)
                        default: Double(Int.random(in: 0...60, using: &random))
                        }
                    samples.append(Sample(descriptor, at: Timestamp(milliseconds: time), value: value))
                }
            }
        }
        return samples
    }
}
