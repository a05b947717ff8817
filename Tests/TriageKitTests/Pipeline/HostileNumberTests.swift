import Testing
@testable import TriageKit

/// Each number field an input carries, fed its extremes through the whole pipeline: no trap
/// (these once stopped the process with "Swift runtime failure"), and no value that widens a
/// range or hides a finding.
struct HostileNumberTests {
    static func merged(_ inputs: [(name: String, text: String)]) -> Report {
        Analysis.merge(inputs.map { Analyze.text($0.text, name: $0.name) }, rules: RuleSet.builtin)
    }

    static let netstatHeader = [
        "Active Internet connections (servers and established)",
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State",
    ]

    @Test(arguments: ["99999999999999999999", "9223372036854775808", "18446744073709551616"])
    func omittedFrameCountsBeyondAnyStack(_ count: String) {
        let report = Analyze.report(Analyze.lines([
            "2024-12-21 13:26:03,117 ERROR [main] c.e.Pay - failed",
            "java.net.SocketTimeoutException: Read timed out",
            "\tat java.net.SocketInputStream.socketRead0(Native Method)",
            "\t... \(count) more",
            "\t... 12 more",
        ]))
        #expect(report.exceptions.count == 1, "the trace is still read")
        #expect(report.exceptions.first?.chain == ["java.net.SocketTimeoutException"])
    }

    @Test func topRowsWithImpossiblePercentagesAreLeftOut() {
        let report = Analyze.report(Analyze.lines([
            "top - 13:26:03 up 10 days,  1:02,  1 user,  load average: 1.00, 1.00, 1.00",
            "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
            " 4242 app       20   0 8123456 1.2g  12345 R  inf   3.2   1:23.45 java",
            " 4243 app       20   0 8123456 1.2g  12345 R  1e309 3.2   1:23.45 java",
            " 4244 app       20   0 8123456 1.2g  12345 R  9.3e18 3.2  1:23.45 java",
            " 4245 app       20   0 8123456 1.2g  12345 R  nan   3.2   1:23.45 java",
            " 99999999999999999999 app 20 0 8123456 1.2g 12345 R 99.0 3.2 1:23.45 java",
            " 4246 app       20   0 8123456 1.2g  12345 R  97.5  3.2   1:23.45 java",
        ]), name: "top.txt")
        let busy = report.facts.filter { $0.id == "thread-busy-on-cpu" }
        #expect(busy.map(\.count) == [98], "only the one real row: \(busy.map(\.summary))")
    }

    @Test func dumpCpuTimesBeyondAnyClockAreLeftOut() {
        func dump(_ time: String, cpu: String) -> [String] {
            [time, "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):", "",
             "\"worker-1\" #31 prio=5 os_prio=0 cpu=\(cpu) elapsed=1.00s tid=0x1 nid=0x1092 runnable",
             "   java.lang.Thread.State: RUNNABLE", "\tat com.example.Spin.run(Spin.java:10)", ""]
        }
        for cpu in ["infms", "1e309ms", "nanms", "99999999999999999999999s"] {
            let report = Analyze.report(Analyze.lines(dump("2024-12-21 13:26:03", cpu: "1.00ms") + dump("2024-12-21 13:27:03", cpu: cpu)))
            #expect(report.dumps.count == 2)
            #expect(!report.facts.contains { $0.id == "thread-busy-on-cpu" }, "\(cpu)")
        }
    }

    @Test(arguments: ["-9223372036854775807", "-1", "99999", "9223372036854775807", "65536"])
    func socketRowsWithImpossiblePortsAreSkippedAndDoNotWidenTheRange(_ port: String) {
        var rows = Self.netstatHeader
        for local in 40_000..<40_020 { rows.append("tcp 0 0 10.0.0.5:\(local) 10.0.0.9:443 TIME_WAIT") }
        rows.append("tcp 0 0 10.0.0.5:\(port) 10.0.0.9:443 TIME_WAIT")
        rows.append("tcp 0 0 10.0.0.5:40100 10.0.0.9:\(port) TIME_WAIT")
        let report = Analyze.report(Analyze.lines(rows), name: "netstat.txt")
        let sockets = report.sockets
        #expect(sockets?.snapshots.first?.sockets == 20)
        #expect(sockets?.headroom.low == 32_768)
        #expect(sockets?.headroom.high == 60_999)
    }

