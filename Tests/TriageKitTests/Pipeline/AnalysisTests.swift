import Foundation
import Testing
@testable import TriageKit

@Suite struct AnalysisTests {
    static let storm = FindingRankerTests.windowsStorm

    @Test func countsWhatWasRead() {
        let summary = Analyze.text(AnalysisTests.storm).summary
        #expect(summary.lines == 11)
        #expect(summary.records == 3)
        #expect(summary.traces == 3)
        #expect(summary.causes == 1)
        #expect(summary.levels == ["ERROR": 3])
        #expect(summary.sections == ["log": 1])
        #expect(summary.firstSeen?.text == "2024-12-21 13:26:03.117")
        #expect(summary.lastSeen?.text == "2024-12-21 13:28:03.117")
    }

    @Test func aThreadDumpInsideALogIsNotReadAsLogRecords() {
        let text = Analyze.lines([
            "2024-12-21 13:26:03,117 INFO [main] c.e.App - before the dump",
            "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6-Debian-1deb12u1 mixed mode, sharing):",
            "",
            "\"http-nio-8080-exec-1\" #31 daemon prio=5 os_prio=0 cpu=10.00ms elapsed=100.00s tid=0x00007f nid=0x1f waiting on condition  [0x00007f]",
            "   java.lang.Thread.State: WAITING (parking)",
            "\tat jdk.internal.misc.Unsafe.park(java.base@17.0.15/Native Method)",
            "\tat org.apache.http.pool.AbstractConnPool.getPoolEntryBlocking(AbstractConnPool.java:393)",
            "",
            "2024-12-21 13:26:04,117 INFO [main] c.e.App - after the dump",
        ])
        let summary = Analyze.text(text).summary
        #expect(summary.records == 2)
        #expect(summary.traces == 0)
        #expect(summary.sections == ["log": 2, "hotspot-thread-dump": 1])
    }

    @Test func readsFilesDirectoriesAndGzipTogetherAndReportsWhatItCouldNot() throws {
        let directory = try TestPaths.temporaryDirectory()
        try AnalysisTests.storm.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)
        try ProcessRunner.shell("mkdir old && gzip -c app.log > old/app.log.1.gz && seq 1 100000 | gzip | head -c 20000 > old/cut.gz", directory: directory)
        let result = Analysis.run(.init(paths: [directory.path, "/nonexistent/x.log"], rules: .builtin))
        let statuses = result.report.inputs.map { ($0.source.replacingOccurrences(of: directory.path + "/", with: ""), $0.status) }
        #expect(statuses.map(\.0) == ["app.log", "old/app.log.1.gz", "old/cut.gz", "/nonexistent/x.log"])
        #expect(statuses.map(\.1) == [.analysed, .analysed, .partial, .unreadable])
        #expect(result.problems.count == 2)
        #expect(result.problems.first?.description.contains("old/cut.gz:") == true)
        // Every whole line before the cut is read (the last, unfinished one is not), and the
        // problem names the line after them.
        let wholeLines = try ProcessRunner.shell("gzip -dc old/cut.gz 2>/dev/null | wc -l", directory: directory).standardOutput
        let cut = try #require(result.report.inputs.first { $0.source.hasSuffix("cut.gz") })
        #expect(cut.lines == Int(wholeLines.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(cut.lines > 1000)
        #expect(result.problems.first?.description.contains("old/cut.gz:\(cut.lines + 1)") == true)
        let exhaustion = try #require(result.report.findings.first)
        #expect(exhaustion.rule == "ephemeral-port-exhaustion")
        #expect(exhaustion.facts.occurrences == 2)
        #expect(exhaustion.facts.sources.count == 2)
    }

    @Test func theReportIsTheSameWhateverTheCoreCount() throws {
        let directory = try TestPaths.temporaryDirectory()
        for index in 0..<6 {
            try (AnalysisTests.storm + "2024-12-21 14:0\(index):00,000 ERROR [x] a.B - Too many open files\n")
                .write(to: directory.appending(path: "app\(index).log"), atomically: true, encoding: .utf8)
        }
        func json(_ parallelism: Int) -> String {
            let report = Analysis.run(.init(paths: [directory.path], rules: .builtin, parallelism: parallelism)).report
            return OutputFormat.json.render(report, options: RenderOptions())
        }
        let serial = json(1)
        #expect(serial == json(2))
        #expect(serial == json(4))
    }

    @Test func aTimeWindowLeavesOtherRecordsOut() throws {
        let window = TimeWindow(since: LogTimestamp.parse("2024-12-21 13:27"), until: nil)
        let analysis = Analysis.analyze(text: AnalysisTests.storm, name: "a.log", matcher: Analyze.matcher)
        #expect(analysis.summary.recordsOutsideWindow == 0)
        let url = try TestPaths.temporaryDirectory().appending(path: "a.log")
        try AnalysisTests.storm.write(to: url, atomically: true, encoding: .utf8)
        let windowed = Analysis.analyze(.file(path: url.path), matcher: Analyze.matcher, window: window)
        #expect(windowed.summary.recordsOutsideWindow == 1)
        #expect(windowed.groups.traceCount == 2)
    }

    @Test func exceptionGroupsCountRepeatsOnce() throws {
        let trace = [
            "2024-12-21 13:26:0%d,000 ERROR [exec-%d] c.e.Client - failed",
            "java.net.SocketTimeoutException: Read timed out",
            "\tat java.net.SocketInputStream.socketRead0(Native Method)",
            "\tat c.e.Client.call(Client.java:%d)",
        ].joined(separator: "\n")
        let text = (1...5).map { String(format: trace, $0, $0, 10 + $0) }.joined(separator: "\n") + "\n"
        let groups = Analyze.report(text).exceptions
        let group = try #require(groups.first)
        #expect(groups.count == 1)
        #expect(group.count == 5)
        #expect(group.firstSeen?.text == "2024-12-21 13:26:01.000")
        #expect(group.lastSeen?.text == "2024-12-21 13:26:05.000")
        #expect(group.samples.map(\.line) == [2, 6, 10])
        #expect(group.chain == ["java.net.SocketTimeoutException"])
    }
}

