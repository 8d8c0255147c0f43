/// What one coverage file says in total: covered and coverable counts of lines, and of branches and
/// functions where its format records them.
public struct CoverageTotals: Hashable, Sendable {
    /// A covered-of-total pair.
    public struct Count: Hashable, Sendable {
        public var covered: Int
        public var total: Int

        public init(covered: Int, total: Int) {
            self.covered = covered
            self.total = total
        }

        /// `covered / total`, or nil when there is nothing to cover.
        public var ratio: Double? { total > 0 ? Double(covered) / Double(total) : nil }

        /// Coverable lines not covered.
        public var missed: Int { total - covered }

        static let zero = Count(covered: 0, total: 0)

        static func + (lhs: Count, rhs: Count) -> Count { Count(covered: lhs.covered + rhs.covered, total: lhs.total + rhs.total) }
    }

    public var lines: Count
    /// Nil when the format or the file has no branch data.
    public var branches: Count?
    /// Nil when the format or the file has no function data.
    public var functions: Count?

    public init(lines: Count, branches: Count? = nil, functions: Count? = nil) {
        self.lines = lines
        self.branches = branches
        self.functions = functions
    }
}

/// What one coverage file says: its ``CoverageTotals`` and the lines of each source file it counts, by the name the file
/// gives it (a path, relative or absolute), so the least-covered files can be named.
public struct CoverageReport: Hashable, Sendable {
    public var totals: CoverageTotals
    /// Covered and coverable lines per source file; files with no coverable line are left out.
    public var files: [String: CoverageTotals.Count]

    public init(totals: CoverageTotals, files: [String: CoverageTotals.Count]) {
        self.totals = totals
        self.files = files
    }
}
