import Foundation

/// The coverage file formats vitals reads, told apart by their content, never by file name.
enum CoverageFormat: String, Sendable, CaseIterable {
    /// An lcov tracefile (`SF:`, `LF:`, `LH:` records), as geninfo, coverage.py and most JavaScript tools write.
    case lcov
    /// Cobertura XML (`<coverage line-rate=...>`), as coverage.py, gcovr and JaCoCo converters write.
    case cobertura
    /// `llvm-cov export` JSON, as `swift test --enable-code-coverage` writes.
    case llvmCovJSON = "llvm-cov-json"

    static let expected = "an lcov tracefile, Cobertura XML or llvm-cov export JSON"

    /// Recognises the format from the first meaningful bytes of the file.
    static func detect(_ data: Data, file: String) throws(InputFileError) -> CoverageFormat {
        guard let first = data.firstIndex(where: { !isWhitespace($0) }) else {
            throw InputFileError(file: file, "the file is empty; expected \(expected)")
        }
        switch data[first] {
        case UInt8(ascii: "{"): return .llvmCovJSON
        case UInt8(ascii: "<"): return .cobertura
        default:
            let opening = String(decoding: data[first...].prefix(64), as: UTF8.self)
            if lcovRecordPrefixes.contains(where: { opening.hasPrefix($0) }) { return .lcov }
            let line = opening.prefix { $0 != "\n" && $0 != "\r" }
            throw InputFileError(file: file, at: .line(1), "unknown format starting '\(line)'; expected \(expected)")
        }
    }

    /// The records an lcov tracefile can start with: a test name, a source file, or the version line.
    private static let lcovRecordPrefixes = ["TN:", "SF:", "VER:"]

    /// Spaces, line breaks, and the bytes of a UTF-8 byte order mark, which Windows tools put before the content.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0xEF || byte == 0xBB || byte == 0xBF
    }
}
