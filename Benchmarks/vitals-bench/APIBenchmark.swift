import Foundation
import ServiceLifecycle
import VitalsCore
import VitalsHTTP
import VitalsServer
import VitalsStore

/// `GET /metrics` and `GET /api/v1/query` of a selector over 10,000 series, through a real socket to the server running in
/// this process (libcurl client, as a scraper or Grafana would ask). The store holds an hour of 1-minute samples per series
/// (600,000 samples); the query's selector matches all 10,000 series and answers each with its newest sample.
struct APIBenchmark {
    let folder: URL
    let series = 10_000
    let minutes = 60
    let end = RFC3339.parse("2026-11-25T08:00:00Z")!
    let runs = 20

    func run() async throws {
        let store = try await SQLiteMetricStore(path: folder.appendingPathComponent("api.db").path, timeZone: .gmt, retention: .days(4000))
        for minute in 0..<minutes {
            let time = end.subtracting(.minutes(Int64(minutes - 1 - minute)))
            try await store.write(
                (0..<series).map { index in
                    Sample(
                        "bench_build_seconds", ["repo": "repo\(index / 100)", "job": "job\(index % 100)"], kind: .gauge, unit: .seconds,
                        at: time, value: Double(index % 977) + Double(minute) / 7)
                })
        }
        try await store.checkpoint()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let settings = ReportSettings(timeZone: .gmt, sources: [], reportsDirectory: folder.path, channels: [])
        let service = VitalsServer.application(
            store: store, alerts: store, outbox: nil, rules: [], reports: settings, metrics: VitalsMetrics(), version: "bench",
            listen: ListenAddress(host: "127.0.0.1", port: 0), now: { [end] in end }, onListening: { continuation.yield($0) })
        let server = Task { try await service.run() }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw BenchError("the server did not start") }
        let transport = CurlTransport()
        print("  \(series) series × \(minutes) samples; \(runs) requests each over a real socket (libcurl), first one not counted")
        var met = true
        for (title, path, marker) in [
            ("GET /metrics", "/metrics", "\nbench_build_seconds{"),
            (
                "GET /api/v1/query?query=bench_build_seconds", "/api/v1/query?query=bench_build_seconds",
                #"{"metric":{"__name__":"bench_build_seconds""#
            ),
        ] {
            let request = HTTPRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            let first = try await transport.send(request)
            let found = String(decoding: first.body, as: UTF8.self).components(separatedBy: marker).count - 1
            guard first.status == 200, found == series else { throw BenchError("\(path): status \(first.status), \(found) series") }
            let time = try await measureAsync(runs: runs) { _ = try await transport.send(request) }
            line("  \(title) (\(first.body.count / 1024) KiB)", "median \(format(time.median * 1000, 1)) ms, best \(format(time.best * 1000, 1)) ms")
            met = met && time.median < 0.1
        }
        let read = try await measureAsync(runs: 5) { _ = try await store.latestSamples() }
        line("  of which: the store's newest sample of every series", "median \(format(read.median * 1000, 1)) ms")
        line("  target: each under 100 ms (median)", met ? "met" : "NOT met")
    }
}
