public import Foundation
public import VitalsCore
public import VitalsPorts

#if canImport(Glibc)
    import Glibc
#endif

/// A file of JSON lines (`type: file`, `path`): each message appended as one line, for scripts, audits and tests.
///
/// A line is written with one `write` to a file opened for appending, so lines from several writers never interleave; a
/// crash mid-write can leave a last line cut short, which the retry follows with the whole line.
public struct FileChannel: Notifier {
    public static let definition = ChannelDefinition(
        type: "file",
        read: { section throws(ConfigError) in
            let values = try ChannelSettings.values(section, keys: ["path"])
            let path = try ChannelSettings.required("path", in: values, of: section, meaning: "the file to append to")
            return try ChannelSettings.text(path, expected: "a path")
        },
        make: { name, path, context in
            FileChannel(channel: name, path: path.hasPrefix("/") ? path : context.root.appendingPathComponent(path).path)
        })

    public let channel: String
    /// The file, absolute.
    public let path: String

    public init(channel: String, path: String) {
        self.channel = channel
        self.path = path
    }

    public func deliver(_ message: OutboxMessage) async -> DeliveryOutcome {
        let line: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            line = try encoder.encode(FileLine(message, channel: channel)) + Data("\n".utf8)
        } catch {
            return .reject(DeliveryFailure(status: nil, "cannot encode the message: \(error)"))
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return .retry(DeliveryFailure(status: nil, "cannot open \(path): \(String(cString: strerror(errno)))"), retryAfter: nil) }
        defer { close(descriptor) }
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else {
            return .retry(DeliveryFailure(status: nil, "cannot append to \(path): \(String(cString: strerror(errno)))"), retryAfter: nil)
        }
        return .delivered(status: nil)
    }
}

/// One line of a `file` channel: the message, its key and when it was queued.
struct FileLine: Encodable {
    let channel: String
    let id: Int64
    let key: String
    let queuedAt: Timestamp
    let alert: AlertMessage?
    let report: ReportMessage?

    init(_ message: OutboxMessage, channel: String) {
        self.channel = channel
        id = message.id
        key = message.idempotencyKey
        queuedAt = message.createdAt
        switch message.payload {
        case .alert(let alert):
            self.alert = alert
            report = nil
        case .report(let report):
            alert = nil
            self.report = report
        }
    }

    enum CodingKeys: String, CodingKey {
        case channel, id, key, alert, report
        case queuedAt = "queued_at"
    }
}
