import Foundation
import Testing
@testable import TriageKit

/// A time window does what it says, or is refused (issue 13, item 2).
@Suite struct TimeWindowTests {
    /// Records every ten minutes from 10:00 on `day` to 03:50 the day after, a pool timeout each;
    /// then a dump taken at 02:00 and a socket table at 11:00 of the first day.
    static func incident(in folder: URL, gzip: Bool = false) throws {
        var lines: [String] = []
        for step in 0..<108 {
            let minutes = 600 + step * 10
            let day = minutes >= 1440 ? "22" : "21"
            let time = String(format: "2024-12-%@ %02d:%02d:00,000", day, (minutes / 60) % 24, minutes % 60)
            lines += ["\(time) ERROR [http-nio-8080-exec-\(step % 7)] c.e.search.SearchClient - search failed",
                      "org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool",
                      "\tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:316)"]
        }
        let log = Data((lines.joined(separator: "\n") + "\n").utf8)
        if gzip {
            try HostileInputTests.gzip(log).write(to: folder.appending(path: "app.log.gz"))
        } else {
            try log.write(to: folder.appending(path: "app.log"))
        }
        try Analyze.lines(["2024-12-22 02:00:00", "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):", "",
                           "\"http-nio-8080-exec-1\" #31 daemon prio=5 os_prio=0 tid=0x1 nid=0x10 waiting on condition  [0x0]",
                           "   java.lang.Thread.State: WAITING (parking)", "\tat jdk.internal.misc.Unsafe.park(Native Method)"])
            .write(to: folder.appending(path: "jstack.txt"), atomically: true, encoding: .utf8)
        try Analyze.lines(["Sat Dec 21 11:00:00 UTC 2024", "Active Internet connections (servers and established)",
                           "Proto Recv-Q Send-Q Local Address           Foreign Address         State",
                           "tcp 0 0 10.0.0.5:40000 10.0.0.9:443 CLOSE_WAIT"])
            .write(to: folder.appending(path: "netstat.txt"), atomically: true, encoding: .utf8)
    }

