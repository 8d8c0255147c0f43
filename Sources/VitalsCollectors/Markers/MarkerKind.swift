/// The code markers vitals counts, each the label value of its `code_markers` series.
public enum MarkerKind: String, Sendable, CaseIterable, Comparable {
    case todo
    case fixme
    case hack
    case xxx

    /// The word as it appears in code: `TODO`, `FIXME`, `HACK`, `XXX`.
    public var word: String { rawValue.uppercased() }

    public static func < (lhs: MarkerKind, rhs: MarkerKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
