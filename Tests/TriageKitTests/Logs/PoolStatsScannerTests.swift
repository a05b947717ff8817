import Testing
@testable import TriageKit

/// A pool's own figures, as HikariCP, HttpClient and Druid print them: every connection in use
/// with callers waiting is evidence the pool was exhausted, and the finding shows the figures.
struct PoolStatsScannerTests {
    @Test(arguments: [
        ("HikariPool-1 - Pool stats (total=10, active=10, idle=0, waiting=190)", "HikariPool-1", 10, 10, 0, 190, true),
        ("HikariPool-1 - Timeout failure stats (total=50, active=50, idle=0, waiting=0)", "HikariPool-1", 50, 50, 0, 0, true),
        ("HikariPool-2 - After cleanup  stats (total=10, active=2, idle=8, waiting=0)", "HikariPool-2", 2, nil, 8, 0, false),
        ("java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30001ms (total=10, active=10, idle=0, waiting=17)",
         "HikariPool-1", 10, 10, 0, 17, true),
    ] as [(String, String?, Int, Int?, Int?, Int?, Bool)])
    func readsHikariCP(_ line: String, _ pool: String?, _ active: Int, _ maximum: Int?, _ idle: Int?, _ waiting: Int?, _ exhausted: Bool) throws {
        let stats = try #require(PoolStatsScanner.stats(in: line, source: "app.log", line: 7))
        #expect(stats.pool == pool && stats.active == active && stats.maximum == maximum && stats.idle == idle && stats.waiting == waiting)
        #expect(stats.exhausted == exhausted)
    }

    @Test func readsHttpClientAndDruidAndInUseShapes() throws {
        let http = try #require(PoolStatsScanner.stats(
            in: "Connection request: [route: {s}->https://api.example.com:443][total available: 0; route allocated: 2 of 2; total allocated: 20 of 20]",
            source: "a", line: 1))
        #expect(http.pool == "api.example.com:443" && http.active == 2 && http.maximum == 2 && http.idle == 0 && http.exhausted)
        let spare = try #require(PoolStatsScanner.stats(
            in: "Connection leased: [id: 7][route: {}->http://10.0.0.7:9200][total available: 3; route allocated: 4 of 10; total allocated: 4 of 20]",
            source: "a", line: 2))
        #expect(!spare.exhausted)
        let druid = try #require(PoolStatsScanner.stats(
            in: "com.alibaba.druid.pool.GetConnectionTimeoutException: wait millis 60000, active 50, maxActive 50, creating 0", source: "a", line: 3))
        #expect(druid.active == 50 && druid.maximum == 50 && druid.exhausted)
        // Druid timing out with no connection active: the database is slow to connect, the pool is not full.
        let connecting = try #require(PoolStatsScanner.stats(
            in: "GetConnectionTimeoutException: wait millis 60000, active 0, maxActive 100, creating 1", source: "a", line: 4))
        #expect(!connecting.exhausted)
        let inUse = try #require(PoolStatsScanner.stats(in: "pool orders: inUse=20, avail=0, waiting=14, max=20", source: "a", line: 5))
        #expect(inUse.active == 20 && inUse.idle == 0 && inUse.waiting == 14 && inUse.exhausted)
        #expect(PoolStatsScanner.stats(in: "processed total=10 records, active users=3", source: "a", line: 6) == nil)
    }

    @Test func theFindingShowsThePoolsFigures() throws {
        var lines = ["2024-12-21 13:25:30.001 DEBUG 1 --- [ool-1 housekeeper] com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Pool stats (total=10, active=4, idle=6, waiting=0)"]
        for second in 0..<3 {
            lines.append("2024-12-21 13:26:0\(second).001 DEBUG 1 --- [ool-1 housekeeper] com.zaxxer.hikari.pool.HikariPool : HikariPool-1 - Pool stats (total=10, active=10, idle=0, waiting=\(60 * (second + 1)))")
        }
        lines.append("2024-12-21 13:26:05.117 ERROR 1 --- [nio-8080-exec-9] o.h.engine.jdbc.spi.SqlExceptionHelper : HikariPool-1 - Connection is not available, request timed out after 30000ms.")
        let report = Analyze.report(Analyze.lines(lines))
        let leak = try #require(report.findings.first { $0.rule == "connection-leak" })
        let stats = try #require(leak.evidence.first { $0.signal == "pool-stats-exhausted" })
        #expect(stats.text == "HikariPool-1: (total=10, active=10, idle=0, waiting=180): every connection in use, 180 callers waiting (3 of 4 lines like it)")
        #expect(stats.line == 4)
        #expect(stats.context)
    }
}
