import Foundation
import VitalsCore
import VitalsStore
import VitalsStorePostgres

/// The store a command opens: the SQLite file (the default) or the PostgreSQL database that `--store postgres://…` or
/// `store: {postgres: {url_env: …}}` names (`docs/postgres.md`).
enum StoreBackend {
    case sqlite(file: String)
    case postgres(PostgresMetricStore)

    /// Where the password goes instead of a `--store` URL.
    static let passwordPlace = "set PGPASSWORD, or put the whole URL in an environment variable named by store: {postgres: {url_env: NAME}}"

    /// Opens the store `--store` names, else the configured one. A PostgreSQL URL holds no password unless it came from the
    /// environment (`url_env`); otherwise the password is `$PGPASSWORD`.
    static func open(
        _ options: GlobalOptions, config: VitalsConfig, root: URL, access: StoreAccess, environment: [String: String]
    ) async throws -> (any StorePorts, StoreBackend) {
        let opened = try await open(options.store, option: "--store", options, config: config, root: root, access: access, environment: environment)
        return (opened.store, opened.backend)
    }

    /// Opens the store `given` names (a file or a URL, given as `option`), else the configured one; `name` says which, for
    /// messages: the file's full path, or the URL without its password.
    static func open(
        _ given: String?, option: String, _ options: GlobalOptions, config: VitalsConfig, root: URL, access: StoreAccess,
        environment: [String: String]
    ) async throws -> (store: any StorePorts, backend: StoreBackend, name: String) {
        let url: PostgresURL
        switch (given, config.postgres) {
        case (let given?, _) where PostgresURL.names(given): url = try postgresURL(given, option: option, environment: environment)
        case (let given?, _): return try await sqlite(file: given, options, config: config, access: access)
        case (nil, let configured?): url = configured
        case (nil, nil): return try await sqlite(file: config.storeFile(in: root.path), options, config: config, access: access)
        }
        let store = try await PostgresMetricStore(
            configuration: PostgresStoreConfiguration(
                host: url.host, port: url.port, database: url.database, user: url.user, password: url.password ?? environment["PGPASSWORD"],
                tls: PostgresStoreConfiguration.TLSMode(rawValue: url.sslMode) ?? .prefer, rootCertificate: url.sslRootCert),
            timeZone: config.timeZone, retention: config.retention)
        return (store, .postgres(store), url.description)
    }

    /// The URL `option` gave, refused when it holds a password (which a process list would show); what it leaves out is
    /// libpq's default in `environment`.
    static func postgresURL(_ given: String, option: String, environment: [String: String]) throws -> PostgresURL {
        do {
            return try PostgresURL(
                parsing: given, passwordFrom: passwordPlace,
                defaults: PostgresURL.Defaults(environment: environment, loginName: PostgresURL.Defaults.loginName()))
        } catch {
            throw CommandFailure("\(option): \(error.description)")
        }
    }

    private static func sqlite(
        file: String, _ options: GlobalOptions, config: VitalsConfig, access: StoreAccess
    ) async throws -> (store: any StorePorts, backend: StoreBackend, name: String) {
        let store = try await SQLiteMetricStore(
            path: file, timeZone: config.timeZone, retention: config.retention, access: access, acceptingDayLoss: options.acceptDayLoss)
        return (store, .sqlite(file: file), URL(fileURLWithPath: file).standardizedFileURL.path)
    }
}

extension PostgresStoreError: UserFacingError {
    var userMessage: String { "vitals: \(description)" }
}
