import Testing
@testable import TriageKit

/// Parses the chains of every record in `lines`.
func chains(_ lines: [String]) -> [ExceptionChain] {
    var result: [ExceptionChain] = []
    let parser = ExceptionChainParser()
    let assembler = LogRecordAssembler { record in
        parser.parse(record)
        parser.fingerprint(record)
        result += parser.traces.map { parser.chain($0, in: record) }
    }
    for (index, line) in lines.enumerated() {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { _ = assembler.line(UnsafeRawBufferPointer($0), number: index + 1) }
    }
    assembler.finish()
    return result
}

@Suite struct ExceptionChainParserTests {
    /// Rules match exceptions by simple name: the part after the last dot, found on the bytes.
    @Test(arguments: [
        ("java.net.SocketException", "SocketException"), ("AxisFault", "AxisFault"),
        ("org.apache.axis.AxisFault", "AxisFault"), ("com.example.Outer$Inner", "Outer$Inner"),
        ("com.例え.Ausnahme", "Ausnahme"), ("com.example.Ärger", "Ärger"), ("trailing.", ""), ("", ""),
    ])
    func namesAnExceptionBySimpleName(_ className: String, _ simple: String) {
        let exception = ThrownException(relation: .thrown, className: className, message: "", line: 1)
        #expect(exception.simpleName == simple[...])
        // From a substring's copy too (not always native storage from the start).
        let sliced = ThrownException(relation: .thrown, className: String(("x" + className).dropFirst()), message: "", line: 1)
        #expect(sliced.simpleName == simple[...])
    }

    /// A file cut in the middle of a trace (a split, a rotated log) starts with frames: the
    /// trace has no header, and reading it must not fail.
    @Test(arguments: [
        ["\tat com.example.Foo.bar(Foo.java:1)", "\tat com.example.Foo.baz(Foo.java:2)"],
        ["\tat com.example.Foo.bar(Foo.java:1)", "2024-12-21 13:26:03,117 ERROR [main] c.e.App - next"],
        ["... 12 more", "\tat com.example.Foo.bar(Foo.java:1)"],
        ["Caused by: java.io.IOException: boom", "\tat com.example.Foo.bar(Foo.java:1)"],
    ])
    func readsATraceThatStartsWithItsFrames(_ lines: [String]) throws {
        let found = chains(lines)
        #expect(found.count == 1)
        #expect(found.first?.exceptions.first?.frames.first?.className == "com.example.Foo")
        let report = Analyze.report(Analyze.lines(lines))
        #expect(report.exceptions.count == 1)
    }

    @Test func readsCausesFramesAndOmittedCounts() throws {
        let found = chains([
            "2024-12-21 13:26:03,117 ERROR [http-nio-8080-exec-12] c.e.order.InventoryClient - lookup failed",
            "org.apache.http.conn.HttpHostConnectException: Connect to 10.20.1.15:8080 [/10.20.1.15] failed: No buffer space available (maximum connections reached?): connect",
            "\tat org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:156)",
            "\tat org.apache.http.impl.execchain.MainClientExec.establishRoute(MainClientExec.java:376)",
            "Caused by: java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            "\tat java.net.DualStackPlainSocketImpl.connect0(Native Method)",
            "\tat java.net.Socket.connect(Socket.java:589)",
            "\t... 12 more",
        ])
        let chain = try #require(found.first)
        #expect(found.count == 1)
        #expect(chain.exceptions.map(\.className) == ["org.apache.http.conn.HttpHostConnectException", "java.net.SocketException"])
        #expect(chain.exceptions.map(\.relation) == [.thrown, .causedBy])
        #expect(chain.exceptions[0].line == 2)
        #expect(chain.exceptions[1].line == 5)
        #expect(chain.exceptions[1].message == "No buffer space available (maximum connections reached?): connect")
        #expect(chain.exceptions[1].omittedFrames == 12)
        #expect(chain.exceptions[1].frames.map(\.qualifiedMethod) == ["java.net.DualStackPlainSocketImpl.connect0", "java.net.Socket.connect"])
        #expect(chain.exceptions[1].frames[0].location == "Native Method")
        #expect(chain.exceptions[1].frames[1].line == 7)
        #expect(chain.rootCause?.className == "java.net.SocketException")
    }

