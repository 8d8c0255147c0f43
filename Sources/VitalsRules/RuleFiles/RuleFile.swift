/// A loaded rule file: its groups in file order.
public struct RuleFile: Sendable, Equatable {
    /// The path the file was loaded from, as given.
    public var file: String
    public var groups: [RuleGroup]

    public init(file: String, groups: [RuleGroup]) {
        self.file = file
        self.groups = groups
    }
}
