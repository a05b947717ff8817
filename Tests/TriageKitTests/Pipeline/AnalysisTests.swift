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
