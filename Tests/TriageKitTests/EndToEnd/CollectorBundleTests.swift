import Foundation
import Testing
@testable import TriageKit

/// Other collectors' bundles, made on this machine by the steps those collectors run (linperf.sh,
/// the yc-360 script) or by the collector itself (sosreport), around a real JVM whose HttpClient
/// pool leaks into CLOSE_WAIT, while a shell loop burns a core so that the bundles' process-level
/// `top -bc` has a busy process in it, which is not a busy Java thread.
@Suite(.serialized, .enabled(if: JavaToolchain.available && JavaToolchain.httpClientJars != nil && SocketTools.ss != nil,
                             "no JDK, HttpClient 4 jars or ss: the collector-bundle tests are skipped"))
struct CollectorBundleTests {
    static let netstat = SocketTools.find("netstat")

    /// A JVM whose four pooled connections sit in CLOSE_WAIT, and a process busy on a core.
    final class Scene {
        let jvm: RunningJVM
        let burner = Process()
        let folder: URL
        let port: Int

        init() throws {
            jvm = try JavaToolchain.launch(["HttpPools", "leak", "4", "8"])
            folder = try TestPaths.temporaryDirectory()
            port = try #require(jvm.port)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                let ss = try ProcessRunner.shell("ss -tan state close-wait dst 127.0.0.1:\(port) | tail -n +2 | wc -l")
                if Int(ss.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 4 { break }
                Thread.sleep(forTimeInterval: 0.2)
            }
            burner.executableURL = URL(fileURLWithPath: "/bin/sh")
            burner.arguments = ["-c", "while :; do :; done"]
            try burner.run()
            Thread.sleep(forTimeInterval: 0.5)
        }

