import Foundation
import Testing
@testable import TriageKit

/// Dump formats beyond HotSpot's jstack and J9's javacore, from fixtures written after their
/// public descriptions (Tests/TriageKitTests/Fixtures/shapes).
struct OtherJVMFormatsTests {
    static func report(_ name: String) throws -> Report {
        let url = TestPaths.root.appending(path: "Tests/TriageKitTests/Fixtures/shapes/\(name)")
        return Analyze.report(try String(contentsOf: url, encoding: .utf8), name: name)
    }

    @Test func readsJRockitDumpsAndTheirDeadlock() throws {
        let report = try Self.report("jrockit-deadlock.txt")
        let dump = try #require(report.dumps.first)
        #expect(dump.format == .jrockit)
        #expect(dump.threads == 4)
        #expect(dump.states == ["BLOCKED": 2, "WAITING": 1, "UNKNOWN": 1])
        #expect(dump.jvm?.hasPrefix("Oracle JRockit(R) R28.2.9") == true)
        #expect(dump.time?.text == "2024-12-21 14:02:11.000")
        #expect(report.findings.map(\.rule) == ["java-deadlock"])
        let deadlock = try #require(dump.deadlocks.first)
        #expect(Set(deadlock.members.map(\.thread)) == ["settle-a", "settle-b"])
        // Slash packages and descriptors read as Java names; JRockit's lock plumbing skipped.
        #expect(deadlock.members.allSatisfy { $0.waitingAt == "com.example.Settle.transfer(Settle.java:18)" })
    }

    @Test func aHealthyJRockitDumpRaisesNothing() throws {
        let text = """
        ===== FULL THREAD DUMP ===============
        Sat Dec 21 14:02:11 2024
        Oracle JRockit(R) R28.2.9-40-160414-1.6.0_75-20150211-2102-linux-x86_64

        "ExecuteThread: '0' for queue: 'weblogic.kernel.Default'" id=21 idx=0x50 tid=31260 prio=5 alive, waiting, native_blocked
            -- Waiting for notification on: weblogic/kernel/ExecuteThread@0x10c4e5a0[fat lock]
            at jrockit/vm/Threads.waitForNotifySignal(JLjava/lang/Object;)Z(Native Method)
            at java/lang/Object.wait(J)V(Native Method)
            at weblogic/kernel/ExecuteThread.waitForRequest(ExecuteThread.java:165)
            -- end of trace
        """
        let report = Analyze.report(text, name: "jrockit.txt")
        #expect(report.dumps.first?.threads == 1)
        #expect(report.findings.isEmpty)
    }

    /// SAP JVM: its trigger line, `prio= tid= nid=` under the name, its own deadlock wording
    /// and a list of threads queued behind a member, which are not in the cycle.
    @Test func readsSAPJVMDumpsAndTheirDeadlock() throws {
        let report = try Self.report("sapjvm-deadlock.txt")
        let dump = try #require(report.dumps.first)
        #expect(dump.format == .hotspot)
        #expect(dump.threads == 5)
        #expect(dump.jvm?.hasPrefix("SAP Java Server VM (8.1.108") == true)
        #expect(dump.time?.text == "2026-11-30 02:14:09.000")
        // The VM Thread's state is only on its `tid=… runnable` line.
        #expect(dump.states == ["RUNNABLE": 1, "WAITING": 4])
        #expect(report.findings.map(\.rule) == ["java-deadlock"])
        let deadlock = try #require(dump.deadlocks.first)
        #expect(dump.deadlocks.count == 1)
        #expect(deadlock.reportedByJVM)
        #expect(Set(deadlock.members.map(\.thread)) == ["ledger-writer", "invoice-closer"])
        let evidence = try #require(report.findings.first?.evidence.first?.text)
        #expect(evidence.contains("1 more thread blocked behind it"))
    }

    /// Only SAP's deadlock report, pasted: the cycle is its two members, not the thread queued behind.
    @Test func aPastedSAPDeadlockReportKeepsQueuedThreadsOutOfTheCycle() throws {
        let url = TestPaths.root.appending(path: "Tests/TriageKitTests/Fixtures/shapes/sapjvm-deadlock.txt")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let report = lines.firstIndex { $0.hasPrefix("Found one Java-level deadlock") }!
        let pasted = ([lines[1], ""] + lines[report...]).joined(separator: "\n")
        let dump = try #require(Analyze.report(pasted, name: "pasted.txt").dumps.first)
        #expect(dump.deadlocks.map { $0.members.map(\.thread) } == [["ledger-writer", "invoice-closer"]])
    }

