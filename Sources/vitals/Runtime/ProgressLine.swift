import Foundation

/// A one-line status on standard error, shown only when it is a terminal (so logs and pipes stay clean).
struct ProgressLine: Sendable {
    let enabled = isatty(FileHandle.standardError.fileDescriptor) != 0

    func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
