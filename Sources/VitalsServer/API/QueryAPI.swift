import Foundation
import VitalsCore
public import VitalsPorts
import VitalsRules

/// The Prometheus HTTP query API over the store and vitals' PromQL evaluator: `/api/v1/query`, `/api/v1/query_range`,
/// `/api/v1/series`, `/api/v1/labels`, `/api/v1/label/NAME/values`, in Prometheus' JSON shapes and with its parameter rules.
struct QueryAPI: Sendable {
    let store: any MetricStore
    /// How far back an instant selector looks when the request gives no `lookback_delta` (Prometheus' default is 5m).
    let lookback: TimeSpan
    let now: @Sendable () -> Timestamp

    /// Prometheus' limit on a range query's points per series (`end - start) / step`).
    static let maximumPoints: Int64 = 11_000

    /// `/api/v1/query`: the value of `query` at `time` (default now).
    func query(_ parameters: FormParameters) async throws(APIError) -> String {
        let time = try parameters.time("time", default: now())
        let expr = try Self.expression(parameters["query"])
        let evaluator = try await evaluator(parameters, for: expr, from: time, through: time)
        func evaluate() throws(APIError) -> EvaluationResult {
            do {
                return try evaluator.evaluator.instant(expr, at: time)
            } catch {
                throw APIError(.execution, error.message)
            }
        }
        var result = try evaluate()
        if try await evaluator.readMissed() { result = try evaluate() }
        var json = JSONText(capacity: 4096)
        json.raw("{\"status\":\"success\",\"data\":{\"resultType\":")
        switch result {
        case .scalar(let value):
            json.raw("\"scalar\",\"result\":")
            json.point(time, value)
        case .vector(let samples):
            json.raw("\"vector\",\"result\":[")
            for (index, sample) in samples.enumerated() {
                json.raw(index == 0 ? "{\"metric\":" : ",{\"metric\":")
                json.labels(sample.labels)
                json.raw(",\"value\":")
                json.point(time, sample.value)
                json.raw("}")
            }
            json.raw("]")
        case .matrix(let series):
            json.raw("\"matrix\",\"result\":")
            Self.matrix(series.map { ($0.labels, $0.points) }, into: &json)
        }
        json.raw("}}")
        return json.text
    }

