import Testing
@testable import TriageKit

@Suite struct HotSpotDumpParserTests {
    @Test func readsHeadersFromJDK5To25() throws {
        let dump = try #require(DumpParsing.threads([
            "Full thread dump OpenJDK 64-Bit Server VM (25+36-LTS mixed mode, sharing):",
            "",
            "\"main\" #3 [5379] prio=5 os_prio=31 cpu=897.33ms elapsed=25.60s allocated=308M defined_classes=3326 tid=0x0000000123009e00 nid=5379 runnable  [0x000000016fcb7000]",
            "   java.lang.Thread.State: RUNNABLE",
            "\tat java.io.FileInputStream.readBytes(java.base@25/Native Method)",
            "",
            "\"http-nio-8080-exec-7\" #41 daemon prio=5 os_prio=0 cpu=12.04ms elapsed=300.10s tid=0x00007f1c8c2b5800 nid=0x2f3a waiting on condition  [0x00007f1c4d7fc000]",
            "   java.lang.Thread.State: WAITING (parking)",
            "\tat jdk.internal.misc.Unsafe.park(java.base@17.0.15/Native Method)",
            "",
            "\"VM Thread\" os_prio=0 cpu=80.00ms elapsed=300.20s tid=0x00007f1c8c0b1000 nid=0x2f01 runnable",
            "",
            "\"Old JDK 5 thread\" daemon prio=10 tid=0x0805d400 nid=0x1c in Object.wait() [0xb6f1e000..0xb6f1eeb0]",
            "\tat java.lang.Object.wait(Native Method)",
            "",
            "JNI global refs: 15, weak refs: 0",
        ]).first)
        #expect(dump.jvm == "OpenJDK 64-Bit Server VM (25+36-LTS mixed mode, sharing)")
        #expect(dump.threads.map(\.name) == ["main", "http-nio-8080-exec-7", "VM Thread", "Old JDK 5 thread"])
        #expect(dump.threads.map(\.nativeId) == [5379, 0x2f3a, 0x2f01, 0x1c])
        #expect(dump.threads.map(\.state) == [.runnable, .waiting, .runnable, .waiting])
        #expect(dump.threads[0].cpuMilliseconds == 897.33)
        #expect(dump.threads[1].daemon)
        #expect(dump.threads[1].stateDetail == "parking")
        #expect(dump.threads[1].poolName == "http-nio-8080-exec-*")
        #expect(dump.frames[dump.threads[1].frames[0]] == "jdk.internal.misc.Unsafe.park(Native Method)")
    }

    /// State lines and the older header wording are read from bytes: every state, each of the
    /// JVM's details (and one it does not print), a detail-less line, VisualVM's `on` form.
    @Test func readsEveryStateLineShape() throws {
        func thread(_ number: Int, _ header: String, _ state: String?) -> [String] {
            ["\"t\(number)\" #\(number) prio=5 os_prio=0 tid=0x\(number) nid=0x\(number) \(header)  [0x0]"]
                + (state.map { ["   java.lang.Thread.State: \($0)"] } ?? []) + ["\tat a.B.c(B.java:1)", ""]
        }
        var lines = ["Full thread dump Java HotSpot(TM) 64-Bit Server VM (25.202-b08 mixed mode):", ""]
        lines += thread(1, "runnable", "RUNNABLE")
        lines += thread(2, "sleeping", "TIMED_WAITING (sleeping)")
        lines += thread(3, "in Object.wait()", "WAITING (on object monitor)")
        lines += thread(4, "waiting for monitor entry", "BLOCKED (on object monitor)")
        lines += thread(5, "waiting on condition", "TIMED_WAITING (parking)")
        lines += thread(6, "waiting on condition", "WAITING (on a virtual thread's whim)")
        lines += thread(7, "", "TIMED_WAITING on java.util.TaskQueue@7311acb7")
        lines += thread(8, "waiting for monitor entry", nil)
        lines += thread(9, "sleeping", nil)
        lines += thread(10, "waiting on condition", nil)
        lines += thread(11, "runnable", "NEW")
        lines += thread(12, "", "TERMINATED")
        let dump = try #require(DumpParsing.threads(lines).first)
        #expect(dump.threads.map(\.state) == [
            .runnable, .timedWaiting, .waiting, .blocked, .timedWaiting, .waiting, .timedWaiting,
            .blocked, .timedWaiting, .waiting, .new, .terminated,
        ])
        #expect(dump.threads.map(\.stateDetail) == [
            nil, "sleeping", "on object monitor", "on object monitor", "parking", "on a virtual thread's whim",
            nil, nil, nil, nil, nil, nil,
        ])
        #expect(dump.threads[6].waitingFor?.key == "java.util.TaskQueue@7311acb7")
        #expect(dump.threads[6].waitKind == .objectWait)
    }

    /// Native ids read from bytes agree with the text path on every form a dump prints and on
    /// the odd ones (too long, not a number, beyond any thread id).
    @Test func readsNativeIdsAsTextDoes() {
        for text in ["0x2f3a", "0X2F3A", "0xABCDEF", "12090", "0", "0x", "", "0x7fffffffffffffff", "0x10000000000000000",
                     "123456789012345678901", "0x2g", "12a", "-5", "+7", "0xffffffffffffff"] {
            let expected = HotSpotDumpParser.number(text[...])
            let found = Array(text.utf8).withUnsafeBytes { HotSpotDumpParser.number($0) }
            #expect(found == expected, "\(text)")
        }
        #expect(Array("0x2f3a".utf8).withUnsafeBytes { HotSpotDumpParser.number($0) } == 0x2f3a)
        #expect(HotSpotDumpParser.number("0xffffffffffff"[...]) == 0xffff_ffff_ffff)
        #expect(HotSpotDumpParser.number("0x1000000000001"[...]) == nil, "beyond 2^48: not a thread id")
    }

    /// Dump frames are cut as trace frames are (one `nameStart`): module and class-loader
    /// prefixes go, a hidden class keeps its `/0x…`.
    @Test func cutsFramePrefixesButKeepsHiddenClasses() throws {
        let dump = try #require(DumpParsing.threads([
            "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode, sharing):",
            "",
            "\"main\" #1 prio=5 os_prio=0 cpu=12.00ms elapsed=9.00s tid=0x1 nid=0x10 runnable  [0x0]",
            "   java.lang.Thread.State: RUNNABLE",
            "\tat com.example.Svc$$Lambda$412/0x0000000800c4d840.apply(Unknown Source)",
            "\tat app//com.example.Main.main(Main.java:5)",
            "\tat java.base@17.0.15/java.lang.Thread.run(java.base@17.0.15/Thread.java:833)",
            "",
        ]).first)
        #expect(dump.threads[0].frames.map { dump.frames[$0] } == [
            "com.example.Svc$$Lambda$412/0x0000000800c4d840.apply(Unknown Source)",
            "com.example.Main.main(Main.java:5)",
            "java.lang.Thread.run(Thread.java:833)",
        ])
    }

    @Test func readsLocksOwnableSynchronizersAndWaits() throws {
        let dump = try #require(DumpParsing.threads([
            "Full thread dump Java HotSpot(TM) 64-Bit Server VM (25.202-b08 mixed mode):",
            "",
            "\"a\" #10 prio=5 os_prio=0 tid=0x1 nid=0x10 waiting on condition [0x0]",
            "   java.lang.Thread.State: WAITING (parking)",
            "\tat sun.misc.Unsafe.park(Native Method)",
            "\t- parking to wait for  <0x00000000f25a3c10> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)",
            "\tat java.util.concurrent.locks.ReentrantLock.lock(ReentrantLock.java:285)",
            "\tat com.example.A.run(A.java:10)",
            "\t- locked <0x000000071b6a2e00> (a com.example.Account)",
            "",
            "   Locked ownable synchronizers:",
            "\t- <0x00000000f25a3b28> (a java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync)",
            "",
            "\"finalizer\" #3 daemon prio=8 os_prio=0 tid=0x2 nid=0x11 in Object.wait() [0x0]",
            "   java.lang.Thread.State: WAITING (on object monitor)",
            "\tat java.lang.Object.wait(Native Method)",
            "\t- waiting on <0x00000000c0010a88> (a java.lang.ref.ReferenceQueue$Lock)",
            "\tat java.lang.ref.ReferenceQueue.remove(ReferenceQueue.java:144)",
            "\t- locked <0x00000000c0010a88> (a java.lang.ref.ReferenceQueue$Lock)",
        ]).first)
        let a = dump.threads[0]
        #expect(a.waitKind == .parked)
        #expect(a.waitingFor == LockReference(key: "f25a3c10", className: "java.util.concurrent.locks.ReentrantLock$NonfairSync"))
        #expect(a.heldLocks.map(\.key) == ["71b6a2e00", "f25a3b28"])
        #expect(a.lockedMonitors.first?.frame == 2)
        // A monitor released by wait() is not held.
        let finalizer = dump.threads[1]
        #expect(finalizer.waitKind == .objectWait)
        #expect(finalizer.heldLocks.isEmpty)
    }

    @Test func readsTheDeadlockReportWithoutCountingItsStacksAsThreads() throws {
        let dump = try #require(DumpParsing.threads([
            "Full thread dump OpenJDK 64-Bit Server VM (11.0.1+13 mixed mode):",
            "",
            "\"main\" #1 prio=5 os_prio=0 tid=0x1 nid=0x5 waiting for monitor entry  [0x0]",
            "   java.lang.Thread.State: BLOCKED (on object monitor)",
            "\tat Test.main(Test.java:13)",
            "\t- waiting to lock <0x000000070fe20f58> (a java.lang.Object)",
            "\t- locked <0x000000070fe20f48> (a java.lang.Object)",
            "",
            "\"Thread-0\" #12 prio=5 os_prio=0 tid=0x2 nid=0x6 waiting for monitor entry  [0x0]",
            "   java.lang.Thread.State: BLOCKED (on object monitor)",
            "\tat Test.lambda$main$0(Test.java:8)",
            "\t- waiting to lock <0x000000070fe20f48> (a java.lang.Object)",
            "\t- locked <0x000000070fe20f58> (a java.lang.Object)",
            "",
            "Found one Java-level deadlock:",
            "=============================",
            "\"main\":",
            "  waiting to lock monitor 0x00007fcefca13e00 (object 0x000000070fe20f58, a java.lang.Object),",
            "  which is held by \"Thread-0\"",
            "\"Thread-0\":",
            "  waiting to lock monitor 0x00007fcefca13f00 (object 0x000000070fe20f48, a java.lang.Object),",
            "  which is held by \"main\"",
            "",
            "Java stack information for the threads listed above:",
            "===================================================",
            "\"main\":",
            "\tat Test.main(Test.java:13)",
            "\"Thread-0\":",
            "\tat Test.lambda$main$0(Test.java:8)",
            "",
            "Found 1 deadlock.",
        ]).first)
        #expect(dump.threads.count == 2)
        #expect(dump.reportedDeadlocks == [["main", "Thread-0"]])
    }

    @Test func readsVisualVMJMXAndThreadInfoHeaders() throws {
        let visualVM = try #require(DumpParsing.threads([
            "Full thread dump Java HotSpot(TM) 64-Bit Server VM (11.0-b15 mixed mode):",
            "\"Timer-180\" - Thread t@332",
            "   java.lang.Thread.State: TIMED_WAITING on java.util.TaskQueue@7311acb7",
            "\tat java.lang.Object.wait(Native Method)",
        ]).first)
        #expect(visualVM.format == .visualVM)
        #expect(visualVM.threads.first?.javaId == "t@332")
        #expect(visualVM.threads.first?.waitingFor?.key == "java.util.TaskQueue@7311acb7")
        let jmx = try #require(DumpParsing.threads([
            "\"worker-2\" Id=13 BLOCKED on java.lang.Object@6d06d69c owned by \"worker-1\" Id=12",
            "\tat com.example.Ledger.transfer(Ledger.java:41)",
            "\t-  blocked on java.lang.Object@6d06d69c",
            "\t-  locked java.lang.Object@7852e922",
        ]).first)
        #expect(jmx.format == .jmx)
        #expect(jmx.threads.first?.state == .blocked)
        #expect(jmx.threads.first?.waitKind == .monitorEntry)
        #expect(jmx.threads.first?.heldLocks.map(\.key) == ["java.lang.Object@7852e922"])
    }

    @Test func stripsAWrapperPrefixFromEveryLine() throws {
        let dump = try #require(DumpParsing.threads([
            "INFO   | jvm 1    | 2024/12/21 13:26:03 | Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):",
            "INFO   | jvm 1    | 2024/12/21 13:26:03 | ",
            "INFO   | jvm 1    | 2024/12/21 13:26:03 | \"main\" #1 prio=5 os_prio=0 tid=0x1 nid=0x5 runnable  [0x0]",
            "INFO   | jvm 1    | 2024/12/21 13:26:03 |    java.lang.Thread.State: RUNNABLE",
            "INFO   | jvm 1    | 2024/12/21 13:26:04 | \tat com.example.Main.main(Main.java:5)",
        ]).first)
        #expect(dump.threads.map(\.name) == ["main"])
        #expect(dump.threads.first?.frames.count == 1)
    }

    @Test func splitsSeveralDumpsAndTakesTheirTimestamps() {
        let dumps = DumpParsing.dumps([
            "2024-12-21 13:26:00",
            "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):",
            "\"main\" #1 prio=5 os_prio=0 tid=0x1 nid=0x5 runnable  [0x0]",
            "   java.lang.Thread.State: RUNNABLE",
            "",
            "2024-12-21 13:26:10",
            "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):",
            "\"main\" #1 prio=5 os_prio=0 tid=0x1 nid=0x5 runnable  [0x0]",
            "   java.lang.Thread.State: RUNNABLE",
            "\"second\" #2 prio=5 os_prio=0 tid=0x2 nid=0x6 runnable  [0x0]",
            "   java.lang.Thread.State: RUNNABLE",
        ])
        #expect(dumps.map(\.threads) == [1, 2])
        #expect(dumps.map { $0.time?.text } == ["2024-12-21 13:26:00.000", "2024-12-21 13:26:10.000"])
        #expect(dumps.map(\.line) == [2, 7])
    }

    /// Frames are interned by a hash of their bytes and confirmed by comparing the bytes: the
    /// same text gets the same id, a different text of the same length a new one.
    @Test func internsFramesByTheirBytes() {
        let table = FrameTable()
        func intern(_ text: String) -> Int32 {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBytes { table.intern(bytes: UnsafeRawBufferPointer($0)) }
        }
        let read = intern("java.net.SocketInputStream.socketRead0(Native Method)")
        let write = intern("java.net.SocketInputStream.socketWrit0(Native Method)")
        #expect(read != write)
        #expect(intern("java.net.SocketInputStream.socketRead0(Native Method)") == read)
        #expect(table[read] == "java.net.SocketInputStream.socketRead0(Native Method)")
        #expect(intern("") == intern(""))
        #expect(table.texts.count == 3)
        // Through the table's growth (it doubles past half full): every frame keeps its id,
        // and frames of equal length differing in one byte stay apart.
        let many = (0..<5_000).map { "com.example.Service\($0 % 97).call\($0)(Service.java:\($0))" }
        let ids = many.map(intern)
        #expect(Set(ids).count == many.count)
        #expect(many.map(intern) == ids)
        #expect(ids.map { table[$0] } == many)
        #expect(table.intern("java.net.SocketInputStream.socketRead0(Native Method)") == read)
        #expect(table.texts.count == 3 + many.count)
    }
}