    @Test func readsTomcatTabNestedTraces() throws {
        let chain = try #require(chains([
            "16-Jan-2020 11:28:59.467 SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed to initialize connector",
            "\torg.apache.catalina.LifecycleException: Protocol handler initialization failed",
            "\t\tat org.apache.catalina.connector.Connector.initInternal(Connector.java:995)",
            "\tCaused by: java.net.BindException: Address already in use",
            "\t\tat sun.nio.ch.Net.bind0(Native Method)",
            "\t\t... 13 more",
        ]).first)
        #expect(chain.exceptions.map(\.className) == ["org.apache.catalina.LifecycleException", "java.net.BindException"])
        #expect(chain.exceptions[1].frames.count == 1)
    }

    @Test func joinsMessagesWrappedOntoTheNextLine() throws {
        let chain = try #require(chains([
            "2019-11-27 15:09:34,712 | ERROR | Failed to start Apache ActiveMQ | org.apache.activemq.broker.BrokerService | main",
            "java.io.IOException: Transport Connector could not be registered in JMX: java.io.IOException: Failed to bind to server socket: tcp://0.0.0.0:61616 due",
            " to: java.net.BindException: Address in use (Bind failed)",
            "\tat org.apache.activemq.util.IOExceptionSupport.create(IOExceptionSupport.java:28)[activemq-client-5.15.9.jar:5.15.9]",
        ]).first)
        #expect(chain.exceptions.count == 1)
        #expect(chain.exceptions[0].className == "java.io.IOException")
        #expect(chain.exceptions[0].message.hasSuffix("due\nto: java.net.BindException: Address in use (Bind failed)"))
        #expect(chain.exceptions[0].frames.first?.className == "org.apache.activemq.util.IOExceptionSupport")
    }

    @Test func prefersTheExceptionLineRightAboveTheFrames() throws {
        // Liferay logs the exception in the message, then prints it again above the trace.
        let chain = try #require(chains([
            "15:54:46,153 ERROR [ImageProcessorImpl:181] com.liferay.portlet.documentlibrary.NoSuchFileException: /data/1.0",
            "com.liferay.portlet.documentlibrary.NoSuchFileException: /data/1.0",
            "\tat com.liferay.portlet.documentlibrary.store.FileSystemStore.getFileAsStream(FileSystemStore.java:215)",
        ]).first)
        #expect(chain.exceptions.count == 1)
        #expect(chain.exceptions[0].line == 2)
    }

    @Test func readsSuppressedAndUncaughtAndModulePrefixes() throws {
        let chain = try #require(chains([
            "Exception in thread \"main\" java.lang.IllegalStateException: outer",
            "\tat java.base/java.lang.Thread.run(Thread.java:834)",
            "\tat app//com.example.Main.main(Main.java:5)",
            "\tSuppressed: java.io.IOException: close failed",
            "\t\tat com.example.Res.close(Res.java:9)",
            "Caused by: java.lang.NullPointerException",
            "\tat com.example.Main.load(Main.java:12)",
        ]).first)
        #expect(chain.exceptions.map(\.relation) == [.thrown, .suppressed, .causedBy])
        #expect(chain.exceptions[0].frames.map(\.className) == ["java.lang.Thread", "com.example.Main"])
        #expect(chain.exceptions[2].message == "")
    }

    /// The frame's name is found once, when outlined (prefixes, the method's dot, the location):
    /// a module version's dots and a hidden class's `/0x…` must not move the method's dot.
    @Test func readsFrameNamesBehindEveryPrefix() throws {
        let chain = try #require(chains([
            "java.lang.IllegalStateException: outer",
            "\tat java.base@17.0.2/java.lang.Thread.run(Thread.java:834)",
            "\tat com.foo.loader//com.example.Main.main(Main.java:5)",
            "\tat com.example.Svc$$Lambda$412/0x0000000800c4d840.apply(Unknown Source)",
            "\tat Main.run(Main.java:7)",
        ]).first)
        let frames = chain.exceptions[0].frames
        #expect(frames.map(\.className) == ["java.lang.Thread", "com.example.Main", "com.example.Svc$$Lambda$412/0x0000000800c4d840",
                                            "Main"])
        #expect(frames.map(\.method) == ["run", "main", "apply", "run"])
        #expect(frames.map(\.location) == ["Thread.java:834", "Main.java:5", "Unknown Source", "Main.java:7"])
    }

    @Test func readsAxisFaultsWithTheirEmbeddedStackTrace() throws {
        let chain = try #require(chains([
            "2019-05-08 22:38:38,512 ERROR [pool-3-thread-7] com.example.ws.PaymentGateway - SOAP call failed",
            "AxisFault",
            " faultCode: {http://schemas.xmlsoap.org/soap/envelope/}Server.userException",
            " faultString: java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            " faultDetail: ",
            "\t{http://xml.apache.org/axis/}stackTrace:java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            "\tat java.net.PlainSocketImpl.socketConnect(Native Method)",
            "\tat org.apache.axis.transport.http.HTTPSender.getSocket(HTTPSender.java:191)",
        ]).first)
        #expect(chain.exceptions.map(\.className) == ["AxisFault", "java.net.SocketException"])
        #expect(chain.exceptions[1].frames.count == 2)
    }

    /// What log4j prints for an AxisFault: its fields, its detail (the original trace as text),
    /// then its own stack headed by its faultString, then the real cause.
    @Test func readsTheTwoPartsOfAnAxisFaultAsOneTrace() throws {
        var cause = 0
        let found = chains([
            "2026-11-21 00:16:02,545 ERROR [soap-worker-4] com.example.quotes.AxisQuoteGateway - SOAP call getQuote #503 failed",
            "AxisFault",
            " faultCode: {http://schemas.xmlsoap.org/soap/envelope/}Server.userException",
            " faultString: java.net.BindException: Cannot assign requested address",
            " faultDetail: ",
            "\t{http://xml.apache.org/axis/}stackTrace:java.net.BindException: Cannot assign requested address",
            "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
            "\tat org.apache.axis.transport.http.HTTPSender.getSocket(HTTPSender.java:191)",
            "",
            "\t{http://xml.apache.org/axis/}hostname:vm",
            "",
            "java.net.BindException: Cannot assign requested address",
            "\tat org.apache.axis.AxisFault.makeFault(AxisFault.java:101)",
            "\tat org.apache.axis.transport.http.HTTPSender.invoke(HTTPSender.java:154)",
            "Caused by: java.net.BindException: Cannot assign requested address",
            "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
            "\tat java.base/sun.nio.ch.Net.connect(Net.java:579)",
            "\tat org.apache.axis.transport.http.HTTPSender.getSocket(HTTPSender.java:191)",
        ])
        let chain = try #require(found.first)
        #expect(found.count == 1)
        #expect(chain.exceptions.map(\.className) == ["AxisFault", "java.net.BindException"])
        #expect(chain.exceptions[0].headline == "AxisFault: java.net.BindException: Cannot assign requested address")
        #expect(chain.exceptions[0].frames.first?.qualifiedMethod == "org.apache.axis.AxisFault.makeFault")
        #expect(chain.exceptions[1].line == 15)
        #expect(chain.exceptions[1].frames.count == 3)
        cause = chain.exceptions.filter { $0.relation == .causedBy }.count
        #expect(cause == 1)
    }

    @Test func findsSeveralTracesInOneRecord() {
        let found = chains([
            "2024-12-21 13:26:03,117 ERROR [main] c.e.App - two failures",
            "java.lang.IllegalStateException: first",
            "\tat c.e.A.a(A.java:1)",
            "java.lang.IllegalArgumentException: second",
            "\tat c.e.B.b(B.java:2)",
        ])
        #expect(found.map { $0.exceptions[0].className } == ["java.lang.IllegalStateException", "java.lang.IllegalArgumentException"])
    }

    @Test func findsExceptionsMentionedWithoutATrace() throws {
        var mentions: [ThrownException] = []
        let parser = ExceptionChainParser()
        let assembler = LogRecordAssembler { record in
            parser.parse(record)
            mentions = parser.mentions(in: record)
        }
        var bytes = Array("2015-10-18 18:10:02,151 WARN [LeaseRenewer] o.a.h.LeaseRenewer: Failed to renew lease java.net.NoRouteToHostException: No Route to Host from A to B:9000".utf8)
        bytes.withUnsafeMutableBytes { _ = assembler.line(UnsafeRawBufferPointer($0), number: 1) }
        assembler.finish()
        let mention = try #require(mentions.first)
        #expect(mention.className == "java.net.NoRouteToHostException")
        #expect(mention.message == "No Route to Host from A to B:9000")
        #expect(mention.relation == .mentioned)
    }
}

