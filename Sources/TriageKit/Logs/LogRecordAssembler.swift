/// A log record as it sits in the assembler's buffer: its header line and every line that
/// continued it. Valid only during the callback that receives it.
public struct LogRecordView {
    public let bytes: UnsafeRawBufferPointer
    let lineStarts: UnsafeBufferPointer<Int>
    let lineEnds: UnsafeBufferPointer<Int>
    public let firstLineNumber: Int
    /// Nil for lines that came before any header (or a file without headers).
    public let header: LogHeader?
    public let timestamp: LogTimestamp?
    public let level: LogLevel?
    /// Lines whose first non-blank bytes are `at ` — a stack trace is present.
    public let frameLineCount: Int
    /// Lines dropped because the record exceeded the assembler's limits.
    public let droppedLines: Int

    public var lineCount: Int { lineStarts.count }

    public func line(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[lineStarts[index]..<lineEnds[index]])
    }

    /// A decoded JSON event's lines all sit on the event's one line.
    public func lineNumber(_ index: Int) -> Int { header?.style == .event ? firstLineNumber : firstLineNumber + index }
}

/// Receives the records an assembler completes.
public protocol LogRecordSink: AnyObject {
    func record(_ record: LogRecordView)
}

/// A closure as a record sink (tests, one-off uses).
public final class ClosureRecordSink: LogRecordSink {
    let emit: (LogRecordView) -> Void
    init(_ emit: @escaping (LogRecordView) -> Void) { self.emit = emit }
    public func record(_ record: LogRecordView) { emit(record) }
}

extension LogRecordAssembler where Sink == ClosureRecordSink {
    public convenience init(maxLines: Int = 5_000, maxBytes: Int = 1 << 20, borrowsLines: Bool = false,
                            emit: @escaping (LogRecordView) -> Void) {
        let sink = ClosureRecordSink(emit)
        self.init(maxLines: maxLines, maxBytes: maxBytes, borrowsLines: borrowsLines, sink: sink, owner: sink)
    }
}

/// Groups lines into records: a header starts one, any other line continues the current one.
///
/// Lines are copied into one reusable buffer, capped (`maxLines`, `maxBytes`) so a runaway
/// record cannot grow memory; what is cut is counted, not silently lost.
///
/// An assembler that `borrowsLines` does not copy: a record's lines are read where they sit in
/// the caller's block (every line was a copy, 2–3 % of reading a log), and the caller calls
/// `endOfBlock()` before that block's memory is reused — only the one record still open is
/// copied then.
public final class LogRecordAssembler<Sink: LogRecordSink> {
    public let maxLines: Int
    public let maxBytes: Int
    public let borrowsLines: Bool
    // Raw storage rather than arrays: this runs for every line, and array appends through a
    // class cost retains and exclusivity checks that dominate the work.
    private var bytes: UnsafeMutableRawPointer
    private var byteCapacity: Int
    /// Where the record's bytes end: offsets in `starts`/`ends` are from the record's base.
    private var byteCount = 0
    /// The bytes of the kept lines, against `maxBytes` (a borrowed record also spans line breaks).
    private var contentBytes = 0
    /// The record's first line in the caller's block, while its lines are borrowed; nil once
    /// they are copied into `bytes`.
    private var borrowedBase: UnsafeRawPointer?
    private var starts: UnsafeMutablePointer<Int>
    private var ends: UnsafeMutablePointer<Int>
    private var lineCapacity: Int
    private var lineTotal = 0
    private var firstLineNumber = 0
    private var header: LogHeader?
    private var timestamp: LogTimestamp?
    private var level: LogLevel?
    private var frameLines = 0
    private var droppedLines = 0
    private var open = false
    /// The last full date seen, to date the time-only headers that follow it.
    private var lastDated: LogTimestamp?
    /// `--pattern`: a layout the built-in headers do not know, tried first.
    public var pattern: LogPattern?
    /// Where records go. Unmanaged, called through a guaranteed reference: a stored closure
    /// or an unowned sink cost a retain and a release on every record. `owner` keeps a
    /// closure's sink alive; an analyzer owns its assembler, so outlives it.
    private let sink: Unmanaged<Sink>
    private let owner: Sink?

