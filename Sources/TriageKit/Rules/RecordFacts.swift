/// What rules may look at in one record: its exceptions (from traces and from mentions in the
/// text) and its text lines. Built only for records the prefilter picked.
public struct RecordFacts {
    public struct TextLine {
        public var number: Int
        public var text: String
        var lowered: [UInt8]
    }

    public var source: String
    public var firstLine: Int
    public var timestamp: LogTimestamp?
    public var level: LogLevel?
    public var exceptions: [ThrownException]
    /// Lines that are not stack frames (the message, wrapped lines, exception headers).
    public var textLines: [TextLine]
    var loweredMessages: [[UInt8]]

    public init(source: String, firstLine: Int, timestamp: LogTimestamp?, level: LogLevel?,
                exceptions: [ThrownException], textLines: [(number: Int, text: String)]) {
        self.source = source
        self.firstLine = firstLine
        self.timestamp = timestamp
        self.level = level
        self.exceptions = exceptions
        self.textLines = textLines.map { TextLine(number: $0.number, text: $0.text, lowered: RecordFacts.lower($0.text)) }
        loweredMessages = exceptions.map { RecordFacts.lower($0.message) }
    }

    static func lower(_ text: String) -> [UInt8] {
        text.utf8.map { ($0 >= 0x41 && $0 <= 0x5A) ? $0 | 0x20 : $0 }
    }

    /// Builds the facts of a record the assembler produced.
    public static func of(_ record: LogRecordView, source: String, chains: [ExceptionChain],
                          mentions: [ThrownException]) -> RecordFacts {
        var lines: [(Int, String)] = []
        let headerStart = record.header?.messageStart ?? 0
        for index in 0..<record.lineCount where lines.count < 256 {
            let line = record.line(index)
            if case .frame = TraceLineKind.classify(line) { continue }
            let start = index == 0 ? min(headerStart, line.count) : line.skippingBlanks(from: 0)
            lines.append((record.lineNumber(index), line.string(start..<line.count)))
        }
        let thrown = chains.flatMap(\.exceptions)
        return RecordFacts(source: source, firstLine: record.firstLineNumber, timestamp: record.timestamp,
                           level: record.level, exceptions: thrown + mentions, textLines: lines)
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` (already lower-cased) occurs in this lower-cased text.
    func containsLowered(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= count else { return false }
        let first = needle[0]
        var index = 0
        let last = count - needle.count
        while index <= last {
            if self[index] == first {
                var offset = 1
                while offset < needle.count, self[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }
}
