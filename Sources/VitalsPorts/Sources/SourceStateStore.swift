/// What a source's runs remember between them (the `repo` label it last wrote, ...), kept by the store so that it survives
/// the process. Reports keep their improvement-task counts here too, under `report:NAME`.
public protocol SourceStateStore: Sendable {
    /// The remembered values of `source`, by key; empty for a source never recorded.
    func sourceState(of source: String) async throws -> [String: String]

    /// Replaces what `source`'s runs remember with `state`.
    func setSourceState(_ state: [String: String], of source: String) async throws
}
