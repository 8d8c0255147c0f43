import VitalsHTTP

/// What `vitals doctor` found for one source: whether one cheap request with its configuration and token succeeded, and
/// if not, what to change. Declared per source type (``SourceDefinition``'s `check`).
public struct SourceCheck: Sendable, Equatable {
    public let passed: Bool
    /// What was asked and what came back, in words; never the token.
    public let detail: String
    /// What to change, for a check that failed.
    public let fix: String?

    public static func passed(_ detail: String) -> SourceCheck { SourceCheck(passed: true, detail: detail, fix: nil) }

    public static func failed(_ detail: String, fix: String) -> SourceCheck { SourceCheck(passed: false, detail: detail, fix: fix) }

    /// Runs `request`, a source's one cheap request, which returns what it found; a failure becomes a failed check whose
    /// fix follows from its HTTP status (``fix(forStatus:tokenEnv:notFound:)``).
    public static func asking(tokenEnv: String?, notFound: String, _ request: () async throws -> String) async -> SourceCheck {
        do {
            return .passed(try await request())
        } catch {
            let status = (error as? RemoteAPIError)?.status ?? (error as? HTTPError)?.status
            return .failed(String(describing: error), fix: fix(forStatus: status, tokenEnv: tokenEnv, notFound: notFound))
        }
    }

    /// The fix for an answer with HTTP status `status` from an API whose token `tokenEnv` names; `notFound` says what a
    /// 404 means for this source.
    public static func fix(forStatus status: Int?, tokenEnv: String?, notFound: String) -> String {
        let variable = tokenEnv ?? "the token's variable"
        switch status {
        case 401: return "the token in \(variable) is not accepted: create a new one and set \(variable) to it"
        case 403: return "the token in \(variable) lacks access: give it read access (see docs/configuration.md for the scopes)"
        case 404: return notFound
        case .some(let code) where code >= 500: return "the service answered \(code): try again later, or check its status page"
        default: return "check base_url, the network and any HTTPS_PROXY/NO_PROXY settings"
        }
    }
}
