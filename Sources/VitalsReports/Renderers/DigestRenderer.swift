import Foundation

/// Turns a ``Digest`` into the text of one format.
public protocol DigestRenderer: Sendable {
    func render(_ digest: Digest) throws -> String
}

extension Digest {
    var local: LocalTimeText { LocalTimeText(timeZone: TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!) }
}
