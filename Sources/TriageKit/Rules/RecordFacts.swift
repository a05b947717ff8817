/// What rules may look at in one record: its exceptions (from traces and from mentions in the
/// text) and its text lines. Built only for records the prefilter picked, and lazily: stack
/// frames become strings only when a signal asks about frames.
///
/// Facts built from a `LogRecordView` are valid only while that view is (the callback).
public final class RecordFacts {
    public struct TextLine: Sendable {
        public var number: Int
        public var text: String
    }

    public let source: String
    public let firstLine: Int
    public let timestamp: LogTimestamp?
    public let level: LogLevel?
    /// Exceptions without their frames (see `frames(of:)`).
    public let exceptions: [ThrownException]
    /// Lines that are not stack frames (the message, wrapped lines, exception headers), made
    /// strings on first use: a record matched on its exception class and frames never needs them.
    public var textLines: [TextLine] {
        if let loaded = loadedTextLines { return loaded }
        let lines = loadTextLines()
        loadedTextLines = lines
        return lines
    }
    private let loadTextLines: () -> [TextLine]
    private var loadedTextLines: [TextLine]?
    let simpleNames: [Substring]
    private let loadFrames: (Int) -> [StackFrame]
    private var loadedFrames: [[StackFrame]?]
    /// Finds a frame by byte patterns without making the others strings (nil: use `frames(of:)`).
    private let findFrame: ((Int, [[UInt8]], Bool) -> StackFrame?)?
    private var foundDestinations: [String]?

    init(source: String, firstLine: Int, timestamp: LogTimestamp?, level: LogLevel?,
         exceptions: [ThrownException], textLines: @escaping () -> [TextLine],
         findFrame: ((Int, [[UInt8]], Bool) -> StackFrame?)? = nil, loadFrames: @escaping (Int) -> [StackFrame]) {
        self.findFrame = findFrame
        self.source = source
        self.firstLine = firstLine
        self.timestamp = timestamp
        self.level = level
        self.exceptions = exceptions
        self.loadTextLines = textLines
        self.loadFrames = loadFrames
        loadedFrames = Array(repeating: nil, count: exceptions.count)
        simpleNames = exceptions.map(\.simpleName)
    }

    /// Facts of exceptions already complete (tests, and records without traces).
    public convenience init(source: String, firstLine: Int, exceptions: [ThrownException], textLines: [(number: Int, text: String)]) {
        let frames = exceptions.map(\.frames)
        self.init(source: source, firstLine: firstLine, timestamp: nil, level: nil,
                  exceptions: exceptions, textLines: { [lines = textLines.map { TextLine(number: $0.number, text: $0.text) }] in lines },
                  loadFrames: { frames[$0] })
    }

    /// The first frame of exception `index` named by one of `patterns` (`SignalMatcher`'s
    /// compiled frame conditions, with `names` their text); only the first frame when `topOnly`.
    func firstFrame(ofException index: Int, matching patterns: [[UInt8]], names: [String], topOnly: Bool) -> StackFrame? {
        if loadedFrames[index] == nil, let findFrame { return findFrame(index, patterns, topOnly) }
        let frames = self.frames(of: index)
        return (topOnly ? Array(frames.prefix(1)) : frames).first { SignalMatcher.frameMatches($0, names) }
    }

    /// The frames of exception `index`, read from the record on first use.
    public func frames(of index: Int) -> [StackFrame] {
        if let frames = loadedFrames[index] { return frames }
        let frames = loadFrames(index)
        loadedFrames[index] = frames
        return frames
    }

    /// Endpoints named by the message lines and exception messages, found once per record.
    public var destinations: [String] {
        if let found = foundDestinations { return found }
        var found: [String] = []
        for text in textLines.map(\.text) + exceptions.map(\.message) {
            for endpoint in EndpointScanner.endpoints(in: text) where !found.contains(endpoint) {
                found.append(endpoint)
            }
        }
        foundDestinations = found
        return found
    }

    /// Builds the facts of a record the assembler produced, from the parser's outline of it.
    public static func of(_ record: LogRecordView, source: String, parser: ExceptionChainParser) -> RecordFacts {
        let textLines = { () -> [TextLine] in
            var lines: [TextLine] = []
            let headerStart = record.header?.messageStart ?? 0
            for index in 0..<record.lineCount where lines.count < 256 {
                let line = record.line(index)
                if case .frame = TraceLineKind.classify(line) { continue }
                let start = index == 0 ? min(headerStart, line.count) : line.skippingBlanks(from: 0)
                lines.append(TextLine(number: record.lineNumber(index), text: line.string(start..<line.count)))
            }
            return lines
        }
        var exceptions: [ThrownException] = []
        var outlineIndex: [Int] = []
        var headerLines = Set<Int>()
        for trace in parser.traces {
            let chain = parser.chain(trace, in: record, includeFrames: false)
            exceptions += chain.exceptions
            outlineIndex += Array(trace.exceptions)
            for exception in chain.exceptions { headerLines.insert(exception.line) }
        }
        for mention in parser.mentions(in: record) where !headerLines.contains(mention.line) {
            exceptions.append(mention)
            outlineIndex.append(-1)
        }
        return RecordFacts(source: source, firstLine: record.firstLineNumber, timestamp: record.timestamp,
                           level: record.level, exceptions: exceptions, textLines: textLines,
                           findFrame: { index, patterns, topOnly in
                               outlineIndex[index] < 0 ? nil
                                   : parser.firstFrame(ofException: outlineIndex[index], in: record, matching: patterns, topOnly: topOnly)
                           }) { index in
            outlineIndex[index] < 0 ? [] : parser.frames(ofException: outlineIndex[index], in: record)
        }
    }
}

/// Case-insensitive (ASCII) search without lower-casing the text first.
enum CaseInsensitiveSearch {
    static let fold: [UInt8] = (0...255).map { byte in
        (byte >= 0x41 && byte <= 0x5A) ? UInt8(byte) | 0x20 : UInt8(byte)
    }

    static func lowered(_ text: String) -> [UInt8] {
        text.utf8.map { fold[Int($0)] }
    }

    /// Whether `needle` (already lower-cased) occurs in `text`, ignoring ASCII case.
    static func contains(_ text: String, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        var text = text
        return text.withUTF8 { bytes in contains(UnsafeRawBufferPointer(bytes), needle) }
    }

    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard needle.count <= bytes.count else { return false }
        let first = needle[0]
        let last = bytes.count - needle.count
        return fold.withUnsafeBufferPointer { fold in
            var index = 0
            while index <= last {
                if fold[Int(bytes[index])] == first {
                    var offset = 1
                    while offset < needle.count, fold[Int(bytes[index + offset])] == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                index += 1
            }
            return false
        }
    }
}