/// Frame conditions compared as bytes agree with the string form rules are written against.
struct FrameNamingTests {
    static let frames = [
        StackFrame(className: "org.apache.http.impl.conn.PoolingHttpClientConnectionManager", method: "leaseConnection"),
        StackFrame(className: "org.apache.http.impl.conn.PoolingHttpClientConnectionManager$1", method: "get"),
        StackFrame(className: "sun.net.www.http.HttpClient", method: "openServer"),
        StackFrame(className: "org.apache.axis.transport.http.HTTPSender", method: "invoke"),
        StackFrame(className: "Main", method: ""),
    ]
    static let patterns = [
        "org.apache.http.impl.conn.PoolingHttpClientConnectionManager", "org.apache.http.impl.conn",
        "sun.net.www.http.HttpClient.openServer", "sun.net.www.http.HttpClient.open", "sun.net.www.http.HttpClient.close",
        "org.apache.axis.transport.http.HTTPSender", "org.apache.axis.transport.http.HTTPSend", "Main",
    ]

    @Test(arguments: frames)
    func bytesAgreeWithStrings(_ frame: StackFrame) {
        let text = frame.method.isEmpty ? frame.className : frame.className + "." + frame.method
        var bytes = Array(text.utf8)
        for pattern in Self.patterns {
            let byBytes = bytes.withUnsafeMutableBytes { buffer in
                ExceptionChainParser.names(UnsafeRawBufferPointer(buffer), classEnd: frame.method.isEmpty ? buffer.count : frame.className.utf8.count, Array(pattern.utf8))
            }
            #expect(byBytes == SignalMatcher.frameMatches(frame, [pattern]), "\(pattern) on \(text)")
        }
    }
}
