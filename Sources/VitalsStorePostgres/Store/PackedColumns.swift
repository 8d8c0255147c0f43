import NIOCore

/// Columns a statement packs into one `bytea` on the server, for an answer of thousands of rows to come as one value:
/// postgres-nio decodes each row and each column of an answer on its own, which for an alert round's reads cost more of
/// this process's processor time than the server spent on the query (``PostgresMetricStore/series(in:)``,
/// ``PostgresMetricStore/alertStates()``). Each field is its length in 4 bytes (big-endian) and its bytes, or the
/// length -1 for NULL; ``NIOCore/ByteBuffer/readPackedField()`` reads one back.
enum PackedColumns {
    /// The SQL packing the `text` expression `expression`: its bytes as the server sends text, in the connection's encoding,
    /// which the store sets to UTF-8 (`client_encoding`).
    static func text(_ expression: String) -> String {
        bytes("textsend(\(expression))")
    }

    /// The SQL packing the `bytea` expression `expression`.
    static func bytes(_ expression: String) -> String {
        "coalesce(int4send(octet_length(\(expression))) || \(expression), '\\xffffffff'::bytea)"
    }
}

extension ByteBuffer {
    /// One field of ``PackedColumns``: nil when the bytes end before it, and inside, nil for NULL.
    mutating func readPackedField() -> ByteBuffer?? {
        guard let length = readInteger(as: Int32.self) else { return nil }
        if length == -1 { return .some(nil) }
        guard length >= 0, let field = readSlice(length: Int(length)) else { return nil }
        return .some(field)
    }
}