    /// JDK 25's `Thread.dump_to_file` text puts each thread's state after its name (a real
    /// Temurin 25.0.3 run had this shape): ten virtual threads blocked behind a platform thread.
    @Test func readsTheStateJDK25PutsOnTheNameLine() throws {
        var lines = ["4645", "2026-12-07T18:15:39.783319082Z", "25.0.3+9-LTS", "",
                     "#21 \"inventory-sync\" TIMED_WAITING 2026-12-07T18:15:39.785631627Z",
                     "    at java.base/java.lang.Thread.sleep(Thread.java:540)",
                     "    at com.acme.Inventory.sync(Inventory.java:31)",
                     "    - locked <com.acme.Inventory@1b6d3586>", ""]
        for index in 1...10 {
            lines += ["#\(30 + index) \"vt-req-\(index)\" virtual BLOCKED 2026-12-07T18:15:39.79Z",
                      "    at com.acme.Inventory.reserve(Inventory.java:44)",
                      "    - waiting to lock <com.acme.Inventory@1b6d3586>", ""]
        }
        let report = Analyze.report(Analyze.lines(lines), name: "threads.txt")
        let dump = try #require(report.dumps.first)
        #expect(dump.states == ["BLOCKED": 10, "TIMED_WAITING": 1])
        #expect(dump.virtualThreads == 10)
    }

    @Test func readsThreadDumpToFileText() throws {
        let report = try Self.report("jcmd-dump-to-file.txt")
        let dump = try #require(report.dumps.first)
        #expect(dump.format == .jcmdText)
        #expect(dump.threads == 4)
        #expect(dump.virtualThreads == 2)
        #expect(dump.process == 25484)
        #expect(dump.jvm == "21.0.2+13-58")
        #expect(dump.time?.text == "2026-12-04 10:20:41.124")
        #expect(report.findings.isEmpty)
    }

    @Test func readsJcmdJSONWithParkBlockersAndTheirOwners() throws {
        let report = try Self.report("jcmd-json-park-blocker.json")
        let dump = try #require(report.dumps.first)
        #expect(dump.format == .jcmdJSON)
        #expect(dump.states == ["WAITING": 2])
        #expect(dump.process == 4242)
        #expect(report.findings.map(\.rule) == ["java-deadlock"])
        #expect(dump.deadlocks.first?.kind == "ownable synchronizers")
    }

    @Test func readsOpenJ9JavacoresOfJDK17() throws {
        let report = try Self.report("javacore-openj9-jdk17.txt")
        let dump = try #require(report.dumps.first)
        #expect(dump.format == .javacore)
        #expect(dump.threads == 2)
        #expect(dump.states == ["BLOCKED": 2])
        #expect(dump.process == 52)
        #expect(dump.jvm == "JRE 17 Linux amd64-64 (build 17.0.9+9)")
        #expect(dump.reason == "a user asked for it (kill -3 or jcmd)")
        #expect(report.findings.map(\.rule) == ["java-deadlock"])
    }

    @Test(arguments: [
        ("Dump Event \"systhrow\" (00040000) Detail \"java/lang/OutOfMemoryError\" \"Java heap space\" received", "OutOfMemoryError: Java heap space"),
        ("Dump Event \"gpf\" (00002000) received", "the JVM crashed (gpf, a general protection fault)"),
        ("Dump Event \"user\" (00004000) received", "a user asked for it (kill -3 or jcmd)"),
    ])
    func aJavacoreSaysWhyItWasWritten(_ line: String, _ reason: String) throws {
        let dumps = DumpParsing.dumps(["0SECTION       TITLE subcomponent dump routine",
                                       "1TISIGINFO     " + line,
                                       "1TIDATETIME    Date: 2024/12/21 at 14:21:05:117",
                                       "0SECTION       THREADS subcomponent dump routine",
                                       "3XMTHREADINFO      \"main\" J9VMThread:0x1, omrthread_t:0x2, java/lang/Thread:0x3, state:R, prio=5",
                                       "4XESTACKTRACE                at java/lang/Thread.sleep(Native Method)"])
        #expect(dumps.first?.reason == reason)
    }
}
