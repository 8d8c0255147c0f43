import Foundation
import NIOCore
import PostgresNIO
import Testing
import VitalsCore
import VitalsTestSupport

@testable import VitalsStorePostgres

/// Fields the server packs with ``PackedColumns`` read back by `readPackedField()` as they were: text of every kind, the
/// empty text, NULL, and bytes, several to one value; and a value cut short reads as nothing rather than as a wrong field.
@Suite struct PackedColumnsTests {
    static let texts: [String?] = ["", "a", #"service="api",zone="\0""#, "Zürich ✓ 東京", String(repeating: "x", count: 70_000), nil]

    @Test(arguments: texts) func textComesBackAsItWas(text: String?) async throws {
        let database = try await freshDatabase(in: PostgresTestCluster.shared())
        // The text rides in a parameter, so that NULL and the text come as the server holds them, not as SQL spells them.
        let packed = try await PostgresStoreTests().withConnection(database) { connection, logger in
            var packed: ByteBuffer?
            let query: PostgresQuery =
                "SELECT \(unescaped: PackedColumns.text("t")) || \(unescaped: PackedColumns.bytes("b")) FROM (SELECT \(text)::text AS t, decode('00ff10', 'hex') AS b) AS x"
            for try await value in try await connection.query(query, logger: logger).decode(ByteBuffer.self) { packed = value }
            return packed
        }
        var buffer = try #require(packed)
        let first = buffer.readPackedField()
        #expect(first.map { $0.map { String(buffer: $0) } } == .some(text))
        let second = buffer.readPackedField()
        #expect(second.map { $0.map { Array(buffer: $0) } } == .some([0x00, 0xFF, 0x10]))
        #expect(buffer.readableBytes == 0)
        #expect(buffer.readPackedField() == nil)
    }

    /// A row of a window read: a series' window (8 bytes), labels and samples (packed fields).
    static func seriesRow(window: Int64, labels: String?, points: [UInt8]) -> ByteBuffer {
        var row = ByteBuffer()
        row.writeInteger(window)
        if let labels {
            row.writeInteger(Int32(labels.utf8.count))
            row.writeString(labels)
        } else {
            row.writeInteger(Int32(-1))
        }
        row.writeInteger(Int32(points.count))
        row.writeBytes(points)
        return row
    }

    /// One sample, 16 bytes: time 5 ms and value 2.5.
    static let point: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 5] + withUnsafeBytes(of: (2.5).bitPattern.bigEndian, Array.init)

    /// A window read's row that is not the layout fails the read, rather than dropping the series (and resolving its
    /// alerts): a field cut short or NULL, a window out of range, samples not a whole number of 16 bytes, bytes left over.
    @Test func aWindowReadsRowNotInItsLayoutFailsTheRead() async throws {
        let store = try await PostgresMetricStore(
            configuration: freshDatabase(in: PostgresTestCluster.shared()), timeZone: TimeZone(identifier: "UTC")!, retention: .days(400))
        defer { store.close() }
        let good = Self.seriesRow(window: 2, labels: #"a="1""#, points: Self.point)
        let read = try store.series(unpacking: good, windows: 2)
        #expect(read.map(\.window) == [2] && read.map(\.labels) == [#"a="1""#])
        #expect(read.first?.points == [SamplePoint(Timestamp(milliseconds: 5), 2.5)])
        var twice = good
        twice.writeImmutableBuffer(Self.seriesRow(window: 1, labels: "", points: Self.point + Self.point))
        #expect(try store.series(unpacking: twice, windows: 2).map(\.points.count) == [1, 2])
        var leftOver = good
        leftOver.writeInteger(UInt8(0))
        let bad = [
            good.getSlice(at: 0, length: good.readableBytes - 1)!, Self.seriesRow(window: 3, labels: "", points: []),
            Self.seriesRow(window: 0, labels: "", points: []), Self.seriesRow(window: 1, labels: nil, points: []),
            Self.seriesRow(window: 1, labels: "", points: Array(Self.point.dropLast())), leftOver,
        ]
        for row in bad {
            #expect(throws: PostgresStoreError.self, "\(Array(buffer: row))") { try store.series(unpacking: row, windows: 2) }
        }
    }

    @Test(arguments: [0, 2, 3, 4, 6]) func aFieldCutShortReadsAsNothing(kept: Int) {
        var whole = ByteBuffer()
        whole.writeInteger(Int32(3))
        whole.writeString("abc")
        var cut = whole.getSlice(at: 0, length: kept)!
        #expect(cut.readPackedField() == nil)
    }
}
