import Foundation
import Testing
@testable import TriageKit

/// What people paste into tickets and chats: fragments of dumps and socket tables without their
/// headers, `grep -n` excerpts, exceptions named only inside another's message. Each is read as
/// the whole it came from would be, and its healthy counterpart raises nothing.
@Suite struct PastedShapesTests {
    static func rules(_ report: Report) -> [String] { report.findings.map(\.rule) }

    // MARK: Thread stacks without their header line

    static let deadlockFragment = [
        "   java.lang.Thread.State: BLOCKED (on object monitor)",
        "\tat com.example.Ledger.debit(Ledger.java:42)",
        "\t- waiting to lock <0x00000000c2a4e818> (a com.example.Account)",
        "\t- locked <0x00000000c2a4e828> (a com.example.Account)",
        "\tat com.example.Transfers.run(Transfers.java:17)",
        "",
        "   java.lang.Thread.State: BLOCKED (on object monitor)",
        "\tat com.example.Ledger.credit(Ledger.java:58)",
        "\t- waiting to lock <0x00000000c2a4e828> (a com.example.Account)",
        "\t- locked <0x00000000c2a4e818> (a com.example.Account)",
        "\tat com.example.Transfers.run(Transfers.java:17)",
    ]

    @Test func stacksPastedWithoutTheirHeadersAreThreads() throws {
        let report = Analyze.report(Analyze.lines(Self.deadlockFragment), name: "pasted.txt")
        let dump = try #require(report.dumps.first)
        #expect(dump.threads == 2)
        #expect(dump.states == ["BLOCKED": 2])
        #expect(Self.rules(report) == ["java-deadlock"])
        #expect(dump.deadlocks.first?.members.map(\.thread) == ["unnamed thread 1", "unnamed thread 2"])
    }

    @Test func aHealthyStackPastedAloneRaisesNothing() {
        let report = Analyze.report(Analyze.lines(["   java.lang.Thread.State: RUNNABLE",
                                                   "\tat com.example.Report.render(Report.java:42)",
                                                   "\tat com.example.Report.run(Report.java:17)"]), name: "pasted.txt")
        #expect(report.dumps.first?.threads == 1)
        #expect(report.findings.isEmpty)
    }

    // MARK: Socket rows without their header

    @Test(arguments: [
        ("tcp        0      0 10.0.0.5:%d          10.0.0.9:443            TIME_WAIT", "netstat"),
        ("TIME-WAIT 0      0          10.0.0.5:%d  10.0.0.9:443", "ss"),
        ("  TCP    10.0.0.5:%d      10.0.0.9:443        TIME_WAIT       0", "netstat (Windows)"),
    ])
    func socketRowsWithoutTheirHeaderAreATable(_ row: String, _ tool: String) throws {
        let rows = (40_000..<40_050).map { String(format: row, $0) }
        let report = Analyze.report(Analyze.lines(rows), name: "rows.txt")
        let snapshot = try #require(report.sockets?.snapshots.first)
        #expect(snapshot.sockets == 50)
        #expect(snapshot.tool == tool)
        #expect(snapshot.timeWaitToward.first?.destination == "10.0.0.9:443")
        #expect(report.findings.isEmpty, "50 TIME_WAIT are no exhaustion")
    }

    @Test func aLogLineThatLooksLikeARowIsNot() {
        let report = Analyze.report(Analyze.lines(["TIME spent: 42 ms for 10.0.0.5:41234 10.0.0.9:443",
                                                   "tcp keepalive set on 10.0.0.5:1 10.0.0.9:2 ESTABLISHED later"]))
        #expect(report.sockets == nil)
    }

    /// `netstat -ano | findstr TIME_WAIT` (rows, no header) and `grep -n` excerpts of the log: the
    /// same finding as the whole Windows sample, with the sockets agreeing.
    @Test func theWindowsIncidentPastedAsExcerptsGivesTheSameFinding() throws {
        let sample = TestPaths.samples.appending(path: "windows-port-exhaustion")
        let full = Analysis.run(.init(paths: [sample.path], rules: .builtin)).report
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try ProcessRunner.shell("gzip -dc '\(sample.path)/netstat-ano-1331.txt.gz' | grep TIME_WAIT > findstr.txt", directory: folder)
        try ProcessRunner.shell("grep -n -A3 'No buffer space' '\(sample.path)/order-service.log' | head -40 > grep-n.log", directory: folder)
        let pasted = Analysis.run(.init(paths: [folder.path], rules: .builtin)).report
        let top = try #require(pasted.findings.first)
        #expect(top.rule == full.findings.first?.rule)
        #expect(top.agreement == ["log", "socket"])
        #expect(pasted.sockets?.snapshots.first?.timeWaitToward.first?.destination == full.sockets?.snapshots.first?.timeWaitToward.first?.destination)
        #expect(pasted.exceptions.first?.chain == full.exceptions.first?.chain)
    }

    // MARK: grep prefixes

