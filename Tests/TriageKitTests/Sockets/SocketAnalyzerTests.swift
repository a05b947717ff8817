import Testing
@testable import TriageKit

/// What the socket snapshots prove, with their figures: TIME_WAIT per destination against the
/// range (never summed), server-side TIME_WAIT left out, CLOSE_WAIT against the pool's limit,
/// trends across snapshots rather than sums.
struct SocketAnalyzerTests {
    static func ssTable(_ rows: [String]) -> [String] {
        ["State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process"] + rows
    }

    static func timeWait(from port: Int, to destination: String, count: Int) -> [String] {
        (0..<count).map { "TIME-WAIT  0      0         10.20.1.15:\(port + $0) \(destination)" }
    }

    static func closeWait(to destination: String, count: Int, from port: Int = 51000) -> [String] {
        (0..<count).map { "CLOSE-WAIT 1      0         10.20.1.15:\(port + 2 * $0) \(destination)  users:((\"java\",pid=4242,fd=\(80 + $0)))" }
    }

    static func fact(_ report: Report, _ id: String) -> IncidentFact? {
        report.facts.first { $0.id == id }
    }

    @Test func comparesTimeWaitPerDestinationWithTheRangeAndNeverSums() throws {
        let report = Analyze.report(Analyze.lines(
            ["net.ipv4.ip_local_port_range = 40000\t40999"]
                + Self.ssTable(Self.timeWait(from: 40000, to: "10.20.30.40:8080", count: 400)
                    + Self.timeWait(from: 40000, to: "10.20.30.41:8080", count: 350))))
        let fact = try #require(Self.fact(report, "client-time-wait-near-port-range"))
        // 400 of 1,000 ports toward one destination: 40%, not (400 + 350) / 1,000.
        #expect(fact.count == 40)
        #expect(fact.destination == "10.20.30.40:8080")
        #expect(fact.summary.contains("400 client-side TIME_WAIT toward 10.20.30.40:8080 hold 40% of 1,000 usable ports"))
        #expect(fact.summary.contains("ceiling 1,000 ÷ 60 s ≈ 16.7 new connections/s"))
        #expect(fact.evidence.map(\.location) == [SourceLocation(source: "test.log", line: 3), SourceLocation(source: "test.log", line: 1)])
        // Below the rule's 50%: no exhaustion finding from these sockets alone.
        #expect(!report.findings.contains { $0.rule == "ephemeral-port-exhaustion" })
    }

