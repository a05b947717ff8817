import Testing
@testable import TriageKit

/// Which backend threads read from, as the socket tables can tell it: one endpoint whose
/// ESTABLISHED connections of the same process are as many as the readers, or none.
struct ReaderEndpointTests {
    /// `ss -tanp`: a listener, `db` connections to 10.0.4.7:5432 and `api` ones to 10.0.9.2:443,
    /// by java/4242, and two of another process toward the database.
    static func table(db: Int, api: Int, time: String? = nil) -> [SocketSnapshot] {
        var lines = time.map { [$0] } ?? []
        lines += ["State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
                  "LISTEN 0      100    0.0.0.0:8080        0.0.0.0:*         users:((\"java\",pid=4242,fd=10))"]
        lines += (0..<db).map { "ESTAB  0      0      10.0.1.5:\(40_000 + $0)   10.0.4.7:5432     users:((\"java\",pid=4242,fd=\(20 + $0)))" }
        lines += (0..<api).map { "ESTAB  0      0      10.0.1.5:\(41_000 + $0)   10.0.9.2:443      users:((\"java\",pid=4242,fd=\(90 + $0)))" }
        lines += (0..<2).map { "ESTAB  0      0      10.0.1.5:\(42_000 + $0)   10.0.4.7:5432     users:((\"psql\",pid=777,fd=3))" }
        return SocketTableParserTests.snapshots(lines)
    }

    @Test func namesTheEndpointWithAsManyConnectionsAsReaders() throws {
        let match = try #require(ReaderEndpoint.match(readers: 12, snapshots: Self.table(db: 12, api: 3), processIds: [4242]))
        #expect(match == .init(endpoint: "10.0.4.7:5432", connections: 12, process: "java/4242"))
        // A pool's idle connections beside the readers still fit.
        #expect(ReaderEndpoint.match(readers: 12, snapshots: Self.table(db: 20, api: 3), processIds: [4242])?.endpoint == "10.0.4.7:5432")
    }

    @Test(arguments: [
        (12, 12, 12, [4242], "two endpoints fit alike"),
        (12, 5, 3, [4242], "no endpoint has as many connections as readers"),
        (3, 40, 1, [4242], "forty connections are not three readers'"),
        (2, 2, 0, [999], "another process's connections"),
    ] as [(Int, Int, Int, Set<Int>, String)])
    func namesNoneWhenNoneFits(_ readers: Int, _ db: Int, _ api: Int, _ pids: Set<Int>, _ why: String) {
        #expect(ReaderEndpoint.match(readers: readers, snapshots: Self.table(db: db, api: api), processIds: pids) == nil, "\(why)")
    }

    @Test func aTableOfAnotherHourSaysNothingOfTheseThreads() throws {
        let table = Self.table(db: 12, api: 3, time: "Tue Nov  5 22:40:42 UTC 2026")
        let near = try #require(LogTimestamp.parse("2026-11-05 22:50:00"))
        let later = try #require(LogTimestamp.parse("2026-11-06 02:00:00"))
        #expect(ReaderEndpoint.match(readers: 12, snapshots: table, processIds: [4242], near: near)?.endpoint == "10.0.4.7:5432")
        #expect(ReaderEndpoint.match(readers: 12, snapshots: table, processIds: [4242], near: later) == nil)
    }
}
