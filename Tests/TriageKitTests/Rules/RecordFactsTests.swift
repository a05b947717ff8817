import Testing
@testable import TriageKit

/// Facts read from a record in the assembler's buffer: what rules see, found by bytes where
/// the record allows it, must equal what the string forms give.
struct RecordFactsTests {
    /// An HttpClient failure whose message and cause name endpoints, with a mention in a
    /// wrapped message line and a nested-class frame.
    static let record = [
        "2024-12-01 00:00:04,041 ERROR [http-nio-8080-exec-7] c.e.order.InventoryClient - stock lookup via http://inventory.internal:8080/api failed, java.io.IOException: retry budget spent",
        "org.apache.http.conn.HttpHostConnectException: Connect to inventory.internal:8080 [inventory.internal/10.20.1.15] failed: Cannot assign requested address (connect failed)",
        "\tat org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:159)",
        "\tat org.apache.http.impl.conn.PoolingHttpClientConnectionManager$1.get(PoolingHttpClientConnectionManager.java:373)",
        "\tat org.apache.http.impl.execchain.MainClientExec.execute(MainClientExec.java:236)",
        "Caused by: java.net.BindException: Cannot assign requested address (connect failed) to /10.20.1.15:8080",
        "\tat java.net.PlainSocketImpl.socketConnect(Native Method)",
        "\tat java.net.Socket.connect(Socket.java:589)",
        "\t... 3 more",
        "2024-12-01 00:00:04,050 INFO  [main] c.e.App - next record",
    ]

    /// Builds the facts of the first record and hands them to `body` while the record is valid.
    static func withFacts(of lines: [String] = record, _ body: @escaping (RecordFacts) -> Void) {
        let parser = ExceptionChainParser()
        var seen = 0
        let assembler = LogRecordAssembler { record in
            seen += 1
            guard seen == 1 else { return }
            parser.parse(record)
            body(RecordFacts.of(record, source: "app.log", parser: parser))
        }
        for (index, line) in lines.enumerated() {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { _ = assembler.line(UnsafeRawBufferPointer($0), number: index + 1) }
        }
        assembler.finish()
    }

    @Test func findsTheExceptionsOnceEach() {
        var names: [String] = []
        var relations: [ThrownException.Relation] = []
        Self.withFacts { facts in
            names = facts.exceptions.map(\.className)
            relations = facts.exceptions.map(\.relation)
        }
        // The trace's two headers are thrown and caused-by, not mentioned a second time.
        #expect(names == ["org.apache.http.conn.HttpHostConnectException", "java.net.BindException", "java.io.IOException"])
        #expect(relations == [.thrown, .causedBy, .mentioned])
    }

    @Test func findsDestinationsByBytesAsByStrings() {
        var byBytes: [String] = []
        var byStrings: [String] = []
        var textLines: [Int] = []
        Self.withFacts { facts in byBytes = facts.destinations }
        Self.withFacts { facts in
            textLines = facts.textLines.map(\.number)
            byStrings = facts.destinations
        }
        #expect(byBytes == ["inventory.internal:8080", "10.20.1.15:8080"])
        #expect(byStrings == byBytes)
        #expect(textLines == [1, 2, 6, 9])
    }

    /// Past `maxTextLines` text lines, an exception's message is not among the lines scanned:
    /// its endpoints are still found, from the message.
    @Test func findsDestinationsInMessagesPastTheTextLinesKept() {
        let wrapped = (1...300).map { "  batch item \($0) rejected" }
        let lines = ["2024-12-01 00:00:04,041 ERROR [main] c.e.Loader - batch failed", "java.sql.BatchUpdateException: batch rejected"]
            + wrapped + [
            "\tat org.postgresql.jdbc.PgStatement.executeBatch(PgStatement.java:845)",
            "Caused by: org.apache.http.conn.HttpHostConnectException: Connect to db.internal:5432 [db.internal/10.0.0.5] failed: Connection refused",
            "\tat java.net.Socket.connect(Socket.java:589)",
            "2024-12-01 00:00:04,050 INFO  [main] c.e.App - next record",
        ]
        var destinations: [String] = []
        var textLineCount = 0
        Self.withFacts(of: lines) { facts in
            destinations = facts.destinations
            textLineCount = facts.textLines.count
        }
        #expect(textLineCount == RecordFacts.maxTextLines)
        #expect(destinations == ["db.internal:5432"])
    }

