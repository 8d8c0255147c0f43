public import VitalsCore

extension SourceType {
    /// `type: command`: a program vitals runs, whose output is the samples (see ``CommandOutput``).
    public static let command = SourceType(
        "command", isLocal: false, requiresToken: false,
        options: ["argv": .arguments, "shell": .flag, "timeout": .duration, "metric": .metricName], requiredOptions: ["argv"])
}

/// The `command` source type: its options and collector. The metrics it writes are the ones its program prints, so it
/// declares none.
public enum CommandSource {
    public static let definition = SourceDefinition(
        type: .command, metrics: [], metricsFromInput: true,
        collector: { config, context in
            CommandCollector(
                source: config.name, argv: config.strings("argv") ?? [], shell: config.string("shell") == "true",
                timeout: config.string("timeout").flatMap { try? TimeSpan(parsing: $0) }.map { .milliseconds($0.milliseconds) } ?? .seconds(30),
                metric: config.string("metric"), interval: config.interval, environment: context.environment)
        })
}
