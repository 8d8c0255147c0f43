public import Foundation
public import VitalsHTTP

/// SonarQube's Web API (SonarQube Server and SonarQube Cloud): the token as a bearer token, as SonarQube recommends;
/// errors with SonarQube's own message (`{"errors":[{"msg":...}]}`); the token never in a message.
public struct SonarQubeClient: Sendable {
    public let baseURL: URL
    let token: String
    public let api: RemoteAPI

    public init(baseURL: URL, token: String, api: RemoteAPI = RemoteAPI()) {
        self.baseURL = baseURL
        self.token = token
        self.api = api
    }

    /// `GET api/measures/component`: the project's current measures of `metricKeys`.
    public func measures(of project: String, metricKeys: [String]) async throws -> SonarQubeRecords.Measures {
        try await get("api/measures/component", query: [("component", project), ("metricKeys", metricKeys.joined(separator: ","))])
    }

    /// `GET api/qualitygates/project_status`: the quality gate's status on the project's main branch, with its conditions.
    public func qualityGate(of project: String) async throws -> SonarQubeRecords.QualityGate {
        try await get("api/qualitygates/project_status", query: [("projectKey", project)])
    }

    /// `GET api/authentication/validate`: whether SonarQube accepts the token (`{"valid": true}`).
    public func validate() async throws -> Bool {
        let answer: SonarQubeRecords.Validation = try await get("api/authentication/validate", query: [])
        return answer.valid
    }

    func get<Value: Decodable>(_ path: String, query: [(String, String)]) async throws -> Value {
        var request = HTTPRequest(url: RemoteAPI.url(baseURL, path, query: query))
        request.headers.set("Accept", "application/json")
        request.headers.set("Authorization", "Bearer \(token)")
        let response = try await api.send(request, message: Self.message)
        return try RemoteAPI.decode(Value.self, from: response.body, request: request)
    }

    /// SonarQube's messages from an error body, else the start of the body.
    static func message(_ body: Data) -> String {
        struct Errors: Decodable {
            struct Message: Decodable { let msg: String }
            let errors: [Message]
        }
        if let errors = try? JSONDecoder().decode(Errors.self, from: body), !errors.errors.isEmpty {
            return errors.errors.map(\.msg).joined(separator: "; ")
        }
        return RemoteAPI.excerpt(body)
    }
}

/// The parts of SonarQube's answers vitals reads, named as its Web API documents them.
public enum SonarQubeRecords {
    /// `api/measures/component`: `{"component": {"key": ..., "measures": [{"metric": "coverage", "value": "85.3"}]}}`.
    /// A measure has no `value` when it has only values for the new-code period (`period`).
    public struct Measures: Decodable, Sendable {
        public let component: Component

        public struct Component: Decodable, Sendable {
            public let key: String
            public let measures: [Measure]
        }

        public struct Measure: Decodable, Sendable {
            public let metric: String
            /// SonarQube sends values as strings (`"85.3"`, ratings `"1.0"`).
            public let value: FlexibleNumber?
        }

        /// The value of `metric`, when the project has one.
        public func value(of metric: String) -> Double? {
            component.measures.first { $0.metric == metric }?.value?.value
        }
    }

    /// `api/qualitygates/project_status`: `{"projectStatus": {"status": "ERROR", "conditions": [...]}}`.
    public struct QualityGate: Decodable, Sendable {
        public let projectStatus: Status

        public struct Status: Decodable, Sendable {
            /// OK, WARN (older versions), ERROR, or NONE (no gate, or no analysis yet).
            public let status: String
            public let conditions: [Condition]

            enum CodingKeys: String, CodingKey { case status, conditions }

            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                status = try container.decode(String.self, forKey: .status)
                conditions = try container.decodeIfPresent([Condition].self, forKey: .conditions) ?? []
            }
        }

        public struct Condition: Decodable, Sendable {
            /// OK, WARN or ERROR.
            public let status: String
            public let metricKey: String
        }
    }

    /// `api/authentication/validate`.
    public struct Validation: Decodable, Sendable {
        public let valid: Bool
    }
}
