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
}
