public import VitalsCore

extension SourceType {
    /// `type: markers`: TODO/FIXME/HACK/XXX markers in comments. Like every local source it takes `repo`, the `repo` label of its samples in
    /// place of the one derived from the repository.
    public static let markers = SourceType("markers", isLocal: true, options: ["path": .string, "include": .list, "exclude": .list, "repo": .name])
}

/// The `markers` source type: its options, metrics and collector.
public enum MarkersSource {
    public static let definition = SourceDefinition(
        type: .markers,
        metrics: [
            MetricDefinition(
                "code_markers", family: .quality, kind: .gauge, unit: .count, source: .markers, labels: ["repo", "source", "kind"],
                title: "Code markers",
                definition: "Occurrences of the whole uppercase words TODO, FIXME, HACK, XXX in comments of source files tracked by git "
                    + "(see [Code markers](#code-markers): strings, prose, unknown file types, vendored and fixture folders, binary files "
                    + "and files over 5 MB skipped), per `kind` (todo, fixme, hack, xxx; all four always written); a backfill adds each "
                    + "past local day's count at its end.")
        ],
        collector: { config, context in
            let filter = PathFilter(include: config.strings("include") ?? [], exclude: config.strings("exclude") ?? MarkersCollector.defaultExclude)
            return MarkersCollector(
                source: config.name, repository: context.resolve(config.string("path")), filter: filter, interval: config.interval,
                repo: config.string("repo"))
        })
}
