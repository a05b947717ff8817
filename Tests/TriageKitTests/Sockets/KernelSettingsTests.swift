import Foundation
import Testing
@testable import TriageKit

/// Kernel settings in every form an incident bundle carries them, and the port range, TIME_WAIT
/// length and ceiling that follow — from the settings, or from the platform defaults, said so.
struct KernelSettingsTests {
    static func settings(_ lines: [String], name: String = "settings.txt") -> KernelSettings {
        Analyze.text(Analyze.lines(lines), name: name).kernelSettings
    }

    @Test func readsSysctlOutputAndKeepsOnlyWhatMatters() {
        let settings = Self.settings([
            "abi.vsyscall32 = 1",
            "net.core.somaxconn = 4096",
            "net.ipv4.ip_local_port_range = 40000\t40499",
            "net.ipv4.tcp_fin_timeout = 60",
            "net.ipv4.tcp_max_tw_buckets = 131072",
            "net.ipv4.tcp_tw_reuse = 0",
            "sysctl: permission denied on key 'net.ipv6.conf.all.stable_secret'",
            "vm.swappiness = 60",
        ])
        #expect(settings["ip_local_port_range"]?.numbers == [40000, 40499])
        #expect(settings["ip_local_port_range"]?.location == SourceLocation(source: "settings.txt", line: 3))
        #expect(settings.integer("tcp_tw_reuse") == 0)
        #expect(settings.integer("tcp_max_tw_buckets") == 131072)
        #expect(settings["somaxconn"] == nil)
        #expect(settings.values.count == 4)
    }

