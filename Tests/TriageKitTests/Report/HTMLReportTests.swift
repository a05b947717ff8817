import Foundation
import Testing
@testable import TriageKit

/// `--format html`: one self-contained page, charts drawn by triage, and nothing from an input
/// able to become an element, an attribute or a script — checked in the text and, where Debian's
/// chromium is installed, in the DOM a real browser builds from it.
struct HTMLReportTests {
    /// A port-exhaustion incident whose messages carry markup, as attacker-controlled request
    /// data does when a service logs it.
    static let hostileLog: String = (0..<6).map { index in
        "2026-03-09 14:0\(index):01,100 ERROR [http-nio-8080-exec-\(index)] c.a.OrderClient - call failed "
            + "<script>alert(\(index))</script> <img src=x onerror=alert('img')> <a href=\"javascript:alert(9)\">retry</a>\n"
            + "java.net.SocketException: No buffer space available (maximum connections reached?): connect "
            + "<iframe src=javascript:alert(1)></iframe>\n"
            + "\tat java.net.PlainSocketImpl.socketConnect(Native Method)\n\tat java.net.Socket.connect(Socket.java:589)\n"
            + "\tat com.acme.<svg onload=alert(2)>.OrderClient.call(OrderClient.java:42)\n"
    }.joined()

    /// Markup that would be live: an element opened, or an event or `javascript:` attribute.
    static let live = ["<script", "<img", "<iframe", "<a href=\"javascript", "onerror=\"", "onload=\"", "<svg onload"]

    static func hostileReport() throws -> (folder: URL, html: String) {
        let folder = try TestPaths.temporaryDirectory()
        try hostileLog.write(to: folder.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let result = try ProcessRunner.triage(["logs", "app.log", "-o", "report.html"], directory: folder)
        #expect(result.status == 0, "\(result.standardError)")
        return (folder, try String(contentsOf: folder.appending(path: "report.html"), encoding: .utf8))
    }

    @Test func markupFromTheInputIsShownAsTextNeverAsMarkup() throws {
        let (folder, html) = try Self.hostileReport()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(html.hasPrefix("<!DOCTYPE html>\n<!-- triage report -->\n"), "-o report.html picks HTML")
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'"))
        for markup in Self.live { #expect(!html.contains(markup), "\(markup) reached the page live") }
        // Shown, escaped: the reader sees what the log said.
        #expect(html.contains("<code>com.acme.&lt;svg onload=alert(2)</code>"), "the exception group's frame, escaped")
        #expect(html.contains("&lt;iframe src=javascript:alert(1)&gt;&lt;/iframe&gt;"))
        #expect(html.contains("Ephemeral ports exhausted by connection churn"))
        // No external asset: the only URLs are the rules' references, as links, and SVG's namespace.
        #expect(!html.contains("src=\"http") && !html.contains("<link") && !html.contains("url("))
    }

    @Test func chartsCarryTheIncidentsFigures() throws {
        let saturation = try ProcessRunner.triage(["logs", "samples/pool-saturation/", "--format", "html"]).standardOutput
        // Thread states per pool, dump by dump; the busiest endpoint's sockets; the timeline with #1 on it.
        #expect(saturation.contains("<title>http-nio-8080-exec-*, dump 2 (samples/pool-saturation/jstack-101412-2.txt:2): 38 TIMED_WAITING</title>"))
        #expect(saturation.contains("<title>10.20.7.7:8443: 20 ESTABLISHED</title>"))
        #expect(saturation.contains("the port range&#39;s 28,232 usable ports are far off this scale"))
        #expect(saturation.contains("<title>#1 Connection pool saturated by a slow backend: first evidence at 2024-12-21 10:02:22.415</title>"))
        #expect(saturation.contains("<title>2024-12-21 10:05:00.000: 26 records, 12 errors</title>"))
        // Windows: 16,318 TIME_WAIT toward one endpoint, against the 16,384-port ceiling drawn as a line.
        let windows = try ProcessRunner.triage(["logs", "samples/windows-port-exhaustion/", "--format", "html"]).standardOutput
        #expect(windows.contains("<title>10.20.1.15:8080: 16,318 TIME_WAIT</title>"))
        #expect(windows.contains("<line class=\"ceiling\""))
        #expect(windows.contains("port range: 16,384 usable ports"))
    }

    @Test func aTimelineStaysBoundedAndLosesNoRecord() {
        // Three days of a record every 20 s, an error every 10th: 12,960 records.
        var counter = RecordTimelineCounter()
        let start = LogTimestamp(year: 2026, month: 3, day: 9, hour: 0, minute: 0, second: 0, millisecond: 0)!
        for index in 0..<12_960 {
            counter.add(LogTimestamp(milliseconds: start.milliseconds + Int64(index) * 20_000, hasDate: true), error: index % 10 == 0)
        }
        let timeline = try! #require(counter.timeline)
        #expect(timeline.minutes == 10, "4,320 minutes fit 720 buckets at 10 minutes")
        #expect(timeline.buckets.count == 432)
        #expect(timeline.buckets.reduce(0) { $0 + $1.records } == 12_960)
        #expect(timeline.buckets.reduce(0) { $0 + $1.errors } == 1_296)
        #expect(timeline.buckets.first?.time == start && timeline.buckets.first?.records == 30)
        // Two inputs' timelines merge at the wider width, keeping every record.
        var other = RecordTimelineCounter()
        other.add(start, error: true)
        let merged = try! #require(RecordTimeline.merged([timeline, other.timeline!]))
        #expect(merged.minutes == 10 && merged.buckets.first?.records == 31 && merged.buckets.first?.errors == 4)
    }

    static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: chromium != nil, "no chromium (Debian's chromium; .ci/run installs it): the browser check is skipped"))
    func aRealBrowserRendersTheFindingsAndRunsNothingFromTheInput() throws {
        let (folder, _) = try Self.hostileReport()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appending(path: "report.html")
        // As root, chromium needs --no-sandbox; the page itself forbids scripts by its policy.
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1100,1600",
                     "--user-data-dir=\(folder.appending(path: "profile").path)"]
        let dom = try ProcessRunner.run(URL(fileURLWithPath: Self.chromium!), flags + ["--dump-dom", page.absoluteString])
        #expect(dom.status == 0, "\(dom.standardError.suffix(400))")
        let tree = dom.standardOutput
        #expect(tree.contains("<h1>triage report</h1>"))
        #expect(tree.contains("Ephemeral ports exhausted by connection churn"))
        #expect(tree.contains("app.log:2"), "the evidence's file:line")
        #expect(tree.contains("&lt;iframe src=javascript:alert(1)&gt;&lt;/iframe&gt;"), "the input's markup shown as text")
        for markup in Self.live { #expect(!tree.contains(markup), "\(markup) in the browser's DOM") }
        #expect(tree.components(separatedBy: "<svg").count - 1 == 1, "the timeline is the only SVG: none from the input")
        let shot = folder.appending(path: "report.png")
        let screenshot = try ProcessRunner.run(URL(fileURLWithPath: Self.chromium!), flags + ["--screenshot=\(shot.path)", page.absoluteString])
        #expect(screenshot.status == 0)
        let png = try Data(contentsOf: shot)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        // A blank page compresses to a few KB; the report with its tables and chart does not.
        #expect(png.count > 40_000, "screenshot of \(png.count) bytes looks blank")
    }
}
