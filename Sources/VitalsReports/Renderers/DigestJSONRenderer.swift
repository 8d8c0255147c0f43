/// The digest as JSON with sorted snake_case keys (`schema_version` 3 of `docs/report.schema.json`); times are RFC 3339,
/// numbers that are not finite the strings `"+Inf"`, `"-Inf"` and `"NaN"`.
///
/// The bytes are those of Foundation's `JSONEncoder` (sorted keys, pretty printed, slashes unescaped, keys converted to
/// snake case, non-finite numbers converted to those strings), written by ``PrettyJSONEncoder``.
public struct DigestJSONRenderer: DigestRenderer {
    public init() {}

    public func render(_ digest: Digest) throws -> String {
        try PrettyJSONEncoder(convertsKeysToSnakeCase: true, nonFiniteNumbers: .prometheus).encode(digest) + "\n"
    }
}
