import TriageKit

/// An IBM J9 javacore of a busy application server, with every section a real one has and
/// the thread mix of an incident: request threads parked waiting for an HttpClient pool, others
/// reading from a slow backend, a monitor many threads queue for, idle executors, JVM threads.
struct JavacoreGenerator {
    private var random = SplitMix64(seed: 0x1A7AC0)
    private var lines: [String] = []
    private var threadAddress: UInt64 = 0x0000_0000_0215_D000

    mutating func javacore(threads: Int) -> String {
        lines = []
        title()
        environment()
        memory()
        let lockOwner = "WebContainer : 7"
        let blockedCount = threads / 15
        locks(blocked: blockedCount, owner: lockOwner)
        threadSection(threads: threads, blocked: blockedCount, owner: lockOwner)
        classes()
        lines.append("NULL           ------------------------------------------------------------------------")
        lines.append("0SECTION       Javadump End section")
        lines.append("NULL           ---------------------- END OF DUMP -------------------------------------")
        return lines.joined(separator: "\n") + "\n"
    }

    private mutating func section(_ name: String) {
        lines.append("NULL           ------------------------------------------------------------------------")
        lines.append("0SECTION       \(name) subcomponent dump routine")
        lines.append("NULL           " + String(repeating: "=", count: name.count + 25))
    }

    private mutating func title() {
        lines.append("0SECTION       TITLE subcomponent dump routine")
        lines.append("NULL           ===============================")
        lines.append("1TICHARSET     UTF-8")
        lines.append("1TISIGINFO     Dump Event \"user\" (00004000) received")
        lines.append("1TIDATETIMEUTC Date: 2024/12/21 at 06:21:05:117 (UTC)")
        lines.append("1TIDATETIME    Date: 2024/12/21 at 14:21:05:117")
        lines.append("1TITIMEZONE    Timezone: (unavailable)")
        lines.append("1TINANOTIME    System nanotime: 5837213649011")
        lines.append("1TIFILENAME    Javacore filename:    /opt/IBM/WebSphere/AppServer/profiles/AppSrv01/javacore.20241221.142105.4242.0001.txt")
        lines.append("1TIREQFLAGS    Request Flags: 0x81 (exclusive+preempt)")
        lines.append("1TIPREPSTATE   Prep State: 0x106 (vm_access+exclusive_vm_access+trace_disabled)")
        section("GPINFO")
        lines.append("2XHOSLEVEL     OS Level         : Linux 3.10.0-1160.el7.x86_64")
        lines.append("2XHCPUS        Processors -")
        lines.append("3XHCPUARCH       Architecture   : amd64")
        lines.append("3XHNUMCPUS       How Many       : 8")
        lines.append("3XHNUMASUP       NUMA is either not supported or has been disabled by user")
    }

    private mutating func environment() {
        section("ENVINFO")
        lines.append("1CIJAVAVERSION JRE 1.8.0 Linux amd64-64 (build 8.0.7.20 - pxa6480sr7fp20-20221020_01(SR7 FP20))")
        lines.append("1CIVMVERSION   20221018_543012")
        lines.append("1CIJ9VMVERSION 04ee6d9")
        lines.append("1CIJITVERSION  tr.open_20221018_120815_04ee6d9")
        lines.append("1CIJITMODES    JIT enabled, AOT enabled, FSD disabled, HCR enabled")
        lines.append("1CIRUNNINGAS   Running as a standalone JVM")
        lines.append("1CIVMIDLESTATE VM Idle State: ACTIVE")
        lines.append("1CIPROCESSID   Process ID: 4242 (0x1092)")
        lines.append("1CICMDLINE     /opt/IBM/WebSphere/AppServer/java/8.0/bin/java -Xms2048m -Xmx4096m -Dcom.ibm.CORBA.ConfigURL=file:/opt/IBM/WebSphere/AppServer/profiles/AppSrv01/properties/sas.client.props com.ibm.wsspi.bootstrap.WSPreLauncher -nosplash -application com.ibm.ws.bootstrap.WSLauncher com.ibm.ws.runtime.WsServer /opt/IBM/WebSphere/AppServer/profiles/AppSrv01/config cell01 node01 server1")
        lines.append("1CIJAVAHOMEDIR Java Home Dir:   /opt/IBM/WebSphere/AppServer/java/8.0/jre")
        lines.append("1CIJAVADLLDIR  Java DLL Dir:    /opt/IBM/WebSphere/AppServer/java/8.0/jre/bin")
        lines.append("1CIUSERARGS    UserArgs:")
        for argument in ["-Xoptionsfile=/opt/IBM/WebSphere/AppServer/java/8.0/jre/lib/amd64/compressedrefs/options.default", "-Xlockword:mode=default", "-Xms2048m", "-Xmx4096m", "-Dcom.ibm.CORBA.ConfigURL=file:/opt/IBM/WebSphere/AppServer/profiles/AppSrv01/properties/sas.client.props", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8"] {
            lines.append("2CIUSERARG               \(argument)")
        }
        lines.append("1CIUSERLIMITS  User Limits (in bytes except for NOFILE and NPROC)")
        lines.append("2CIUSERLIMIT   RLIMIT_NOFILE                       65536                65536")
        lines.append("2CIUSERLIMIT   RLIMIT_NPROC                        63455                63455")
    }

