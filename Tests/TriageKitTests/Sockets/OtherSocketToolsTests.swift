import Testing
@testable import TriageKit

/// Socket tables from macOS/BSD and PowerShell, with their platforms' port ranges.
struct OtherSocketToolsTests {
    @Test func readsBSDNetstatWithItsDottedPorts() throws {
        var rows = ["Active Internet connections (including servers)",
                    "Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)"]
        rows += (49_152..<49_300).map { "tcp4       0      0  10.0.0.5.\($0)         10.0.0.9.443           TIME_WAIT" }
        rows += ["tcp46      0      0  *.8080                 *.*                    LISTEN",
                 "tcp6       0      0  fe80::1%lo0.49152      fe80::1%lo0.1023       ESTABLISHED",
                 "udp4       0      0  *.5353                 *.*"]
        let report = Analyze.report(Analyze.lines(rows), name: "netstat-an.txt")
        let sockets = try #require(report.sockets)
        let table = try #require(sockets.snapshots.first)
        #expect(table.tool == "netstat (macOS/BSD)")
        #expect(table.states == ["TIME_WAIT": 148, "LISTEN": 1, "ESTABLISHED": 1])
        #expect(table.timeWaitToward.first?.destination == "10.0.0.9:443")
        #expect(sockets.headroom.platform == "macOS/BSD")
        #expect(sockets.headroom.timeWaitSeconds == 30)
        #expect(report.findings.isEmpty, "148 TIME_WAIT of 16,384 ports is no exhaustion")
    }

    static func powershell(_ rows: Int) -> String {
        var lines = ["", "LocalAddress                        LocalPort RemoteAddress                       RemotePort State       AppliedSetting OwningProcess",
                     "------------                        --------- -------------                       ---------- -----       -------------- -------------",
                     "0.0.0.0                             8080      0.0.0.0                             0          Listen                     2972"]
        lines += (0..<rows).map { "10.0.0.5                            \(49_152 + $0)     10.0.0.9                            443        TimeWait                   0" }
        lines.append("10.0.0.5                            8080      10.0.0.77                           51234      Established Internet       2972")
        return Analyze.lines(lines)
    }

    @Test func readsGetNetTCPConnectionAndFindsTheExhaustion() throws {
        let report = Analyze.report(Self.powershell(16_300), name: "tcp.txt")
        let table = try #require(report.sockets?.snapshots.first)
        #expect(table.tool == "Get-NetTCPConnection")
        #expect(table.states == ["TIME_WAIT": 16_300, "LISTEN": 1, "ESTABLISHED": 1])
        #expect(table.timeWaitToward.first?.destination == "10.0.0.9:443")
        #expect(table.timeWaitToward.first?.count == 16_300)
        #expect(report.sockets?.headroom.platform.hasPrefix("Windows") == true)
        #expect(report.findings.first?.rule == "ephemeral-port-exhaustion")
    }

    @Test func aHealthyGetNetTCPConnectionRaisesNothing() {
        #expect(Analyze.report(Self.powershell(40), name: "tcp.txt").findings.isEmpty)
    }

    @Test func readsGroupObjectSummaries() throws {
        let report = Analyze.report(Analyze.lines([
            "", "Count Name                      Group", "----- ----                      -----",
            "16318 TimeWait, 10.0.0.9        {MSFT_NetTCPConnection (InstanceID = \"10.0.0.5++50123++10.0.0.9++443++0\"), MSFT_NetTCPConnection (Ins...",
            "   23 Established, 10.0.0.77    {MSFT_NetTCPConnection (InstanceID = \"10.0.0.5++8080++10.0.0.77++51234++0\"), MSFT_NetTCPConnection (I...",
        ]), name: "groups.txt")
        let table = try #require(report.sockets?.snapshots.first)
        #expect(table.tool == "Get-NetTCPConnection | Group-Object")
        #expect(table.states == ["TIME_WAIT": 16_318, "ESTABLISHED": 23])
        #expect(table.timeWaitToward.first?.destination == "10.0.0.9:*")
        #expect(report.findings.first?.rule == "ephemeral-port-exhaustion")
    }
}
