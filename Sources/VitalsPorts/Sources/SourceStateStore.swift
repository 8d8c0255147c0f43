/// What a source's runs remember between them (the `repo` label it last wrote, the pages a collection fetched, ...), kept
/// by the store so that it survives the process. Reports keep their improvement-task counts here too, under `report:NAME`.
///
/// Every store keeps a NUL in a source's name, a key or a value as U+FFFD (``Swift/String/storable``), and looks keys and
/// prefixes up the same way.
public protocol SourceStateStore: Sendable {
    /// The remembered values of `source`, by key; empty for a source never recorded.
    func sourceState(of source: String) async throws -> [String: String]

    /// Replaces what `source`'s runs remember with `state`.
    func setSourceState(_ state: [String: String], of source: String) async throws

    /// The remembered value of `key` for `source`; nil when none is.
    func sourceState(of source: String, key: String) async throws -> String?

    /// The remembered values of `source` whose keys start with `prefix`, by key (all of them for an empty prefix).
    func sourceState(of source: String, keysStartingWith prefix: String) async throws -> [String: String]

    /// Sets the keys of `changes` that map to a value and forgets those that map to nil, in one write; `source`'s other
    /// keys stay. A collection stores each page as it fetches it this way, so a run killed half-way keeps what it fetched.
    func updateSourceState(_ changes: [String: String?], of source: String) async throws
}
