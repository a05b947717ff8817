import Testing
@testable import TriageKit

@Suite struct LogHeaderParserTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var line: String
        var style: LogHeader.Style
        var time: String?
        var level: LogLevel?
        var testDescription: String { "\(style): \(line.prefix(40))" }
    }

    static let headers: [Case] = [
        Case(line: "2024-12-21 13:26:03,117 ERROR [http-nio-8080-exec-12] c.e.order.InventoryClient - failed", style: .iso, time: "2024-12-21 13:26:03.117", level: .error),
        Case(line: "2018-06-12 19:38:34.311  INFO 20792 --- [nio-8090-exec-1] o.s.web.servlet.DispatcherServlet : init", style: .iso, time: "2018-06-12 19:38:34.311", level: .info),
        Case(line: "2025-01-24T07:00:30,139 INFO [main                     ] FarmApplication : Starting", style: .iso, time: "2025-01-24 07:00:30.139", level: .info),
        Case(line: "2015-07-29 17:41:44,747 - WARN  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - x", style: .iso, time: "2015-07-29 17:41:44.747", level: .warn),
        Case(line: "2019-11-27 15:09:34,712 | ERROR | Failed to start Apache ActiveMQ | org.apache.activemq.broker.BrokerService | main", style: .iso, time: "2019-11-27 15:09:34.712", level: .error),
        Case(line: "2018-06-12 14:43:21 [WARN ](o.j.n.c.SimpleChannelHandler       ) EXCEPTION", style: .iso, time: "2018-06-12 14:43:21.000", level: .warn),
        Case(line: "2024-12-21T13:26:03.117+08:00 ERROR 1 --- [main] c.e.App : x", style: .iso, time: "2024-12-21 13:26:03.117", level: .error),
        Case(line: "[2024-12-21 13:26:03,117] WARN Something (kafka.server.KafkaApis)", style: .iso, time: "2024-12-21 13:26:03.117", level: .warn),
        Case(line: "16-Jan-2020 11:28:59.467 SEVERE [main] org.apache.catalina.core.StandardService.initInternal Failed", style: .tomcatJULI, time: "2020-01-16 11:28:59.467", level: .error),
        Case(line: "Jan 12, 2012 3:53:59 PM org.apache.catalina.core.AprLifecycleListener init", style: .julTwoLine, time: "2012-01-12 15:53:59.000", level: nil),
        Case(line: "Jan 12, 2012 12:03:59 AM org.apache.catalina.startup.Catalina load", style: .julTwoLine, time: "2012-01-12 00:03:59.000", level: nil),
        Case(line: "[12/21/24 13:26:03:117 CST] 0000002a SystemOut     O Order 42 placed", style: .webSphere, time: "2024-12-21 13:26:03.117", level: .info),
        Case(line: "[12/21/24 13:26:03:117 CST] 0000002a SystemErr     R java.net.SocketException: x", style: .webSphere, time: "2024-12-21 13:26:03.117", level: .error),
        Case(line: "15:54:49,931 ERROR [MainServlet:198] com.liferay.portal.kernel.events.ActionException", style: .timeOnly, time: "15:54:49.931", level: .error),
        Case(line: "13:26:03.117 [main] INFO  c.e.App - started", style: .timeOnly, time: "13:26:03.117", level: .info),
        Case(line: "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 terminating", style: .compact, time: "2008-11-09 20:36:15.000", level: .info),
        Case(line: "17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered", style: .slashDate, time: "2017-06-09 20:10:40.000", level: .info),
        Case(line: "21 Dec 2024 13:26:03,117 ERROR [main] App - x", style: .log4jDate, time: "2024-12-21 13:26:03.117", level: .error),
        Case(line: "14.03.2025 11:15:01.700 | ERROR | http-nio-8080-exec-3 | c.a.Orders - x", style: .dottedDate, time: "2025-03-14 11:15:01.700", level: .error),
        Case(line: "Dec 21 13:26:03 host01 app[4242]: ERROR c.e.App - x", style: .syslog, time: "13:26:03.000", level: .error),
        Case(line: "Exception in thread \"main\" java.lang.IllegalStateException: boom", style: .uncaught, time: nil, level: .error),
        Case(line: "ERROR 2024-12-21 13:26:03,117 [main] App - x", style: .iso, time: "2024-12-21 13:26:03.117", level: .error),
        Case(line: "####<Dec 7, 2026 9:12:11,100 PM CET> <Error> <WebLogicServer> <host01> <ms1> <[ACTIVE] ExecuteThread: '3' for queue: "
             + "'weblogic.kernel.Default (self-tuning)'> <<WLS Kernel>> <> <> <1796631131000> <BEA-000337> <[STUCK] ExecuteThread: '14' …",
             style: .webLogic, time: "2026-12-07 21:12:11.100", level: .error),
        Case(line: "####<Mar 9, 2015 12:05:42 AM UTC> <Warning> <JDBC> <host01> <ms1> <x> <<anonymous>> <> <> <1425859542000> <BEA-001129> <Received …",
             style: .webLogic, time: "2015-03-09 00:05:42.000", level: .warn),
        Case(line: "<Dec 7, 2026 9:02:11 AM CET> <Notice> <WebLogicServer> <BEA-000360> <The server started in RUNNING mode.>",
             style: .webLogic, time: "2026-12-07 09:02:11.000", level: .info),
    ]

    @Test(arguments: headers)
    func recognisesHeader(_ expected: Case) {
        var bytes = Array(expected.line.utf8)
        let header = bytes.withUnsafeMutableBytes { LogHeaderParser.parse(UnsafeRawBufferPointer($0)) }
        #expect(header?.style == expected.style)
        #expect(header?.timestamp?.text == expected.time)
        #expect(header?.level == expected.level)
    }

    static let continuations = [
        "\tat java.net.Socket.connect(Socket.java:589)",
        "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
        "Caused by: java.net.ConnectException: Connection refused",
        "\t... 13 more",
        "INFO: Starting service Catalina",
        "12345 records processed",
        "10:00 maintenance window",
        "12.50 EUR charged to card 4242",            // a dotted number is no dd.MM.yyyy date
        "1.2.3 released",
        "<dependency> <groupId>x</groupId>",
        "#### heading in a pasted note",
        "Loading jar:file:/opt/app/lib/portal-impl.jar!/system.properties",
        "",
    ]

    @Test(arguments: continuations)
    func leavesContinuationLinesAlone(_ line: String) {
        var bytes = Array(line.utf8)
        let header = bytes.withUnsafeMutableBytes { LogHeaderParser.parse(UnsafeRawBufferPointer($0)) }
        #expect(header == nil)
    }

    /// Dates and times are read eight bytes at a time: each digit must land in its field with
    /// its weight, and a wrong byte anywhere must turn the line away.
    @Test func readsEveryDigitOfAnISOHeaderInItsPlace() {
        let base = Array("1987-06-25 14:39:58,117 ERROR [main] c.e.App - x".utf8)
        func parse(_ bytes: [UInt8]) -> LogHeader? {
            bytes.withUnsafeBytes { LogHeaderParser.parse($0) }
        }
        func field(_ bytes: [UInt8], _ range: Range<Int>) -> Int { Int(String(decoding: bytes[range], as: UTF8.self))! }
        #expect(parse(base)?.timestamp?.text == "1987-06-25 14:39:58.117")
        for position in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] {
            for digit in UInt8(ascii: "0")...UInt8(ascii: "9") {
                var bytes = base
                bytes[position] = digit
                let expected = LogTimestamp(year: field(bytes, 0..<4), month: field(bytes, 5..<7), day: field(bytes, 8..<10),
                                            hour: field(bytes, 11..<13), minute: field(bytes, 14..<16), second: field(bytes, 17..<19),
                                            millisecond: 117)
                #expect(parse(bytes)?.timestamp == expected, "digit \(digit - 0x30) at \(position)")
            }
        }
        for position in 0..<19 {
            let isDigit = base[position] &- 0x30 < 10
            for wrong in [UInt8(ascii: "x"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "5"), 0xFF, 0x00]
            where wrong != base[position] && !(isDigit && wrong == UInt8(ascii: "5")) {
                var bytes = base
                bytes[position] = wrong
                #expect(parse(bytes) == nil, "byte \(wrong) at \(position)")
            }
        }
    }

    /// The level is found wherever it sits within the limit, after any bytes (non-ASCII,
    /// punctuation, an upper-case letter inside a word), and not beyond the limit.
    /// Spring Boot's `PID --- [app] [thread] [trace] logger :` is header, not message.
    @Test(arguments: [
        ("2024-12-21 09:40:00.000  INFO 4480 --- [           main] c.e.rates.RatesServiceApplication        : Started", "Started"),
        ("2026-03-09T14:03:34.892+01:00 ERROR 4242 --- [orders] [nio-8080-exec-7] [0af7651916cd43dd-b7ad6b71] c.a.Pay : charge failed",
         "charge failed"),
        ("2026-03-09 14:03:34,892 ERROR [main] c.a.App - 4242 --- not Spring's", "[main] c.a.App - 4242 --- not Spring's"),
    ])
    func springBootsHeaderEndsAtItsLoggerColumn(_ line: String, _ message: String) throws {
        let bytes = Array(line.utf8)
        let header = try #require(bytes.withUnsafeBytes { LogHeaderParser.parse($0) })
        #expect(String(decoding: bytes[header.messageStart...], as: UTF8.self).trimmingCharacters(in: .whitespaces) == message)
    }

    @Test func findsTheLevelWhereverItSits() {
        let fillers = ["[http-nio-8080-exec-12] ", "é", "xWARNING ", "[@`{~] ", "1234 ", "Ab "]
        for length in 0...70 {
            var filler = ""
            var index = 0
            while filler.utf8.count < length {
                filler += fillers[index % fillers.count]
                index += 1
            }
            let prefix = Array(filler.utf8.prefix(length))   // may end inside the `é`
            let line = Array("13:26:03.117 ".utf8) + prefix + Array(" ERROR c.e.App - x".utf8)
            let found = line.withUnsafeBytes { LogHeaderParser.findLevel($0, from: 13, limit: 64) }
            // The filler's own `WARNING` follows a letter and `Ab` is no level: only ERROR counts.
            let levelStart = 13 + prefix.count + 1
            if levelStart < 13 + 64 {
                #expect(found?.level == .error, "after \(length) bytes")
                #expect(found?.end == levelStart + 5, "after \(length) bytes")
            } else {
                #expect(found == nil, "after \(length) bytes")
            }
        }
    }

    @Test func parsesWhatUsersTypeForSinceAndUntil() {
        #expect(LogTimestamp.parse("2024-12-21 13:00")?.text == "2024-12-21 13:00:00.000")
        #expect(LogTimestamp.parse("2024-12-21")?.text == "2024-12-21 00:00:00.000")
        #expect(LogTimestamp.parse("2024-12-21T13:00:05.250")?.text == "2024-12-21 13:00:05.250")
        #expect(LogTimestamp.parse("13:00")?.text == "13:00:00.000")
        #expect(LogTimestamp.parse("yesterday") == nil)
    }

    @Test func datesRoundTrip() {
        for (year, month, day) in [(1970, 1, 1), (2000, 2, 29), (2024, 12, 31), (1999, 3, 1)] {
            let days = LogTimestamp.daysFromCivil(year: year, month: month, day: day)
            #expect(LogTimestamp.civilFromDays(days) == (year, month, day))
        }
        #expect(LogTimestamp.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(LogTimestamp.daysFromCivil(year: 2024, month: 12, day: 21) == 20_078)
    }

    /// Every day of 1901…2099 (the division-free path) agrees with the general formula, and
    /// both sides of that range still count right.
    @Test func countsDaysWithoutDivisionsWhereEveryFourthYearIsLeap() {
        var expected = LogTimestamp.daysFromCivilAnyYear(year: 1901, month: 1, day: 1)
        for year in 1901...2099 {
            for month in 1...12 {
                let length = [31, year % 4 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
                for day in 1...length {
                    #expect(LogTimestamp.daysFromCivil(year: year, month: month, day: day) == expected, "\(year)-\(month)-\(day)")
                    expected += 1
                }
            }
        }
        #expect(expected == LogTimestamp.daysFromCivil(year: 2100, month: 1, day: 1))
        #expect(LogTimestamp.daysFromCivil(year: 2100, month: 3, day: 1) - LogTimestamp.daysFromCivil(year: 2100, month: 2, day: 28) == 1)
        #expect(LogTimestamp.daysFromCivil(year: 1900, month: 3, day: 1) - LogTimestamp.daysFromCivil(year: 1900, month: 2, day: 28) == 1)
    }
}
