import NIOCore
import PostgresNIO
import Testing
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

    @Test(arguments: [0, 2, 3, 4, 6]) func aFieldCutShortReadsAsNothing(kept: Int) {
        var whole = ByteBuffer()
        whole.writeInteger(Int32(3))
        whole.writeString("abc")
        var cut = whole.getSlice(at: 0, length: kept)!
        #expect(cut.readPackedField() == nil)
    }
}
