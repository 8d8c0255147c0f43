/// Parses, byte by byte and chunk by chunk, the output of
/// `git log --numstat --format=%x00%H%x00%P%x00%ct%x00%ae`.
///
/// Each commit is a header line `\0hash\0parents\0time\0email\n` followed by a blank line and numstat lines
/// `added\tdeleted\tpath\n` (`-\t-\tpath` for binary files); merges have no numstat lines. A NUL at the start
/// of a line is therefore always the next commit, whatever the paths contain.
public struct GitLogParser: Sendable {
    /// The git arguments that produce the output this parser reads.
    public static let formatArguments = ["--numstat", "--format=%x00%H%x00%P%x00%ct%x00%ae"]

    private enum State {
        case lineStart
        case header
        case added
        case deleted
        case path
    }

    private static let headerFields = 4
    private static let nul: UInt8 = 0
    private static let newline = UInt8(ascii: "\n")
    private static let tab = UInt8(ascii: "\t")
    private static let space = UInt8(ascii: " ")
    private static let dash = UInt8(ascii: "-")
    private static let zero = UInt8(ascii: "0")
    private static let nine = UInt8(ascii: "9")

    private var state = State.lineStart
    private var offset = 0
    private var field = 0
    private var commit: GitCommitStats?
    private var time: Int64 = 0
    private var parents = 0
    private var inParent = false
    private var email: [UInt8] = []
    private var added = 0
    private var deleted = 0

    public init() {}

    /// Reads the next chunk of output, calling `emit` for every commit it completes.
    public mutating func consume(_ chunk: some Sequence<UInt8>, emit: (GitCommitStats) -> Void) throws(GitLogParseError) {
        for byte in chunk {
            try consume(byte, emit: emit)
            offset += 1
        }
    }

    /// Ends the output, emitting the last commit; fails when the output stopped inside a commit header.
    public mutating func finish(emit: (GitCommitStats) -> Void) throws(GitLogParseError) {
        switch state {
        case .header: throw GitLogParseError(offset: offset, reason: "the output ends inside a commit header")
        case .lineStart, .path: break
        case .added, .deleted: throw GitLogParseError(offset: offset, reason: "the output ends inside a numstat line")
        }
        if let commit { emit(commit) }
        commit = nil
        state = .lineStart
    }

    private mutating func consume(_ byte: UInt8, emit: (GitCommitStats) -> Void) throws(GitLogParseError) {
        switch state {
        case .lineStart:
            if byte == Self.nul {
                if let commit { emit(commit) }
                commit = nil
                beginHeader()
            } else if byte != Self.newline {
                guard commit != nil else { throw GitLogParseError(offset: offset, reason: "a numstat line before the first commit") }
                added = 0
                deleted = 0
                state = .added
                if try Self.count(byte, into: &added, at: offset) { state = .deleted }
            }
        case .header:
            try header(byte)
        case .added:
            if try Self.count(byte, into: &added, at: offset) { state = .deleted }
        case .deleted:
            if try Self.count(byte, into: &deleted, at: offset) { state = .path }
        case .path:
            if byte == Self.newline {
                commit?.linesAdded += added
                commit?.linesDeleted += deleted
                commit?.filesChanged += 1
                state = .lineStart
            }
        }
    }

    private mutating func beginHeader() {
        state = .header
        field = 0
        time = 0
        parents = 0
        inParent = false
        email.removeAll(keepingCapacity: true)
    }

    private mutating func header(_ byte: UInt8) throws(GitLogParseError) {
        if byte == Self.nul {
            field += 1
            guard field < Self.headerFields else { throw GitLogParseError(offset: offset, reason: "a commit header with too many fields") }
            return
        }
        if byte == Self.newline {
            guard field == Self.headerFields - 1 else { throw GitLogParseError(offset: offset, reason: "a commit header with too few fields") }
            commit = GitCommitStats(committerTime: time, authorEmail: String(decoding: email, as: UTF8.self), parentCount: parents)
            state = .lineStart
            return
        }
        switch field {
        case 1:
            // Parents are hashes separated by single spaces; count the starts of words.
            if byte == Self.space {
                inParent = false
            } else if !inParent {
                inParent = true
                parents += 1
            }
        case 2:
            guard byte >= Self.zero, byte <= Self.nine else {
                throw GitLogParseError(offset: offset, reason: "the committer time is not a number of seconds")
            }
            time = time * 10 + Int64(byte - Self.zero)
        case 3:
            email.append(byte)
        default:
            break
        }
    }

    /// Reads one byte of a numstat count: digits, or `-` for a binary file (which adds no lines).
    /// Returns true at the tab that ends the count.
    private static func count(_ byte: UInt8, into value: inout Int, at offset: Int) throws(GitLogParseError) -> Bool {
        if byte >= zero, byte <= nine {
            value = value * 10 + Int(byte - zero)
            return false
        }
        if byte == tab { return true }
        guard byte == dash else { throw GitLogParseError(offset: offset, reason: "a numstat count that is neither digits nor '-'") }
        return false
    }
}

/// Output that is not in the format ``GitLogParser`` reads; `offset` is the byte it stopped at.
public struct GitLogParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "unexpected git log output at byte \(offset): \(reason)" }
}