    @Test func raisesExhaustionFromASnapshotNearTheRangeSize() throws {
        let report = Analyze.report(Analyze.lines(
            ["net.ipv4.ip_local_port_range = 40000\t40499"] + Self.ssTable(Self.timeWait(from: 40000, to: "10.20.30.40:8080", count: 480))))
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "ephemeral-port-exhaustion")
        #expect(Self.fact(report, "client-time-wait-near-port-range")?.count == 96)
        // The same fact reaches both rungs of the ladder (≥ 50% and ≥ 20%) and counts once.
        #expect(finding.evidence.map(\.signal) == ["time-wait-near-port-range", "linux-host"])
        #expect(finding.confidence == 0.6)
        #expect(finding.agreement == nil)
    }

    @Test func leavesServerSideTimeWaitOut() throws {
        let report = Analyze.report(Analyze.lines(Self.ssTable(
            ["LISTEN     0      128        10.20.1.15:8080     0.0.0.0:*"]
                + (0..<300).map { "TIME-WAIT  0      0          10.20.1.15:8080 10.20.0.\($0 % 200 + 1):\(40000 + $0)" })))
        #expect(Self.fact(report, "client-time-wait-near-port-range") == nil)
        let snapshot = try #require(report.sockets?.snapshots.first)
        #expect(snapshot.clientTimeWait == 0)
        #expect(snapshot.serverTimeWait == 300)
        #expect(report.findings.isEmpty)
    }

    @Test func findsCloseWaitAtThePoolsPerRouteMaximum() throws {
        let report = Analyze.report(Analyze.lines(
            ["2024-12-21 09:00:01,204 DEBUG [main] org.apache.http.impl.conn.PoolingHttpClientConnectionManager - Connection request: [route: {}->http://search.internal:9200][total kept alive: 0; route allocated: 8 of 8; total allocated: 8 of 20]"]
                + Self.ssTable(Self.closeWait(to: "10.20.30.40:9200", count: 8) + Self.closeWait(to: "10.20.30.41:5432", count: 2, from: 52000))))
        let atMax = try #require(Self.fact(report, "close-wait-at-pool-max"))
        #expect(atMax.count == 8)
        #expect(atMax.summary.contains("equal to the pool's per-route maximum (route allocated: 8 of 8, test.log:1)"))
        let toward = try #require(Self.fact(report, "close-wait-toward-endpoint"))
        #expect(toward.count == 8)
        #expect(toward.summary.contains("held by java/4242"))
        #expect(report.poolLimits.map(\.maxPerRoute) == [8])
        #expect(report.poolLimits.first?.route == "search.internal:9200")
    }

    @Test func doesNotCallCloseWaitBelowThePoolMaximumAPoolLeak() {
        let report = Analyze.report(Analyze.lines(
            ["2024-12-21 09:00:01,204 INFO  [main] com.example.SearchClient - ready: maxPerRoute=20 base=http://10.20.30.40:9200"]
                + Self.ssTable(Self.closeWait(to: "10.20.30.40:9200", count: 6))))
        #expect(Self.fact(report, "close-wait-at-pool-max") == nil)
        #expect(Self.fact(report, "close-wait-toward-endpoint")?.count == 6)
    }

    @Test func followsCloseWaitAcrossSnapshotsInsteadOfSummingThem() throws {
        let first = SocketAnalyzerTests.ssTable(Self.closeWait(to: "10.20.30.40:9200", count: 4))
        let second = SocketAnalyzerTests.ssTable(Self.closeWait(to: "10.20.30.40:9200", count: 9))
        let third = SocketAnalyzerTests.ssTable(Self.closeWait(to: "10.20.30.40:9200", count: 15))
        let analyses = [first, second, third].enumerated().map { Analyze.text(Analyze.lines($0.element), name: "ss-\($0.offset + 1).txt") }
        let report = Analysis.merge(analyses, rules: .builtin)
        let sockets = try #require(report.sockets)
        #expect(sockets.trends == [SocketTrend(state: "CLOSE_WAIT", destination: "10.20.30.40:9200", counts: [4, 9, 15])])
        #expect(Self.fact(report, "close-wait-growing")?.count == 11)
        // The largest snapshot, not the sum (28).
        #expect(Self.fact(report, "close-wait-toward-endpoint")?.count == 15)
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "close-wait-buildup")
        #expect(Set(finding.evidence.map(\.signal)) == ["close-wait-toward-endpoint", "close-wait-growing"])
    }

    @Test func ordersSnapshotsByTheirTimeWhenEveryOneHasIt() throws {
        let late = ["Sat Dec 21 13:25:00 CST 2024"] + Self.ssTable(Self.closeWait(to: "10.20.30.40:9200", count: 12))
        let early = ["Sat Dec 21 13:20:00 CST 2024"] + Self.ssTable(Self.closeWait(to: "10.20.30.40:9200", count: 5))
        let report = Analysis.merge([Analyze.text(Analyze.lines(late), name: "a.txt"), Analyze.text(Analyze.lines(early), name: "b.txt")],
                                    rules: .builtin)
        #expect(report.sockets?.snapshots.map(\.source) == ["b.txt", "a.txt"])
        #expect(report.sockets?.trends.first?.counts == [5, 12])
    }

    @Test func seesAFullPoolOfLiveConnections() throws {
        let report = Analyze.report(Analyze.lines(
            ["2024-12-21 09:00:01,204 INFO  [main] com.example.ReportClient - ready: maxPerRoute=3 base=http://10.20.30.41:8443"]
                + Self.ssTable((0..<3).map { "ESTAB      0      0         10.20.1.15:\(51000 + $0) 10.20.30.41:8443" })))
        #expect(Self.fact(report, "pool-route-busy-no-close-wait")?.count == 3)
        #expect(Self.fact(report, "close-wait-at-pool-max") == nil)
    }

    @Test func flagsTCPTWRecycle() throws {
        let report = Analyze.report("net.ipv4.tcp_tw_recycle = 1\n")
        #expect(Self.fact(report, "tcp-tw-recycle-enabled")?.evidence.first?.location == SourceLocation(source: "test.log", line: 1))
        #expect(report.findings.map(\.rule) == ["tcp-tw-recycle"])
    }

    @Test func namesTheStopGapsTheSettingsLeaveButDoesNotCountThemAsASource() throws {
        let report = Analyze.report(Analyze.lines(
            ["net.ipv4.ip_local_port_range = 40000\t40099", "net.ipv4.tcp_tw_reuse = 0"]
                + Self.ssTable(Self.timeWait(from: 40000, to: "10.20.30.40:8080", count: 95))))
        #expect(Self.fact(report, "tcp-tw-reuse-disabled")?.evidence.first?.location == SourceLocation(source: "test.log", line: 2))
        let finding = try #require(report.findings.first)
        #expect(finding.evidence.map(\.signal) == ["time-wait-near-port-range", "tw-reuse-off", "linux-host"])
        // One source (the socket table); the setting only says which stop-gap is left.
        #expect(finding.agreement == nil)
        #expect(finding.confidence == 0.62)
        let windows = Analyze.report(Analyze.lines([
            "Active Connections", "", "  Proto  Local Address          Foreign Address        State           PID",
            "  TCP    10.20.1.42:49200       10.20.1.15:8080        TIME_WAIT       0",
        ]))
        #expect(Self.fact(windows, "windows-default-time-wait")?.count == 120)
        #expect(Self.fact(windows, "tcp-tw-reuse-disabled") == nil)
    }

    @Test(arguments: [
        ("search.internal:9200", "10.20.30.40:9200", true),
        ("10.20.30.40:9200", "10.20.30.40:9200", true),
        ("10.20.30.41:9200", "10.20.30.40:9200", false),
        ("search.internal:9300", "10.20.30.40:9200", false),
    ])
    func matchesANamedRouteToAnAddressOnTheSamePort(_ route: String, _ endpoint: String, _ expected: Bool) {
        #expect(SocketAnalyzer.sameService(route, endpoint) == expected)
    }
}