        func run(_ script: String, in directory: URL) throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"), ["-c", script], environment: [
                "PID": "\(jvm.pid)", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], directory: directory)
            guard result.status == 0 else { throw JVMError("the collector's steps failed: \(result.standardError)") }
        }

        deinit {
            // dash in a busy loop does not act on SIGTERM.
            kill(burner.processIdentifier, SIGKILL)
            burner.waitUntilExit()
            jvm.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    /// What linperf.sh runs, in its order and into its file names: `date` above each of two
    /// `netstat -pan`, `top -bc` (processes) and `top -bH -p PID` (threads) in the background,
    /// vmstat, `ps -eLf`, `kill -3` (a HotSpot JVM prints the dump on its stdout), dmesg, df.
    static let linperfSteps = """
        set -e
        echo > screen.out; date >> screen.out; date > whoami.out; whoami >> whoami.out
        echo > vmstat.out; echo > ps.out; echo > top.out; echo > topdashH.$PID.out
        date >> netstat.out; netstat -pan >> netstat.out 2>&1; echo >> netstat.out
        date >> top.out; echo >> top.out; top -bc -d 1 -n 2 >> top.out 2>&1 &
        { date; echo; echo "Collected against PID $PID."; echo; } >> topdashH.$PID.out
        top -bH -d 1 -n 2 -p $PID >> topdashH.$PID.out 2>&1 &
        date >> vmstat.out; vmstat 1 2 >> vmstat.out 2>&1 &
        date >> ps.out; ps -eLf >> ps.out 2>&1; echo >> ps.out
        kill -3 $PID; sleep 1; kill -3 $PID
        wait
        date >> netstat.out; netstat -pan >> netstat.out 2>&1
        dmesg > dmesg.out 2>&1 || true; df -hk > df-hk.out 2>&1
        """

    @Test(.enabled(if: netstat != nil, "netstat (net-tools) is missing"))
    func linperfResultsAsAFolderAndAsItsTarball() throws {
        let scene = try Scene()
        let results = scene.folder.appending(path: "linperf_RESULTS")
        try scene.run(Self.linperfSteps, in: results)
        Thread.sleep(forTimeInterval: 0.5)
        let console = scene.folder.appending(path: "console.log")
        try scene.jvm.printed.write(to: console, atomically: true, encoding: .utf8)
        let tarball = "linperf_RESULTS.2026.12.07.11.16.03.tar.gz"
        try ProcessRunner.shell("tar -czf ../\(tarball) netstat.out vmstat.out ps.out top.out screen.out dmesg.out whoami.out "
                                + "df-hk.out topdashH.\(scene.jvm.pid).out", directory: results)

        for bundle in [results.path, scene.folder.appending(path: tarball).path] {
            let report = Analysis.run(.init(paths: [bundle, console.path], rules: .builtin)).report
            // Other tests' JVMs on this host may add causes of their own to a host-wide netstat.
            #expect(report.findings.contains { $0.rule == "connection-leak" && $0.determined }, "\(bundle): \(report.findings.map(\.rule))")
            // top.out is `top -bc`: the shell loop at 100 % there is a process, not a Java thread.
            #expect(!report.findings.contains { $0.rule == "cpu-hot-threads" }, "\(bundle)")
            let tables = try #require(report.sockets?.snapshots)
            #expect(tables.count == 2 && tables.allSatisfy { $0.source.hasSuffix("netstat.out") && $0.time != nil })
            for table in tables {
                #expect(table.closeWaitToward.contains { $0.destination == "127.0.0.1:\(scene.port)" && $0.count == 4 })
            }
            let read = Set(report.inputs.filter { $0.status == .analysed }.map { String($0.source.split(separator: "/").last!) })
            #expect(read.isSuperset(of: ["netstat.out", "dmesg.out", "topdashH.\(scene.jvm.pid).out", "console.log"].map {
                bundle.hasSuffix(".gz") && $0 != "console.log" ? "\(tarball)!\($0)" : $0 }), "\(read)")
            let leftOut = try #require(report.inputs.first { $0.status == .skipped })
            #expect(leftOut.reason == "a linperf bundle: 6 of its 9 files left out (2 the collector's own notes; 1 disk usage; "
                    + "1 ps -eLf; 1 top -bc: processes, not threads; 1 vmstat): df-hk.out, ps.out, screen.out, top.out, "
                    + "vmstat.out, whoami.out")
        }
        let text = try ProcessRunner.triage(["logs", results.path, console.path, "--width", "0"])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("linperf_RESULTS/: skipped: a linperf bundle: 6 of its 9 files left out"))
    }

    /// linperf keeps an IBM JVM's javacores in `javacore.PID.tar` inside its tarball: the tar in
    /// the tar is read, and the sample's answer is the same as from its loose files.
    @Test func linperfJavacoresInATarInsideTheTarball() throws {
        let sample = TestPaths.root.appending(path: "samples/close-wait-javacore")
        let folder = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let javacore = "javacore.20241221.142105.4242.0001.txt"
        try ProcessRunner.shell("""
            set -e
            cp '\(sample.path)/\(javacore)' .
            tar -cf javacore.4242.tar \(javacore)
            { echo 'Sat Dec 21 14:21:05 CET 2024'; cat '\(sample.path)/netstat.out'; } > netstat.out
            { echo; echo 'Sat Dec 21 14:20:40 CET 2024'; echo; echo 'Collected against PID 4242.'; } > topdashH.4242.out
            echo > screen.out
            tar -czf linperf_RESULTS.2024.12.21.14.20.40.tar.gz netstat.out screen.out topdashH.4242.out javacore.4242.tar
            """, directory: folder)
        let bundle = Analysis.run(.init(paths: [folder.appending(path: "linperf_RESULTS.2024.12.21.14.20.40.tar.gz").path,
                                                sample.appending(path: "SystemOut.log").path], rules: .builtin)).report
        let loose = Analysis.run(.init(paths: [sample.path], rules: .builtin)).report
        #expect(!loose.findings.isEmpty)
        #expect(bundle.findings.map(\.rule) == loose.findings.map(\.rule))
        #expect(bundle.findings.map(\.confidence) == loose.findings.map(\.confidence))
        let dump = try #require(bundle.dumps.first)
        #expect(dump.source.hasSuffix("linperf_RESULTS.2024.12.21.14.20.40.tar.gz!javacore.4242.tar!\(javacore)"))
        #expect(dump.format == .javacore)
    }

    /// A real `sos report` (its networking, kernel, process and logs plugins): the socket table
    /// is netstat's, once; sosreport's copies of /proc and /sys, its lsof and its top-level links
    /// are left out in one line.
    @Test(.enabled(if: SocketTools.find("sos") != nil && getuid() == 0, "sos (sosreport) is missing or not root"))
    func aSosreportFolder() throws {
        let scene = try Scene()
        let result = try ProcessRunner.run(SocketTools.find("sos")!, ["report", "--batch", "--build", "--quiet",
                                                                       "--tmp-dir", scene.folder.path,
                                                                       "-o", "networking,kernel,process,logs"])
        #expect(result.status == 0, "\(result.standardError)")
        let root = try #require(try FileManager.default.contentsOfDirectory(atPath: scene.folder.path)
            .first { $0.hasPrefix("sosreport-") })
        let report = Analysis.run(.init(paths: [scene.folder.appending(path: root).path], rules: .builtin)).report
        let tables = try #require(report.sockets?.snapshots)
        #expect(tables.map(\.source) == ["\(scene.folder.path)/\(root)/sos_commands/networking/netstat_-W_-neopa"])
        #expect(tables.first?.closeWaitToward.contains { $0.destination == "127.0.0.1:\(scene.port)" && $0.count == 4 } == true)
        #expect(report.sockets?.headroom.rangeSource?.source.hasSuffix("sos_commands/kernel/sysctl_-a") == true)
        let read = report.inputs.filter { $0.status != .skipped }.map(\.source)
        #expect(!read.contains { $0.contains("/proc/") || $0.contains("/sys/") || $0.contains("lsof") || $0.hasSuffix("/netstat") },
                "\(read)")
        let leftOut = try #require(report.inputs.first { $0.status == .skipped })
        #expect(leftOut.source == "\(scene.folder.path)/\(root)/")
        #expect(leftOut.reason?.hasPrefix("a sosreport bundle: ") == true)
        #expect(leftOut.reason?.contains("a link to a file inside the bundle") == true)
        #expect(!report.findings.contains { $0.rule == "cpu-hot-threads" })
    }

    /// What the yc-360 script leaves (its zip, `yc-….zip`): `threaddump.out` is the thread dumps
    /// with `top -bH -n 1 -p PID` appended, `kernel.out` is `sysctl -a`, `netstat.out` two
    /// `netstat -pan` under Go's date, and `top.out` is `top -bc`.
    @Test(.enabled(if: netstat != nil && SocketTools.find("zip") != nil, "netstat (net-tools) or zip is missing"))
    func aYc360Capture() throws {
        let scene = try Scene()
        let capture = scene.folder.appending(path: "capture")
        try scene.run("""
            set -e
            stamp() { date '+%a %b %-d %H:%M:%S %Z %Y '; }
            { stamp; netstat -pan; echo; stamp; netstat -pan; } > netstat.out 2>&1
            jstack -l $PID > threaddump.out; sleep 1; jstack -l $PID >> threaddump.out
            top -bH -n 1 -p $PID >> threaddump.out
            sysctl -a > kernel.out 2>/dev/null || true
            top -bc -d 1 -n 2 > top.out; ps -eLf > ps.out; vmstat 1 2 > vmstat.out; df -hk > disk.out
            zip -q ../yc-20261207T111603.zip *
            """, in: capture)
        let report = Analysis.run(.init(paths: [scene.folder.appending(path: "yc-20261207T111603.zip").path], rules: .builtin)).report
        #expect(report.findings.contains { $0.rule == "connection-leak" && $0.determined }, "\(report.findings.map(\.rule))")
        #expect(!report.findings.contains { $0.rule == "cpu-hot-threads" })
        #expect(report.dumps.count == 2 && report.dumps.allSatisfy { $0.source.hasSuffix("yc-20261207T111603.zip!threaddump.out") })
        let range = try #require(report.sockets?.headroom.rangeSource)
        #expect(range.source.hasSuffix("yc-20261207T111603.zip!kernel.out"))
        #expect(range.line == (try Self.line(of: "net.ipv4.ip_local_port_range", in: capture.appending(path: "kernel.out"))))
        let leftOut = try #require(report.inputs.first { $0.status == .skipped })
        #expect(leftOut.reason == "a yc-360 bundle: 4 of its 7 files left out (1 disk usage; 1 ps -eLf; "
                + "1 top -bc: processes, not threads; 1 vmstat): disk.out, ps.out, top.out, vmstat.out")
    }

    static func line(of key: String, in file: URL) throws -> Int {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return (lines.firstIndex { $0.hasPrefix(key) } ?? -2) + 1
    }
}

