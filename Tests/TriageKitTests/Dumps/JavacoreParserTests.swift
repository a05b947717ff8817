import Testing
@testable import TriageKit

@Suite struct JavacoreParserTests {
    static let javacore = [
        "0SECTION       TITLE subcomponent dump routine",
        "1TICHARSET     UTF-8",
        "1TIDATETIME    Date: 2024/12/21 at 14:20:05:117",
        "0SECTION       THREADS subcomponent dump routine",
        "1XMCURTHDINFO  Current thread",
        "3XMTHREADINFO      \"search-worker-1\" J9VMThread:0x0000000001F77C00, omrthread_t:0x00002AE3F0013AD8, java/lang/Thread:0x00000000E05FF288, state:P, prio=5",
        "3XMJAVALTHREAD            (java/lang/Thread getId:0x25, isDaemon:false)",
        "1XMTHDINFO     Thread Details",
        "3XMTHREADINFO      Anonymous native thread",
        "3XMTHREADINFO1            (native thread ID:0xD2, native priority: 0x0, native policy:UNKNOWN)",
        "3XMTHREADINFO      \"search-worker-2\" J9VMThread:0x0000000001F78C00, omrthread_t:0x00002AE3F0014AD8, java/lang/Thread:0x00000000E05FF388, state:B, prio=5",
        "3XMJAVALTHREAD            (java/lang/Thread getId:0x26, isDaemon:true)",
        "3XMTHREADINFO1            (native thread ID:0xF2F, native priority:0x5, native policy:UNKNOWN, vmstate:B, vm thread flags:0x00000181)",
        "3XMCPUTIME               CPU usage total: 77.700000000 secs, current category=\"Application\"",
        "3XMTHREADBLOCK     Blocked on: com/example/AuditLog@0x00000000E06FA928 Owned by: \"audit\" (J9VMThread:0x000000000399E100, java/lang/Thread:0x00000000E06AFAC8)",
        "3XMTHREADINFO3           Java callstack:",
        "4XESTACKTRACE                at com/example/AuditLog.write(AuditLog.java:30)",
        "5XESTACKTRACE                   (entered lock: com/example/Session@0x00000000E05FF328, entry count: 1)",
        "4XESTACKTRACE                at com/example/Search.run(Search.java:12)",
        "0SECTION       HOOK subcomponent dump routine",
        "1LKDEADLOCK    Deadlock detected !!!",
        "2LKDEADLOCKTHR  Thread \"a\" (0x0000000002279600)",
        "2LKDEADLOCKTHR  Thread \"b\" (0x0000000004113800)",
        "2LKDEADLOCKTHR  Thread \"a\" (0x0000000002279600)",
        "0SECTION       Javadump End section",
    ]

    @Test func readsThreadsByTheirTags() throws {
        let dump = try #require(DumpParsing.threads(JavacoreParserTests.javacore, javacore: true).first)
        #expect(dump.timestamp?.text == "2024-12-21 14:20:05.117")
        // The current thread (only under 1XMCURTHDINFO) is kept, the anonymous native one is not.
        #expect(dump.threads.map(\.name) == ["search-worker-1", "search-worker-2"])
        let blocked = dump.threads[1]
        #expect(blocked.state == .blocked)
        #expect(blocked.nativeId == 0xF2F)
        #expect(blocked.daemon)
        #expect(blocked.cpuMilliseconds == 77_700)
        #expect(blocked.waitKind == .monitorEntry)
        #expect(blocked.waitingFor?.key == "e06fa928")
        #expect(blocked.waitingForOwner == "audit")
        #expect(blocked.frames.map { dump.frames[$0] } == ["com.example.AuditLog.write(AuditLog.java:30)", "com.example.Search.run(Search.java:12)"])
        #expect(blocked.lockedMonitors.map(\.lock.key) == ["e05ff328"])
        #expect(dump.reportedDeadlocks == [["a", "b"]])
    }

    @Test func readsTheLegacyFormat() throws {
        let dump = try #require(DumpParsing.threads([
            "0SECTION       TITLE subcomponent dump routine",
            "0SECTION       XM subcomponent dump routine",
            "1XMTHDINFO     All Thread Details",
            "2XMFULLTHDDUMP Full thread dump Classic VM (J2RE 1.4.2 IBM Windows 32 build cn142sr1w-20041028, native threads):",
            "3XMTHREADINFO      \"ExecuteThread: '3' for queue: 'JMS.TimerClientPool'\" (TID:0x2BDE718, sys_thread_t:0x10DD9048, state:CW, native ID:0xCD0) prio=5",
            "4XESTACKTRACE          at java.lang.Object.wait(Native Method)",
        ], javacore: true).first)
        #expect(dump.format == .javacoreLegacy)
        #expect(dump.threads.first?.name == "ExecuteThread: '3' for queue: 'JMS.TimerClientPool'")
        #expect(dump.threads.first?.state == .waiting)
        #expect(dump.threads.first?.nativeId == 0xCD0)
    }
}
