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

@Suite struct LineReaderTests {
    private func read(_ text: String, capacity: Int = 1 << 20, maxLine: Int = 8 << 20) throws -> (CollectingSink, LineReader) {
        let reader = LineReader(source: MemorySource(Array(text.utf8)), initialCapacity: capacity, maxLineLength: maxLine)
        let sink = CollectingSink()
        try reader.read(into: sink)
        return (sink, reader)
    }

    @Test func splitsLinesAndStripsCarriageReturns() throws {
        let (sink, reader) = try read("first\r\nsecond\nthird\r\n")
        #expect(sink.lines.map(\.text) == ["first", "second", "third"])
        #expect(sink.lines.map(\.number) == [1, 2, 3])
        #expect(reader.lineCount == 3)
        #expect(reader.bytesRead == 21)
    }

    @Test func keepsALastLineWithoutNewline() throws {
        let (sink, _) = try read("a\nb")
        #expect(sink.lines.map(\.text) == ["a", "b"])
    }

    @Test func emptyInputHasNoLines() throws {
        let (sink, reader) = try read("")
        #expect(sink.lines.isEmpty)
        #expect(reader.lineCount == 0)
    }

    @Test func keepsBlankLines() throws {
        let (sink, _) = try read("a\n\n\nb\n")
        #expect(sink.lines.map(\.text) == ["a", "", "", "b"])
        #expect(sink.lines.last?.number == 4)
    }

    @Test func growsTheBufferForALineLongerThanIt() throws {
        let long = String(repeating: "x", count: 5000)
        let (sink, reader) = try read("short\n\(long)\nafter\n", capacity: 64)
        #expect(sink.lines.map(\.text.count) == [5, 5000, 5])
        #expect(sink.lines.map(\.number) == [1, 2, 3])
        #expect(reader.truncatedLines == 0)
    }

    @Test func cutsALineLongerThanTheLimitAndKeepsCounting() throws {
        let long = String(repeating: "y", count: 1000)
        let (sink, reader) = try read("a\n\(long)\nb\nc", capacity: 64, maxLine: 256)
        #expect(sink.lines.map(\.text) == ["a", String(repeating: "y", count: 256), "b", "c"])
        #expect(sink.lines.map(\.number) == [1, 2, 3, 4])
        #expect(reader.truncatedLines == 1)
    }

    @Test func lineNumbersRunOnAcrossManyBlocks() throws {
        let text = (1...2000).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let (sink, _) = try read(text, capacity: 128)
        #expect(sink.blocks > 10)
        #expect(sink.lines.count == 2000)
        #expect(sink.lines[1233].text == "line 1234")
        #expect(sink.lines[1233].number == 1234)
    }
}