/// Pool limits as logs state them.
struct PoolLimitScannerTests {
    @Test(arguments: [
        ("Connection request: [route: {}->http://10.0.0.7:9200][total kept alive: 0; route allocated: 400 of 400; total allocated: 400 of 800]", 400, "10.0.0.7:9200"),
        ("Connection leased: [id: 3][route: {s}->https://api.example.com:443][total available: 0; route allocated: 5 of 5; total allocated: 5 of 25]", 5, "api.example.com:443"),
        ("search client ready: maxTotal=800 maxPerRoute=400 base=http://10.0.0.7:9200", 400, "10.0.0.7:9200"),
        ("cm.setDefaultMaxPerRoute(50) for gateway", 50, nil),
        ("HttpConnectionManagerParams: maxConnectionsPerHost = 20", 20, nil),
    ] as [(String, Int, String?)])
    func readsThePerRouteMaximum(_ text: String, _ maximum: Int, _ route: String?) throws {
        let limit = try #require(PoolLimitScanner.limits(in: text).first)
        #expect(limit.max == maximum)
        #expect(limit.route == route)
    }

    @Test func ignoresLinesWithoutALimit() {
        #expect(PoolLimitScanner.limits(in: "maxPerRoute not set, using defaults").isEmpty)
        // Database pools: HikariCP's configuration dump, DBCP, c3p0, Tomcat JDBC.
        #expect(PoolLimitScanner.limits(in: "maximumPoolSize................10").map(\.statement) == ["maximumPoolSize=10"])
        #expect(PoolLimitScanner.limits(in: "pool: url=jdbc:postgresql://db:5432/x maxTotal=4").map { "\($0.max) \($0.route ?? "-")" } == ["4 db:5432"])
        #expect(PoolLimitScanner.limits(in: "c3p0 maxPoolSize -> 15, minPoolSize -> 3").map(\.max) == [15])
        #expect(PoolLimitScanner.limits(in: "maxTotalConnections=200").isEmpty)
        #expect(PoolLimitScanner.limits(in: "maxActive=-1 (unbounded)").isEmpty)
        #expect(PoolLimitScanner.limits(in: "route allocated: 3").isEmpty)
    }
}

