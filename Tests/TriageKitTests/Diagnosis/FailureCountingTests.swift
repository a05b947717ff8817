import Testing
@testable import TriageKit

/// Failures are counted, not the lines that report them: one failed request logged as a
/// summary line and then as its caller's stack trace, by one thread within moments, is one.
struct FailureCountingTests {
    /// Hibernate's shape: `SqlExceptionHelper` logs the pool timeout (no trace), then the
    /// controller logs the exception with its trace, on the same request thread.
    static func hibernateFailure(thread: String, at second: Int) -> [String] {
        let time = String(format: "2024-12-21 13:26:%02d", second)
        return [
            "\(time),101 WARN  [\(thread)] o.h.e.j.s.SqlExceptionHelper - SQL Error: 0, SQLState: null",
            "\(time),102 ERROR [\(thread)] o.h.e.j.s.SqlExceptionHelper - HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            "\(time),140 ERROR [\(thread)] c.e.orders.OrderController - order failed",
            "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA EntityManager for transaction",
            "\tat org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:467)",
            "Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.",
            "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
        ]
    }

    static func occurrences(_ lines: [String]) throws -> (Int, Int) {
        let report = Analyze.report(Analyze.lines(lines))
        let finding = try #require(report.findings.first { $0.rule == "connection-leak" })
        let signal = try #require(finding.evidence.first { $0.signal == "hikari-pool-timeout" })
        return (finding.facts.occurrences, signal.count)
    }

    @Test func aSummaryLineAndItsTraceAreOneFailure() throws {
        var lines: [String] = []
        for second in 0..<3 { lines += Self.hibernateFailure(thread: "http-nio-8080-exec-\(second + 1)", at: second) }
        let (occurrences, count) = try Self.occurrences(lines)
        #expect(occurrences == 3)
        #expect(count == 3)
    }

    @Test func twoThreadsFailingAtOnceAreTwoFailures() throws {
        let lines = Self.hibernateFailure(thread: "http-nio-8080-exec-1", at: 5) + Self.hibernateFailure(thread: "http-nio-8080-exec-2", at: 5)
        #expect(try Self.occurrences(lines) == (2, 2))
    }

    @Test func oneThreadFailingAgainLaterIsASecondFailure() throws {
        let lines = Self.hibernateFailure(thread: "worker-1", at: 1) + Self.hibernateFailure(thread: "worker-1", at: 9)
        #expect(try Self.occurrences(lines) == (2, 2))
    }

    @Test func repeatedSummaryLinesWithoutTracesAreEachAFailure() throws {
        // A retry loop logging each failed attempt, no traces: every attempt failed.
        let lines = (0..<4).map { "2024-12-21 13:26:0\($0),100 ERROR [worker-1] c.e.Job - HikariPool-1 - Connection is not available, request timed out after 30000ms." }
        #expect(try Self.occurrences(lines) == (4, 4))
    }

    @Test(arguments: [
        ("2024-12-21 13:26:03,117 ERROR [http-nio-8080-exec-5] c.e.X - m", "http-nio-8080-exec-5"),
        ("2024-12-21 13:26:03.117  WARN 1 --- [nio-8080-exec-1] c.e.Api : m", "nio-8080-exec-1"),
        ("[2024-12-21 13:26:03,117] [ERROR] [pool-2-thread-3] c.e.X - m", "pool-2-thread-3"),
        ("21-Dec-2024 13:26:03.117 SEVERE [main] org.apache.X.y m", "main"),
        ("[12/21/24 13:26:03:117 CST] 0000002a SystemErr     R java.net.SocketException: x", "0000002a"),
        ("2024-12-21 13:26:03,117 ERROR c.e.X - no thread here", nil),
    ] as [(String, String?)])
    func readsTheThreadFromTheHeader(_ line: String, _ thread: String?) {
        let webSphere = line.hasPrefix("[12/")
        #expect(Array(line.utf8).withUnsafeBytes { RecordFacts.thread(inHeader: $0, webSphere: webSphere) } == thread)
    }
}
