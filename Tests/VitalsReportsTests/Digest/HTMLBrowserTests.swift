import Foundation
import Testing
import VitalsCore
import VitalsReports

/// The HTML digest in a real browser: Debian's `chromium-headless-shell` (installed by `scripts/setup --test`) loads each
/// shipped report, a measuring script added for the test writes every chart's size and any script error into the DOM,
/// and a screenshot is taken.
@Suite struct HTMLBrowserTests {
    static let browser = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Records errors from the first moment, and on load the rendered size of every chart.
    static let probe = """
        <script>window.addEventListener('error', e => { document.documentElement.dataset.errors = (document.documentElement.dataset.errors || '') + e.message + ';' });
        window.addEventListener('load', () => { document.documentElement.dataset.charts = [...document.querySelectorAll('svg.chart')]
          .map(s => { const b = s.getBoundingClientRect(); return Math.round(b.width) + 'x' + Math.round(b.height) }).join(' ') });</script>
        """

    func chromium(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.browser!)
        process.arguments = ["--no-sandbox", "--disable-gpu", "--headless", "--window-size=1200,1600"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: browser != nil, "chromium-headless-shell is not installed (scripts/setup --test)"))
    func everyShippedReportRendersWithChartsAndNoScriptErrors() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, (name, digest)) in try await ShippedReportStores.allDigests().enumerated() {
            let html = try HTMLRenderer().render(digest)
            // Self-contained: no script of its own and nothing to fetch.
            #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("http://") && !html.contains("https://"), "\(name)")
            let page = folder.appendingPathComponent("\(index).html")
            try html.replacingOccurrences(of: "<head>", with: "<head>" + Self.probe).write(to: page, atomically: true, encoding: .utf8)
            let dom = try chromium(["--dump-dom", page.absoluteString])
            #expect(!dom.contains("data-errors"), "\(name): script errors")
            let charts = try #require(dom.firstMatch(of: /data-charts="([^"]*)"/).map { String($0.1) }, "\(name): the probe did not run")
            let sizes = charts.split(separator: " ")
            #expect(sizes.count == digest.sections.flatMap(\.rows).count, "\(name): one chart per row")
            #expect(sizes.allSatisfy { $0 == "160x36" }, "\(name): \(sizes.prefix(3))")
            let shot = folder.appendingPathComponent("\(index).png")
            _ = try chromium(["--screenshot=\(shot.path)", page.absoluteString])
            let png = try Data(contentsOf: shot)
            #expect(png.count > 5_000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "\(name): screenshot")
        }
    }
}
