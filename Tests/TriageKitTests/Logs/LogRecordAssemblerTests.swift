import Testing
@testable import TriageKit

@Suite struct LogRecordAssemblerTests {
    struct Seen {
        var firstLine: Int
        var lines: [String]
        var level: LogLevel?
        var time: String?
        var frames: Int
    }

    private func assemble(_ lines: [String]) -> [Seen] {
        var records: [Seen] = []
        let assembler = LogRecordAssembler { record in
            records.append(Seen(firstLine: record.firstLineNumber,
                                lines: (0..<record.lineCount).map { String(decoding: record.line($0), as: UTF8.self) },
                                level: record.level, time: record.timestamp?.text, frames: record.frameLineCount))
        }
        for (index, line) in lines.enumerated() {
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { _ = assembler.line(UnsafeRawBufferPointer($0), number: index + 1) }
        }
        assembler.finish()
        return records
    }

    @Test func aLineThatStartsNoRecordContinuesTheCurrentOne() {
        let records = assemble([
            "2024-12-21 13:26:03,117 ERROR [main] c.e.App - failed",
            "java.lang.IllegalStateException: boom",
            "\tat c.e.App.run(App.java:10)",
            "2024-12-21 13:26:04,000 INFO [main] c.e.App - next",
        ])
        #expect(records.count == 2)
        #expect(records[0].lines.count == 3)
        #expect(records[0].frames == 1)
        #expect(records[1].firstLine == 4)
    }

    @Test func julTwoLineRecordsTakeTheirLevelFromTheSecondLine() {
        let records = assemble([
            "Jan 12, 2012 3:53:59 PM org.apache.catalina.core.AprLifecycleListener init",
            "SEVERE: Failed to initialize",
            "Jan 12, 2012 3:54:00 PM org.apache.coyote.AbstractProtocol init",
            "INFO: Initializing ProtocolHandler [\"http-apr-8080\"]",
        ])
        #expect(records.map(\.level) == [.error, .info])
    }

    @Test func webSphereStackLinesWithTheirOwnHeadersContinueTheTrace() {
        let records = assemble([
            "[12/21/24 13:26:03:117 CST] 0000002a SystemErr     R java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            "[12/21/24 13:26:03:117 CST] 0000002a SystemErr     R \tat java.net.PlainSocketImpl.socketConnect(Native Method)",
            "[12/21/24 13:26:03:118 CST] 0000002a SystemErr     R \tat java.net.Socket.connect(Socket.java:519)",
            "[12/21/24 13:26:04:000 CST] 0000002a SystemOut     O next message",
        ])
        #expect(records.count == 2)
        #expect(records[0].frames == 2)
        #expect(records[0].lines[1] == "\tat java.net.PlainSocketImpl.socketConnect(Native Method)")
    }

    @Test func timeOnlyHeadersTakeTheDateOfTheLastDatedOne() {
        let records = assemble([
            "Jan 12, 2012 3:53:59 PM org.apache.catalina.startup.Catalina load",
            "INFO: x",
            "15:54:07,115 INFO  [EasyConf:122] Refreshed",
        ])
        #expect(records.last?.time == "2012-01-12 15:54:07.115")
    }

    @Test func headerlessTracesSplitAtEachNewException() {
        let records = assemble([
            "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            "\tat java.net.Socket.connect(Socket.java:589)",
            "java.net.SocketException: No buffer space available (maximum connections reached?): connect",
            "\tat java.net.Socket.connect(Socket.java:589)",
        ])
        #expect(records.count == 2)
        #expect(records.allSatisfy { $0.frames == 1 })
    }

    @Test func oversizedRecordsAreCappedAndCounted() {
        var assemblerLines: [Int] = []
        var dropped = 0
        let assembler = LogRecordAssembler(maxLines: 10) { record in
            assemblerLines.append(record.lineCount)
            dropped += record.droppedLines
        }
        for index in 0..<25 {
            var bytes = Array((index == 0 ? "2024-12-21 13:26:03,117 ERROR [main] a - x" : "\tat a.B.c(B.java:\(index))").utf8)
            bytes.withUnsafeMutableBytes { _ = assembler.line(UnsafeRawBufferPointer($0), number: index + 1) }
        }
        assembler.finish()
        #expect(assemblerLines == [10])
        #expect(dropped == 15)
    }

    /// Feeds `blocks` the way `InputAnalyzer` does: lines read where they sit in one reused
    /// buffer, `endOfBlock` before the buffer is overwritten with the next block.
    private func assembleBorrowing(_ blocks: [String], maxBytes: Int = 1 << 20) -> (records: [Seen], dropped: Int) {
        var records: [Seen] = []
        var dropped = 0
        let assembler = LogRecordAssembler(maxBytes: maxBytes, borrowsLines: true) { record in
            records.append(Seen(firstLine: record.firstLineNumber,
                                lines: (0..<record.lineCount).map { String(decoding: record.line($0), as: UTF8.self) },
                                level: record.level, time: record.timestamp?.text, frames: record.frameLineCount))
            dropped += record.droppedLines
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
        defer { buffer.deallocate() }
        var number = 1
        for block in blocks {
            buffer.initializeMemory(as: UInt8.self, repeating: 0x3F)   // what a reused buffer held before
            let bytes = Array(block.utf8)
            buffer.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: bytes.count))
            let count = bytes.count
            number += LineBlock.forEachLine(UnsafeRawBufferPointer(rebasing: buffer[..<count]), firstLineNumber: number) { line, number, _ in
                assembler.line(line, number: number)
            }
            assembler.endOfBlock()
        }
        assembler.finish()
        return (records, dropped)
    }

    @Test func borrowedRecordsKeepTheirLinesWhenTheBlockIsReused() {
        let (records, _) = assembleBorrowing([
            "2024-12-21 13:26:03,117 ERROR [main] c.e.App - failed\r\njava.net.SocketException: No buffer space available\r\n",
            "\tat java.net.Socket.connect(Socket.java:589)\n\tat c.e.App.run(App.java:10)\n2024-12-21 13:26:04,000 INFO [main] c.e.App - next\n",
            "continued\n",
        ])
        #expect(records.count == 2)
        #expect(records[0].lines == [
            "2024-12-21 13:26:03,117 ERROR [main] c.e.App - failed", "java.net.SocketException: No buffer space available",
            "\tat java.net.Socket.connect(Socket.java:589)", "\tat c.e.App.run(App.java:10)",
        ])
        #expect(records[0].frames == 2)
        #expect(records[1].firstLine == 5)
        #expect(records[1].lines == ["2024-12-21 13:26:04,000 INFO [main] c.e.App - next", "continued"])
    }

    @Test func borrowedRecordsAreCappedLikeCopiedOnes() {
        // 60 bytes of header, then 10-byte frames: a 100-byte cap keeps four, whatever the line breaks.
        let header = "2024-12-21 13:26:03,117 ERROR [main] c.e.App - failed ....."
        let frame = "\tat a.B.c"
        let (records, dropped) = assembleBorrowing([header + "\r\n" + String(repeating: frame + "\r\n", count: 3), String(repeating: frame + "\n", count: 5)], maxBytes: 100)
        #expect(records.count == 1)
        #expect(records[0].lines.count == 5)
        #expect(records[0].lines.last == frame)
        #expect(dropped == 4)
    }
}
