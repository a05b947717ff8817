/// The entry points the fuzzers drive: each feeds arbitrary bytes to one stage of the pipeline
/// (and the analysis right after it), the way the stage meets input in a real run. They live in
/// the library so that `triage-fuzz` (libFuzzer) and the test suite's smoke run call the same
/// code; nothing here may trap, hang or grow without bound on any input.
public struct FuzzTarget: Sendable {
    public let name: String
    public let summary: String
    /// Tokens the mutator splices in (libFuzzer's `-dict`): the words the stage looks for.
    public let dictionary: [String]
    /// Whether a seed chunk is worth starting from (its text holds what the stage reads).
    let seedFilter: @Sendable (String) -> Bool
    /// A seed of its own, for a stage the samples do not feed (no sample carries `top -H`).
    var example: String? = nil
    /// Seeds built from a piece of sample text (archives wrapped around it).
    var wrapSeed: (@Sendable ([UInt8]) -> [[UInt8]])? = nil
    public let run: @Sendable (UnsafeRawBufferPointer) -> Void

    public func isSeed(_ text: String) -> Bool { seedFilter(text) }

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "lines", summary: "sniffing, gzip, UTF-16 and legacy transcoding, the line reader",
                   dictionary: ["\u{1F}\u{8B}\u{08}\u{00}", "\u{FF}\u{FE}", "\u{FE}\u{FF}", "\u{EF}\u{BB}\u{BF}", "\r\n", "\n",
                                "\u{0}", "PK\u{3}\u{4}", "BZh", "\u{FD}7zXZ"],
                   seedFilter: { _ in true }, run: { FuzzTarget.lines($0, encoding: nil) }),
        FuzzTarget(name: "lines-legacy", summary: "the line reader over --encoding gbk",
                   dictionary: ["\u{81}\u{40}", "\u{FE}\u{FE}", "\r\n", "\n"],
                   seedFilter: { _ in true }, run: { FuzzTarget.lines($0, encoding: .gbk) }),
        FuzzTarget(name: "log-records", summary: "log header parser and record assembler",
                   dictionary: logWords, seedFilter: { $0.contains(" ERROR ") || $0.contains(" WARN") || $0.contains("SEVERE") },
                   run: FuzzTarget.records),
        FuzzTarget(name: "platform-logs", summary: "container wrappers and JSON log events, into log records",
                   dictionary: ["{\"log\":\"", "\",\"stream\":\"stdout\",\"time\":\"", " stdout F ", " stderr P ", "[pod/a/b] ",
                                "orders-1  | ", "2026-03-09T14:03:34.892345678Z ", "\"@timestamp\":", "\"message\":",
                                "\"stack_trace\":", "\"level\":", "\"thrown\":{", "\"extendedStackTrace\":[", "\"cause\":{",
                                "\"error\":{", "\"log.level\":", "\"timeMillis\":", "\"instant\":{\"epochSecond\":",
                                "\"__REALTIME_TIMESTAMP\":", "\"full_message\":", "\\n\\tat ", "\\u00e9", "\\ud83d\\ude00",
                                "\\\"", "1773065014.892", "{", "}", "[", "]", ":", ",", "Event[", "  Date: ", "  Level: ",
                                "  Description: ", "TimeCreated  : ", "Message      : ", " java[4242]: ", "<134>1 ", "Mar 09 ",
                                "__CURSOR=", "__REALTIME_TIMESTAMP=", "PRIORITY=", "MESSAGE="],
                   seedFilter: { $0.contains("\"@timestamp\"") || $0.contains(" stdout F ") || $0.contains("{\"log\":") },
                   example: """
                   {"@timestamp":"2026-03-09T14:03:34.892Z","level":"ERROR","thread_name":"w-1","logger_name":"c.a.Pay","message":"failed","stack_trace":"java.net.SocketException: Connection reset\\n\\tat com.acme.Pay.charge(Pay.java:40)\\n"}
                   {"timeMillis":1773065014892,"level":"ERROR","message":"x","thrown":{"name":"java.lang.IllegalStateException","message":"m","cause":{"name":"java.net.ConnectException","extendedStackTrace":[{"class":"a.B","method":"c","file":"B.java","line":1}]},"extendedStackTrace":[]}}
                   2026-03-09T14:03:34.892345678Z stderr P 2026-03-09 14:03:34,892 ERROR [w-1] c.a.Pay - charge
                   2026-03-09T14:03:34.892345678Z stderr F  failed
                   {"log":"\\tat com.acme.Pay.charge(Pay.java:40)\\n","stream":"stdout","time":"2026-03-09T14:03:34.892Z"}
                   orders-1  | 2026-03-09 14:03:34,892 ERROR [w-1] c.a.Pay - charge failed
                   Mar 09 14:03:34.892345 orders-7d9f java[4242]: \tat com.acme.Pay.charge(Pay.java:40)
                   <134>1 2026-03-09T14:03:34.892Z host app 4242 - [a b="c"] Caused by: java.net.SocketException: x
                   Event[0]:
                     Date: 2026-03-09T14:03:34.892
                     Level: Error
                     Description:
                   java.net.SocketException: No buffer space available
                   __CURSOR=s=6a1f;i=1
                   __REALTIME_TIMESTAMP=1773065014892345
                   PRIORITY=3
                   MESSAGE=java.net.SocketException: Connection reset

                   TimeCreated  : 3/9/2026 2:03:34 PM
                   Message      : failed
                                  \tat a.B.c(B.java:1)
                   """, run: FuzzTarget.platformLogs),
        FuzzTarget(name: "exception-chain", summary: "exception chains, fingerprints, mentions and record facts",
                   dictionary: logWords + traceWords, seedFilter: { $0.contains("\tat ") || $0.contains("Exception") },
                   run: FuzzTarget.chains),
        FuzzTarget(name: "hotspot-dump", summary: "jstack, jcmd, JMX and Actuator text dumps, then their analysis",
                   dictionary: hotspotWords, seedFilter: { $0.contains("java.lang.Thread.State") },
                   run: { FuzzTarget.dump($0, kind: .hotspot) }),
        FuzzTarget(name: "javacore", summary: "IBM/OpenJ9 javacores, then their analysis",
                   dictionary: javacoreWords, seedFilter: { $0.contains("3XMTHREADINFO") || $0.contains("1TISIGINFO") },
                   run: { FuzzTarget.dump($0, kind: .javacore) }),
        FuzzTarget(name: "json-dump", summary: "Actuator and jcmd JSON thread dumps, then their analysis",
                   dictionary: ["{\"threadDump\":", "\"threads\":[", "\"threadName\":", "\"threadState\":", "\"stackTrace\":[",
                                "\"lockedMonitors\":", "\"lockInfo\":", "\"identityHashCode\":", "\"tid\":", "\"stack\":[",
                                "\"className\":", "\"methodName\":", "\"blockedCount\":", "BLOCKED", "WAITING", "null", "[{", "}]"],
                   seedFilter: { $0.contains("\"threads\"") || $0.contains("threadDump") },
                   example: """
                   {"threads":[{"threadName":"http-nio-8080-exec-1","threadId":31,"daemon":true,"threadState":"BLOCKED",
                   "lockName":"java.lang.Object@6d06d69c","lockOwnerName":"main","stackTrace":[{"className":"com.example.Ledger",
                   "methodName":"post","fileName":"Ledger.java","lineNumber":10,"nativeMethod":false}],"lockedMonitors":[
                   {"className":"java.lang.Object","identityHashCode":123,"lockedStackDepth":0}],"lockedSynchronizers":[]}]}
                   """, run: { FuzzTarget.dump($0, kind: .json) }),
        FuzzTarget(name: "top", summary: "top -H screens, joined to a dump's threads",
                   dictionary: ["top - ", "  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
                                " R ", " S ", "99.9", "inf", "nan", "1e309", "-1", ",", "java"],
                   seedFilter: { $0.contains("%CPU") },
                   example: """
                   top - 13:27:03 up 10 days,  1:02,  1 user,  load average: 3.00, 2.00, 1.00
                   Threads: 52 total,   1 running,  51 sleeping,   0 stopped,   0 zombie
                   %Cpu(s): 52.0 us,  1.0 sy,  0.0 ni, 47.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st

                     PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND
                    4242 app       20   0 8123456 1.2g  12345 R  99.3   3.2   1:23.45 java
                    4243 app       20   0 8123456 1.2g  12345 S   0,7   3.2   0:00.45 java

                   """, run: FuzzTarget.top),
        FuzzTarget(name: "sockets", summary: "netstat, ss, /proc/net/tcp and lsof tables, then the socket analysis",
                   dictionary: socketWords, seedFilter: { $0.contains("TIME_WAIT") || $0.contains("ESTAB") || $0.contains("CLOSE") },
                   run: FuzzTarget.sockets),
        FuzzTarget(name: "settings", summary: "sysctl, /proc/sys, registry and netsh settings, then the port-range headroom",
                   dictionary: settingsWords, seedFilter: { $0.contains("net.ipv4") || $0.contains("MaxUserPort") || $0.contains("Start Port") },
                   run: FuzzTarget.settings),
        FuzzTarget(name: "rules", summary: "the JSON5 rule loader, its validation and the rule's examples",
                   dictionary: ["id:", "title:", "severity:", "summary:", "signals:", "exception:", "message:", "frame:",
                                "topFrame:", "fact:", "atLeast:", "weight:", "context:", "examples:", "match:", "noMatch:",
                                "lines:", "guidance:", "steps:", "\"critical\"", "//", "/*", "*/", "[", "]", "{", "}", "0x1p4"],
                   seedFilter: { $0.contains("signals") }, run: FuzzTarget.rules),
        FuzzTarget(name: "archive", summary: "tar, tar.gz and zip members read in one pass, each analysed as an input",
                   dictionary: ["ustar\u{0}00", "././@LongLink", "PK\u{3}\u{4}", "PK\u{7}\u{8}", "PK\u{1}\u{2}", "PK\u{5}\u{6}",
                                "\u{14}\u{0}\u{8}\u{0}\u{8}\u{0}", "00000001750\u{0}", "30 path=", "\u{FF}\u{FF}\u{FF}\u{FF}"],
                   seedFilter: { $0.contains(" ERROR ") }, wrapSeed: FuzzArchives.seeds, run: FuzzTarget.archive),
        FuzzTarget(name: "input", summary: "one whole input: sniffing through rendering the report in every format",
                   dictionary: logWords + traceWords + hotspotWords + javacoreWords + socketWords + settingsWords,
                   seedFilter: { _ in true }, run: FuzzTarget.wholeInput),
    ]

    // MARK: The targets

    static func lines(_ bytes: UnsafeRawBufferPointer, encoding: LegacyEncoding?) {
        guard let opened = try? InputOpener.unwrap(MemorySource(Array(bytes)), format: InputFormat(), depth: 0,
                                                   legacyEncoding: encoding) else { return }
        defer { opened.source.close() }
        // A small buffer and line limit, so that growing and cutting lines are reached too.
        let reader = LineReader(source: opened.source, initialCapacity: 64, maxLineLength: 4096)
        let sink = LineCountingSink()
        try? reader.read(into: sink)
        precondition(sink.lines == reader.lineCount, "every line delivered is counted")
    }

    static func records(_ bytes: UnsafeRawBufferPointer) {
        let sink = ClosureRecordSink { record in
            for index in 0..<record.lineCount { _ = record.line(index) }
        }
        let assembler = LogRecordAssembler(maxLines: 64, maxBytes: 4096, sink: sink)
        _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in assembler.line(line, number: number) }
        assembler.finish()
    }

    static func platformLogs(_ bytes: UnsafeRawBufferPointer) {
        let sink = ClosureRecordSink { record in
            for index in 0..<record.lineCount { _ = record.line(index); _ = record.lineNumber(index) }
        }
        let assembler = LogRecordAssembler(maxLines: 256, maxBytes: 16 << 10, sink: sink)
        var envelope = ContainerEnvelope()
        var event = JSONLogEvent()
        func inner(_ line: UnsafeRawBufferPointer, _ number: Int, _ inBlock: Bool) {
            if line.count > 1, line[0] == 0x7B, event.decode(line) {
                var first = true
                event.forEachLine { decoded in
                    if first { assembler.event(decoded, number: number, header: event.header) } else {
                        assembler.continuation(decoded, number: number)
                    }
                    first = false
                }
            } else {
                assembler.line(line, number: number, borrowed: inBlock)
            }
        }
        _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in envelope.unwrap(line, number: number, inner) }
        envelope.finish(inner)
        assembler.finish()
    }

    static func chains(_ bytes: UnsafeRawBufferPointer) {
        let parser = ExceptionChainParser()
        let sink = ClosureRecordSink { record in
            parser.parse(record)
            parser.fingerprint(record)
            for trace in parser.traces { _ = parser.chain(trace, in: record) }
            _ = parser.mentions(in: record)
            _ = RecordFacts.of(record, source: "fuzz.log", parser: parser)
        }
        let assembler = LogRecordAssembler(maxLines: 256, maxBytes: 16 << 10, sink: sink)
        _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in assembler.line(line, number: number) }
        assembler.finish()
    }

    enum DumpKind { case hotspot, javacore, json }

    static func dump(_ bytes: UnsafeRawBufferPointer, kind: DumpKind) {
        var series = DumpSeries()
        let emit: (ThreadDump) -> Void = { series.append(DumpAnalyzer.analyze($0)) }
        switch kind {
        case .hotspot:
            let parser = HotSpotDumpParser(source: "fuzz.txt", emit: emit)
            _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in
                _ = parser.claims(line)
                parser.line(line, number: number)
            }
            parser.finish()
        case .javacore:
            let parser = JavacoreParser(source: "fuzz.txt", emit: emit)
            _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in parser.line(line, number: number) }
            parser.finish()
        case .json:
            let parser = ThreadDumpJSONParser(source: "fuzz.json", emit: emit)
            _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in _ = parser.line(line, number: number) }
            parser.finish()
        }
        _ = DumpSeriesAnalyzer.analyze(series.snapshots, top: [])
    }

    static func top(_ bytes: UnsafeRawBufferPointer) {
        var screens: [TopSnapshot] = []
        let parser = TopThreadsParser(source: "top.txt") { screens.append($0) }
        _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in parser.line(line, number: number) }
        parser.finish()
        _ = DumpSeriesAnalyzer.analyze(referenceDumps, top: screens)
    }

    static func sockets(_ bytes: UnsafeRawBufferPointer) {
        var snapshots: [SocketSnapshot] = []
        let parser = SocketTableParser(source: "ss.txt") { if !$0.isEmpty { snapshots.append($0) } }
        _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in parser.line(line, number: number) }
        parser.finish()
        _ = SocketAnalyzer.analyze(snapshots: snapshots, settings: KernelSettings(), poolLimits: referencePoolLimits)
    }

    static func settings(_ bytes: UnsafeRawBufferPointer) {
        var parser = KernelSettingsParser(source: "sysctl.txt")
        var first = true
        _ = LineBlock.forEachLine(bytes, firstLineNumber: 1) { line, number, _ in
            if first, parser.bareValue(line, number: number, fileName: "ip_local_port_range") { first = false; return }
            first = false
            parser.line(line, number: number)
        }
        _ = SocketAnalyzer.analyze(snapshots: referenceSockets, settings: parser.settings, poolLimits: PoolLimitTable())
    }

    static func rules(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        let loaded = RuleLoader.load(text: text, origin: "fuzz.json5")
        if let rule = loaded.rule, loaded.problems.isEmpty { _ = RuleExampleRunner.run(rule) }
    }

    static func archive(_ bytes: UnsafeRawBufferPointer) {
        guard let opened = try? InputOpener.unwrap(MemorySource(Array(bytes)), format: InputFormat(), depth: 0, legacyEncoding: nil) else { return }
        guard let kind = opened.format.archive else {
            opened.source.close()
            return
        }
        let analyses = Analysis.analyzeMembers(opened, kind: kind, name: "fuzz.tar", matcher: builtinMatcher, window: nil, encoding: nil,
                                               pattern: nil, onBlock: nil)
        _ = Analysis.merge(analyses, rules: RuleSet.builtin)
    }

    static func wholeInput(_ bytes: UnsafeRawBufferPointer) {
        let analysis = Analysis.analyze(bytes: Array(bytes), name: "fuzz.log", matcher: builtinMatcher)
        let report = Analysis.merge([analysis], rules: RuleSet.builtin)
        for format in OutputFormat.allCases { _ = format.render(report, options: RenderOptions()) }
    }

    // MARK: Fixed company for the targets that join two kinds of input

    static let builtinMatcher = SignalMatcher(rules: RuleSet.builtin.rules)

    /// Two dumps of one JVM whose native ids `top` rows can name.
    static let referenceDumps: [DumpSnapshot] = {
        var series = DumpSeries()
        let text = """
        2024-12-21 13:26:03
        Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):

        "worker-1" #31 prio=5 os_prio=0 cpu=10.00ms elapsed=1.00s tid=0x00007f2a1c0e1000 nid=0x1092 runnable
           java.lang.Thread.State: RUNNABLE
        \tat java.net.SocketInputStream.socketRead0(Native Method)

        2024-12-21 13:27:03
        Full thread dump OpenJDK 64-Bit Server VM (17.0.15+6 mixed mode):

        "worker-1" #31 prio=5 os_prio=0 cpu=59010.00ms elapsed=61.00s tid=0x00007f2a1c0e1000 nid=0x1092 runnable
           java.lang.Thread.State: RUNNABLE
        \tat java.net.SocketInputStream.socketRead0(Native Method)

        """
        let analysis = Analysis.analyze(bytes: Array(text.utf8), name: "reference.txt", matcher: builtinMatcher)
        return analysis.dumpSeries.snapshots
    }()

    static let referenceSockets: [SocketSnapshot] = {
        var rows = ["Active Internet connections (servers and established)",
                    "Proto Recv-Q Send-Q Local Address           Foreign Address         State"]
        for port in 40_000..<40_090 { rows.append("tcp 0 0 10.0.0.5:\(port) 10.0.0.9:443 TIME_WAIT") }
        let text = rows.joined(separator: "\n") + "\n"
        return Analysis.analyze(bytes: Array(text.utf8), name: "netstat.txt", matcher: builtinMatcher).socketSnapshots
    }()

    static let referencePoolLimits: PoolLimitTable = {
        var table = PoolLimitTable()
        table.add(PoolLimit(maxPerRoute: 4, route: "10.0.0.9:443", statement: "maxPerRoute=4", source: "app.log", line: 1))
        return table
    }()

    // MARK: Dictionaries

    static let logWords = [
        "2024-12-21 13:26:03,117 ", "2024-12-21T13:26:03.117Z ", "21-Dec-2024 13:26:03.117 ", "[12/21/24 13:26:03:117 CST] ",
        "13:26:03,117 ", " ERROR ", " WARN ", " SEVERE ", " INFO ", "[main] ", " - ", "SystemErr     R ", "Exception in thread \"",
    ]
    static let traceWords = [
        "\tat ", "    at ", "Caused by: ", "\tSuppressed: ", "\t... 12 more", "... 99999999999999999999 more",
        " common frames omitted", "java.net.SocketException: ", "java.net.BindException: Cannot assign requested address",
        "(Native Method)", "(Unknown Source)", ".java:42)", "AxisFault", " faultString: ",
        "{http://xml.apache.org/axis/}stackTrace:", "org.apache.http.conn.ConnectionPoolTimeoutException",
        "http://10.0.0.9:8080/", "jdbc:postgresql://db:5432/x", "maxPerRoute=400", "route allocated: 400 of 400",
    ]
    static let hotspotWords = [
        "Full thread dump ", "\"worker-1\" ", "#31 ", "daemon ", "prio=5 ", "os_prio=0 ", "cpu=10.00ms ", "elapsed=1.00s ",
        "tid=0x00007f2a1c0e1000 ", "nid=0x5d31 ", "nid=0xffffffffffffffffff ", "waiting on condition ",
        "   java.lang.Thread.State: ", "BLOCKED (on object monitor)", "WAITING (parking)", "RUNNABLE", "\t- locked <0x1>",
        "\t- waiting to lock <0x1> (a java.lang.Object)", "\t- parking to wait for  <0x2>", "   Locked ownable synchronizers:",
        "Found one Java-level deadlock:", "=============================", "  waiting to lock monitor 0x1 (object 0x2",
        "  which is held by \"", "Java stack information for the threads listed above:", "JNI global references: ",
        "Threads class SMR info:", "\" - Thread t@12", " Id=12 BLOCKED on ", " owned by \"", "INFO   | jvm 1    | ",
    ]
    static let javacoreWords = [
        "0SECTION       THREADS subcomponent dump routine", "1TIDATETIME    Date: 2024/12/21 at 13:26:03",
        "1TICHARSET     UTF-8", "3XMTHREADINFO      \"", "J9VMThread:0x0, ", "state:B, prio=5", "3XMJAVALTHREAD",
        "3XMTHREADINFO1            (native thread ID:0x5D31, native priority:0x5, native policy:UNKNOWN)",
        "3XMCPUTIME               CPU usage total: 99999999999999.999 secs", "3XMTHREADBLOCK     Blocked on: ",
        " Owned by: \"", "4XESTACKTRACE                at ", "5XESTACKTRACE                   (entered lock: ",
        "1LKDEADLOCK    Deadlock detected !!!", "2LKDEADLOCKTHR  Thread \"", "1XMCURTHDINFO  Current thread",
        "NULL           ", "1CIPROCESSID   Process ID: 4242",
    ]
    static let socketWords = [
        "Active Internet connections (servers and established)",
        "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name",
        "Active Connections", "  Proto  Local Address          Foreign Address        State           PID",
        "State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process", "Netid ",
        "  sl  local_address rem_address   st tx_queue", "COMMAND  PID USER   FD   TYPE  DEVICE SIZE/OFF NODE NAME",
        "tcp ", "  TCP    ", "TIME_WAIT", "CLOSE_WAIT", "ESTABLISHED", "ESTAB ", "CLOSE-WAIT ", "LISTEN", " 4242/java",
        "10.0.0.5:41234 ", "10.0.0.9:443 ", "[::ffff:10.0.0.1]:443 ", ":99999 ", ":-9223372036854775808 ",
        "users:((\"java\",pid=4242,fd=87))", "0100007F:1F90 ", " 06 ", "->", " (CLOSE_WAIT)", " [java.exe]",
        "Tue Nov  5 22:40:42 UTC 2019", "Active UNIX domain sockets",
    ]
    static let settingsWords = [
        "net.ipv4.ip_local_port_range = ", "32768\t60999", "net.ipv4.tcp_tw_reuse = ", "net.ipv4.tcp_tw_recycle = 1",
        "net.ipv4.tcp_fin_timeout = ", "net.ipv4.tcp_max_tw_buckets = ", "/proc/sys/net/ipv4/ip_local_port_range:",
        "Windows Registry Editor Version 5.00", "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters]",
        "\"MaxUserPort\"=dword:", "\"TcpTimedWaitDelay\"=dword:", "    MaxUserPort    REG_DWORD    0x",
        "Protocol tcp Dynamic Port Range", "Start Port      : ", "Number of Ports : ", "65535", "99999", "9223372036854775807",
    ]
}

/// Counts what a line reader delivers, for the `lines` target.
final class LineCountingSink: LineSink {
    var lines = 0
    func consume(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) -> Int {
        let count = LineBlock.forEachLine(block, firstLineNumber: firstLineNumber) { _, _, _ in }
        lines += count
        return count
    }
}
