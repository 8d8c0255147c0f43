public import Foundation
public import VitalsCore
public import VitalsPorts
import VitalsReports

/// What `GET /api/report` builds reports from: the parts of the configuration `vitals report` reads.
public struct ReportSettings: Sendable {
    public var timeZone: TimeZone
    public var sources: [SourceConfig]
    /// The folder of report definitions (`reports/`), absolute or relative to the working directory.
    public var reportsDirectory: String
    /// The configured channel names, which definitions may name.
    public var channels: [String]

    public init(timeZone: TimeZone, sources: [SourceConfig], reportsDirectory: String, channels: [String]) {
        self.timeZone = timeZone
        self.sources = sources
        self.reportsDirectory = reportsDirectory
        self.channels = channels
    }

    /// The settings of `config`, whose relative paths start at `root`.
    public init(config: VitalsConfig, root: URL) {
        self.init(
            timeZone: config.timeZone, sources: config.sources, reportsDirectory: root.appendingPathComponent(config.reportsDirectory).path,
            channels: config.channels.map(\.name))
    }
}

/// `GET /api/report?since=7d` (the standard report of a period, `--from`/`--to` as `from` and `to`) or `?name=daily` (a
/// defined report): the JSON `vitals report --format json` prints, built by the same code. It reads what the store holds:
/// unlike the command it collects nothing first, and a named report is not archived.
struct ReportEndpoint: Sendable {
    let store: any MetricStore & JobRunLog
    let alerts: (any AlertStore & AlertHistory)?
    /// Where a named report reads what was dead-lettered since the previous one, as `vitals report NAME` does.
    let outbox: (any OutboxStore)?
    let settings: ReportSettings
    let now: @Sendable () -> Timestamp

    func report(_ parameters: FormParameters) async throws(APIError) -> String {
        let now = now()
        if let name = parameters["name"] {
            guard parameters["since"] == nil, parameters["from"] == nil else {
                throw APIError(.badData, "a named report takes its period from its definition; leave out since and from")
            }
            let definition: ReportDefinition?
            do {
                definition = try ReportDefinitionLoader.load(name: name, directory: settings.reportsDirectory, channels: settings.channels)
            } catch {
                throw APIError(.badData, error.description)
            }
            guard let definition else {
                let known = ReportDefinitionLoader.names(in: settings.reportsDirectory)
                throw APIError(.notFound, "no report named '\(name)'; known: \(known.joined(separator: ", "))")
            }
            return try await render {
                try DigestJSONRenderer().render(
                    try await DigestBuilder.build(
                        definition: definition, store: store, alerts: alerts, outbox: outbox, now: now, timeZone: settings.timeZone,
                        sources: settings.sources))
            }
        }
        let period = try period(parameters, now: now)
        return try await render {
            try JSONRenderer().render(
                try await ReportBuilder.build(store: store, period: period, now: now, timeZone: settings.timeZone, sources: settings.sources))
        }
    }

    /// `since` (default 7d), or `from` with an optional `to` (default now), as `vitals report` reads its options.
    private func period(_ parameters: FormParameters, now: Timestamp) throws(APIError) -> Period {
        let period: Period
        if let from = parameters["from"] {
            guard parameters["since"] == nil else { throw APIError(.badData, "use either since or from/to, not both") }
            guard let start = RFC3339.parse(from) else { throw .invalidParameter("from", "cannot parse \"\(from)\" as an RFC 3339 time") }
            let end =
                try parameters["to"].map { text throws(APIError) in
                    guard let end = RFC3339.parse(text) else { throw .invalidParameter("to", "cannot parse \"\(text)\" as an RFC 3339 time") }
                    return end
                } ?? now
            guard start < end else { throw .invalidParameter("from", "must be before \(parameters["to"] == nil ? "now (\(now))" : "to")") }
            period = Period(from: start, to: end)
        } else {
            let text = parameters["since"] ?? "7d"
            let span: TimeSpan
            do {
                span = try TimeSpan(parsing: text)
            } catch {
                throw .invalidParameter("since", error.description)
            }
            period = Period.since(span, now: now, timeZone: settings.timeZone)
        }
        guard period.length <= .longestHistory else {
            throw APIError(.badData, "a period is at most \(TimeSpan.longestHistory.years)y (\(TimeSpan.longestHistory.days)d)")
        }
        return period
    }

    private func render(_ build: () async throws -> String) async throws(APIError) -> String {
        do {
            return try await build()
        } catch {
            throw APIError(.internal, "building the report: \(error)")
        }
    }
}