    @Test(arguments: [("65535", "99999"), ("0", "16384"), ("49152", "-5"), ("99999999999999999999", "16384")])
    func aNetshRangeBeyondTheLastPortFallsBackToTheDefaultAndSaysSo(_ start: String, _ count: String) throws {
        var rows = ["Active Connections", "", "  Proto  Local Address          Foreign Address        State           PID"]
        for local in 49_152...65_000 { rows.append("  TCP    10.0.0.5:\(local)      10.0.0.9:443        TIME_WAIT       0") }
        let report = Self.merged([
            ("netsh.txt", Analyze.lines(["Protocol tcp Dynamic Port Range", "---------------------------------",
                                         "Start Port      : \(start)", "Number of Ports : \(count)"])),
            ("netstat-ano.txt", Analyze.lines(rows)),
        ])
        let headroom = try #require(report.sockets?.headroom)
        #expect(headroom.low == 49_152 && headroom.high == 65_535)
        #expect(headroom.rangeBasis.contains("is not a port range"))
        #expect(report.findings.first?.rule == "ephemeral-port-exhaustion", "the exhaustion still shows")
    }

    @Test(arguments: ["32768 99999", "-1 60999", "60999 32768", "99999999999999999999 1", "40000"])
    func aLinuxPortRangeThatIsNoRangeFallsBackToTheDefaultAndSaysSo(_ value: String) throws {
        var rows = Self.netstatHeader
        for local in 40_000..<40_010 { rows.append("tcp 0 0 10.0.0.5:\(local) 10.0.0.9:443 TIME_WAIT") }
        let report = Self.merged([
            ("sysctl.txt", "net.ipv4.ip_local_port_range = \(value)\nnet.ipv4.tcp_tw_reuse = 0\n"),
            ("netstat.txt", Analyze.lines(rows)),
        ])
        let headroom = try #require(report.sockets?.headroom)
        #expect(headroom.low == 32_768 && headroom.high == 60_999, "\(value)")
        #expect(headroom.rangeBasis.contains("is not a port range"))
    }

    @Test(arguments: ["dword:ffffffff", "dword:00000000", "dword:zz"])
    func aTimeWaitDelayThatIsNoDelayKeepsTheDefault(_ value: String) throws {
        let report = Self.merged([
            ("tcpip.reg", "Windows Registry Editor Version 5.00\n\n\"TcpTimedWaitDelay\"=\(value)\n"),
            ("netstat-ano.txt", Analyze.lines(["Active Connections", "",
                "  Proto  Local Address          Foreign Address        State           PID",
                "  TCP    10.0.0.5:50000      10.0.0.9:443        TIME_WAIT       0"])),
        ])
        let headroom = try #require(report.sockets?.headroom)
        #expect(headroom.timeWaitSeconds == 120)
    }

    @Test(arguments: ["Tue Nov  5 22:40:42 UTC 99999999999999999999", "Tue Nov 99 22:40:42 UTC 2019", "Tue Nov  5 99:40:42 UTC 2019",
                      "Tue Nov  5 -1:40:42 UTC 2019"])
    func aDateLineThatIsNoDateDoesNotTimeTheTable(_ date: String) {
        let report = Analyze.report(Analyze.lines([date] + Self.netstatHeader + ["tcp 0 0 10.0.0.5:40000 10.0.0.9:443 TIME_WAIT"]),
                                    name: "netstat.txt")
        #expect(report.sockets?.snapshots.first?.time == nil)
    }
}
