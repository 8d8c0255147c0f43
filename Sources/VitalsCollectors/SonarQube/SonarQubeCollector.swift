public import Foundation
public import VitalsCore
import VitalsHTTP

/// Reads one SonarQube project's measures and quality gate (``SonarQubeSource`` declares what it writes); every sample is
/// a gauge stamped at the collection's `now` and labelled `project`.
public struct SonarQubeCollector: Collector {
    public let source: String
    public let project: String
    public let client: SonarQubeClient
    public let interval: TimeSpan
    public var family: MetricFamily { .quality }
    public var metrics: [String] { SonarQubeSource.definition.writtenMetrics }

    public init(source: String = "sonarqube", project: String, client: SonarQubeClient, interval: TimeSpan = .hours(1)) {
        self.source = source
        self.project = project
        self.client = client
        self.interval = interval
    }

    public func collect(_ request: CollectionRequest) async throws -> [Sample] {
        do {
            let measures = try await client.measures(of: project, metricKeys: SonarQubeSource.measures.map(\.key))
            let gate = try await client.qualityGate(of: project)
            return samples(measures: measures, gate: gate, at: request.now)
        } catch let error as RemoteAPIError {
            throw CollectorError(source: source, error.description)
        } catch let error as HTTPError {
            throw CollectorError(source: source, error.description)
        }
    }

    func samples(measures: SonarQubeRecords.Measures, gate: SonarQubeRecords.QualityGate, at now: Timestamp) -> [Sample] {
        let labels: Labels = ["project": project]
        var samples: [Sample] = SonarQubeSource.measures.compactMap { measure in
            measures.value(of: measure.key).map {
                Sample(
                    measure.metric, labels, kind: .gauge, unit: measure.metric.hasSuffix("_ratio") ? .ratio : .count, at: now,
                    value: $0 * measure.scale)
            }
        }
        func passed(_ status: String) -> Double? {
            switch status {
            case "OK", "WARN": 1
            case "ERROR": 0
            default: nil
            }
        }
        if let ok = passed(gate.projectStatus.status) {
            samples.append(Sample(SonarQubeSource.qualityGateOK, labels, kind: .gauge, unit: .count, at: now, value: ok))
        }
        for condition in gate.projectStatus.conditions {
            guard let ok = passed(condition.status) else { continue }
            samples.append(
                Sample(SonarQubeSource.conditionOK, labels.setting("metric", to: condition.metricKey), kind: .gauge, unit: .count, at: now, value: ok)
            )
        }
        return samples
    }
}
