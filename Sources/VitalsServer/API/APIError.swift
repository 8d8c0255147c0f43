/// An error of the Prometheus HTTP API, answered as `{"status":"error","errorType":...,"error":...}` with the HTTP status
/// Prometheus gives its type (`web/api/v1/api.go`, `respondError`).
struct APIError: Error, Equatable {
    enum Kind: String {
        /// A parameter that does not parse or is out of range: 400.
        case badData = "bad_data"
        /// The query parsed but could not be evaluated: 422.
        case execution
        /// The query ran past its `timeout`: 503.
        case timeout
        /// The store failed: 500.
        case `internal`
        case notFound = "not_found"
    }

    let kind: Kind
    let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Prometheus' `invalid parameter "NAME": REASON`.
    static func invalidParameter(_ name: String, _ reason: String) -> APIError {
        APIError(.badData, "invalid parameter \"\(name)\": \(reason)")
    }

    var status: Int {
        switch kind {
        case .badData: 400
        case .execution: 422
        case .timeout: 503
        case .internal: 500
        case .notFound: 404
        }
    }

    var body: String {
        var json = JSONText()
        json.raw("{\"status\":\"error\",\"errorType\":")
        json.string(kind.rawValue)
        json.raw(",\"error\":")
        json.string(message)
        json.raw("}")
        return json.text
    }
}
