extension String {
    /// This text as every store keeps it: each NUL as U+FFFD (�). PostgreSQL's `text` refuses NUL, failing the whole write,
    /// and SQLite's text reads back cut at the first one; the texts a store keeps from outside may hold one (a command's
    /// standard error quoted in a job run's error, a receiver's answer in a delivery's, a silence's comment, an alert's summary
    /// quoting label values, a source's name and what its runs remember).
    public var storable: String {
        utf8.contains(0) ? String(decoding: utf8.map { $0 == 0 ? Self.replacement : [$0] }.joined(), as: UTF8.self) : self
    }

    private static let replacement = Array("\u{FFFD}".utf8)
}

extension [String: String] {
    /// These keys and values as every store keeps them (``Swift/String/storable``); of two keys that become one, the greater
    /// value is kept.
    public var storable: [String: String] {
        Dictionary(map { ($0.key.storable, $0.value.storable) }, uniquingKeysWith: { Swift.max($0, $1) })
    }
}

extension [String: String?] {
    /// These keys and values as every store keeps them (``Swift/String/storable``); of two keys that become one, the greater
    /// value is kept (a value before none).
    public var storable: [String: String?] {
        Dictionary(map { ($0.key.storable, $0.value?.storable) }, uniquingKeysWith: { ($0 ?? "") >= ($1 ?? "") && $0 != nil ? $0 : $1 })
    }
}
