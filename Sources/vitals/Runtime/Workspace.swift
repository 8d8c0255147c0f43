import ArgumentParser
import Foundation
import VitalsCollectors
import VitalsCore
import VitalsNotify
import VitalsPorts
import VitalsStore

/// Every port the commands use; the SQLite and PostgreSQL stores implement them all, opened once per command by ``Workspace``.
typealias StorePorts = MetricStore & JobRunLog & SourceStateStore & AlertStore & AlertHistory & SilenceStore & OutboxStore & LeaderLease
    & StoreMaintenance & LatestSampleReader & StoreTransfer

/// What a command works with: the configuration, the opened store, the collectors and the instant it acts at.
struct Workspace {
    let config: VitalsConfig
    /// The configured channels, each read by its type's reader.
    let channels: [ConfiguredChannel]
    let store: any StorePorts
    /// Where the store is: a SQLite file or a PostgreSQL database, as given or configured.
    let backend: StoreBackend
    let now: Timestamp
    /// The folder relative paths in the configuration are resolved against.
    let root: URL
    /// Where remote sources find their tokens.
    let environment: [String: String]

    /// `access: .read` for commands that only read, so that they can read a store this user cannot write.
    init(
        _ options: GlobalOptions, access: StoreAccess = .readWrite, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws {
        (config, root, channels) = try Self.configuration(options, environment: environment)
        self.environment = environment
        (store, backend) = try await StoreBackend.open(options, config: config, root: root, access: access, environment: environment)
        now = try options.now.map { try parseTime($0, option: "--now") } ?? SystemClock().now()
    }

    /// The configuration `--config`, `$VITALS_CONFIG` or `./vitals.yml` names (or the defaults), and the folder its relative
    /// paths start from, and its channels read by their types' readers (so a channel's error is reported by any command);
    /// for commands that need no store. `requireTokens: false` accepts unset token variables (`doctor`).
    static func configuration(
        _ options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment, requireTokens: Bool = true
    ) throws -> (config: VitalsConfig, root: URL, channels: [ConfiguredChannel]) {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let config = try ConfigLoader.resolve(
            explicit: options.config, environment: environment, workingDirectory: workingDirectory, sourceTypes: SourceRegistry.types,
            requireTokens: requireTokens)
        let root = config.file.map { URL(fileURLWithPath: $0).deletingLastPathComponent() } ?? URL(fileURLWithPath: workingDirectory)
        return (config, root, try ChannelRegistry.channels(in: config))
    }

    /// The configured sources as collectors, keeping the configuration's order.
    func collectors(named names: [String] = []) throws -> [any Collector] {
        let all = config.sources.map { SourceRegistry.collector(for: $0, root: root, environment: environment) }
        guard !names.isEmpty else { return all }
        let families = MetricFamily.allCases.map(\.rawValue)
        let known = all.map(\.source) + families
        let unknown = names.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            let named = unknown.map { "'\($0)'\(Suggestion.hint(for: $0, in: known))" }.joined(separator: ", ")
            throw ValidationError(
                "no source or family named \(named); configured sources: \(all.map(\.source).joined(separator: ", ")); "
                    + "families: \(families.joined(separator: ", "))")
        }
        // A source with metrics in several families (github: velocity, stability, quality) runs for each of them.
        let sourceFamilies = Dictionary(config.sources.map { ($0.name, SourceRegistry.definition(of: $0.type).families.map(\.rawValue)) }) { $1 }
        return all.filter { names.contains($0.source) || sourceFamilies[$0.source, default: []].contains(where: names.contains) }
    }
}