    @Test func readsOneTextLineWithoutTheOthers() {
        var line: String?
        var loaded: String?
        var frameLine: String?
        Self.withFacts { facts in
            line = facts.textLine(number: 1)
            frameLine = facts.textLine(number: 3)
            loaded = facts.textLines.first?.text
        }
        #expect(line?.contains("InventoryClient - stock lookup via http://inventory.internal:8080/api failed") == true)
        #expect(line?.contains("2024-12-01") == false)
        #expect(line == loaded)
        #expect(frameLine == nil)
    }

    @Test func findsFramesByBytesAsByStrings() {
        let patterns = ["org.apache.http.impl.conn.PoolingHttpClientConnectionManager", "java.net.Socket.connect", "java.net.Socket.close",
                        "org.apache.http.impl.execchain", "org.apache.http.impl.conn.DefaultHttpClientConnectionOperator"]
        var byBytes: [String?] = []
        var byStrings: [String?] = []
        Self.withFacts { facts in
            for pattern in patterns {
                for exception in 0..<2 {
                    for topOnly in [false, true] {
                        byBytes.append(facts.firstFrame(ofException: exception, matching: [Array(pattern.utf8)], names: [pattern], topOnly: topOnly)?.description)
                    }
                }
            }
        }
        Self.withFacts { facts in
            _ = facts.frames(of: 0)
            _ = facts.frames(of: 1)
            for pattern in patterns {
                for exception in 0..<2 {
                    for topOnly in [false, true] {
                        byStrings.append(facts.firstFrame(ofException: exception, matching: [Array(pattern.utf8)], names: [pattern], topOnly: topOnly)?.description)
                    }
                }
            }
        }
        #expect(byBytes == byStrings)
        // A package prefix (`…impl.execchain`) names no class: four frames found, not five.
        #expect(byBytes.compactMap { $0 }.count == 4)
        #expect(byBytes[0] == "at org.apache.http.impl.conn.PoolingHttpClientConnectionManager$1.get(PoolingHttpClientConnectionManager.java:373)")
    }
}

struct ThreadNamingTests {
    @Test(arguments: [
        ("http-nio-8080-exec-12", "http-nio-8080-exec-*"),
        ("pool-3-thread-7", "pool-3-thread-*"),
        ("main", "main"),
        ("42", "42"),
        ("工作线程-7", "工作线程-*"),
    ])
    func namesThePoolByDroppingTrailingDigits(_ name: String, _ pool: String) {
        #expect(ThreadNaming.pool(of: name) == pool)
    }
}

struct FrameTraitsTests {
    @Test func marksFramesByTheirMethodPrefix() {
        let table = FrameTable()
        let wait = table.intern("org.apache.http.pool.AbstractConnPool.getPoolEntryBlocking(AbstractConnPool.java:393)")
        let read = table.intern("java.net.SocketInputStream.socketRead0(Native Method)")
        let client = table.intern("org.apache.http.impl.io.SessionInputBufferImpl.streamRead(SessionInputBufferImpl.java:137)")
        let park = table.intern("sun.misc.Unsafe.park(Native Method)")
        let plain = table.intern("com.example.Main.main(Main.java:5)")
        // The prefix must lie before the `(`: a location naming a pool class is not a pool frame.
        let location = table.intern("com.example.Wrapper.run(org.apache.http.pool.AbstractConnPool.getPoolEntryBlocking)")
        let traits = FrameTraits(table)
        #expect(traits[wait] == [.poolWait(0), .clientLibrary])
        #expect(traits[read] == .socketRead)
        #expect(traits[client] == [.poolUse(0), .clientLibrary])
        #expect(traits[park] == .lockPlumbing)
        #expect(traits[plain] == .application)
        #expect(traits[location] == .application)
        #expect(!traits[wait].contains(.application) && !traits[park].contains(.application))
    }
}