    /// `sink` must outlive the assembler (its owner). `borrowsLines`: see the type's notes.
    convenience init(maxLines: Int = 5_000, maxBytes: Int = 1 << 20, borrowsLines: Bool = false, sink: Sink) {
        self.init(maxLines: maxLines, maxBytes: maxBytes, borrowsLines: borrowsLines, sink: sink, owner: nil)
    }

    fileprivate init(maxLines: Int, maxBytes: Int, borrowsLines: Bool = false, sink: Sink, owner: Sink?) {
        self.maxLines = maxLines
        self.maxBytes = maxBytes
        self.borrowsLines = borrowsLines
        self.sink = Unmanaged.passUnretained(sink)
        self.owner = owner
        byteCapacity = min(64 * 1024, maxBytes)
        bytes = .allocate(byteCount: byteCapacity, alignment: 16)
        lineCapacity = min(256, maxLines)
        starts = .allocate(capacity: lineCapacity)
        ends = .allocate(capacity: lineCapacity)
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
        ends.deallocate()
    }

    /// Feeds one line; returns true when it started a new record.
    @discardableResult
    /// `borrowed`: false for a line outside the caller's block (it is copied).
    public func line(_ line: UnsafeRawBufferPointer, number: Int, borrowed: Bool = true) -> Bool {
        if !borrowed { endOfBlock() }
        if let parsed = pattern?.parse(line) ?? LogHeaderParser.parse(line) {
            // WebSphere prefixes every stderr line, frames included: such a line continues.
            if parsed.style == .webSphere, open, continuesTrace(line, from: parsed.messageStart) {
                append(UnsafeRawBufferPointer(rebasing: line[parsed.messageStart...]))
                return false
            }
            finish()
            start(line, number: number, header: parsed, borrowed: borrowed)
            return true
        }
        if !open {
            // Blank lines before the first record are layout (a Format-List's, a pasted excerpt's).
            if line.isEmpty { return false }
            start(line, number: number, header: nil, borrowed: borrowed)
            return true
        }
        // Without headers (raw stderr, a pasted trace) a new trace at column 0 starts a new
        // record, which keeps headerless records small and each trace on its own.
        if header == nil, frameLines > 0, line.count > 0, line[0].isASCIILetter,
           ExceptionNameScanner.header(in: line, at: 0) != nil {
            finish()
            start(line, number: number, header: nil, borrowed: borrowed)
            return true
        }
        if lineTotal == 1, header?.style == .julTwoLine, level == nil {
            level = julLevel(line) ?? LocalizedJUL.level(line)
        }
        append(line)
        return false
    }

    /// A decoded event (a JSON log line) starts a record of its own, with the header its fields
    /// gave. Its lines live in the decoder's buffer, not the caller's block: they are copied.
    public func event(_ line: UnsafeRawBufferPointer, number: Int, header: LogHeader) {
        finish()
        start(line, number: number, header: header, borrowed: false)
    }

    /// A further line of the decoded event just started (its message's next line, its trace).
    public func continuation(_ line: UnsafeRawBufferPointer, number: Int) {
        guard open else {
            start(line, number: number, header: nil, borrowed: false)
            return
        }
        endOfBlock()
        append(line)
    }

    /// Emits the record being assembled, if any.
    public func finish() {
        guard open else { return }
        open = false
        let record = LogRecordView(
            bytes: UnsafeRawBufferPointer(start: borrowedBase ?? UnsafeRawPointer(bytes), count: byteCount),
            lineStarts: UnsafeBufferPointer(start: starts, count: lineTotal),
            lineEnds: UnsafeBufferPointer(start: ends, count: lineTotal),
            firstLineNumber: firstLineNumber, header: header, timestamp: timestamp,
            level: level, frameLineCount: frameLines, droppedLines: droppedLines)
        sink._withUnsafeGuaranteedRef { $0.record(record) }
    }