    /// The process limits that decide whether a JVM can start a thread, read from this
    /// machine's own `ulimit -a` and /proc/self/limits, and `kernel.threads-max`.
    @Test func readsProcessLimitsFromUlimitAndProcLimits() throws {
        let expected = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "echo $(ulimit -u) $(ulimit -n)"])
            .standardOutput.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try #require(expected.count == 2)
        // bash's and dash's `ulimit -a` print the same limits in two shapes.
        for shell in ["/bin/bash", "/bin/dash"] where FileManager.default.isExecutableFile(atPath: shell) {
            let ulimit = try ProcessRunner.run(URL(fileURLWithPath: shell), ["-c", "ulimit -a"])
            let fromUlimit = Self.settings(ulimit.standardOutput.split(separator: "\n").map(String.init), name: "ulimit.txt")
            #expect(fromUlimit["max_user_processes"]?.value == expected[0], "\(shell)")
            #expect(fromUlimit["max_open_files"]?.value == expected[1], "\(shell)")
        }
        let limits = try String(contentsOfFile: "/proc/self/limits", encoding: .utf8)
        let fromProc = Self.settings(limits.split(separator: "\n").map(String.init), name: "limits")
        #expect(fromProc["max_user_processes"]?.value == expected[0])
        #expect(fromProc["max_user_processes"]?.location.line == 1 + (limits.split(separator: "\n").firstIndex { $0.hasPrefix("Max processes") } ?? -9))
        let sysctl = Self.settings(["kernel.threads-max = 95000", "kernel.pid_max = 4194304"])
        #expect(sysctl.integer("threads-max") == 95000 && sysctl.integer("pid_max") == 4194304)
        // Not the socket report's business: no port headroom section from limits alone.
        #expect(Analyze.report(limits).sockets == nil)
    }

    @Test func readsSysctlConfAndProcSysGrepOutput() {
        let conf = Self.settings(["# tuned for the gateway", "net.ipv4.tcp_tw_recycle=1", "net.ipv4.ip_local_port_range=10000 65000"])
        #expect(conf.integer("tcp_tw_recycle") == 1)
        #expect(conf["ip_local_port_range"]?.numbers == [10000, 65000])
        let grep = Self.settings(["/proc/sys/net/ipv4/ip_local_port_range:32768\t60999", "/proc/sys/net/ipv4/tcp_tw_reuse:2"])
        #expect(grep["ip_local_port_range"]?.numbers == [32768, 60999])
        #expect(grep.integer("tcp_tw_reuse") == 2)
    }

    @Test func readsABareProcSysFileByItsName() {
        let settings = Self.settings(["1024\t65000"], name: "sosreport/proc/sys/net/ipv4/ip_local_port_range")
        #expect(settings["ip_local_port_range"]?.numbers == [1024, 65000])
        #expect(Self.settings(["1024\t65000"], name: "notes.txt").isEmpty)
    }

    @Test func readsAWindowsRegistryExportInUTF16() throws {
        let text = """
        Windows Registry Editor Version 5.00\r
        \r
        [HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]\r
        "MaxUserPort"=dword:0000fffe\r
        "TcpTimedWaitDelay"=dword:0000001e\r
        "Hostname"="APP01"\r

        """
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: "tcpip.reg")
        var data = Data([0xFF, 0xFE])
        data.append(text.data(using: .utf16LittleEndian)!)
        try data.write(to: file)
        let report = Analysis.run(.init(paths: [file.path], rules: .builtin)).report
        let settings = try #require(report.sockets?.settings)
        #expect(settings.map(\.name) == ["MaxUserPort", "TcpTimedWaitDelay"])
        #expect(settings.map(\.value) == ["65534", "30"])
        #expect(settings.first?.line == 4)
        let headroom = try #require(report.sockets?.headroom)
        #expect(headroom.low == 1025 && headroom.high == 65534 && headroom.timeWaitSeconds == 30)
    }

    @Test func readsRegQueryAndNetshOutput() {
        let settings = Self.settings([
            "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters",
            "    TcpTimedWaitDelay    REG_DWORD    0x3c",
            "",
            "Protocol tcp Dynamic Port Range",
            "---------------------------------",
            "Start Port      : 10000",
            "Number of Ports : 55535",
        ])
        #expect(settings.integer("TcpTimedWaitDelay") == 60)
        #expect(settings.integer("dynamicport.start") == 10000)
        #expect(settings.integer("dynamicport.count") == 55535)
        let headroom = PortRangeHeadroom.resolve(settings: settings, windows: true, clientPorts: nil)
        #expect(headroom.low == 10000 && headroom.high == 65534 && headroom.usablePorts == 55535)
        #expect(headroom.timeWaitSeconds == 60)
        #expect(headroom.rangeBasis.contains("netsh"))
    }

    @Test func assumesTheLinuxDefaultsAndSaysSo() {
        let headroom = PortRangeHeadroom.resolve(settings: KernelSettings(), windows: false, clientPorts: (33000, 60000))
        #expect(headroom.usablePorts == 28232)
        #expect(headroom.timeWaitSeconds == 60)
        #expect(Int(headroom.ceilingPerSecond) == 470)   // 28,232 ÷ 60 s
        #expect(headroom.rangeBasis.contains("no net.ipv4.ip_local_port_range"))
        #expect(headroom.rangeSource == nil)
    }

    @Test func seesARangeWidenedBeyondTheLinuxDefault() {
        let headroom = PortRangeHeadroom.resolve(settings: KernelSettings(), windows: false, clientPorts: (10240, 65000))
        #expect(headroom.low == 10240 && headroom.high == 65000)
        #expect(headroom.rangeBasis.hasPrefix("at least"))
    }

    @Test func readsTheRangeAndSaysTCPFinTimeoutIsNotTimeWait() {
        let settings = Self.settings(["net.ipv4.ip_local_port_range = 40000\t40499", "net.ipv4.tcp_fin_timeout = 15"])
        let headroom = PortRangeHeadroom.resolve(settings: settings, windows: false, clientPorts: nil)
        #expect(headroom.usablePorts == 500)
        #expect(headroom.timeWaitSeconds == 60)
        #expect(headroom.timeWaitBasis.contains("tcp_fin_timeout = 15"))
        #expect(headroom.percentUsed(by: 450) == 90)
        #expect(headroom.recentRate(of: 450) == 7.5)
    }

    @Test func tellsOldWindowsFromNewByTheClientPorts() {
        let old = PortRangeHeadroom.resolve(settings: KernelSettings(), windows: true, clientPorts: (1100, 4990))
        #expect(old.low == 1025 && old.high == 5000 && old.timeWaitSeconds == 240)
        #expect(old.usablePorts == 3976)
        let new = PortRangeHeadroom.resolve(settings: KernelSettings(), windows: true, clientPorts: (49200, 65000))
        #expect(new.low == 49152 && new.high == 65535 && new.timeWaitSeconds == 120)
        #expect(new.usablePorts == 16384)
    }
}