    static func json(_ arguments: [String], input: Data? = nil) throws -> (ProcessResult, [String: Any]) {
        let result = try ProcessRunner.triage(["logs", "--format", "json"] + arguments, input: input)
        let object = (try? JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8))) as? [String: Any] ?? [:]
        return (result, object)
    }

    @Test(arguments: [false, true])
    func aBareTimeIsTheLastSuchTimeUpToTheLatestRecord(gzip: Bool) throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.incident(in: folder, gzip: gzip)
        // The latest record is 2024-12-22 03:50: 02:30 is that day's, 13:30 the day before's.
        let (early, report) = try Self.json([folder.path, "--since", "02:30"])
        #expect(early.status == 0)
        let window = try #require(report["window"] as? [String: Any])
        #expect(window["since"] as? String == "2024-12-22 02:30:00.000")
        // 10:00 on the 21st up to 02:20 on the 22nd, and the jstack file's timestamp line (a record of its own).
        #expect(window["recordsLeftOut"] as? Int == 100)
        #expect(window["dumpsLeftOut"] as? Int == 1)
        #expect(window["tablesLeftOut"] as? Int == 1)
        let readings = try #require(window["readings"] as? [String])
        #expect(readings.first == "--since 02:30 read as 2024-12-22 02:30:00.000 (the last 02:30 up to the latest record, 2024-12-22 03:50:00.000)")
        #expect(readings.last == "the inputs span 2024-12-21 10:00:00.000 → 2024-12-22 03:50:00.000: give a date to pick another day")
        let finding = try #require((report["findings"] as? [[String: Any]])?.first)
        #expect((finding["facts"] as? [String: Any])?["occurrences"] as? Int == 9, "02:30 to 03:50")

        let (_, late) = try Self.json([folder.path, "--since", "13:30", "--until", "14:00"])
        let lateWindow = try #require(late["window"] as? [String: Any])
        #expect(lateWindow["since"] as? String == "2024-12-21 13:30:00.000")
        #expect(lateWindow["until"] as? String == "2024-12-21 14:00:00.000")
        #expect(lateWindow["recordsLeftOut"] as? Int == 105, "all but 13:30, 13:40, 13:50 and 14:00")
    }

    @Test func theWindowIsInTheTextReportsHeader() throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.incident(in: folder)
        let result = try ProcessRunner.triage(["logs", folder.path, "--since", "2024-12-21 11:00", "--until", "2024-12-21 12:00",
                                               "--width", "0"])
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines[1] == "window 2024-12-21 11:00:00.000 → 2024-12-21 12:00:00.000: left out 102 records, 1 dump")
    }

    @Test(arguments: [
        (["--since", "2024-12-21 14:00", "--until", "2024-12-21 13:00"], "--since 2024-12-21 14:00:00.000 is after --until 2024-12-21 13:00:00.000"),
        (["--since", "23:00", "--until", "01:00"], "--since 23:00 is after --until 01:00; for a window across midnight give dates"),
    ])
    func aWindowThatCannotHoldAnythingIsAUsageError(_ arguments: [String], _ message: String) throws {
        let result = try ProcessRunner.triage(["logs", HostileInputTests.goodLog] + arguments)
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains(message))
    }

    /// The latest record is found in the layouts the analysis reads, coloured and WebLogic's too:
    /// each log ends on the 22nd, so a bare 00:05 is that day's.
    @Test(arguments: [
        ["\u{1B}[2m2024-12-21 23:50:00.000\u{1B}[0;39m \u{1B}[32m INFO\u{1B}[0;39m 1 --- [main] c.a.App : up",
         "\u{1B}[2m2024-12-22 00:10:00.000\u{1B}[0;39m \u{1B}[31mERROR\u{1B}[0;39m 1 --- [main] c.a.App : down"],
        ["####<Dec 21, 2024 11:50:00 PM CET> <Info> <Health> <h> <s> <t> <<anonymous>> <> <> <1> <BEA-310002> <up>",
         "####<Dec 22, 2024 12:10:00 AM CET> <Error> <Health> <h> <s> <t> <<anonymous>> <> <> <1> <BEA-310002> <down>"],
    ])
    func aBareTimeIsDatedFromColouredAndWebLogicLogs(_ lines: [String]) throws {
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appending(path: "app.log")
        try Analyze.lines(lines).write(to: log, atomically: true, encoding: .utf8)
        let (result, report) = try Self.json([log.path, "--since", "00:05"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect((report["window"] as? [String: Any])?["since"] as? String == "2024-12-22 00:05:00.000")
    }

    @Test func standardInputAloneNeedsADateForABareTime() throws {
        let data = try Data(contentsOf: TestPaths.root.appending(path: HostileInputTests.goodLog))
        let alone = try ProcessRunner.triage(["logs", "-", "--since", "14:20"], input: data)
        #expect(alone.status == 2)
        #expect(alone.standardError.contains("standard input cannot be read twice to find it: give a date"))
        let dated = try ProcessRunner.triage(["logs", "-", "--since", "2024-12-21 14:20"], input: data)
        #expect(dated.status == 0)
        #expect(dated.standardOutput.contains("window 2024-12-21 14:20:00.000 → the end: left out 280 records"))
    }

    @Test func resolvesBareTimesAgainstTheLatestRecord() throws {
        let latest = try #require(LogTimestamp.parse("2024-12-22 03:50"))
        func resolved(_ since: String?, _ until: String?) -> (String?, String?) {
            let window = TimeWindow(since: since.flatMap(LogTimestamp.parse), until: until.flatMap(LogTimestamp.parse)).resolved(latest: latest).window
            return (window.since?.text, window.until?.text)
        }
        #expect(resolved("02:30", nil) == ("2024-12-22 02:30:00.000", nil))
        #expect(resolved("13:30", nil) == ("2024-12-21 13:30:00.000", nil))
        #expect(resolved("23:00", "01:00") == ("2024-12-21 23:00:00.000", "2024-12-22 01:00:00.000"))
        #expect(resolved(nil, "14:00") == (nil, "2024-12-22 14:00:00.000"))
        #expect(resolved("13:30", "2024-12-21 14:00") == ("2024-12-21 13:30:00.000", "2024-12-21 14:00:00.000"))
        #expect(resolved("2024-12-20 08:00", "09:00") == ("2024-12-20 08:00:00.000", "2024-12-20 09:00:00.000"))
    }
}
