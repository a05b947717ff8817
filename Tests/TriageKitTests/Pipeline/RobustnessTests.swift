import Testing
@testable import TriageKit

/// Inputs cut anywhere and shuffled — a split file, a rotated log, a truncated copy — never
/// crash the pipeline: thousands of random arrangements of real line shapes are read whole.
struct RobustnessTests {
    /// Line shapes from every kind of section triage reads.
    static let shapes = [
        "2024-12-21 13:26:03,117 ERROR [http-nio-8080-exec-12] c.e.order.InventoryClient - lookup failed for http://10.20.1.15:8080/api",
        "2024-12-21 13:26:03.117  WARN 1 --- [pool-2-thread-3] c.e.sync.PriceFeed : poll failed",
        "21-Dec-2024 13:26:03.117 SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed",
        "[12/21/24 13:26:03:117 CST] 0000002a SystemErr     R java.net.SocketException: Connection reset",
        "[12/21/24 13:26:03:117 CST] 0000002a SystemErr     R \tat java.net.SocketInputStream.read(SocketInputStream.java:210)",
        "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
        "org.apache.http.conn.ConnectionPoolTimeoutException: Timeout waiting for connection from pool",
        "Caused by: java.net.BindException: Cannot assign requested address",
        "Caused by: ",
        "\tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager.leaseConnection(PoolingHttpClientConnectionManager.java:316)",
        "\tat java.base@17.0.15/java.lang.Thread.run(Thread.java:833)",
        // Frame names found by memchr and read backwards: prefixes, hidden classes, no `(`.
        "\tat app//c.e.Svc$$Lambda$412/0x0000000800c4d840.apply(Unknown Source)",
        "\tat /(",
        "\tat java.base@17/java.lang.Object.wait(java.base@17/Native Method)",
        "\tat (",
        "\tat x.(y/z/0x)",
        "org.apache.http.conn.HttpHostConnectException: Connect to :8080 [/:] failed: connect to http://:/ 1.2.3.4: http://a:99999",
        "\tat ",
        "\t... 12 more",
        "\tSuppressed: java.io.IOException: close failed",
        "AxisFault",
        " faultString: java.net.SocketException: No buffer space available (maximum connections reached?): connect",
        "\t{http://xml.apache.org/axis/}stackTrace:java.net.SocketException: boom",
        "Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):",
        "\"worker-1\" #31 daemon prio=5 os_prio=0 cpu=10.00ms elapsed=1.00s tid=0x00007f2a1c0e1000 nid=0x5d31 waiting on condition  [0x00007f29f7bfe000]",
        "\"",
        "\"unterminated #3 prio=5",
        "   java.lang.Thread.State: WAITING (parking)",
        "\t- parking to wait for  <0x00000000c2a4e818> (a java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject)",
        "\t- waiting to lock <0x",
        "\t- locked <0x00000000c2a4e818>",
        "   Locked ownable synchronizers:",
        "Found one Java-level deadlock:",
        "=============================",
        "JNI global references: 12",
        "0SECTION       THREADS subcomponent dump routine",
        "3XMTHREADINFO      \"Default Executor-thread-1\" J9VMThread:0x0000000002A45F00, omrthread_t:0x0, java/lang/Thread:0x0, state:B, prio=5",
        "3XMTHREADBLOCK     Blocked on: java/lang/Object@0x00000000E5D82380 Owned by: \"x\"",
        "4XESTACKTRACE                at com/example/Foo.bar(Foo.java:1)",
        "1LKDEADLOCK    Deadlock detected !!!",
        "{\"threadDump\": {",
        "{\"threads\":[{\"threadName\":\"main\"",
        "top - 13:26:03 up 10 days,  1:02,  1 user,  load average: 1.00, 1.00, 1.00",
        "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
        " 4242 app       20   0 8123456 1.2g  12345 R  99.9   3.2   1:23.45 java",
        "Active Internet connections (servers and established)",
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name",
        "tcp        0      0 10.20.1.15:41022        10.20.30.40:9200        CLOSE_WAIT  4242/java",
        "tcp        0      0 :                       :                       ",
        "Active Connections",
        "  Proto  Local Address          Foreign Address        State           PID",
        "  TCP    10.20.1.42:49200       10.20.1.15:8080        TIME_WAIT       0",
        " [java.exe]",
        "State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process",
        "CLOSE-WAIT 1      0         10.20.1.15:51022 10.20.30.40:9200  users:((\"java\",pid=4242,fd=87))",
        "ESTAB 0 0 [::ffff:10.0.0.1]:1 [",
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4105",
        "   1: ZZZZ:1 0:0 0",
        "COMMAND  PID USER   FD   TYPE  DEVICE SIZE/OFF NODE NAME",
        "java    4242 app   45u  IPv6  81299      0t0  TCP 10.20.1.15:51022->10.20.30.40:9200 (CLOSE_WAIT)",
        "net.ipv4.ip_local_port_range = 40000\t40099",
        "net.ipv4.tcp_tw_recycle = 1",
        "net.ipv4.ip_local_port_range = 9\t1",
        "\"MaxUserPort\"=dword:0000fffe",
        "Windows Registry Editor Version 5.00",
        "Protocol tcp Dynamic Port Range",
        "Start Port      : 49152",
        "Tue Nov  5 22:40:42 UTC 2019",
        "2024-12-21 13:26:03",
        "",
        "\u{FFFD}\u{0}\u{7}garbage \u{1B}[31m",
        "maxPerRoute=400 route allocated: 5 of 0",
    ]

    @Test func survivesThousandsOfRandomArrangements() {
        var state: UInt64 = 0x7E57
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var findings = 0
        for round in 0..<2_000 {
            var lines: [String] = []
            for _ in 0..<(5 + next(60)) {
                var line = Self.shapes[next(Self.shapes.count)]
                // Cut some lines short, as a truncated copy does.
                if next(8) == 0, !line.isEmpty { line = String(line.prefix(next(line.count))) }
                lines.append(line)
            }
            let report = Analyze.report(Analyze.lines(lines), name: "random-\(round).log")
            findings += report.findings.count
        }
        // Not a figure to keep: it only shows the rounds were analysed, not skipped.
        #expect(findings > 0)
    }
}
