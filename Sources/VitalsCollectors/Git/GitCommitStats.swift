/// What vitals reads of one commit in `git log --numstat` output.
public struct GitCommitStats: Sendable, Equatable {
    /// The committer date, in seconds since the Unix epoch (`%ct`).
    public var committerTime: Int64
    /// The author's email as recorded (`%ae`), not lowercased.
    public var authorEmail: String
    public var parentCount: Int
    public var linesAdded: Int
    public var linesDeleted: Int
    /// Files in the numstat, binary files (`-\t-`) included.
    public var filesChanged: Int

    public init(committerTime: Int64, authorEmail: String, parentCount: Int, linesAdded: Int = 0, linesDeleted: Int = 0, filesChanged: Int = 0) {
        self.committerTime = committerTime
        self.authorEmail = authorEmail
        self.parentCount = parentCount
        self.linesAdded = linesAdded
        self.linesDeleted = linesDeleted
        self.filesChanged = filesChanged
    }

    /// A merge has two or more parents.
    public var isMerge: Bool { parentCount >= 2 }
}
