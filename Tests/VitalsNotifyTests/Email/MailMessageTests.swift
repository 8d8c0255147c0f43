import Foundation
import Testing
import VitalsTestSupport

@testable import VitalsNotify

@Suite("MIME message")
struct MailMessageTests {
    /// Decodes quoted-printable as RFC 2045 says: soft breaks joined, `=XX` to bytes.
    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        var softBreak = false
        for (index, raw) in text.components(separatedBy: "\r\n").enumerated() {
            if index > 0 && !softBreak { bytes += [13, 10] }
            softBreak = raw.hasSuffix("=")
            var utf8 = Array((softBreak ? String(raw.dropLast()) : raw).utf8)[...]
            while let byte = utf8.popFirst() {
                if byte == UInt8(ascii: "="), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    utf8 = utf8.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("quoted-printable round-trips any text and keeps every line within 76 characters (500 seeded random texts)")
    func quotedPrintable() {
        var random = SplitMix64(seed: 9)
        let alphabet = Array("abc XYZ 019 .=\t\u{00e9}\u{00fc}\u{2713}\u{1F525}<>&-_\n")
        for _ in 0..<500 {
            let text = String((0..<Int.random(in: 0...300, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            let encoded = MailMessage.quotedPrintable(text)
            #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 }, "\(encoded)")
            #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "\r" || $0 == "\n" || $0 == "\t" || $0.value >= 32) })
            #expect(!encoded.components(separatedBy: "\r\n").contains { $0.hasSuffix(" ") || $0.hasSuffix("\t") })
            #expect(Self.decode(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"), "\(text)")
        }
    }

    @Test("a non-ASCII subject becomes encoded words of at most 75 characters holding whole characters; line breaks cannot inject headers")
    func subject() throws {
        #expect(MailMessage.encodedHeader("Daily report 2026-11-28") == "Daily report 2026-11-28")
        #expect(MailMessage.encodedHeader("a\r\nBcc: x@y.z") == "a Bcc: x@y.z")
        let long = String(repeating: "Rapport quotidien · ✓ 🔥 ", count: 6)
        let encoded = MailMessage.encodedHeader(long)
        let words = encoded.components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded = ""
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let data = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            decoded += try #require(String(data: data, encoding: .utf8))
        }
        #expect(decoded == long)
    }

    @Test("headers stay within 78 characters: many recipients are folded one a line")
    func folding() {
        let recipients = (1...12).map { "member-\($0)@team.example.com" }
        let message = MailMessage(
            from: "vitals@example.com", to: recipients, subject: "Daily", date: Date(timeIntervalSince1970: 0), messageID: "<a@b>", text: "x",
            html: "<p>x</p>")
        let lines = String(decoding: message.rendered(), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        let start = lines.firstIndex { $0.hasPrefix("To: ") }!
        #expect(lines[start..<start + 12].joined() == "To: " + recipients.joined(separator: ", "))
    }
}
