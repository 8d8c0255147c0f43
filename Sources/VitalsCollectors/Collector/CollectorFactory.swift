public import Foundation
public import VitalsCore

/// Builds the collector a configured source asks for.
public enum CollectorFactory {
    /// The collector for `source`, with relative paths resolved against `root` (the configuration file's folder).
    public static func collector(for source: SourceConfig, root: URL) -> any Collector {
        switch source.type {
        case .git:
            let history = source.string("history").flatMap { try? TimeSpan(parsing: $0) }
            return GitCollector(
                source: source.name, repository: resolve(source.string("path"), against: root), branch: source.string("branch"),
                defaultHistory: history ?? .days(90), interval: source.interval, repo: source.string("repo"))
        case .markers:
            let filter = PathFilter(include: source.strings("include") ?? [], exclude: source.strings("exclude") ?? MarkersCollector.defaultExclude)
            return MarkersCollector(
                source: source.name, repository: resolve(source.string("path"), against: root), filter: filter, interval: source.interval,
                repo: source.string("repo"))
        case .coverage:
            return CoverageCollector(config: source, repository: root)
        case .sarif:
            return SarifCollector(config: source, repository: root)
        }
    }

    static func resolve(_ path: String?, against root: URL) -> URL {
        guard let path else { return root }
        return path.hasPrefix("/") ? URL(fileURLWithPath: path) : root.appendingPathComponent(path).standardizedFileURL
    }
}
