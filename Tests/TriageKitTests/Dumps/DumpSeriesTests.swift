import Testing
@testable import TriageKit

/// A log with a `kill -3` every minute must not keep every dump: memory would grow with the file.
struct DumpSeriesTests {
    /// A quiet dump of `workers` request threads; `deadlock` adds two threads locking each other.
    static func dump(minute: Int, workers: Int, deadlock: Bool = false) -> [String] {
        var lines = [String(format: "2024-12-21 14:%02d:%02d", minute / 60, minute % 60),
                     "Full thread dump OpenJDK 64-Bit Server VM (17.0.9+9 mixed mode):", ""]
        for index in 0..<workers {
            lines += ["\"http-nio-8080-exec-\(index + 1)\" #\(30 + index) daemon prio=5 os_prio=0 cpu=1.00ms elapsed=60.00s tid=0x\(index + 1) nid=0x\(index + 100) waiting on condition  [0x0]",
                      "   java.lang.Thread.State: WAITING (parking)",
                      "\tat jdk.internal.misc.Unsafe.park(Native Method)",
                      "\tat java.util.concurrent.ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1062)",
                      ""]
        }
        if deadlock {
            lines += ["\"ledger-a\" #90 prio=5 os_prio=0 tid=0xa nid=0xa waiting for monitor entry  [0x0]",
                      "   java.lang.Thread.State: BLOCKED (on object monitor)",
                      "\tat com.example.Ledger.debit(Ledger.java:41)",
                      "\t- waiting to lock <0x000000070fe20f58> (a java.lang.Object)",
                      "\t- locked <0x000000070fe20f48> (a java.lang.Object)",
                      "",
                      "\"ledger-b\" #91 prio=5 os_prio=0 tid=0xb nid=0xb waiting for monitor entry  [0x0]",
                      "   java.lang.Thread.State: BLOCKED (on object monitor)",
                      "\tat com.example.Ledger.credit(Ledger.java:57)",
                      "\t- waiting to lock <0x000000070fe20f48> (a java.lang.Object)",
                      "\t- locked <0x000000070fe20f58> (a java.lang.Object)",
                      ""]
        }
        return lines + ["2024-12-21 14:00:00,000 INFO  [main] c.e.App - heartbeat \(minute)"]
    }

    @Test func thinsALongSeriesButKeepsItsEndsAndTheDeadlock() throws {
        var lines: [String] = []
        // 301 dumps; the only deadlock is in dump 151 (odd, so plain thinning would drop it),
        // and the thread count grows from 4 to 8 over the series.
        for minute in 0...300 {
            lines += Self.dump(minute: minute, workers: 4 + minute / 75, deadlock: minute == 151)
        }
        let report = Analyze.report(Analyze.lines(lines), name: "catalina.out")
        #expect(report.dumps.count <= 64)
        #expect(report.dumps.count + (report.dumpsThinned ?? 0) == 301)
        #expect(report.dumps.first?.time?.text == "2024-12-21 14:00:00.000")
        #expect(report.dumps.last?.time?.text == "2024-12-21 14:05:00.000")
        #expect(report.dumps.filter { !$0.deadlocks.isEmpty }.count == 1)
        #expect(report.findings.first?.rule == "java-deadlock")
        let text = OutputFormat.text.render(report, options: RenderOptions())
        #expect(text.contains("more read and thinned out of the series"))
    }

    @Test func aShortSeriesIsKeptWhole() {
        let report = Analyze.report(Analyze.lines((0..<5).flatMap { Self.dump(minute: $0, workers: 3) }), name: "catalina.out")
        #expect(report.dumps.count == 5)
        #expect(report.dumpsThinned == nil)
    }
}

struct TopSeriesTests {
    @Test func keepsABoundedNumberOfTopScreens() {
        var lines: [String] = []
        for screen in 0..<500 {
            lines += [String(format: "top - 13:%02d:%02d up 10 days,  1:02,  1 user,  load average: 1.00, 1.00, 1.00", screen / 60 % 60, screen % 60),
                      "Threads: 120 total,   1 running, 119 sleeping,   0 stopped,   0 zombie",
                      "",
                      "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
                      " 4243 app       20   0 8123456 1.2g  12345 R  97.\(screen % 10)   3.2   1:23.45 java",
                      " 4250 app       20   0 8123456 1.2g  12345 S   0.3   3.2   0:01.00 java",
                      ""]
        }
        let analysis = Analyze.text(Analyze.lines(lines), name: "top-H.txt")
        #expect(analysis.topSeries.elements.count > 32)
        #expect(analysis.topSeries.elements.count <= analysis.topSeries.capacity)
        #expect(analysis.topSeries.elements.count + analysis.topSeries.thinned == 500)
    }
}