    /// The caller's block is about to be reused: the record still open copies its lines.
    public func endOfBlock() {
        guard open, let base = borrowedBase else { return }
        if byteCount > byteCapacity { growBytes(to: byteCount, keeping: 0) }
        bytes.copyMemory(from: base, byteCount: byteCount)
        borrowedBase = nil
    }

    private func start(_ line: UnsafeRawBufferPointer, number: Int, header: LogHeader?, borrowed: Bool = true) {
        open = true
        byteCount = 0
        contentBytes = 0
        borrowedBase = borrowsLines && borrowed ? line.baseAddress : nil
        lineTotal = 0
        firstLineNumber = number
        self.header = header
        level = header?.level
        frameLines = 0
        droppedLines = 0
        timestamp = header?.timestamp
        if let stamp = timestamp {
            if stamp.hasDate {
                lastDated = stamp
            } else if header?.style == .timeOnly || header?.style == .pattern, let dated = lastDated {
                timestamp = stamp.onDate(of: dated)
            }
        }
        append(line)
    }

    @inline(__always)
    private func append(_ line: UnsafeRawBufferPointer) {
        guard lineTotal < maxLines, contentBytes + line.count <= maxBytes else {
            droppedLines += 1
            return
        }
        if lineTotal == lineCapacity { growLines() }
        if let base = borrowedBase {
            // Later lines of the block sit after the first one: offsets from it.
            if let start = line.baseAddress { byteCount = start - base + line.count }
            starts[lineTotal] = byteCount - line.count
        } else {
            if byteCount + line.count > byteCapacity { growBytes(to: byteCount + line.count, keeping: byteCount) }
            if let base = line.baseAddress, line.count > 0 {
                (bytes + byteCount).copyMemory(from: base, byteCount: line.count)
            }
            starts[lineTotal] = byteCount
            byteCount += line.count
        }
        ends[lineTotal] = byteCount
        contentBytes += line.count
        lineTotal += 1
        if isFrameLine(line) { frameLines += 1 }
    }

    private func growBytes(to needed: Int, keeping kept: Int) {
        var capacity = byteCapacity
        while capacity < needed { capacity *= 2 }
        // A borrowed record's line breaks may take it past `maxBytes` when it is copied.
        capacity = min(capacity, max(maxBytes, needed))
        let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        grown.copyMemory(from: bytes, byteCount: kept)
        bytes.deallocate()
        bytes = grown
        byteCapacity = capacity
    }

    private func growLines() {
        let capacity = min(lineCapacity * 2, maxLines)
        let grownStarts = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        let grownEnds = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        grownStarts.update(from: starts, count: lineTotal)
        grownEnds.update(from: ends, count: lineTotal)
        starts.deallocate()
        ends.deallocate()
        starts = grownStarts
        ends = grownEnds
        lineCapacity = capacity
    }

    @inline(__always)
    private func isFrameLine(_ line: UnsafeRawBufferPointer) -> Bool {
        // Cheap test first: a frame line starts with a blank or with `at `.
        guard line.count > 3, line[0].isBlank || line[0] == UInt8(ascii: "a") else { return false }
        if case .frame = TraceLineKind.classify(line) { return true }
        return false
    }

    private func continuesTrace(_ line: UnsafeRawBufferPointer, from index: Int) -> Bool {
        let start = line.skippingBlanks(from: index)
        return line.matches("at ", at: start) || line.matches("Caused by:", at: start)
            || line.matches("... ", at: start) || line.matches("Suppressed:", at: start)
    }

    /// `SEVERE: message` — the second line of a java.util.logging SimpleFormatter record.
    private func julLevel(_ line: UnsafeRawBufferPointer) -> LogLevel? {
        var end = 0
        while end < min(line.count, 9), line[end].isASCIIUppercase { end += 1 }
        guard line.byte(end) == 0x3A else { return nil }
        return LogLevel.word(line, 0, end)
    }
}