/// The records' deep analysis on a thread of its own gives the very same report as inline.
struct RecordPipelineTests {
    @Test func givesTheSameReportAsInline() throws {
        var lines: [String] = []
        for index in 0..<6_000 {
            let stamp = "2024-12-21 13:\(10 + index / 600):\(String(format: "%02d", index / 10 % 60)),\(String(format: "%03d", index % 1000))"
            if index % 1_000 == 111 {
                // A `kill -3` dump landing in the log: analysed on the records' thread once it
                // has taken over, and still listed in input order.
                lines += ["Full thread dump OpenJDK 64-Bit Server VM (25.202-b08 mixed mode):", ""]
                for thread in 0..<(3 + index / 1_000) {
                    lines += ["\"exec-\(thread)\" #\(30 + thread) daemon prio=5 os_prio=0 tid=0x00007f3c8c\(thread)000 nid=0x\(String(6100 + thread, radix: 16)) waiting on condition [0x00007f3c5d000000]",
                              "   java.lang.Thread.State: WAITING (parking)",
                              "\tat sun.misc.Unsafe.park(Native Method)",
                              "\tat java.util.concurrent.locks.LockSupport.park(LockSupport.java:175)", ""]
                }
            }
            switch index % 9 {
            case 0:
                lines += ["\(stamp) ERROR [exec-\(index % 40)] c.e.InventoryClient - lookup failed for http://10.20.1.15:8080/stock/\(index)",
                          "org.apache.http.conn.HttpHostConnectException: Connect to 10.20.1.15:8080 [/10.20.1.15] failed: No buffer space available (maximum connections reached?): connect",
                          "\tat org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:156)",
                          "Caused by: java.net.SocketException: No buffer space available (maximum connections reached?): connect",
                          "\tat java.net.DualStackPlainSocketImpl.connect0(Native Method)"]
            case 1:
                lines += ["\(stamp) ERROR [exec-\(index % 40)] c.e.SearchClient - search failed",
                          "org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool",
                          "\tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:316)"]
            case 2:
                lines += ["\(stamp) WARN  [exec-\(index % 40)] c.e.RiskClient - risk check slow",
                          "java.net.SocketTimeoutException: Read timed out",
                          "\tat java.net.SocketInputStream.socketRead0(Native Method)",
                          "\tat com.example.RiskClient.check(RiskClient.java:\(index % 300))"]
            case 3:
                lines.append("\(stamp) INFO  [main] c.e.App - pool ready: maxPerRoute=20 base=http://10.20.30.40:9200")
            default:
                lines.append("\(stamp) INFO  [exec-\(index % 40)] c.e.OrderController - order \(index) accepted, \(String(repeating: "x", count: index % 200))")
            }
        }
        let text = Analyze.lines(lines)
        #expect(text.utf8.count > 1 << 20)   // more than one block, so the thread takes over midway
        let inline = Analysis.merge([Analysis.analyze(text: text, name: "app.log", matcher: Analyze.matcher)], rules: .builtin)
        let piped = Analysis.merge([Analysis.analyze(text: text, name: "app.log", matcher: Analyze.matcher, pipelineAfter: 64 << 10)], rules: .builtin)
        let expected = OutputFormat.json.render(inline, options: RenderOptions())
        #expect(OutputFormat.json.render(piped, options: RenderOptions()) == expected)
        #expect(inline.findings.map(\.rule).contains("ephemeral-port-exhaustion"))
        #expect(inline.exceptions.reduce(0) { $0 + $1.count } == 2_001)
        #expect(piped.dumps.map(\.threads) == [3, 4, 5, 6, 7, 8])
    }
}

struct CoreCountTests {
    @Test func countsTheCoresTasksetAllows() {
        let status = "Name:\ttriage\nCpus_allowed:\t00000000,00000005\nCpus_allowed_list:\t0,2\n"
        #expect(System.allowedCores(status: status) == 2)
        #expect(System.allowedCores(status: "Cpus_allowed:\tff\n") == 8)
        #expect(System.allowedCores(status: "Name:\tno mask here\n") == nil)
        #expect(System.coreCount >= 1)
    }
}