/// A long series of tables, or one table toward thousands of destinations, in bounded memory.
struct SocketSeriesTests {
    static func table(closeWait: Int, line: Int) -> SocketSnapshot {
        var snapshot = SocketSnapshot(source: "netstat.out", line: line, tool: .netstatLinux, time: nil)
        for index in 0..<closeWait {
            snapshot.add(local: SocketEndpoint(host: "10.0.0.1", port: 40000 + index), remote: SocketEndpoint(host: "10.0.0.9", port: 9200),
                         state: .closeWait, process: "java/42", line: line + 1 + index)
        }
        snapshot.finish()
        return snapshot
    }

    @Test func thinsALongSeriesButKeepsTheEndsAndThePeak() {
        var series = SocketSeries(capacity: 8)
        for index in 0..<40 { series.append(Self.table(closeWait: index == 13 ? 90 : 1 + index % 3, line: index * 1000)) }
        #expect(series.snapshots.count <= 8)
        #expect(series.thinned == 40 - series.snapshots.count)
        #expect(series.snapshots.first?.line == 0)
        #expect(series.snapshots.last?.line == 39_000)
        #expect(series.snapshots.contains { $0.line == 13_000 })
        let report = SocketAnalyzer.analyze(snapshots: series.snapshots, settings: KernelSettings(), poolLimits: PoolLimitTable(),
                                            thinned: series.thinned)
        #expect(report.facts.first { $0.id == "close-wait-toward-endpoint" }?.count == 90)
        #expect(report.report?.tablesThinned == series.thinned)
    }

    @Test func keepsTheBusiestDestinationsOfATableTowardThousands() {
        var snapshot = SocketSnapshot(source: "ss.txt", line: 1, tool: .ss, time: nil)
        for index in 0..<5000 {
            let count = index == 4321 ? 50 : 1
            for copy in 0..<count {
                snapshot.add(local: SocketEndpoint(host: "10.0.0.1", port: 30000 + (index * 7 + copy) % 30000),
                             remote: SocketEndpoint(host: "10.1.\(index / 250).\(index % 250)", port: 443),
                             state: .timeWait, process: nil, line: 2 + index)
            }
        }
        snapshot.finish()
        let counter = snapshot.clientByRemote[.timeWait]
        #expect(counter?.counts.count == SocketSnapshot.keptAfterFinish)
        #expect(counter?.total == 5049)
        #expect(snapshot.topRemotes(.timeWait, 1).first?.key == "10.1.17.71:443")
        #expect(snapshot.topRemotes(.timeWait, 1).first?.count == 50)
        #expect(snapshot.location(.timeWait, "10.1.17.71:443").line == 4323)
        #expect(snapshot.firstLine.count <= SocketSnapshot.keptAfterFinish)
    }
}
