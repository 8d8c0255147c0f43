/// A kind of source vitals can read, as its folder under `Sources/VitalsCollectors/` declares it: plain data, so the
/// configuration is checked against the registered types without Core knowing any collector.
public struct SourceType: Sendable, Hashable, CustomStringConvertible {
    /// The value of `type:` in `vitals.yml`.
    public let rawValue: String
    /// Whether it reads only the local repository (such sources run with no configuration).
    public let isLocal: Bool
    public let defaultInterval: TimeSpan
    /// The options a source of this type accepts, besides ``SourceReader``'s common keys, and what each value must look like.
    public let options: [String: OptionShape]
    /// The options a source of this type must have.
    public let requiredOptions: [String]
    /// Whether it needs a token: `token_env` must name an environment variable, and the environment must hold it.
    public let requiresToken: Bool

    /// - Parameter requiresToken: nil for the default, a token for every remote type and none for local ones.
    public init(
        _ rawValue: String, isLocal: Bool, defaultInterval: TimeSpan = .hours(1), options: [String: OptionShape], requiredOptions: [String] = [],
        requiresToken: Bool? = nil
    ) {
        self.rawValue = rawValue
        self.isLocal = isLocal
        self.defaultInterval = defaultInterval
        self.options = options
        self.requiredOptions = requiredOptions
        self.requiresToken = requiresToken ?? !isLocal
    }

    public var description: String { rawValue }

    /// What an option's value must look like.
    public enum OptionShape: String, Sendable {
        case string = "a string"
        case list = "a list of strings"
        case duration = "a duration such as 90d"
        /// A label value: not empty, and not only white space.
        case name = "a name such as owner/name"
        /// An absolute http or https URL (`base_url`).
        case url = "an http or https URL such as https://github.example.com/api/v3"
        /// Metric names (Prometheus' grammar, `[a-zA-Z_:][a-zA-Z0-9_:]*`) mapped to query texts, at least one.
        case queries = "a mapping of metric names to queries, such as {http_error_ratio: 'sum(rate(...))'}"
    }
}
