public import Foundation
public import Logging
public import VitalsCore

/// The daemon's log lines: text for a person at a terminal, or JSON lines (`--log-format json`) for a log collector,
/// each with the time, level, logger label, message and metadata. Values of metadata keys that name secrets (tokens,
/// passwords, webhook URLs, ...) are replaced by `[redacted]` (see ``SecretRedaction``).
///
/// Text: `2026-11-25T08:00:00.250Z info vitals.scheduler: job started job=collect late=false`
/// JSON: `{"ts":"2026-11-25T08:00:00.250Z","level":"info","label":"vitals.scheduler","message":"job started","metadata":{...}}`
public struct VitalsLogHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: Format
    let clock: any WallClock
    let output: LogOutput

    public init(label: String, format: Format, level: Logger.Level = .info, clock: any WallClock = SystemClock(), output: LogOutput = .standardError)
    {
        self.label = label
        self.format = format
        self.logLevel = level
        self.clock = clock
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        output.write(line(level: event.level, message: event.message.description, metadata: SecretRedaction.redact(merged)) + "\n")
    }

    func line(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let time = RFC3339.format(clock.now())
        switch format {
        case .text:
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.text($0.value))" }
            return ([time, level.rawValue, "\(label):", message] + pairs).joined(separator: " ")
        case .json:
            var fields = "{\"ts\":\(Self.json(time)),\"level\":\(Self.json(level.rawValue)),\"label\":\(Self.json(label)),"
            fields += "\"message\":\(Self.json(message)),\"metadata\":\(Self.json(Logger.MetadataValue.dictionary(metadata)))}"
            return fields
        }
    }

    private static func text(_ value: Logger.MetadataValue) -> String {
        let plain = value.description
        return plain.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) || plain.isEmpty ? json(plain) : plain
    }

    private static func json(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): json(text)
        case .stringConvertible(let convertible): json(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let entries):
            "{" + entries.sorted { $0.key < $1.key }.map { "\(json($0.key)):\(json($0.value))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal, as Foundation's encoder escapes it (quotes, backslashes, control characters).
    static func json(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        // Encoding a string cannot fail.
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}

/// Where log lines go: standard error (the daemon's), or a closure in tests. Each line is written whole, so lines from
/// several tasks never interleave.
public struct LogOutput: Sendable {
    let write: @Sendable (String) -> Void

    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public static let standardError = LogOutput { line in
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// What log lines never show: the values of metadata keys that name secrets.
public enum SecretRedaction {
    public static let replacement = "[redacted]"

    /// Words that mark a key as a secret's, matched case-insensitively anywhere in the key (`GITHUB_TOKEN`,
    /// `slack_webhook_url`, `Authorization`, `routing_key`).
    public static let secretWords = [
        "token", "secret", "password", "passwd", "authorization", "cookie", "credential", "apikey", "api_key", "api-key",
        "private_key", "access_key", "routing_key", "webhook", "signature", "session",
    ]

    public static func isSecret(key: String) -> Bool {
        let lowered = key.lowercased()
        return secretWords.contains { lowered.contains($0) }
    }

    /// `metadata` with every secret's value replaced, in nested dictionaries too.
    public static func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.reduce(into: [:]) { result, entry in
            result[entry.key] = isSecret(key: entry.key) ? .string(replacement) : redact(entry.value)
        }
    }

    private static func redact(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .dictionary(let entries): .dictionary(redact(entries))
        case .array(let values): .array(values.map(redact))
        case .string, .stringConvertible: value
        }
    }
}
