public import Foundation
public import VitalsCore

/// The one JSON form of the values a canonical row holds as text (an outbox message's payload and channels, a silence's
/// matchers): keys sorted, slashes unescaped, so the same value is the same text whichever backend stored it; an alert's
/// value that is not finite as ``NonFiniteNumberText`` (Foundation's coders refused it, which failed the migration).
public enum TransferJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = NonFiniteNumberText.encoding
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = NonFiniteNumberText.decoding
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// `row` of `table` with its JSON text columns (a silence's matchers, an outbox message's payload and channels) written
    /// in this form, whatever JSON form the backend keeps them in.
    public static func canonical(_ row: [TransferValue], of table: TransferTable) throws -> [TransferValue] {
        var row = row
        func rewrite<T: Codable>(_ index: Int, as type: T.Type) throws {
            guard let text = row[index].text, let value = try? decode(type, from: text) else {
                throw StoreTransferError(table, "\(table.columns[index].name) of \(row[0]) is JSON this build cannot read")
            }
            row[index] = .text(try encode(value))
        }
        switch table {
        case .alertSilences: try rewrite(1, as: [SilenceMatcher].self)
        case .outboxMessages:
            try rewrite(2, as: OutboxMessage.Payload.self)
            try rewrite(3, as: [String].self)
        default: break
        }
        return row
    }
}