/// Two names for one file (a link beside its target, the same path twice) are one input.
@Test func aLinkToAFileAlreadyTakenIsReadOnce() throws {
    let folder = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let table = "State  Recv-Q Send-Q Local Address:Port Peer Address:Port\nCLOSE-WAIT 1 0 10.0.0.5:40001 10.0.0.9:8080\n"
    try table.write(to: folder.appending(path: "ss.txt"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: folder.appending(path: "sockets").path, withDestinationPath: "ss.txt")
    let collection = InputCollector.collect([folder.path, folder.appending(path: "ss.txt").path])
    // The file under its own name; the link after it is the same file.
    #expect(collection.inputs.map(\.displayName) == [folder.appending(path: "ss.txt").path])
}

/// `top` without `-H` lists processes (its summary counts `Tasks:`): a busy process there is not
/// a busy Java thread. procps before 3.3 printed `Tasks:` under `-H` too; those rows share one
/// address space (one VIRT) and are read as threads.
@Test(.enabled(if: SocketTools.find("top") != nil, "top (procps) is missing"))
func processLevelTopIsNotReadAsThreads() throws {
    let folder = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let burner = Process()
    burner.executableURL = URL(fileURLWithPath: "/bin/sh")
    burner.arguments = ["-c", "while :; do :; done"]
    try burner.run()
    defer { kill(burner.processIdentifier, SIGKILL); burner.waitUntilExit() }
    try ProcessRunner.shell("top -bc -d 1 -n 2 > top-processes.txt", directory: folder)
    let screens = try String(contentsOf: folder.appending(path: "top-processes.txt"), encoding: .utf8)
    #expect(screens.contains("Tasks:"))
    let processes = Analysis.run(.init(paths: [folder.appending(path: "top-processes.txt").path], rules: .builtin)).report
    #expect(!processes.findings.contains { $0.rule == "cpu-hot-threads" }, "\(processes.findings.map(\.rule))")

    try """
        top - 13:26:03 up 10 days,  1:02,  1 user,  load average: 1.00, 1.00, 1.00
        Tasks:  31 total,   1 running,  30 sleeping,   0 stopped,   0 zombie
        Cpu(s): 51.2%us,  1.0%sy,  0.0%ni, 47.8%id,  0.0%wa,  0.0%hi,  0.0%si,  0.0%st

          PID USER      PR  NI  VIRT  RES  SHR S %CPU %MEM    TIME+  COMMAND
         4311 app       20   0 3266m 1.1g  14m R 99.8 14.2  12:31.07 java
         4242 app       20   0 3266m 1.1g  14m S  0.3 14.2   0:02.11 java
         4243 app       20   0 3266m 1.1g  14m S  0.0 14.2   0:00.40 java

        """.write(to: folder.appending(path: "top-H-procps-3.2.txt"), atomically: true, encoding: .utf8)
    let threads = Analysis.run(.init(paths: [folder.appending(path: "top-H-procps-3.2.txt").path], rules: .builtin)).report
    let hot = try #require(threads.findings.first { $0.rule == "cpu-hot-threads" })
    #expect(hot.evidence.first?.text.hasPrefix("TID 4311 (java) at 100% CPU in top -H") == true, "\(hot.evidence.map(\.text))")

    // Its second screen is read as well: the summary lines above a screen's header are no rows.
    let screen = { (clock: String, busy: String) in
        "top - \(clock) up 10 days,  1:02,  1 user,  load average: 1.00, 1.00, 1.00\n"
            + "Tasks:  31 total,   1 running,  30 sleeping,   0 stopped,   0 zombie\n"
            + "Cpu(s): 51.2%us,  1.0%sy,  0.0%ni, 47.8%id,  0.0%wa,  0.0%hi,  0.0%si,  0.0%st\n"
            + "Mem:   8061340k total,  7012345k used,  1048995k free,   212340k buffers\n\n"
            + "  PID USER      PR  NI  VIRT  RES  SHR S %CPU %MEM    TIME+  COMMAND\n"
            + " 4311 app       20   0 3266m 1.1g  14m R \(busy) 14.2  12:31.07 java\n"
            + " 4242 app       20   0 3266m 1.1g  14m S  0.3 14.2   0:02.11 java\n\n"
    }
    try (screen("13:26:03", " 0.0") + screen("13:26:08", "99.8") + screen("13:26:13", "99.6"))
        .write(to: folder.appending(path: "top-H-procps-3.2-series.txt"), atomically: true, encoding: .utf8)
    let series = Analysis.run(.init(paths: [folder.appending(path: "top-H-procps-3.2-series.txt").path], rules: .builtin)).report
    let busy = try #require(series.findings.first { $0.rule == "cpu-hot-threads" })
    #expect(busy.evidence.first?.text.hasPrefix("TID 4311 (java) at 100% CPU in top -H") == true, "\(busy.evidence.map(\.text))")
}

/// `triage scan` over an archive of hosts, one holding a sosreport-shaped folder made of this
/// machine's own files (`netstat -W -neopa`, `/proc/net/tcp`, `sysctl -a`): the bundle's
/// evidence files are rows, the rest one row that says what was left out.
@Test(.enabled(if: SocketTools.find("netstat") != nil, "netstat (net-tools) is missing"))
func aScanTakesABundleAsItsEvidence() throws {
    let folder = try TestPaths.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let sos = folder.appending(path: "host1/sosreport-host1-2026-12-07-abcdefg")
    try ProcessRunner.shell("""
        set -e
        mkdir -p sos_commands/networking sos_commands/kernel sos_commands/process sos_commands/logs sos_logs proc/net etc var/log
        netstat -W -neopa > sos_commands/networking/netstat_-W_-neopa 2>&1 || true
        ss -peaonmi > sos_commands/networking/ss_-peaonmi 2>&1 || true
        ps auxwww > sos_commands/process/ps_auxwww
        sysctl -a > sos_commands/kernel/sysctl_-a 2>/dev/null || true
        cat /proc/net/tcp > proc/net/tcp; cp /etc/hosts etc/hosts; echo 'sos report' > sos_logs/sos.log
        ln -s sos_commands/networking/netstat_-W_-neopa netstat
        echo '2026-12-07T10:00:01 host1 app[42]: ERROR java.net.SocketTimeoutException: Read timed out' > var/log/messages
        cp var/log/messages sos_commands/logs/journalctl_--no-pager
        cd .. && tar -czf sos.tar.gz sosreport-host1-2026-12-07-abcdefg && mv sos.tar.gz ../sosreport-host1-2026-12-07-abcdefg.tar.gz
        """, directory: try { try FileManager.default.createDirectory(at: sos, withIntermediateDirectories: true); return sos }())
    let result = ArchiveScan.run(.init(roots: [folder.appending(path: "host1").path], rules: .builtin))
    let rows = result.rows.map { ($0.file, $0.status) }
    #expect(rows.filter { $0.1 == .analysed }.map(\.0) == [
        "sosreport-host1-2026-12-07-abcdefg/sos_commands/kernel/sysctl_-a",
        "sosreport-host1-2026-12-07-abcdefg/sos_commands/networking/netstat_-W_-neopa",
        "sosreport-host1-2026-12-07-abcdefg/var/log/messages"], "\(rows)")
    let leftOut = try #require(result.rows.first { $0.status == .skipped })
    #expect(leftOut.file == "sosreport-host1-2026-12-07-abcdefg/")
    let reason = "a sosreport bundle: 7 of its 10 files left out (3 a copy of the host's files or the report's own; "
        + "1 a command triage does not use; 1 a link to a file inside the bundle; 1 the journal (var/log holds the same lines); "
        + "1 the same sockets as netstat -neopa): etc/hosts, netstat, proc/net/tcp, sos_commands/logs/journalctl_--no-pager, "
        + "sos_commands/networking/ss_-peaonmi, sos_commands/process/ps_auxwww, …"
    #expect(leftOut.reason == reason)

    // The same sosreport as `sos report -z gzip` leaves it, read in one pass: the same files, the same answer.
    let folderReport = Analysis.run(.init(paths: [sos.path], rules: .builtin)).report
    let tarball = Analysis.run(.init(paths: [folder.appending(path: "sosreport-host1-2026-12-07-abcdefg.tar.gz").path],
                                     rules: .builtin)).report
    for report in [folderReport, tarball] {
        #expect(report.sockets?.snapshots.count == 1 && report.sockets?.snapshots.first?.source.hasSuffix("netstat_-W_-neopa") == true)
        #expect(report.findings.first { $0.rule == "socket-timeout" }?.facts.occurrences == 1, "the journal repeats var/log")
    }
    #expect(tarball.inputs.filter { $0.status == .analysed }.count == 3)
    #expect(tarball.inputs.last?.reason?.contains("1 the journal (var/log holds the same lines); 1 the same sockets as netstat -neopa") == true,
            "\(tarball.inputs.last?.reason ?? "")")
}