    private mutating func memory() {
        section("NATIVEMEMINFO")
        lines.append("0MEMUSER")
        lines.append("1MEMUSER       JRE: 1,312,755,536 bytes / 18433 allocations")
        lines.append("1MEMUSER       |")
        lines.append("2MEMUSER       +--VM: 907,092,984 bytes / 14284 allocations")
        lines.append("2MEMUSER       |  |")
        lines.append("3MEMUSER       |  +--Classes: 149,901,656 bytes / 7338 allocations")
        lines.append("2MEMUSER       |  |")
        lines.append("3MEMUSER       |  +--Memory Manager (GC): 551,214,488 bytes / 1460 allocations")
        lines.append("3MEMUSER       |  |  |")
        lines.append("4MEMUSER       |  |  +--Java Heap: 536,932,352 bytes / 1 allocation")
        lines.append("3MEMUSER       |  |")
        lines.append("3MEMUSER       |  +--Threads: 101,482,024 bytes / 3120 allocations")
        section("MEMINFO")
        lines.append("1STHEAPTYPE    Object Memory")
        lines.append("1STHEAPSPACE   0x00007F7C4002A2B0         -- Generational")
        lines.append("1STHEAPREGION  0x00007F7C4002BA20 0x00000000C0000000 0x0000000100000000 0x0000000040000000 Generational/Tenured Region")
        lines.append("1STHEAPTOTAL   Total memory:        2147483648 (0x0000000080000000)")
        lines.append("1STHEAPINUSE   Total memory in use: 1721103208 (0x000000006695E268)")
        lines.append("1STHEAPFREE    Total memory free:    426380440 (0x000000001969A198)")
    }

    private mutating func locks(blocked: Int, owner: String) {
        section("LOCKS")
        lines.append("1LKPOOLINFO    Monitor pool info:")
        lines.append("2LKPOOLTOTAL     Current total number of monitors: 412")
        lines.append("NULL")
        lines.append("1LKMONPOOLDUMP Monitor Pool Dump (flat & inflated object-monitors):")
        lines.append("2LKMONINUSE      sys_mon_t:0x00007F7C2C01E408 infl_mon_t: 0x00007F7C2C01E488:")
        lines.append("3LKMONOBJECT       com/example/pricing/PriceCache@0x00000000E5D82380: Flat locked by \"\(owner)\" (J9VMThread:0x0000000002A45F00), entry count 1")
        lines.append("3LKWAITERQ            Waiting to enter:")
        for index in 0..<blocked {
            lines.append("3LKWAITER                \"WebContainer : \(1000 + index)\" (J9VMThread:0x\(hex(0x0000_0000_0900_0000 + UInt64(index) * 0x100, 16)))")
        }
        lines.append("2LKMONINUSE      sys_mon_t:0x00007F7C2C01E988 infl_mon_t: 0x00007F7C2C01EA08:")
        lines.append("3LKMONOBJECT       java/util/TaskQueue@0x00000000E0A12B70: <unowned>")
        lines.append("3LKNOTIFYQ            Waiting to be notified:")
        lines.append("3LKWAITNOTIFY            \"Executor Service Control Timer\" (J9VMThread:0x0000000002073A00)")
        lines.append("NULL")
        lines.append("1LKREGMONDUMP  JVM System Monitor Dump (registered monitors):")
        for name in ["Thread global", "Thread public flags mutex lock", "JIT sampling monitor", "VM class loader"] {
            lines.append("2LKREGMON          \(name) lock (0x00007F7C4000\(hex(UInt64(random.below(0xFFFF)), 4))): <unowned>")
        }
    }

