import PostgresNIO

/// Appends points to `samples` by `COPY … FROM STDIN` in PostgreSQL's binary format: no statement to plan, no text to
/// parse, rows inserted into each monthly partition in bulk. Only for points that cannot meet a stored sample (COPY has no
/// `ON CONFLICT`): those after the newest stored sample of their series, whose row the write has locked.
///
/// Every row carries the point's series, time and value.
struct SampleCopy {
    let points: PointColumns

    /// The binary format's header: its signature, the flags (no OIDs) and the length of the header extension (none).
    static let header: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// The field count -1 that ends the data.
    static let trailer: Int16 = -1
    /// Rows are sent in messages of about this many bytes, so that encoding the next overlaps sending the last.
    static let chunkBytes = 1 << 20

    /// The columns in the order rows carry them. postgres-nio 1.33.2 builds `COPY "samples"("c1",…,"cN") FROM STDIN WITH
    /// (FORMAT text)` and has no binary option, so the last name closes the list and asks for the binary format, and the
    /// library's own options are left behind a comment. The names are this store's constants, never input.
    static let columns = ["series_id", "ts", #"value") FROM STDIN WITH (FORMAT binary) --"#]

    func run(_ connection: Session) async throws {
        let fields: Int16 = 3
        // A row: the field count, then each field as its length and its big-endian bytes (int8 and float8 both take 8).
        let rowBytes = 2 + Int(fields) * 12
        try await connection.copyFrom(table: "samples", columns: Self.columns, logger: PostgresMetricStore.logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(min(Self.chunkBytes, Self.header.count + points.times.count * rowBytes + 2) + rowBytes)
            buffer.writeBytes(Self.header)
            for row in points.times.indices {
                buffer.writeInteger(fields)
                buffer.writeField(points.seriesIDs[row])
                buffer.writeField(points.times[row])
                buffer.writeField(points.values[row].bitPattern)
                if buffer.readableBytes >= Self.chunkBytes {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            buffer.writeInteger(Self.trailer)
            try await writer.write(buffer)
        }
    }
}

extension ByteBuffer {
    /// One field of a binary COPY row: its length, then its eight bytes, big-endian.
    fileprivate mutating func writeField<Field: FixedWidthInteger>(_ field: Field) {
        writeInteger(Int32(MemoryLayout<Field>.size))
        writeInteger(field)
    }
}
