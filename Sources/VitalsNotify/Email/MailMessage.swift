import Foundation

/// An RFC 5322 message with a text part and, when there is one, an HTML alternative (multipart/alternative), written
/// with CRLF line endings, headers in ASCII (a non-ASCII subject as RFC 2047 encoded words) and quoted-printable parts,
/// so no line is longer than 76 characters whatever the content. Dot-stuffing is the SMTP transport's.
struct MailMessage {
    let from: String
    let to: [String]
    let subject: String
    let date: Date
    /// `<…@…>`: the same for every attempt at the same message, so a receiver can tell a redelivery.
    let messageID: String
    let text: String
    let html: String?

    func rendered() -> Data {
        var lines = [
            "Date: \(Self.dateText(date))",
            "From: \(from)",
            // Folded, one address a line, when they do not fit in one.
            "To: \(to.joined(separator: ", "))".count <= 78 ? "To: \(to.joined(separator: ", "))" : "To: \(to.joined(separator: ",\r\n "))",
            "Subject: \(Self.encodedHeader(subject))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
        ]
        if let html {
            // `=_` never occurs in quoted-printable text, so no part can contain the boundary.
            let boundary = "=_vitals_\(Fingerprints.sha256(text + html).prefix(24))"
            lines += ["Content-Type: multipart/alternative;", " boundary=\"\(boundary)\"", ""]
            lines += ["--\(boundary)"] + Self.part(text, type: "text/plain")
            lines += ["--\(boundary)"] + Self.part(html, type: "text/html")
            lines += ["--\(boundary)--", ""]
        } else {
            lines += Self.part(text, type: "text/plain")
        }
        return Data(lines.joined(separator: "\r\n").utf8)
    }

    /// A part's headers, a blank line and its quoted-printable body.
    static func part(_ content: String, type: String) -> [String] {
        ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: quoted-printable", "", quotedPrintable(content), ""]
    }

    /// RFC 5322's date: `Sun, 29 Nov 2026 08:00:00 +0000`.
    static func dateText(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    /// A header value: as it is when printable ASCII, else RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, each
    /// holding whole characters, folded onto continuation lines. Line breaks become spaces (no header injection).
    static func encodedHeader(_ value: String) -> String {
        let flat = value.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard !flat.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) else { return flat }
        // 45 bytes make 60 base64 characters: with `=?UTF-8?B?` and `?=`, 72.
        var words: [String] = []
        var chunk = Data()
        for character in flat {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(chunk.base64EncodedString())
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append(chunk.base64EncodedString()) }
        return words.map { "=?UTF-8?B?\($0)?=" }.joined(separator: "\r\n ")
    }

    /// Quoted-printable (RFC 2045) over UTF-8, lines ending in CRLF: `=` and bytes outside printable ASCII as `=XX`, a
    /// space or tab before a line break encoded, lines over 76 characters broken with soft breaks.
    static func quotedPrintable(_ text: String) -> String {
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { line in
            let bytes = Array(line.utf8)
            var output: [String] = []
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let token =
                    (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
                    ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                // 75 leaves room for the soft break's `=`.
                if current.count + token.count > (isLast ? 76 : 75) {
                    output.append(current + "=")
                    current = ""
                }
                current += token
            }
            output.append(current)
            return output.joined(separator: "\r\n")
        }.joined(separator: "\r\n")
    }
}
