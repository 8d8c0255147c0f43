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

    /// `requiresToken` defaults to every source that is not local (an API); a remote source with nothing to authenticate
    /// (a probe, a command) says false.
    public init(
        _ rawValue: String, isLocal: Bool, defaultInterval: TimeSpan = .hours(1), requiresToken: Bool? = nil, options: [String: OptionShape],
        requiredOptions: [String] = []
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
        /// An absolute http or https URL that may carry a query or credentials (what a probe requests); since those may be
        /// secret, the value is never repeated in a message.
        case endpoint = "an http or https URL such as https://shop.example.com/health"
        /// HTTP status codes (100–599): one, or a list.
        case statusCodes = "an HTTP status code (100-599) or a list of them"
        /// A program and its arguments: a list of strings, not empty (one string counts as a list of one).
        case arguments = "a program and its arguments, such as [./scripts/count, --json]"
        case flag = "true or false"
        /// A Prometheus metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
        case metricName = "a metric name such as build_seconds ([a-zA-Z_:][a-zA-Z0-9_:]*)"
        /// Metric names (Prometheus' grammar, `[a-zA-Z_:][a-zA-Z0-9_:]*`) mapped to query texts, at least one.
        case queries = "a mapping of metric names to queries, such as {http_error_ratio: 'sum(rate(...))'}"
    }
}
