import Testing
@testable import TriageKit

/// Collects what a LineReader delivers.
final class CollectingSink: LineSink {
    var lines: [(number: Int, text: String)] = []
    var blocks = 0
    func consume(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) -> Int {
        blocks += 1
        return LineBlock.forEachLine(block, firstLineNumber: firstLineNumber) { line, number, _ in
            lines.append((number, String(decoding: line, as: UTF8.self)))
        }
    }
}

/// How the reader gets its bytes: copied into its buffer (`read`), or lent by a source that
/// holds them already (`lend`, inflated gzip) in blocks of this many bytes.
enum ReaderFeed: Sendable, CustomTestStringConvertible {
    case copied
    case lent(blockSize: Int)
    var testDescription: String {
        switch self {
        case .copied: "copied"
        case .lent(let size): "lent in \(size)-byte blocks"
        }
    }
    static let all: [ReaderFeed] = [.copied, .lent(blockSize: 7), .lent(blockSize: 100), .lent(blockSize: 1 << 16)]

    func source(_ bytes: [UInt8]) -> ByteSource {
        switch self {
        case .copied: MemorySource(bytes)
        case .lent(let size): PrefetchingSource(MemorySource(bytes), blockSize: size, depth: 3)
        }
    }
}

@Suite struct LineReaderTests {
    private func read(_ text: String, capacity: Int = 1 << 20, maxLine: Int = 8 << 20, feed: ReaderFeed = .copied) throws -> (CollectingSink, LineReader) {
        let source = feed.source(Array(text.utf8))
        defer { source.close() }
        let reader = LineReader(source: source, initialCapacity: capacity, maxLineLength: maxLine)
        let sink = CollectingSink()
        try reader.read(into: sink)
        return (sink, reader)
    }

    @Test(arguments: ReaderFeed.all)
    func splitsLinesAndStripsCarriageReturns(_ feed: ReaderFeed) throws {
        let (sink, reader) = try read("first\r\nsecond\nthird\r\n", feed: feed)
        #expect(sink.lines.map(\.text) == ["first", "second", "third"])
        #expect(sink.lines.map(\.number) == [1, 2, 3])
        #expect(reader.lineCount == 3)
        #expect(reader.bytesRead == 21)
    }

    @Test(arguments: ReaderFeed.all)
    func keepsALastLineWithoutNewline(_ feed: ReaderFeed) throws {
        let (sink, _) = try read("a\nb", feed: feed)
        #expect(sink.lines.map(\.text) == ["a", "b"])
    }

    @Test(arguments: ReaderFeed.all)
    func emptyInputHasNoLines(_ feed: ReaderFeed) throws {
        let (sink, reader) = try read("", feed: feed)
        #expect(sink.lines.isEmpty)
        #expect(reader.lineCount == 0)
    }

    @Test(arguments: ReaderFeed.all)
    func keepsBlankLines(_ feed: ReaderFeed) throws {
        let (sink, _) = try read("a\n\n\nb\n", feed: feed)
        #expect(sink.lines.map(\.text) == ["a", "", "", "b"])
        #expect(sink.lines.last?.number == 4)
    }

    @Test(arguments: ReaderFeed.all)
    func growsTheBufferForALineLongerThanIt(_ feed: ReaderFeed) throws {
        let long = String(repeating: "x", count: 5000)
        let (sink, reader) = try read("short\n\(long)\nafter\n", capacity: 64, feed: feed)
        #expect(sink.lines.map(\.text.count) == [5, 5000, 5])
        #expect(sink.lines.map(\.number) == [1, 2, 3])
        #expect(reader.truncatedLines == 0)
    }

    @Test(arguments: ReaderFeed.all)
    func cutsALineLongerThanTheLimitAndKeepsCounting(_ feed: ReaderFeed) throws {
        let long = String(repeating: "y", count: 1000)
        let (sink, reader) = try read("a\n\(long)\nb\nc", capacity: 64, maxLine: 256, feed: feed)
        #expect(sink.lines.map(\.text) == ["a", String(repeating: "y", count: 256), "b", "c"])
        #expect(sink.lines.map(\.number) == [1, 2, 3, 4])
        #expect(reader.truncatedLines == 1)
    }

    @Test(arguments: ReaderFeed.all)
    func lineNumbersRunOnAcrossManyBlocks(_ feed: ReaderFeed) throws {
        let text = (1...2000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let (sink, _) = try read(text, capacity: 128, feed: feed)
        #expect(sink.blocks > 10 || feed.testDescription.contains("65536"))
        #expect(sink.lines.count == 2000)
        #expect(sink.lines[1233].text == "line 1234")
        #expect(sink.lines[1233].number == 1234)
    }

    /// Lent blocks cut lines anywhere — between `\r` and `\n`, inside a line longer than the
    /// limit, right after one: the lines must come out as from copied reads.
    @Test func lentBlocksGiveTheLinesCopiedReadsGive() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<24 {
            var text = ""
            for _ in 0..<(50 + next(200)) {
                let length = next(10) == 0 ? 200 + next(400) : next(60)
                text += String(repeating: Character(UnicodeScalar(UInt8(97 + next(26)))), count: length)
                text += next(3) == 0 ? "\r\n" : "\n"
            }
            if round % 2 == 1 { text += "unterminated" }
            let (expected, expectedReader) = try read(text, capacity: 64, maxLine: 256)
            for size in [1, 2, 3, 13, 255, 256, 257, 4096] {
                let (sink, reader) = try read(text, capacity: 64, maxLine: 256, feed: .lent(blockSize: size))
                // The first line that differs, not two arrays of hundreds of lines.
                let differing = zip(sink.lines, expected.lines).enumerated().first { $1.0.text != $1.1.text || $1.0.number != $1.1.number }?.offset
                #expect(differing == nil && sink.lines.count == expected.lines.count, "round \(round), \(size)-byte blocks: line \(differing ?? -1)")
                #expect(reader.truncatedLines == expectedReader.truncatedLines)
                #expect(reader.bytesRead == text.utf8.count)
            }
        }
    }

    /// A source that fails after some bytes: the lines before the failure are delivered, then
    /// the error comes out; the unfinished line is not delivered.
    @Test(arguments: ReaderFeed.all)
    func deliversTheLinesBeforeAFailure(_ feed: ReaderFeed) {
        final class FailingSource: ByteSource {
            var bytes = Array("one\ntwo\nthr".utf8)
            func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
                guard !bytes.isEmpty else { throw ByteSourceError("disk on fire") }
                let count = min(buffer.count, bytes.count)
                buffer.copyBytes(from: bytes[0..<count])
                bytes.removeFirst(count)
                return count
            }
            func close() {}
        }
        let source: ByteSource
        switch feed {
        case .copied: source = FailingSource()
        case .lent(let size): source = PrefetchingSource(FailingSource(), blockSize: size, depth: 2)
        }
        defer { source.close() }
        let reader = LineReader(source: source, initialCapacity: 64)
        let sink = CollectingSink()
        #expect(throws: ByteSourceError("disk on fire")) { try reader.read(into: sink) }
        #expect(sink.lines.map(\.text) == ["one", "two"])
        #expect(reader.lineCount == 2)
    }
}