    @Test(arguments: ["%d:", "order-service.log:%d:", "order-service.log-%d-"])
    func grepPrefixesAreCut(_ prefix: String) throws {
        var lines: [String] = []
        for (index, failure) in [13, 14].enumerated() {
            let base = 1200 + index * 10
            lines += [String(format: prefix, base) + "2024-12-21 13:\(failure):03,117 ERROR [http-nio-8080-exec-3] c.e.order.InventoryClient - lookup failed",
                      String(format: prefix, base + 1) + "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
                      String(format: prefix, base + 2) + "\tat java.net.DualStackPlainSocketImpl.connect0(Native Method)",
                      "--"]
        }
        let report = Analyze.report(Analyze.lines(lines))
        #expect(Self.rules(report) == ["ephemeral-port-exhaustion"])
        #expect(report.findings.first?.facts.occurrences == 2)
        #expect(report.exceptions.first?.count == 2)
        #expect(report.inputs.first?.records == 2)
    }

    @Test func aLogWhoseLinesStartWithDatesIsNotAGrepExcerpt() {
        // `2024-` is digits and a dash: the line as it stands is a header, so nothing is cut.
        let report = Analyze.report(Analyze.lines(["2024-12-21 13:26:03,117 ERROR [main] c.e.X - boom",
                                                   "java.net.SocketException: Connection reset",
                                                   "\tat java.net.SocketInputStream.read(SocketInputStream.java:210)"]))
        #expect(report.inputs.first?.firstSeen?.text == "2024-12-21 13:26:03.117")
        #expect(Self.rules(report) == ["connection-reset"])
    }

    // MARK: Traces flattened, re-indented or not indented

    static let traceLines = [
        "java.lang.RuntimeException: quote failed",
        "at com.example.quotes.QuoteClient.fetch(QuoteClient.java:42)",
        "at com.example.quotes.QuoteJob.run(QuoteJob.java:17)",
        "Caused by: java.net.SocketException: Connection reset",
        "at java.net.SocketInputStream.read(SocketInputStream.java:210)",
        "at java.net.SocketInputStream.read(SocketInputStream.java:141)",
    ]

    static func shaped(_ shape: String) -> String {
        let header = "2024-12-21 13:26:03,117 ERROR [quote-1] c.e.quotes.QuoteJob - run failed"
        switch shape {
        case "flattened": return Analyze.lines([header, Self.traceLines.joined(separator: " ")])
        case "four spaces": return Analyze.lines([header] + Self.traceLines.map { $0.hasPrefix("at ") ? "    " + $0 : $0 })
        case "no indentation": return Analyze.lines([header] + Self.traceLines)
        default: return Analyze.lines([header] + Self.traceLines.map { $0.hasPrefix("at ") ? "\t" + $0 : $0 })
        }
    }

    @Test(arguments: ["flattened", "four spaces", "no indentation"])
    func aTraceInAnyLayoutReadsAsTheTabbedOne(_ shape: String) throws {
        let expected = try #require(Analyze.report(Self.shaped("tabs")).exceptions.first)
        let report = Analyze.report(Self.shaped(shape))
        let group = try #require(report.exceptions.first)
        #expect(group.fingerprint == expected.fingerprint, "\(shape)")
        #expect(group.chain == ["java.lang.RuntimeException", "java.net.SocketException"])
        #expect(group.exception == "java.lang.RuntimeException: quote failed")
        #expect(group.rootCause == "java.net.SocketException: Connection reset")
        #expect(group.frames == expected.frames)
        #expect(Self.rules(report) == ["connection-reset"])
    }

    @Test func proseWithAtIsNoFlattenedTrace() {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 WARN [main] c.e.X - java.lang.IllegalStateException: retry at step 3 (of 5) at noon"]))
        #expect(report.exceptions.isEmpty)
    }

    // MARK: Exceptions named in another's message

    @Test(arguments: [
        (["2024-12-21 13:26:03,117 ERROR [exec-3] c.e.InventoryClient - lookup failed",
          "javax.ws.rs.ProcessingException: java.net.BindException: Address already in use: connect",
          "\tat org.glassfish.jersey.client.internal.HttpUrlConnector.apply(HttpUrlConnector.java:261)"], "ephemeral-port-exhaustion"),
        (["2024-12-21 13:26:03,117 ERROR [exec-3] c.e.ReportClient - report failed",
          "org.springframework.web.client.ResourceAccessException: I/O error on GET request for \"http://10.0.0.9/r\": Read timed out; "
              + "nested exception is java.net.SocketTimeoutException: Read timed out",
          "\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)"], "socket-timeout"),
        (["2024-12-21 13:26:05,117 INFO  [pool-1-thread-3] o.a.http.impl.execchain.RetryExec - I/O exception (java.net.BindException) "
              + "caught when processing request to {}->http://10.0.0.9:8080: Cannot assign requested address (Bind failed)"],
         "ephemeral-port-exhaustion"),
    ] as [([String], String)])
    func anInnerExceptionCountsAsItsOwnCause(_ lines: [String], _ rule: String) {
        #expect(Self.rules(Analyze.report(Analyze.lines(lines))) == [rule])
    }

    @Test func aWrapperOfAHarmlessExceptionRaisesNothing() {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 WARN [exec-3] c.e.Importer - skipped",
            "javax.ws.rs.ProcessingException: java.io.FileNotFoundException: /data/in/42.csv (No such file or directory)",
            "\tat org.glassfish.jersey.client.internal.HttpUrlConnector.apply(HttpUrlConnector.java:261)"]))
        #expect(report.findings.isEmpty)
    }
}
