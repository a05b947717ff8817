import Foundation
import Testing
@testable import TriageKit

/// The real socket tables in ../shared/corpus: every TCP row counted by state, exactly (the
/// figures were counted independently with awk over the rows), client and server sides told
/// apart, snapshots of one file kept apart, and the healthy hosts left without a finding.
@Suite(.enabled(if: TestPaths.corpusAvailable, "../shared/corpus is absent: the corpus tests are skipped"))
struct CorpusSocketTests {
    static func report(_ path: String) -> Report {
        Analysis.run(.init(paths: [TestPaths.corpus.appending(path: path).path], rules: .builtin)).report
    }

    static let stateCounts: [(String, String, [String: Int])] = [
        ("sockets/linux_sosreport_netstat_-W_-neopa_coreos-master.txt", "netstat", ["LISTEN": 15, "ESTABLISHED": 13]),
        ("sockets/linux_sosreport_ss_-peaonmi_coreos-master.txt", "ss", ["LISTEN": 15, "ESTABLISHED": 13]),
        ("sockets/windows_netstat_-an_closewait-timewait_Hamed0406.txt", "netstat (Windows)",
         ["LISTEN": 53, "ESTABLISHED": 89, "TIME_WAIT": 2, "CLOSE_WAIT": 1]),
        ("sockets/windows_netstat_-ao_pid_timewait_iChoosr.txt", "netstat (Windows)", ["LISTEN": 30, "ESTABLISHED": 83, "TIME_WAIT": 6]),
        ("sockets/windows_netstat_-b_timewait-closewait-finwait2_LaytonCoombs.txt", "netstat (Windows)",
         ["ESTABLISHED": 41, "TIME_WAIT": 15, "CLOSE_WAIT": 6, "FIN_WAIT2": 4]),
    ]

    @Test(arguments: stateCounts)
    func countsEveryTCPRowByState(_ path: String, _ tool: String, _ states: [String: Int]) throws {
        let report = Self.report(path)
        let snapshot = try #require(report.sockets?.snapshots.first)
        #expect(report.sockets?.snapshots.count == 1)
        #expect(snapshot.tool == tool)
        #expect(snapshot.states == states)
        #expect(report.findings.isEmpty, "a healthy host raised \(report.findings.map(\.rule))")
        #expect(report.inputs.first?.sections["socket-table"] == 1)
    }

    @Test func readsBothSnapshotsOfTheLibertyTimeWaitCapture() throws {
        let report = Self.report("dumps/netstat-an-linperf-liberty-2787-time-wait__webspherelab.out")
        let sockets = try #require(report.sockets)
        #expect(sockets.snapshots.map { $0.states["TIME_WAIT"] } == [276, 2511])   // 2,787 in all
        #expect(sockets.snapshots.map(\.clientTimeWait) == [270, 2426])
        #expect(sockets.snapshots.map(\.serverTimeWait) == [6, 85])
        #expect(sockets.snapshots.map { $0.time?.text } == ["2019-11-05 22:40:42.000", "2019-11-05 22:44:45.000"])
        let busiest = try #require(sockets.snapshots.last?.timeWaitToward.first)
        #expect(busiest.destination == "127.0.0.1:9080")
        #expect(busiest.count == 2426)
        #expect(busiest.line == 705)
        #expect(busiest.percentOfRange == 8)   // of the 28,232 default Linux ports: far from exhaustion
        #expect(sockets.trends.first == SocketTrend(state: "TIME_WAIT", destination: "127.0.0.1:9080", counts: [264, 2426]))
        let fact = try #require(report.facts.first { $0.id == "client-time-wait-near-port-range" })
        #expect(fact.count == 8)
        #expect(!report.findings.contains { $0.rule == "ephemeral-port-exhaustion" })
    }

    @Test func findsTheOneCloseWaitOfTheTWASCapture() throws {
        let report = Self.report("dumps/netstat-an-linperf-twas-close-wait__webspherelab.out")
        let sockets = try #require(report.sockets)
        #expect(sockets.snapshots.map { $0.states["TIME_WAIT"] } == [141, 1126])
        let last = try #require(sockets.snapshots.last)
        #expect(last.states["CLOSE_WAIT"] == 1)
        #expect(last.states["FIN_WAIT2"] == 1)
        let closeWait = try #require(last.closeWaitToward.first)
        #expect(closeWait.destination == "127.0.0.1:8880")
        #expect(closeWait.line == 1404)
        #expect(closeWait.processes == [Tally(key: "java/1487", count: 1)])
        #expect(last.timeWaitToward.first?.destination == "127.0.0.1:9081")
        #expect(last.timeWaitToward.first?.count == 800)
        // One CLOSE_WAIT is not a build-up.
        #expect(report.findings.isEmpty)
    }

    @Test func readsNothingFromProtocolCounters() {
        let report = Self.report("sockets/linux_sosreport_netstat_-s_coreos-master.txt")
        #expect(report.sockets == nil)
        #expect(report.findings.isEmpty)
    }
}
