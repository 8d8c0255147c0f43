public import Foundation

/// The proxy a request goes through, read from the environment as curl reads it: `https_proxy` (or `HTTPS_PROXY`) for
/// https URLs, `http_proxy` for http ones (curl ignores upper-case `HTTP_PROXY`, which a CGI request's `Proxy:` header can
/// set), else `all_proxy` (or `ALL_PROXY`); `no_proxy` (or `NO_PROXY`) lists the hosts and domains reached directly
/// (`*` for all), matched by libcurl.
///
/// The transport sets them on every request itself, so the environment it was given decides, not whatever the process's
/// environment holds at the time; tests pass their own.
public struct ProxySettings: Sendable, Equatable {
    public var https: String?
    public var http: String?
    public var all: String?
    public var noProxy: String?

    public init(https: String? = nil, http: String? = nil, all: String? = nil, noProxy: String? = nil) {
        self.https = https
        self.http = http
        self.all = all
        self.noProxy = noProxy
    }

    public init(environment: [String: String]) {
        func value(_ names: String...) -> String? { names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty } }
        self.init(
            https: value("https_proxy", "HTTPS_PROXY"), http: value("http_proxy"), all: value("all_proxy", "ALL_PROXY"),
            noProxy: value("no_proxy", "NO_PROXY"))
    }

    /// The process environment's settings.
    public static var process: ProxySettings { ProxySettings(environment: ProcessInfo.processInfo.environment) }

    /// The proxy for `url` before `noProxy` is applied; nil goes direct.
    public func proxy(for url: URL) -> String? {
        (url.scheme?.lowercased() == "https" ? https : http) ?? all
    }
}
