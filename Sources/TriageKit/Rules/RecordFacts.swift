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

    /// Where the facts come from: a record still in the assembler's buffer, read on demand,
    /// or values made beforehand (tests, examples). An enum rather than closures: three
    /// closure contexts per candidate record were three allocations.
    private enum Origin {
        /// `outlineIndex`: for each exception, its index in the parser's outline (-1: mentioned).
        case record(LogRecordView, ExceptionChainParser, outlineIndex: [Int])
        case values(textLines: [TextLine], frames: [[StackFrame]])
    }

    /// Non-frame lines kept as text at most; a record is capped far above this anyway.
    static let maxTextLines = 256

    public let source: String
    public let firstLine: Int
    public let timestamp: LogTimestamp?
    public let level: LogLevel?
    /// The record carries a stack trace (not only a message that names an exception).
    public let traced: Bool
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
    private let origin: Origin
    private var loadedTextLines: [TextLine]?
    let simpleNames: [Substring]
    private var loadedFrames: [[StackFrame]?]
    private var foundDestinations: [String]?

    private init(source: String, firstLine: Int, timestamp: LogTimestamp?, level: LogLevel?, traced: Bool,
                 exceptions: [ThrownException], origin: Origin) {
        self.source = source
        self.firstLine = firstLine
        self.timestamp = timestamp
        self.level = level
        self.traced = traced
        self.exceptions = exceptions
        self.origin = origin
        loadedFrames = Array(repeating: nil, count: exceptions.count)
        simpleNames = exceptions.indices.map { exceptions[$0].simpleName }   // not a copy of each exception
    }

    /// Facts of exceptions already complete (tests, and records without traces).
    public convenience init(source: String, firstLine: Int, exceptions: [ThrownException], textLines: [(number: Int, text: String)]) {
        self.init(source: source, firstLine: firstLine, timestamp: nil, level: nil,
                  traced: exceptions.contains { !$0.frames.isEmpty }, exceptions: exceptions,
                  origin: .values(textLines: textLines.map { TextLine(number: $0.number, text: $0.text) },
                                  frames: exceptions.map(\.frames)))
    }

    /// The first frame of exception `index` named by one of `patterns` (`SignalMatcher`'s
    /// compiled frame conditions, with `names` their text); only the first frame when `topOnly`.
    func firstFrame(ofException index: Int, matching patterns: [[UInt8]], names: [String], topOnly: Bool) -> StackFrame? {
        if loadedFrames[index] == nil, case .record(let record, let parser, let outlineIndex) = origin {
            // By bytes, without making the other frames strings.
            guard outlineIndex[index] >= 0 else { return nil }
            return parser.firstFrame(ofException: outlineIndex[index], in: record, matching: patterns, topOnly: topOnly)
        }
        let frames = self.frames(of: index)
        return (topOnly ? Array(frames.prefix(1)) : frames).first { SignalMatcher.frameMatches($0, names) }
    }

    /// The frames of exception `index`, read from the record on first use.
    public func frames(of index: Int) -> [StackFrame] {
        if let frames = loadedFrames[index] { return frames }
        let frames: [StackFrame]
        switch origin {
        case .record(let record, let parser, let outlineIndex):
            frames = outlineIndex[index] < 0 ? [] : parser.frames(ofException: outlineIndex[index], in: record)
        case .values(_, let all):
            frames = all[index]
        }
        loadedFrames[index] = frames
        return frames
    }

    /// The text of input line `number` as in `textLines`, without making the others strings.
    func textLine(number: Int) -> String? {
        if loadedTextLines == nil, case .record(let record, let parser, _) = origin {
            var found: String?
            RecordFacts.forEachTextLine(of: record, kinds: parser.lineKinds) { lineNumber, bytes in
                if lineNumber == number { found = String(decoding: bytes, as: UTF8.self) }
            }
            return found
        }
        return textLines.first { $0.number == number }?.text
    }

    /// The thread that wrote the record, as a hash of its name in the header (`[http-nio-8080-exec-5]`,
    /// WebSphere's `0000002a`): enough to tell two threads apart without making a string per
    /// match. Nil when the layout does not say.
    public var threadKey: UInt64? {
        guard case .record(let record, _, _) = origin, record.lineCount > 0 else { return nil }
        // WebLogic's thread is its sixth `<…>` field, not a bracketed one: unknown rather than wrong.
        if record.header?.style == .webLogic { return nil }
        let line = record.line(0)
        guard let range = RecordFacts.threadRange(inHeader: line, webSphere: record.header?.style == .webSphere) else { return nil }
        var hasher = ExceptionFingerprint()
        hasher.add(UnsafeRawBufferPointer(rebasing: line[range]))
        return hasher.value
    }

    /// The first bracketed token of a header line that is neither its time nor its level; for
    /// WebSphere, the hex thread id after the bracketed time.
    static func thread(inHeader line: UnsafeRawBufferPointer, webSphere: Bool) -> String? {
        threadRange(inHeader: line, webSphere: webSphere).map { line.string($0, limit: 128) }
    }

    static func threadRange(inHeader line: UnsafeRawBufferPointer, webSphere: Bool) -> Range<Int>? {
        let limit = min(line.count, 512)
        var index = 0
        while index < limit, let open = line.firstIndex(of: 0x5B, from: index, limit: limit) {
            guard let close = line.firstIndex(of: 0x5D, from: open + 1, limit: limit) else { return nil }
            if webSphere {
                let start = line.skippingBlanks(from: close + 1)
                var end = start
                while end < limit, line[end].isASCIIHexDigit { end += 1 }
                return end > start ? start..<end : nil
            }
            let inner = UnsafeRawBufferPointer(rebasing: line[(open + 1)..<close])
            let start = inner.skippingBlanks(from: 0)
            let isTime = start < inner.count && inner[start].isASCIIDigit && inner.firstIndex(of: 0x3A, from: start) != nil
            var wordEnd = start
            while wordEnd < inner.count, inner[wordEnd].isASCIILetter { wordEnd += 1 }
            let isLevel = LogLevel.word(inner, start, wordEnd - start) != nil
            if !isTime && !isLevel && start < inner.count { return (open + 1 + start)..<close }
            index = close + 1
        }
        return nil
    }

    /// Endpoints named by the message lines and exception messages, found once per record.
    public var destinations: [String] {
        if let found = foundDestinations { return found }
        var found: [String] = []
        func add(_ endpoints: [String]) {
            for endpoint in endpoints where !found.contains(endpoint) { found.append(endpoint) }
        }
        switch origin {
        case .record(let record, let parser, _) where loadedTextLines == nil:
            // The same lines as `textLines`, scanned as bytes: most records' lines are never
            // needed as strings.
            let complete = RecordFacts.forEachTextLine(of: record, kinds: parser.lineKinds) { _, bytes in
                add(EndpointScanner.endpoints(in: bytes))
            }
            // Every exception's message was read from those lines: scanned already.
            if complete { break }
            for exception in exceptions { add(EndpointScanner.endpoints(in: exception.message)) }
        default:
            for line in textLines { add(EndpointScanner.endpoints(in: line.text)) }
            for exception in exceptions { add(EndpointScanner.endpoints(in: exception.message)) }
        }
        foundDestinations = found
        return found
    }

    private func loadTextLines() -> [TextLine] {
        switch origin {
        case .record(let record, let parser, _):
            var lines: [TextLine] = []
            RecordFacts.forEachTextLine(of: record, kinds: parser.lineKinds) { number, bytes in
                lines.append(TextLine(number: number, text: String(decoding: bytes, as: UTF8.self)))
            }
            return lines
        case .values(let lines, _):
            return lines
        }
    }

    /// The record's lines that are not stack frames, without the header's timestamp and level
    /// and without leading blanks, at most `maxTextLines` of them.
    /// `kinds`: the parser's outline of the record, so its lines are not classified again.
    /// Returns false when lines were left out past `maxTextLines`.
    @discardableResult
    private static func forEachTextLine(of record: LogRecordView, kinds: [LineKind], _ body: (Int, UnsafeRawBufferPointer) -> Void) -> Bool {
        let headerStart = record.header?.messageStart ?? 0
        var taken = 0
        for index in 0..<record.lineCount {
            let line = record.line(index)
            // The outline read the header line after its timestamp; here the whole line counts.
            if index == 0 || index >= kinds.count {
                if case .frame = TraceLineKind.classify(line) { continue }
            } else if kinds[index] == .frame {
                continue
            }
            if taken == maxTextLines { return false }
            let start = index == 0 ? min(headerStart, line.count) : line.skippingBlanks(from: 0)
            body(record.lineNumber(index), UnsafeRawBufferPointer(rebasing: line[start...]))
            taken += 1
        }
        return true
    }

    /// Exceptions named inside an exception's message: one that starts the message (a wrapper
    /// around its cause: `ProcessingException: java.net.BindException: …`), and those after
    /// Spring's `nested exception is`; at most four, none the chain already holds.
    static func nestedExceptions(in exceptions: [ThrownException], at index: Int) -> [ThrownException] {
        var found: [ThrownException] = []
        var message = exceptions[index].message
        let line = exceptions[index].line
        message.withUTF8 { bytes in
            let text = UnsafeRawBufferPointer(bytes)
            var starts: [Int] = []
            if ExceptionNameScanner.header(in: text, at: 0) != nil { starts.append(text.skippingBlanks(from: 0)) }
            var position = 0
            while starts.count < 4, let nested = text.range(of: "nested exception is ", from: position) {
                starts.append(nested.upperBound)
                position = nested.upperBound
            }
            for start in starts {
                guard let header = ExceptionNameScanner.header(in: text, at: start) else { continue }
                let name = UnsafeRawBufferPointer(rebasing: text[header.name])
                // Compared as bytes: most wrappers repeat a cause the chain holds.
                guard !exceptions.indices.contains(where: { exceptions[$0].className.utf8.elementsEqual(name) }),
                      !found.contains(where: { $0.className.utf8.elementsEqual(name) }) else { continue }
                let end = ExceptionNameScanner.firstMention(in: text, from: header.messageStart).map(\.name.lowerBound) ?? text.count
                found.append(ThrownException(relation: .mentioned, className: text.string(header.name),
                                             message: text.string(header.messageStart..<max(header.messageStart, end)), line: line))
            }
        }
        return found
    }

    /// Builds the facts of a record the assembler produced, from the parser's outline of it.
    public static func of(_ record: LogRecordView, source: String, parser: ExceptionChainParser) -> RecordFacts {
        var exceptions: [ThrownException] = []
        var outlineIndex: [Int] = []
        var headerLines: [Int] = []
        // Exceptions are not copied one by one (a copy retains each of its strings): the
        // first chain's array is taken whole, fields are read in place.
        for trace in parser.traces {
            let chain = parser.chain(trace, in: record, includeFrames: false)
            for index in chain.exceptions.indices { headerLines.append(chain.exceptions[index].line) }
            outlineIndex.append(contentsOf: trace.exceptions)
            if exceptions.isEmpty { exceptions = chain.exceptions } else { exceptions += chain.exceptions }
        }
        for mention in parser.mentions(in: record, skipping: headerLines) {
            exceptions.append(mention)
            outlineIndex.append(-1)
        }
        // A wrapper whose message is the real exception (`ProcessingException: java.net.BindException:
        // …`, Spring's `nested exception is java.net.ConnectException: …`): the inner one counts as
        // a cause of its own.
        // Most wrappers' messages repeat their cause (`new RuntimeException(cause)`), which the
        // chain already holds: only an exception the chain lacks is added.
        let count = exceptions.count
        for index in 0..<count where exceptions[index].relation != .mentioned {
            for inner in nestedExceptions(in: exceptions, at: index) {
                exceptions.append(inner)
                outlineIndex.append(-1)
            }
        }
        return RecordFacts(source: source, firstLine: record.firstLineNumber, timestamp: record.timestamp,
                           level: record.level, traced: record.frameLineCount > 0, exceptions: exceptions,
                           origin: .record(record, parser, outlineIndex: outlineIndex))
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