    private mutating func threadSection(threads: Int, blocked: Int, owner: String) {
        section("THREADS")
        lines.append("NULL")
        lines.append("1XMPOOLINFO    JVM Thread pool info:")
        lines.append("2XMPOOLTOTAL       Current total number of pooled threads: \(threads + 8)")
        lines.append("2XMPOOLLIVE        Current total number of live threads: \(threads)")
        lines.append("2XMPOOLDAEMON      Current total number of live daemon threads: \(threads - 4)")
        lines.append("NULL")
        lines.append("1XMTHDINFO     Thread Details")
        lines.append("NULL")
        let waiters = threads * 6 / 10
        let readers = threads / 5
        var made = 0
        func next() -> Int { made += 1; return made }
        thread("Signal Dispatcher", id: next(), state: "R", frames: ["com/ibm/jvm/Dump.JavaDumpImpl(Native Method)", "com/ibm/jvm/Dump.triggerDump(Dump.java:563)"])
        thread(owner, id: next(), state: "R", frames: ["com/example/pricing/PriceCache.rebuild(PriceCache.java:212)", "com/example/pricing/PriceCache.get(PriceCache.java:88)"] + requestFrames, monitorFrame: 1)
        for index in 0..<blocked {
            thread("WebContainer : \(1000 + index)", id: next(), state: "B",
                   block: "Blocked on: com/example/pricing/PriceCache@0x00000000E5D82380 Owned by: \"\(owner)\" (J9VMThread:0x0000000002A45F00, java/lang/Thread:0x00000000E1B3B2B8)",
                   frames: ["com/example/pricing/PriceCache.get(PriceCache.java:85)"] + requestFrames)
        }
        for index in 0..<waiters {
            thread("WebContainer : \(2000 + index)", id: next(), state: "P",
                   block: "Parked on: java/util/concurrent/locks/AbstractQueuedSynchronizer$ConditionObject@0x00000000E2A61C88 Owned by: <unknown>",
                   frames: ["sun/misc/Unsafe.park(Native Method)", "java/util/concurrent/locks/LockSupport.parkUntil(LockSupport.java:287)",
                            "java/util/concurrent/locks/AbstractQueuedSynchronizer$ConditionObject.awaitUntil(AbstractQueuedSynchronizer.java:2181)",
                            "org/apache/http/pool/AbstractConnPool.getPoolEntryBlocking(AbstractConnPool.java:380)",
                            "org/apache/http/pool/AbstractConnPool.access$200(AbstractConnPool.java:69)",
                            "org/apache/http/pool/AbstractConnPool$2.get(AbstractConnPool.java:246)",
                            "org/apache/http/impl/conn/PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:282)",
                            "org/apache/http/impl/execchain/MainClientExec.execute(MainClientExec.java:191)",
                            "org/apache/http/impl/client/InternalHttpClient.doExecute(InternalHttpClient.java:185)",
                            "com/example/search/SearchClient.query(SearchClient.java:77)"] + requestFrames, parked: true)
        }
        for index in 0..<readers {
            thread("WebContainer : \(4000 + index)", id: next(), state: "R",
                   frames: ["java/net/SocketInputStream.socketRead0(Native Method)", "java/net/SocketInputStream.socketRead(SocketInputStream.java:127)",
                            "java/net/SocketInputStream.read(SocketInputStream.java:182)",
                            "org/apache/http/impl/io/SessionInputBufferImpl.streamRead(SessionInputBufferImpl.java:137)",
                            "org/apache/http/impl/io/SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:153)",
                            "org/apache/http/impl/execchain/MainClientExec.execute(MainClientExec.java:272)",
                            "com/example/search/SearchClient.query(SearchClient.java:77)"] + requestFrames)
        }
        while made < threads {
            let index = made
            thread("Default Executor-thread-\(index)", id: next(), state: "P",
                   block: "Parked on: java/util/concurrent/SynchronousQueue$TransferStack@0x00000000E06F1\(hex(UInt64(index % 4096), 3)) Owned by: <unknown>",
                   frames: ["sun/misc/Unsafe.park(Native Method)", "java/util/concurrent/locks/LockSupport.parkNanos(LockSupport.java:226)",
                            "java/util/concurrent/SynchronousQueue$TransferStack.awaitFulfill(SynchronousQueue.java:471)",
                            "java/util/concurrent/SynchronousQueue.poll(SynchronousQueue.java:952)",
                            "java/util/concurrent/ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1084)",
                            "java/util/concurrent/ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1145)",
                            "java/util/concurrent/ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:620)",
                            "java/lang/Thread.run(Thread.java:822)"], parked: true)
        }
    }

