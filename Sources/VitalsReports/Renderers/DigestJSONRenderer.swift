import Foundation

/// The digest as JSON with sorted snake_case keys (`schema_version` 3 of `docs/report.schema.json`); times are RFC 3339.
public struct DigestJSONRenderer: DigestRenderer {
    public init() {}

    public func render(_ digest: Digest) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(digest), as: UTF8.self) + "\n"
    }
}
