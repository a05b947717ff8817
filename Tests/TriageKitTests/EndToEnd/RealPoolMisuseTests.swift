import Foundation
import Testing
@testable import TriageKit

/// Debian's real pools misused as applications misuse them (Fixtures/java/PoolMisuse.java):
/// a closed HttpClient and a closed DBCP data source called again, a DBCP pool whose
/// connections are never returned. Each must name its rule, its library's advice and the frame.
@Suite(.serialized, .enabled(if: JavaToolchain.available && JavaToolchain.poolMisuseJars != nil,
                             "needs a JDK and Debian's libhttpclient-java, libcommons-dbcp2-java and libh2-java"))
struct RealPoolMisuseTests {
    private func run(_ mode: String) throws -> (report: Report, log: String) {
        let classes = try JavaToolchain.classes.get()
        let classpath = ([classes.path] + JavaToolchain.poolMisuseJars!).joined(separator: ":")
        let result = try ProcessRunner.run(JavaToolchain.tools!["java"]!, ["-cp", classpath, "PoolMisuse", mode])
        let log = try TestPaths.temporaryDirectory().appending(path: "\(mode).log")
        try result.standardOutput.write(to: log, atomically: true, encoding: .utf8)
        return (Analysis.run(.init(paths: [log.path], rules: .builtin)).report, result.standardOutput)
    }

    @Test func aClosedHttpClientCalledAgain() throws {
        let (report, log) = try run("httpclient-closed")
        #expect(log.contains("java.lang.IllegalStateException: Connection pool shut down"))
        #expect(report.findings.map(\.rule) == ["pool-shut-down"])
        let finding = try #require(report.findings.first)
        #expect(Set(finding.evidence.map(\.signal)) == ["httpclient-pool-shut-down", "httpclient-in-use"])
        #expect(finding.guidance.appliedVariants == ["HttpClient"])
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("PoolMisuse$PriceSync.afterClose(PoolMisuse.java:") == true)
    }

    @Test func aClosedDBCPDataSourceBorrowedFrom() throws {
        let (report, log) = try run("dbcp-closed")
        #expect(log.contains("java.sql.SQLException: Data source is closed"))
        #expect(report.findings.map(\.rule) == ["pool-shut-down"])
        let finding = try #require(report.findings.first)
        #expect(finding.guidance.appliedVariants == ["DBCP"])
        #expect(finding.guidance.references == ["https://commons.apache.org/proper/commons-dbcp/configuration.html"])
        #expect(finding.applicationFrames?.first?.frame.hasPrefix("PoolMisuse$OrderReports.afterClose(PoolMisuse.java:") == true)
    }

    /// Two leases never returned from a pool of two: DBCP's real timeout, its figures in the log
    /// (active 2 of 2), and DBCP's own advice — not HikariCP's, not HttpClient's.
    @Test func aDBCPPoolWhoseConnectionsAreNeverReturned() throws {
        let (report, log) = try run("dbcp-leak")
        #expect(log.contains("Cannot get a connection, pool error Timeout waiting for idle object"))
        let leak = try #require(report.findings.first { $0.rule == "connection-leak" })
        #expect(!leak.determined, "a log alone cannot tell a leak from saturation")
        #expect(leak.evidence.first?.signal == "dbcp-pool-timeout")
        #expect(leak.guidance.appliedVariants == ["DBCP", "JDBC"])
        #expect(leak.guidance.references.first == "https://commons.apache.org/proper/commons-dbcp/configuration.html")
        #expect(!leak.guidance.references.contains { $0.contains("HikariCP") || $0.contains("hc.apache.org") })
        #expect(leak.applicationFrames?.first?.frame.hasPrefix("PoolMisuse$OrderReports.leak(PoolMisuse.java:") == true)
    }
    /// A slow database (issue 16, item 2): DBCP over H2's TCP server, four connections busy in
    /// a query that sleeps, callers timing out behind them. The log's start-up line gives the JDBC
    /// URL and maxTotal; `ss -tanp` shows four ESTABLISHED toward the database and no CLOSE_WAIT:
    /// saturation with its figures, not a leak; the readers are joined to the database.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ss") || FileManager.default.isExecutableFile(atPath: "/bin/ss"),
                   "ss (iproute2) is missing: the socket side cannot be taken"))
    func aSlowDatabaseSaturatesItsPool() throws {
        let jvm = try JavaToolchain.launch(["PoolMisuse", "dbcp-saturated"])
        defer { jvm.stop() }
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try jvm.jstack(to: directory.appending(path: "jstack-1.txt"))
        Thread.sleep(forTimeInterval: 1.0)
        try jvm.jstack(to: directory.appending(path: "jstack-2.txt"))
        // This JVM's sockets only (the header kept): other tests' JVMs run alongside, and one of
        // them leaks connections into CLOSE_WAIT on the same loopback on purpose.
        let ss = try ProcessRunner.shell("ss -tanp | grep -E '^State|pid=\(jvm.pid),'")
        try ss.standardOutput.write(to: directory.appending(path: "ss-tanp.txt"), atomically: true, encoding: .utf8)
        try jvm.printed.write(to: directory.appending(path: "orders.log"), atomically: true, encoding: .utf8)
        let port = try #require(jvm.printed.firstMatch(of: /jdbc:h2:tcp:\/\/127\.0\.0\.1:(\d+)/)?.output.1)
        let database = "127.0.0.1:\(port)"

        let report = Analysis.run(.init(paths: [directory.path], rules: .builtin)).report
        #expect(report.poolLimits.map(\.route) == [database])
        #expect(report.poolLimits.first?.statement == "maxTotal=4")
        let finding = try #require(report.findings.first)
        #expect(finding.rule == "pool-saturation")
        #expect(!report.findings.contains { $0.rule == "connection-leak" }, "\(report.findings.map(\.rule))")
        let busy = try #require(finding.evidence.first { $0.signal == "established-at-pool-max" })
        #expect(busy.text.hasPrefix("4 ESTABLISHED toward \(database), the pool's per-route maximum (maxTotal=4"))
        let leases = try #require(finding.evidence.first { $0.signal == "busy-leases-in-dump" })
        #expect(leases.text.hasSuffix("they read from \(database) (4 ESTABLISHED, java/\(jvm.pid))"), "\(leases.text)")
        #expect(finding.guidance.appliedVariants.contains("JDBC"))
    }
}
