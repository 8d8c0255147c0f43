public import VitalsCore

/// Silence administration, as `vitals alerts silence`, `unsilence` and `silences` do it. The round reads the silences in
/// force through ``AlertStore/silences(notEndedAt:)``.
public protocol SilenceStore: Sendable {
    /// Stores a new silence; its id must be new.
    func addSilence(_ silence: Silence) async throws

    /// Ends the silence `id` at `instant` (kept for the record, as Alertmanager expires rather than deletes). Returns the
    /// silence as it now is, or nil when no silence has that id; one that already ended is returned unchanged.
    func expireSilence(id: String, at instant: Timestamp) async throws -> Silence?

    /// Every silence, ended ones included, newest start first.
    func allSilences() async throws -> [Silence]
}
