import Foundation
import VitalsCore

/// Reads Prometheus' answers to instant queries, as its HTTP API documents them:
/// `{"status":"success","data":{"resultType":"vector","result":[{"metric":{…},"value":[<unix time>,"<value>"]}]}}`,
/// `{"status":"success","data":{"resultType":"scalar","result":[<unix time>,"<value>"]}}`, and
/// `{"status":"error","errorType":"<type>","error":"<message>"}`.
enum PrometheusQueryResult {
    struct Answer: Decodable {
        let status: String
        let data: ResultData?
        let errorType: String?
        let error: String?
    }

    struct ResultData: Decodable {
        let resultType: String
        let result: Result

        enum CodingKeys: String, CodingKey { case resultType, result }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resultType = try container.decode(String.self, forKey: .resultType)
            switch resultType {
            case "vector": result = .vector(try container.decode([Element].self, forKey: .result))
            case "scalar": result = .scalar(try container.decode(Value.self, forKey: .result))
            default: result = .other
            }
        }
    }

    enum Result {
        case vector([Element])
        case scalar(Value)
        case other
    }

    struct Element: Decodable {
        let metric: [String: String]
        let value: Value
    }

    /// `[<unix time>, "<value>"]`: the value is a string, so `NaN`, `+Inf` and `-Inf` can be written.
    struct Value: Decodable {
        let value: Double

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            _ = try container.decode(Double.self)
            let path = container.codingPath + [Index(intValue: container.currentIndex)]
            let text = try container.decode(String.self)
            guard let value = PrometheusQueryResult.value(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "'\(text)' is not a sample value"))
            }
            self.value = value
        }
    }

    /// The place of an item in an array, for error messages.
    struct Index: CodingKey {
        let intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    /// A value as Prometheus writes it (Go's `strconv.FormatFloat`, and `NaN`, `+Inf`, `-Inf`).
    static func value(_ text: String) -> Double? {
        switch text {
        case "NaN": .nan
        case "+Inf", "Inf": .infinity
        case "-Inf": -.infinity
        default: text.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) } ? Double(text) : nil
        }
    }

    /// The samples of a successful answer; an error answer, another shape, or a result type that is not one value per
    /// series is a ``PrometheusError``.
    static func samples(of body: Data, metric: String, at now: Timestamp) throws(PrometheusError) -> [Sample] {
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: body)
        } catch let error as DecodingError {
            throw PrometheusError(describe(error, body: body))
        } catch {
            throw PrometheusError("unexpected answer: \(error)")
        }
        guard answer.status == "success", let data = answer.data else {
            throw PrometheusError("Prometheus answered \(answer.errorType ?? answer.status): \(answer.error ?? "no error message")")
        }
        func sample(_ labels: Labels, _ value: Double) -> Sample? {
            value.isNaN ? nil : Sample(metric, labels, kind: .gauge, unit: .count, at: now, value: value)
        }
        switch data.result {
        case .vector(let elements):
            return elements.compactMap { element in
                sample(Labels(element.metric.filter { $0.key != "__name__" }), element.value.value)
            }
        case .scalar(let value):
            return sample(.empty, value.value).map { [$0] } ?? []
        case .other:
            throw PrometheusError(
                "the result is a \(data.resultType); expected a vector or a scalar (an instant query of one value per series)")
        }
    }

    /// Prometheus' `error` (with its `errorType`) from an error body, else the start of the body.
    static func errorMessage(_ body: Data) -> String {
        if let answer = try? JSONDecoder().decode(Answer.self, from: body), let error = answer.error {
            return "\(answer.errorType ?? "error"): \(error)"
        }
        return RemoteAPI.excerpt(body)
    }

    static func describe(_ error: DecodingError, body: Data) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            "the answer is not JSON (\(body.count) bytes starting \(RemoteAPI.excerpt(body)))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            "unexpected JSON at \(RemoteAPI.path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            "unexpected JSON: \(error)"
        }
    }
}
