import VitalsCollectors
import VitalsCore

/// The loader with the registered source types, as the CLI calls it, so tests state only what they check.
extension ConfigLoader {
    static func parse(_ text: String, file: String, environment: [String: String]) throws(ConfigError) -> VitalsConfig {
        try parse(text, file: file, environment: environment, sourceTypes: SourceRegistry.types)
    }

    static func load(file: String, environment: [String: String]) throws(ConfigError) -> VitalsConfig {
        try load(file: file, environment: environment, sourceTypes: SourceRegistry.types)
    }

    static func resolve(explicit: String?, environment: [String: String], workingDirectory: String) throws(ConfigError) -> VitalsConfig {
        try resolve(explicit: explicit, environment: environment, workingDirectory: workingDirectory, sourceTypes: SourceRegistry.types)
    }
}
