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
        #expect(exhaustion.guidance.appliedVariants == ["HttpClient 4", "Windows"])
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
        #expect(saturation.evidence.map(\.signal) == ["httpclient-pool-timeout", "backend-read-timeouts", "httpclient4-pool"])
        #expect(saturation.guidance.appliedVariants == ["HttpClient 4"])
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
        // HikariCP's own advice and documentation first; nothing about HTTP clients.
        #expect(leak.guidance.appliedVariants == ["HikariCP", "JDBC"])
        #expect(leak.guidance.references.first?.contains("HikariCP") == true)
        #expect(!leak.guidance.references.contains { $0.contains("hc.apache.org") })
        #expect(leak.guidance.steps.first?.contains("leakDetectionThreshold") == true)
    }

    @Test func explainsEachPlaceInTheRanking() throws {
        let findings = Analyze.report(FindingRankerTests.windowsStorm).findings
        #expect(RankingExplanation.below(findings[0], findings[1], previousRank: 1) == "ranked below #1: severity high < critical")
        #expect(RankingExplanation.below(findings[1], findings[2], previousRank: 2) == "ranked below #2: same severity, confidence 0.54 < 0.60")
    }
}

/// Independent sources that agree, findings one subsumes, and the bystander an Axis client is
/// when the TIME_WAIT pile up toward someone else's destination.
@Suite struct CorrelationTests {
    static let exhaustedRange = ["net.ipv4.ip_local_port_range = 40000\t40099"]

    static func timeWait(to destination: String, count: Int) -> [String] {
        ["State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process"]
            + (0..<count).map { "TIME-WAIT  0      0         10.20.1.15:\(40000 + $0) \(destination)" }
    }

    static let httpClientFailure = [
        "2024-12-21 13:26:03,117 ERROR [quote-worker-1] c.e.QuoteClient - quote from http://10.20.30.40:8080/quote failed",
        "java.net.BindException: Cannot assign requested address",
        "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
        "\tat org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:142)",
    ]

    static let axisFailure = [
        "2024-12-21 13:26:04,201 ERROR [soap-worker-2] c.e.PaymentGateway - SOAP call to http://10.20.30.77:9080/services/Pay failed",
        "java.net.BindException: Cannot assign requested address",
        "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
        "\tat org.apache.axis.transport.http.HTTPSender.getSocket(HTTPSender.java:191)",
        "\tat org.apache.axis.transport.http.HTTPSender.invoke(HTTPSender.java:138)",
    ]

    @Test func agreeingSourcesHalveTheRemainingDoubt() throws {
        let logOnly = try #require(Analyze.report(Analyze.lines(Self.httpClientFailure)).findings.first)
        #expect(logOnly.confidence == 0.82)   // 1 − (1 − 0.8)·(1 − 0.1)
        #expect(logOnly.agreement == nil)
        let both = try #require(Analyze.report(Analyze.lines(
            Self.httpClientFailure + Self.exhaustedRange + Self.timeWait(to: "10.20.30.40:8080", count: 90))).findings.first)
        #expect(both.rule == "ephemeral-port-exhaustion")
        #expect(both.agreement == ["log", "socket"])
        // noisy-OR 1 − 0.2·0.4·0.9 = 0.928 (the 90% fact counts once, through its heaviest
        // signal), then the doubt halved: 0.964.
        #expect(both.evidence.map(\.signal) == ["linux-cannot-assign-address", "time-wait-near-port-range", "httpclient4-connect", "linux-host"])
        #expect(both.confidence == 0.96)
        #expect(RankingExplanation.confidenceLine(both)?.contains("= 0.93; 2 independent kinds of evidence agree (log, socket): remaining doubt × 0.50 → 0.96") == true)
    }

    @Test func namesTheChurningClientAndTheBystander() throws {
        let report = Analyze.report(Analyze.lines(
            Self.httpClientFailure + Self.axisFailure + Self.exhaustedRange + Self.timeWait(to: "10.20.30.40:8080", count: 95)))
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "ephemeral-port-exhaustion")
        let axis = try #require(finding.evidence.first { $0.signal == "axis1-http-sender" })
        #expect(axis.bystander == true)
        #expect(axis.destinations == [Tally(key: "10.20.30.77:9080", count: 1)])
        #expect(finding.evidence.first { $0.signal == "httpclient4-connect" }?.bystander == nil)
        let attribution = try #require(finding.attribution)
        #expect(attribution.contains { $0.hasPrefix("httpclient4-connect: its records call 10.20.30.40:8080, where the sockets pile up") })
        #expect(attribution.contains { $0.hasPrefix("axis1-http-sender: its records call 10.20.30.77:9080, not 10.20.30.40:8080") && $0.contains("bystander") })
        // The fix is for the HttpClient code; the Axis advice is left out.
        #expect(finding.guidance.appliedVariants == ["HttpClient 4", "Linux"])
    }

    @Test func axisIsTheCauseWhenItsCallsMeetTheTimeWait() throws {
        let finding = try #require(Analyze.report(Analyze.lines(
            Self.axisFailure + Self.exhaustedRange + Self.timeWait(to: "10.20.30.77:9080", count: 95))).findings.first)
        #expect(finding.evidence.first { $0.signal == "axis1-http-sender" }?.bystander == nil)
        #expect(finding.guidance.appliedVariants == ["Axis 1 HTTPSender", "Linux"])
    }

    @Test func aLeakTakesTheCloseWaitBuildUpsPlace() throws {
        let closeWait = ["State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process"]
            + (0..<12).map { "CLOSE-WAIT 1      0         10.20.1.15:\(51000 + $0) 10.20.30.40:9200" }
        let alone = Analyze.report(Analyze.lines(closeWait))
        #expect(alone.findings.map(\.rule) == ["close-wait-buildup"])
        let withPool = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 ERROR [exec-31] c.e.SearchClient - search failed",
            "org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool",
            "\tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:316)",
        ] + closeWait))
        #expect(withPool.findings.map(\.rule) == ["connection-leak"])
        let leak = try #require(withPool.findings.first)
        #expect(leak.determined)
        #expect(leak.evidence.map(\.signal).contains("close-wait-toward-route"))
    }
}

@Suite struct LibraryGuidanceTests {
    @Test func namesHttpClient5WhenItsLeaseTimesOut() throws {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 ERROR [exec-7] c.e.CatalogClient - catalog lookup failed",
            "org.apache.hc.client5.http.impl.classic.RequestFailedException: Request execution failed",
            "Caused by: org.apache.hc.core5.util.DeadlineTimeoutException: Deadline: 2024-12-21T13:26:03.117+0000, 30000 MILLISECONDS overdue",
            "\tat org.apache.hc.core5.pool.StrictConnPool.lease(StrictConnPool.java:178)",
            "\tat org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager.lease(PoolingHttpClientConnectionManager.java:298)",
        ]))
        let leak = try #require(report.findings.first { $0.rule == "connection-leak" })
        #expect(leak.guidance.appliedVariants == ["HttpClient 5"])
        #expect(leak.guidance.steps.first?.contains("HttpClientResponseHandler") == true)
    }
}
