import Foundation
import Testing
@testable import TriageKit

/// `--pattern`: layouts the built-in headers do not know, read from the logback / log4j2
/// pattern that wrote them.
struct LogPatternTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var pattern: String
        var line: String
        var time: String?
        var level: LogLevel?
        var message: String?
        var testDescription: String { pattern }
    }

    static let cases = [
        Case(pattern: "%d{dd.MM.yyyy HH:mm:ss.SSS} | %-5level | %thread | %logger - %msg%n",
             line: "14.03.2025 11:15:01.700 | WARN  | http-nio-8080-exec-3 | c.a.Orders - slow call",
             time: "2025-03-14 11:15:01.700", level: .warn, message: "slow call"),
        Case(pattern: "[%X{app}] %d{yyyy/MM/dd-HH:mm:ss.SSS} <%level> {%thread} %logger{20}: %msg%n",
             line: "[orders] 2026/03/09-14:03:34.892 <ERROR> {http-nio-8080-exec-3} Orders: call failed",
             time: "2026-03-09 14:03:34.892", level: .error, message: "call failed"),
        Case(pattern: "%d{ISO8601} [%t] %-5p %c{1} - %m%n",
             line: "2026-03-09 14:03:34,892 [main] INFO  App - started",
             time: "2026-03-09 14:03:34.892", level: .info, message: "started"),
        Case(pattern: "%d{MMM dd, yyyy hh:mm:ss a} %level %msg",
             line: "Mar 09, 2026 02:03:34 PM SEVERE connection lost",
             time: "2026-03-09 14:03:34.000", level: .error, message: "connection lost"),
        Case(pattern: "%d{HH:mm:ss.SSS} %-5level %msg", line: "14:03:34.892 DEBUG cache warm",
             time: "14:03:34.892", level: .debug, message: "cache warm"),
        // Not headers: the literal, the date or the level word differs.
        Case(pattern: "%d{dd.MM.yyyy HH:mm:ss.SSS} | %-5level | %msg", line: "14.03.2025 11:15:01.700 - ERROR - x",
             time: nil, level: nil, message: nil),
        Case(pattern: "%d{dd.MM.yyyy HH:mm:ss.SSS} | %-5level | %msg", line: "\tat com.acme.Orders.call(Orders.java:12)",
             time: nil, level: nil, message: nil),
        Case(pattern: "%d{dd.MM.yyyy HH:mm:ss.SSS} | %-5level | %msg", line: "14.03.2025 11:15:01.700 | 42 | x",
             time: nil, level: nil, message: nil),
    ]

    @Test(arguments: cases)
    func readsTheLayoutItWasGiven(_ expected: Case) throws {
        let pattern = try LogPattern(expected.pattern)
        let bytes = Array(expected.line.utf8)
        let header = bytes.withUnsafeBytes { pattern.parse($0) }
        #expect(header?.timestamp?.text == expected.time)
        #expect(header?.level == expected.level)
        #expect(header.map { String(decoding: bytes[$0.messageStart...], as: UTF8.self) } == expected.message)
    }

    @Test(arguments: [
        ("%thread %msg", "has no date"),
        ("%d{yyyy-QQ} %msg", "uses 'QQ'"),
        ("%d{yyyy 'T} %msg", "unclosed quote"),
        ("%logger %d %msg", "starts with free text"),
        ("%d %", "names no conversion"),
    ])
    func refusesWhatItCannotRead(_ pattern: String, _ reason: String) {
        #expect(throws: LogPattern.PatternError.self) { try LogPattern(pattern) }
        do {
            _ = try LogPattern(pattern)
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    static let log = """
        14.03.2025 11:15:01.700 | ERROR | http-nio-8080-exec-3 | c.a.Orders - call failed
        java.net.SocketTimeoutException: Read timed out
        \tat java.net.SocketInputStream.socketRead0(Native Method)
        \tat com.acme.Orders.call(Orders.java:12)
        14.03.2025 11:15:02.001 | INFO  | main | c.a.App - ok

        """

    @Test func theCommandLineReadsRecordsWithThePattern() throws {
        let directory = try TestPaths.temporaryDirectory()
        let custom = Self.log.replacingOccurrences(of: "14.03.2025 ", with: "2025#03#14 ")
        try custom.write(to: directory.appending(path: "app.log"), atomically: true, encoding: .utf8)
        let without = try ProcessRunner.triage(["logs", "--format", "json", "app.log"], directory: directory)
        #expect(without.standardOutput.contains("\"records\" : 1,"))
        let with = try ProcessRunner.triage(["logs", "--format", "json", "--pattern", "%d{yyyy#MM#dd HH:mm:ss.SSS} | %-5level | %thread | %logger - %msg%n",
                                             "app.log"], directory: directory)
        #expect(with.status == 0)
        #expect(with.standardOutput.contains("\"records\" : 2,"))
        #expect(with.standardOutput.contains("\"firstSeen\" : \"2025-03-14 11:15:01.700\""))
        let wrong = try ProcessRunner.triage(["logs", "--pattern", "%d{yyyy-QQ} %msg", "app.log"], directory: directory)
        #expect(wrong.status == 2)
        #expect(wrong.standardError.contains("--pattern '%d{yyyy-QQ} %msg': the date format 'yyyy-QQ' uses 'QQ'"))
    }
}
