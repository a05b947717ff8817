import Foundation
import Testing
@testable import TriageKit

/// `triage diff`: a healthy capture of the Windows order service (the day before, a few
/// sockets, a wider port range) against the incident's, and one capture split at a time.
struct ReportDiffTests {
    static func captures() throws -> URL {
        let folder = try TestPaths.temporaryDirectory()
        let before = folder.appending(path: "before"), after = folder.appending(path: "after")
        let sample = TestPaths.samples.appending(path: "windows-port-exhaustion")
        try FileManager.default.copyItem(at: sample, to: after)
        try FileManager.default.createDirectory(at: before, withIntermediateDirectories: true)
        try ProcessRunner.shell("gzip -dc '\(sample.appending(path: "order-service.2024-12-20.log.gz").path)' > '\(before.path)/order-service.log'")
        try """

            Protocol tcp Dynamic Port Range
            ---------------------------------
            Start Port      : 10000
            Number of Ports : 55535

            """.write(to: before.appending(path: "dynamicport.txt"), atomically: true, encoding: .utf8)
        var table = "\nActive Connections\n\n  Proto  Local Address          Foreign Address        State           PID\n"
        table += "  TCP    0.0.0.0:8080           0.0.0.0:0              LISTENING       5120\n"
        for port in 0..<3 { table += "  TCP    10.20.1.42:\(50_100 + port)      10.20.1.15:8080        ESTABLISHED     5120\n" }
        for port in 0..<2 { table += "  TCP    10.20.1.42:\(50_200 + port)      10.20.1.15:8080        TIME_WAIT       0\n" }
        try table.write(to: before.appending(path: "netstat-ano-1200.txt"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func aHealthyCaptureAgainstTheIncident() throws {
        let folder = try Self.captures()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ProcessRunner.triage(["diff", "before", "after", "--format", "json"], directory: folder)
        #expect(result.status == 0, "\(result.standardError)")
        let diff = try JSONDecoder().decode(ReportDiff.self, from: Data(result.standardOutput.utf8))
        let exhaustion = try #require(diff.findings.first { $0.rule == "ephemeral-port-exhaustion" })
        #expect(exhaustion.change == .new && exhaustion.occurrencesAfter == 208 && exhaustion.destination == "inventory.internal:8080")
        let timeWait = try #require(diff.sockets.first { $0.state == "TIME_WAIT" && $0.destination == "10.20.1.15:8080" })
        #expect(timeWait.before == 2 && timeWait.after == 16_318)
        #expect(diff.settings.contains { $0.name == "ephemeral port range" && $0.before == "10000–65534" && $0.after == "49152–65535" })
        #expect(diff.exceptions.contains { $0.change == .new && $0.countAfter == 174 && $0.exception.contains("No buffer space available") })
        #expect(diff.pools.contains { $0.pool == "http-nio-8080-exec-*" && $0.before.isEmpty && $0.after["WAITING"] == 32 })
        let text = try ProcessRunner.triage(["diff", "before", "after", "--width", "0"], directory: folder).standardOutput
        #expect(text.hasPrefix("triage diff: 1 new root cause, 0 gone, 0 changed\n"))
        #expect(text.contains("  TIME_WAIT → 10.20.1.15:8080: 2 → 16,318\n"))
        let markdown = try ProcessRunner.triage(["diff", "before", "after", "--format", "markdown"], directory: folder).standardOutput
        #expect(markdown.contains("| new | CRITICAL | Ephemeral ports exhausted by connection churn | inventory.internal:8080 | – → 0.99 | 0 → 208 |"))
        // The other way round, the cause is gone.
        let back = try ProcessRunner.triage(["diff", "after", "before", "--format", "json"], directory: folder)
        let reverse = try JSONDecoder().decode(ReportDiff.self, from: Data(back.standardOutput.utf8))
        #expect(reverse.findings.first { $0.rule == "ephemeral-port-exhaustion" }?.change == .gone)
    }

    @Test func oneCaptureSplitAtATime() throws {
        let result = try ProcessRunner.triage(["diff", "samples/windows-port-exhaustion/", "--before-until", "2024-12-21 13:00",
                                               "--after-since", "2024-12-21 13:00", "--format", "json"])
        #expect(result.status == 0)
        let diff = try JSONDecoder().decode(ReportDiff.self, from: Data(result.standardOutput.utf8))
        #expect(diff.before.records == 270 && diff.after.records == 525)
        let exhaustion = try #require(diff.findings.first { $0.rule == "ephemeral-port-exhaustion" })
        // Before 13:00 only the socket table (it has no time, so both sides keep it) points at it.
        #expect(exhaustion.change == .changed && exhaustion.occurrencesBefore == 1 && exhaustion.occurrencesAfter == 208)
        let storm = try #require(diff.exceptions.first { $0.countAfter == 174 })
        #expect(storm.change == .new)
        #expect(storm.perMinuteAfter.map { abs($0 - 174.0 / 46) < 0.01 } == true, "174 in the 46 minutes of the after side's records")
    }

    @Test(arguments: [
        (["diff", "a"], "diff compares two captures: give BEFORE and AFTER"),
        (["diff", "a", "--before-until", "2024-12-21 13:00"], "--before-until and --after-since go together"),
        (["diff", "a", "--before-until", "2024-12-21 13:00", "--after-since", "2024-12-21 12:00"], "the two sides would overlap"),
        (["diff", "a", "b", "--format", "html"], "diff writes text, markdown or json"),
        (["diff", "a", "--before-until", "13:00", "--after-since", "14:00"], "--before-until needs a date and time"),
    ])
    func usageErrorsSayWhatToDo(_ arguments: [String], _ message: String) throws {
        let result = try ProcessRunner.triage(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }
}