/// procps' `top -H` on this machine shows the process's totals on its leader's row (TID = PID):
/// 99.9 % and the whole process's TIME+. Not a busy thread; the row that is gets cited by its line.
struct TopLeaderRowTests {
    static let screen = [
        "top - 18:15:00 up  9:51,  0 user,  load average: 3.30, 3.29, 3.14",
        "Threads:  26 total,   1 running,  25 sleeping,   0 stopped,   0 zombie",
        "",
        "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
        "31579 root      20   0 8980196  39624  20784 S  99.9   0.2   0:08.19 java",
        "31604 root      20   0 8980196  39624  20784 R  99.9   0.2   0:08.12 report-bu+",
        "31580 root      20   0 8980196  39624  20784 S   0.0   0.2   0:00.03 java",
        "31582 root      20   0 8980196  39624  20784 S   0.0   0.2   0:00.02 GC Thread+",
    ]

    @Test func theLeadersRowOfTotalsIsNoBusyThread() {
        let analysis = Analyze.text(Analyze.lines(Self.screen), name: "top-H.txt")
        let rows = analysis.topSeries.elements.flatMap(\.rows)
        #expect(rows.map(\.threadId) == [31604])
        #expect(rows.first?.line == 6)
    }

    /// A hot thread whose time dwarfs the others', or a lowest TID with its own share, stays.
    @Test func aDominantThreadStays() {
        var screen = Self.screen
        screen[4] = "31579 root      20   0 8980196  39624  20784 S  12.0   0.2   0:01.00 java"
        screen[5] = "31604 root      20   0 8980196  39624  20784 R  99.9   0.2  12:08.12 report-bu+"
        let rows = Analyze.text(Analyze.lines(screen), name: "top-H.txt").topSeries.elements.flatMap(\.rows)
        #expect(rows.map(\.threadId) == [31604, 31579])
    }
}

/// Dumps are grouped by the JVM they come from before any series fact is computed.
struct JVMIdentityTests {
    static func snapshot(_ names: [String], pid: Int? = nil, jvm: String? = nil) -> DumpSnapshot {
        DumpSnapshot(source: "d.txt", line: 1, time: nil,
                     threads: names.map { ThreadSnapshot(name: $0, nativeId: nil, state: .runnable, topFrame: nil, cpuMilliseconds: nil,
                                                         line: 1, activity: .other, topFrames: []) },
                     processId: pid, jvm: jvm)
    }

    @Test func aGrowingPoolIsStillOneJVM() {
        let before = Self.snapshot(["main", "Finalizer"] + (1...10).map { "http-nio-8080-exec-\($0)" })
        let after = Self.snapshot(["main", "Finalizer"] + (1...200).map { "http-nio-8080-exec-\($0)" })
        #expect(JVMIdentity.group([before, after]) == [1, 1])
    }

    @Test func servicesWithNoApplicationThreadInCommonAreTwoJVMs() {
        let orders = Self.snapshot(["main", "Reference Handler", "orders-worker-1", "orders-worker-2", "orders-scheduler"])
        let search = Self.snapshot(["main", "Reference Handler"] + (1...60).map { "search-exec-\($0)" })
        #expect(JVMIdentity.group([orders, search, search, orders]) == [1, 2, 2, 1])
    }

    @Test func processIdsAndVersionsDecide() {
        let names = ["a-1", "a-2", "a-3"]
        #expect(JVMIdentity.group([Self.snapshot(names, pid: 1), Self.snapshot(names, pid: 2)]) == [1, 2])
        #expect(JVMIdentity.group([Self.snapshot(names, jvm: "17.0.15"), Self.snapshot(names, jvm: "11.0.2")]) == [1, 2])
        #expect(JVMIdentity.group([Self.snapshot(["x-1", "x-2"], pid: 7), Self.snapshot(["y-1", "y-2"], pid: 7)]) == [1, 1])
    }

    @Test func readsTheProcessIdOfAJavacore() throws {
        let dumps = DumpParsing.threads(["0SECTION       TITLE subcomponent dump routine",
                                            "1TIDATETIME    Date: 2024/12/21 at 14:21:05:117",
                                            "0SECTION       ENVINFO subcomponent dump routine",
                                            "1CIJAVAVERSION JRE 1.8.0 Linux amd64-64",
                                            "1CIPROCESSID   Process ID: 4242 (0x1092)",
                                            "0SECTION       THREADS subcomponent dump routine",
                                            "3XMTHREADINFO      \"main\" J9VMThread:0x1, omrthread_t:0x2, java/lang/Thread:0x3, state:R, prio=5",
                                            "4XESTACKTRACE                at java/lang/Thread.sleep(Native Method)"], javacore: true)
        #expect(try #require(dumps.first).processId == 4242)
    }
}
