import Testing
@testable import TriageKit

/// Where sections start, by their first line — never by the file's name.
struct SectionDetectorTests {
    static func kind(after lines: [String]) -> SectionKind {
        var detector = SectionDetector()
        var kind = SectionKind.log
        for line in lines {
            var bytes = Array(line.utf8)
            kind = bytes.withUnsafeMutableBytes { detector.classify(UnsafeRawBufferPointer($0)) }
        }
        return kind
    }

    @Test(arguments: [
        ("Active Internet connections (servers and established)", SectionKind.socketTable),
        ("Active Connections", .socketTable),
        ("Proto Recv-Q Send-Q Local Address           Foreign Address         State", .socketTable),
        ("  Proto  Local Address          Foreign Address        State", .socketTable),
        ("State     Recv-Q Send-Q      Local Address:Port        Peer Address:PortProcess", .socketTable),
        ("Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process", .socketTable),
        ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", .socketTable),
        ("COMMAND  PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME", .socketTable),
        ("net.ipv4.ip_local_port_range = 32768\t60999", .kernelSettings),
        ("net.ipv4.tcp_tw_reuse=1", .kernelSettings),
        ("/proc/sys/net/ipv4/tcp_tw_reuse:0", .kernelSettings),
        ("Windows Registry Editor Version 5.00", .kernelSettings),
        ("HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters", .kernelSettings),
        ("Protocol tcp Dynamic Port Range", .kernelSettings),
        ("Limit                     Soft Limit           Hard Limit           Units     ", .kernelSettings),
        ("real-time non-blocking time  (microseconds, -R) unlimited", .kernelSettings),
        ("core file size          (blocks, -c) 0", .kernelSettings),
        ("time(seconds)        unlimited", .kernelSettings),
        ("max user processes              (-u) 4096", .kernelSettings),
        ("kernel.threads-max = 95000", .kernelSettings),
        ("FIN-WAIT-2 0      0      10.0.0.1:40000 10.0.0.2:80", .socketTable),
        ("kernel: TCP: out of memory -- consider tuning tcp_mem", .log),
        ("max user processes reached, giving up", .log),
    ])
    func startsASectionAtItsHeader(_ line: String, _ expected: SectionKind) {
        #expect(Self.kind(after: [line]) == expected)
    }

    @Test(arguments: [
        "State of the order: Recv-Q unknown",
        "net.sf.ehcache.CacheManager started",
        "Active sessions: 12",
        "COMMAND queue drained",
    ])
    func leavesLogLinesThatOnlyLookAlike(_ line: String) {
        #expect(Self.kind(after: [line]) == .log)
    }

    @Test func returnsToTheLogAtTheNextRecord() {
        #expect(Self.kind(after: [
            "net.ipv4.tcp_tw_reuse = 0",
            "2024-12-21 13:26:03,117 ERROR [main] c.e.App - connect failed",
        ]) == .log)
        #expect(Self.kind(after: [
            "Active Internet connections (servers and established)",
            "tcp        0      0 127.0.0.1:40001         127.0.0.1:9080          TIME_WAIT   -",
            "Tue Nov  5 22:44:45 UTC 2019",
        ]) == .socketTable)
    }
}