    /// `/api/v1/query_range`: `query` at `start`, `start + step`, ... up to `end`, as a matrix.
    func queryRange(_ parameters: FormParameters) async throws(APIError) -> String {
        let start = try parameters.requiredTime("start")
        let end = try parameters.requiredTime("end")
        guard start <= end else { throw .invalidParameter("end", "end timestamp must not be before start time") }
        guard let step = try parameters.duration("step") else {
            throw .invalidParameter("step", "cannot parse \"\" to a valid duration")
        }
        guard step.milliseconds > 0 else {
            throw .invalidParameter("step", "zero or negative query resolution step widths are not accepted. Try a positive integer")
        }
        guard (end.milliseconds - start.milliseconds) / step.milliseconds <= Self.maximumPoints else {
            throw APIError(
                .badData, "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        let expr = try Self.expression(parameters["query"])
        guard expr.type == .scalar || expr.type == .instantVector else {
            throw APIError(.badData, "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector")
        }
        let deadline = try parameters.duration("timeout").map { ContinuousClock.now.advanced(by: .milliseconds($0.milliseconds)) }
        let evaluator = try await evaluator(parameters, for: expr, from: start, through: end)
        func evaluate() throws(APIError) -> [Labels: [SamplePoint]] {
            var series: [Labels: [SamplePoint]] = [:]
            var time = start
            while time <= end {
                if let deadline, ContinuousClock.now > deadline {
                    throw APIError(.timeout, "query timed out in expression evaluation")
                }
                let result: EvaluationResult
                do {
                    result = try evaluator.evaluator.instant(expr, at: time)
                } catch {
                    throw APIError(.execution, error.message)
                }
                switch result {
                case .scalar(let value): series[.empty, default: []].append(SamplePoint(time, value))
                case .vector(let samples):
                    for sample in samples { series[sample.labels, default: []].append(SamplePoint(time, sample.value)) }
                case .matrix: preconditionFailure("checked above: the expression is a scalar or an instant vector")
                }
                time = time.adding(step)
            }
            return series
        }
        var series = try evaluate()
        if try await evaluator.readMissed() { series = try evaluate() }
        var json = JSONText(capacity: 4096)
        json.raw("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":")
        Self.matrix(series.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, into: &json)
        json.raw("}}")
        return json.text
    }

    /// `/api/v1/series`: the label sets of the series `match[]` selects (at least one), with data in `[start, end]` when given.
    func series(_ parameters: FormParameters) async throws(APIError) -> String {
        let selectors = parameters.all("match[]")
        guard !selectors.isEmpty else { throw APIError(.badData, "no match[] parameter provided") }
        let matched = try await matchingSeries(parameters, selectors: selectors)
        var json = JSONText(capacity: 64 * matched.count + 64)
        json.raw("{\"status\":\"success\",\"data\":[")
        for (index, labels) in matched.enumerated() {
            if index > 0 { json.raw(",") }
            json.labels(labels)
        }
        json.raw("]}")
        return json.text
    }

    /// `/api/v1/labels`: every label name (with `__name__`) of the series `match[]` selects, or of all series.
    func labelNames(_ parameters: FormParameters) async throws(APIError) -> String {
        let matched = try await matchingSeries(parameters, selectors: parameters.all("match[]"))
        return Self.success(strings: Set(matched.flatMap { $0.pairs.map(\.name) }).sorted())
    }

    /// `/api/v1/label/NAME/values`: every value of label `name` among the series `match[]` selects, or all series.
    func labelValues(_ name: String, _ parameters: FormParameters) async throws(APIError) -> String {
        guard name == "__name__" || PrometheusNames.isLabelName(name) else {
            throw APIError(.badData, "invalid label name: \"\(name)\"")
        }
        let matched = try await matchingSeries(parameters, selectors: parameters.all("match[]"))
        return Self.success(strings: Set(matched.compactMap { $0[name] }).sorted())
    }

    // MARK: Parts

    /// An evaluator whose querier holds the windows `expr` reads from `start` through `end`, read in one go, and how to read
    /// what an evaluation asked for beyond them (a selector without a metric name); when that read anything, the evaluation
    /// is run again.
    private func evaluator(
        _ parameters: FormParameters, for expr: Expr, from start: Timestamp, through end: Timestamp
    ) async throws(APIError) -> (evaluator: Evaluator, readMissed: () async throws(APIError) -> Bool) {
        let lookback = try parameters.duration("lookback_delta") ?? self.lookback
        guard lookback.milliseconds >= 0 else { throw .invalidParameter("lookback_delta", "must not be negative") }
        let querier = StoreSeriesQuerier(store: store)
        do {
            try await querier.prefetch(expr.windows(from: start, through: end, lookback: lookback))
        } catch {
            throw APIError(.internal, "reading the store: \(error)")
        }
        let readMissed: () async throws(APIError) -> Bool = { () async throws(APIError) in
            do {
                return try await querier.readMissed()
            } catch {
                throw APIError(.internal, "reading the store: \(error)")
            }
        }
        return (Evaluator(querier: querier, lookback: lookback), readMissed)
    }

    /// The label sets (with `__name__`) of the stored series any of `selectors` matches (all series when there are none),
    /// sorted, keeping only series with a sample in `[start, end]` when either is given.
    private func matchingSeries(_ parameters: FormParameters, selectors: [String]) async throws(APIError) -> [Labels] {
        let start = try parameters.time("start", default: Timestamp(milliseconds: Int64.min / 2))
        let end = try parameters.time("end", default: Timestamp(milliseconds: Int64.max / 2))
        var matcherSets: [[LabelMatcher]] = []
        for text in selectors {
            let expr: Expr
            do {
                expr = try ExpressionParser.parse(text)
            } catch {
                throw .invalidParameter("match[]", Self.parseError(error))
            }
            guard case .vector(let selector) = expr else {
                throw .invalidParameter("match[]", "1:1: parse error: expected a series selector such as up{job=\"x\"}, got \"\(text)\"")
            }
            matcherSets.append(selector.matchers)
        }
        let names = Set(matcherSets.map { $0.first { $0.name == "__name__" && $0.kind == .equal }?.value })
        var keys: [SeriesKey] = []
        do {
            if matcherSets.isEmpty || names.contains(nil) {
                keys = try await store.series(named: nil).map(\.key)
            } else {
                for name in names.compactMap(\.self).sorted() { keys += try await store.series(named: name).map(\.key) }
            }
        } catch {
            throw APIError(.internal, "reading the store: \(error)")
        }
        var matched = keys.map { (key: $0, labels: $0.labels.setting("__name__", to: $0.name)) }
        if !matcherSets.isEmpty {
            matched = matched.filter { series in matcherSets.contains { $0.allSatisfy { $0.matches(series.labels) } } }
        }
        if parameters["start"] != nil || parameters["end"] != nil {
            let period = Period(from: start, to: end.adding(TimeSpan(milliseconds: 1)))
            let points: [[SamplePoint]]
            do {
                points = try await store.samples(of: matched.map(\.key), in: period)
            } catch {
                throw APIError(.internal, "reading the store: \(error)")
            }
            matched = zip(matched, points).filter { !$1.isEmpty }.map(\.0)
        }
        return matched.map(\.labels).sorted()
    }

    static func expression(_ text: String?) throws(APIError) -> Expr {
        do {
            return try ExpressionParser.parse(text ?? "")
        } catch {
            throw .invalidParameter("query", parseError(error))
        }
    }

    /// `LINE:COLUMN: parse error: MESSAGE`, as Prometheus words a query that does not parse.
    static func parseError(_ error: ExpressionError) -> String {
        "\(error.line):\(error.column): parse error: \(error.message)"
    }

    /// `[{"metric":{...},"values":[[t,"v"],...]},...]`.
    static func matrix(_ series: [(labels: Labels, points: [SamplePoint])], into json: inout JSONText) {
        json.raw("[")
        for (index, element) in series.enumerated() {
            json.raw(index == 0 ? "{\"metric\":" : ",{\"metric\":")
            json.labels(element.labels)
            json.raw(",\"values\":[")
            for (position, point) in element.points.enumerated() {
                if position > 0 { json.raw(",") }
                json.point(point.timestamp, point.value)
            }
            json.raw("]}")
        }
        json.raw("]")
    }

    static func success(strings: [String]) -> String {
        var json = JSONText()
        json.raw("{\"status\":\"success\",\"data\":")
        json.strings(strings)
        json.raw("}")
        return json.text
    }
}
