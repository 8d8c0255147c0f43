import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

enum Fingerprints {
    /// The SHA-256 of `text` in hexadecimal: a fixed-length name for a text of any length or alphabet.
    static func sha256(_ text: String) -> String { SHA256.hash(data: Data(text.utf8)).hex }
}
