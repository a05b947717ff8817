import Testing
@testable import TriageKit

@Suite struct FindingRankerTests {
    @Test func noisyOrClosesPartOfTheRemainingDoubtPerSignal() {
        #expect(FindingRanker.noisyOr([]) == 0)
        #expect(abs(FindingRanker.noisyOr([0.8]) - 0.8) < 1e-9)
        #expect(abs(FindingRanker.noisyOr([0.8, 0.15]) - 0.83) < 1e-9)
        #expect(abs(FindingRanker.noisyOr([0.5, 0.5, 0.5]) - 0.875) < 1e-9)
    }

    static let windowsStorm = Analyze.lines([
        "2024-12-21 13:26:03,117 ERROR [exec-1] c.e.InventoryClient - lookup failed",
        "org.apache.http.conn.HttpHostConnectException: Connect to 10.20.1.15:8080 [/10.20.1.15] failed: No buffer space available (maximum connections reached?): connect",
        "\tat org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:156)",
        "Caused by: java.net.SocketException: No buffer space available (maximum connections reached?): connect",
        "\tat java.net.DualStackPlainSocketImpl.connect0(Native Method)",
        "2024-12-21 13:27:03,117 ERROR [exec-2] c.e.SearchClient - search failed",
        "org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool",
        "\tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:316)",
        "2024-12-21 13:28:03,117 ERROR [exec-3] c.e.RiskClient - risk failed",
        "java.net.SocketTimeoutException: Read timed out",
        "\tat java.net.SocketInputStream.socketRead0(Native Method)",
    ])

    @Test func ranksBySeverityThenConfidence() throws {
        let report = Analyze.report(FindingRankerTests.windowsStorm)
        #expect(report.findings.map(\.rule) == ["ephemeral-port-exhaustion", "connection-leak", "pool-saturation", "socket-timeout"])
        let exhaustion = try #require(report.findings.first)
        #expect(exhaustion.confidence == 0.82)
        #expect(exhaustion.evidence.map(\.signal) == ["windows-no-buffer-space", "httpclient4-connect"])
        #expect(exhaustion.facts.destinations == [Tally(key: "10.20.1.15:8080", count: 1)])
        #expect(exhaustion.guidance.appliedVariants == ["HttpClient 4"])
    }

    @Test func aPoolTimeoutAloneIsUndeterminedBetweenLeakAndSaturation() throws {
        let report = Analyze.report(FindingRankerTests.windowsStorm)
        let leak = try #require(report.findings.first { $0.rule == "connection-leak" })
        #expect(!leak.determined)
        #expect(leak.alternatives == ["pool-saturation"])
        #expect(leak.note?.contains("jstack") == true)
        #expect(leak.confidence <= Rule.undeterminedConfidenceCap)
        let saturation = try #require(report.findings.first { $0.rule == "pool-saturation" })
        #expect(!saturation.determined)
        // Read timeouts elsewhere in the incident count for saturation, as context.
        #expect(saturation.evidence.map(\.signal) == ["httpclient-pool-timeout", "backend-read-timeouts"])
        #expect(saturation.facts.occurrences == 1)
    }

    @Test func leakDetectionSettlesTheLeak() throws {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:20:00.001  WARN 1 --- [ool-1 housekeeper] com.zaxxer.hikari.pool.ProxyLeakTask : Connection leak detection triggered for conn0 on thread exec-4, stack trace follows",
            "java.lang.Exception: Apparent connection leak detected",
            "\tat com.example.OrderDao.find(OrderDao.java:42)",
            "2024-12-21 13:26:03.117 ERROR 1 --- [nio-8080-exec-9] o.h.engine.jdbc.spi.SqlExceptionHelper : HikariPool-1 - Connection is not available, request timed out after 30000ms.",
        ]))
        let leak = try #require(report.findings.first)
        #expect(leak.rule == "connection-leak")
        #expect(leak.determined)
        #expect(leak.confidence == 0.92)
        #expect(leak.note == nil)
    }

    @Test func explainsEachPlaceInTheRanking() throws {
        let findings = Analyze.report(FindingRankerTests.windowsStorm).findings
        #expect(RankingExplanation.below(findings[0], findings[1], previousRank: 1) == "ranked below #1: severity high < critical")
        #expect(RankingExplanation.below(findings[1], findings[2], previousRank: 2) == "ranked below #2: same severity, confidence 0.52 < 0.60")
    }
}