    private let requestFrames = [
        "com/example/web/SearchServlet.doGet(SearchServlet.java:41)",
        "javax/servlet/http/HttpServlet.service(HttpServlet.java:687)",
        "javax/servlet/http/HttpServlet.service(HttpServlet.java:790)",
        "com/ibm/ws/webcontainer/servlet/ServletWrapper.service(ServletWrapper.java:1230)",
        "com/ibm/ws/webcontainer/servlet/ServletWrapper.handleRequest(ServletWrapper.java:729)",
        "com/ibm/ws/webcontainer/webapp/WebApp.handleRequest(WebApp.java:5102)",
        "com/ibm/ws/webcontainer/channel/WCChannelLink.ready(WCChannelLink.java:538)",
        "com/ibm/ws/http/channel/inbound/impl/HttpInboundLink.handleDiscrimination(HttpInboundLink.java:504)",
        "com/ibm/ws/tcpchannel/internal/WorkQueueManager.workerRun(WorkQueueManager.java:1019)",
        "com/ibm/ws/util/ThreadPool$Worker.run(ThreadPool.java:1892)",
    ]

    private mutating func thread(_ name: String, id: Int, state: String, block: String? = nil, frames: [String],
                                 monitorFrame: Int? = nil, parked: Bool = false) {
        threadAddress += 0x100
        let address = hex(threadAddress, 16)
        lines.append("3XMTHREADINFO      \"\(name)\" J9VMThread:0x\(address), omrthread_t:0x00007F7C\(hex(UInt64(random.below(0xFFFFFFFF)), 8)), java/lang/Thread:0x00000000\(hex(UInt64(0xE000_0000 + id * 0x40), 8)), state:\(state), prio=5")
        lines.append("3XMJAVALTHREAD            (java/lang/Thread getId:0x\(hex(UInt64(id + 16), 1)), isDaemon:true)")
        lines.append("3XMTHREADINFO1            (native thread ID:0x\(hex(UInt64(0x1000 + id), 1)), native priority:0x5, native policy:UNKNOWN, vmstate:\(state == "R" ? "R" : "CW"), vm thread flags:0x000\(state == "B" ? "00201" : "00081"))")
        lines.append("3XMTHREADINFO2            (native stack address range from:0x00007F7B\(hex(UInt64(id) * 0x40000, 8)), to:0x00007F7B\(hex(UInt64(id) * 0x40000 + 0x40000, 8)), size:0x40000)")
        lines.append("3XMCPUTIME               CPU usage total: \(random.below(90)).\(String(format: "%09d", random.below(1_000_000_000))) secs, current category=\"Application\"")
        if let block { lines.append("3XMTHREADBLOCK     \(block)") }
        lines.append("3XMHEAPALLOC             Heap bytes allocated since last GC cycle=\(random.below(8_000_000)) (0x\(hex(UInt64(random.below(8_000_000)), 1)))")
        lines.append("3XMTHREADINFO3           Java callstack:")
        for (index, frame) in frames.enumerated() {
            lines.append("4XESTACKTRACE                at \(frame)")
            if index == 0 && parked {
                lines.append("5XESTACKTRACE                   (entered lock: java/util/concurrent/locks/AbstractQueuedSynchronizer$ConditionObject@0x00000000E2A61C88, entry count: 1)")
            }
            if index == monitorFrame {
                lines.append("5XESTACKTRACE                   (entered lock: com/example/pricing/PriceCache@0x00000000E5D82380, entry count: 1)")
            }
        }
        lines.append("3XMTHREADINFO3           Native callstack:")
        for library in ["libj9thr29.so+0xb0b2", "libj9vm29.so+0x125a1", "libj9vm29.so+0x1a6e8", "libjclse29.so+0x2c1c8", "libj9thr29.so+0xe336", "libpthread.so.0+0x94e2"] {
            lines.append("4XENATIVESTACK               (0x00007F7C\(hex(UInt64(random.below(0xFFFFFFFF)), 8)) [\(library)])")
        }
        lines.append("4XENATIVESTACK               clone+0x43 (0x00007F7C43E88643 [libc.so.6+0x101643])")
        lines.append("NULL")
    }

    private mutating func classes() {
        section("CLASSES")
        lines.append("1CLTEXTCLLOS   \tClassloader summaries")
        lines.append("1CLTEXTCLLSS   \t\t12345678: 1=primordial,2=extension,3=shareable,4=middleware,5=system,6=trusted,7=application,8=delegating")
        lines.append("2CLTEXTCLLOADER\t\tp---st-- Loader *System*(0x00000000E0010F48)")
        lines.append("3CLNMBRLOADEDLIB\t\tNumber of loaded libraries 6")
        lines.append("3CLNMBRLOADEDCL\t\t\tNumber of loaded classes 3412")
        for index in 0..<400 {
            lines.append("3CLTEXTCLASS   \t\t\tcom/example/generated/Type\(index)(0x00000000\(hex(UInt64(0x0208_0000 + index * 0x200), 8)) shared)")
        }
    }

    private func hex(_ value: UInt64, _ width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
