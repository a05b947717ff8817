import Foundation

/// Finds the stack traces in a record and fingerprints them, from bytes.
///
/// Parsing is two-step because most occurrences repeat a known trace: the outline (positions
/// and fingerprint) is cheap and made for every trace; strings are made (`chain(_:in:)`) only
/// for a trace that is new or that a rule wants to look at.
public final class ExceptionChainParser {
    struct ExceptionOutline {
        var relation: ThrownException.Relation
        var lineIndex: Int
        var name: Range<Int>
        var messageStart: Int
        /// Where the message ends on its line when frames follow on the same line (a trace
        /// flattened onto one line); nil: at the line's end.
        var messageEnd: Int? = nil
        /// Lines after the header that continue a wrapped message.
        var continuation: Range<Int>
        var frames: Range<Int>
        var omittedFrames: Int
    }

    /// A frame's `class.method`, found once when the record is outlined: without a module or
    /// class-loader prefix (`java.base@17/`, `app//`); a hidden class keeps its `/0x…` suffix
    /// (`Svc$$Lambda$12/0x0000000800c4d840`).
    struct FrameOutline {
        var lineIndex: Int
        var nameStart: Int
        var nameEnd: Int
        /// The `.` before the method, or nil when the name has none after its first byte.
        var dot: Int?
        /// The `(` that opens the location (the line's end when there is none).
        var paren: Int

        init(line: UnsafeRawBufferPointer, lineIndex: Int, from start: Int) {
            self.lineIndex = lineIndex
            // memchr for the `(` and for any `/`: most names have no prefix, and their method's
            // dot is a few bytes before the `(` (a byte loop over every frame was 7 % of a run).
            let base = line.baseAddress!
            paren = memchr(base + start, 0x28, line.count - start).map { UnsafeRawPointer($0) - base } ?? line.count
            let nameStart = FrameOutline.nameStart(in: line, from: start, before: paren)
            var end = paren
            while end > nameStart, line[end - 1].isBlank { end -= 1 }
            var dot = end - 1
            while dot > nameStart, line[dot] != 0x2E { dot -= 1 }
            self.nameStart = nameStart
            nameEnd = end
            self.dot = dot > nameStart ? dot : nil
        }

        /// Where the frame's name starts in `line[start..<end]` (`end`: its `(`): after the last
        /// `/` of a module or class-loader prefix, but not at a hidden class's `/0x…`. Dump
        /// parsers cut their frames the same way (`HotSpotDumpParser.frameParts`).
        static func nameStart(in line: UnsafeRawBufferPointer, from start: Int, before end: Int) -> Int {
            // memchr first: nearly every frame has no prefix.
            guard end > start, memchr(line.baseAddress! + start, 0x2F, end - start) != nil else { return start }
            var nameStart = start
            var position = start
            while position < end {
                if line[position] == 0x2F {
                    if line.matches("0x", at: position + 1) { break }
                    nameStart = position + 1
                }
                position += 1
            }
            return nameStart
        }
    }

    public struct TraceOutline {
        var exceptions: Range<Int>
        public var fingerprint: ExceptionFingerprint
        /// Record line index of the first exception's header.
        public var firstLineIndex: Int
    }

    /// The outline of the last record parsed.
    private var outline = TraceOutliner()
    var exceptions: [ExceptionOutline] { outline.exceptions }
    var frames: [FrameOutline] { outline.frames }
    var lineKinds: [LineKind] { outline.lineKinds }
    public var traces: [TraceOutline] { outline.traces }
    /// Counts of `Caused by:` links across the traces of the last record.
    public var causeCount: Int { outline.causeCount }

    public init() {}

    /// Outlines every stack trace in `record`. The work happens on a local value: stored
    /// properties of a class are checked for exclusive access at run time on every touch.
    public func parse(_ record: LogRecordView) {
        var outliner = TraceOutliner()
        swap(&outliner, &outline)
        outliner.parse(record)
        swap(&outliner, &outline)
    }

    /// Fingerprints every outlined trace; needs the record the outline was made from.
    public func fingerprint(_ record: LogRecordView) {
        let exceptions = outline.exceptions, frames = outline.frames
        var traces = outline.traces
        defer { outline.traces = traces }
        for traceIndex in traces.indices {
            var hasher = ExceptionFingerprint()
            for exception in exceptions[traces[traceIndex].exceptions] where exception.relation != .suppressed {
                hasher.addClassName(UnsafeRawBufferPointer(rebasing: record.line(exception.lineIndex)[exception.name]))
                var hashed = 0
                for frame in frames[exception.frames] {
                    guard hashed < ExceptionFingerprint.framesPerException else { break }
                    let name = frameName(record, frame)
                    guard let dot = frame.dot.map({ $0 - frame.nameStart }) else { continue }
                    let className = UnsafeRawBufferPointer(rebasing: name[0..<dot])
                    if ExceptionFingerprint.isReflectionFrame(className: className) { continue }
                    hasher.addClassName(className)
                    hasher.addMethodName(UnsafeRawBufferPointer(rebasing: name[(dot + 1)...]))
                    hashed += 1
                }
                hasher.add(0x03)
            }
            traces[traceIndex].fingerprint = hasher
        }
    }

    func frameName(_ record: LogRecordView, _ frame: FrameOutline) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: record.line(frame.lineIndex)[frame.nameStart..<frame.nameEnd])
    }

    /// The strings of an outlined trace, for reports and rule matching; without frames when
    /// `includeFrames` is false (`frames(ofException:in:)` gives them when needed).
    public func chain(_ trace: TraceOutline, in record: LogRecordView, includeFrames: Bool = true) -> ExceptionChain {
        var result: [ThrownException] = []
        for (offset, exception) in exceptions[trace.exceptions].enumerated() {
            let line = record.line(exception.lineIndex)
            let className = exception.name.isEmpty ? "?" : line.string(exception.name)
            let end = min(exception.messageEnd ?? line.count, line.count)
            // A nameless one (`Caused by: ` and its text) starts after the blanks, which can run
            // past where the message was cut (a `SystemErr     Caused by: R \t…` run, fuzzed).
            let start = min(exception.name.isEmpty ? line.skippingBlanks(from: exception.messageStart) : exception.messageStart, line.count)
            var message = line.string(start..<max(end, start))
            for continuation in exception.continuation where continuation < record.lineCount {
                let text = record.line(continuation)
                message += "\n" + text.string(text.skippingBlanks(from: 0)..<text.count)
            }
            if className == "AxisFault", message.hasPrefix("\n") {
                // Axis prints the fault's fields on their own lines; its message is the faultString.
                let fields = message.split(separator: "\n").map(String.init)
                if let faultString = fields.first(where: { $0.hasPrefix("faultString:") }) {
                    message = String(faultString.dropFirst(12)).trimmingWhitespace() + message
                }
            }
            result.append(ThrownException(
                relation: exception.relation, className: className, message: message,
                frames: includeFrames ? frames(ofException: trace.exceptions.lowerBound + offset, in: record) : [],
                omittedFrames: exception.omittedFrames,
                line: record.lineNumber(exception.lineIndex)))
        }
        return ExceptionChain(exceptions: result, fingerprint: trace.fingerprint)
    }

    /// The frames of the outlined exception at `index` (into the outline of the last record).
    public func frames(ofException index: Int, in record: LogRecordView) -> [StackFrame] {
        frames[exceptions[index].frames].map { frame($0, in: record) }
    }

    private func frame(_ frame: FrameOutline, in record: LogRecordView) -> StackFrame {
        let name = frameName(record, frame)
        let full = record.line(frame.lineIndex)
        var location: String?
        if frame.paren < full.count, let close = full.firstIndex(of: 0x29, from: frame.paren + 1) {
            location = full.string((frame.paren + 1)..<close)
        }
        let number = record.lineNumber(frame.lineIndex)
        guard let dot = frame.dot.map({ $0 - frame.nameStart }) else {
            return StackFrame(className: name.string(0..<name.count), method: "", location: location, line: number)
        }
        return StackFrame(className: name.string(0..<dot), method: name.string((dot + 1)..<name.count),
                          location: location, line: number)
    }

    /// The first frame of exception `index` that one of `patterns` names (a class, an enclosing
    /// class, or `class.method` prefix, as `SignalMatcher.frameMatches`), compared as bytes so
    /// that only the frame found becomes strings; `topOnly` looks at the first frame alone.
    public func firstFrame(ofException index: Int, in record: LogRecordView, matching patterns: [[UInt8]], topOnly: Bool) -> StackFrame? {
        let range = exceptions[index].frames
        for position in range {
            let outline = frames[position]
            let name = frameName(record, outline)
            let classEnd = outline.dot.map { $0 - outline.nameStart } ?? name.count
            for pattern in patterns where ExceptionChainParser.names(name, classEnd: classEnd, pattern) {
                return frame(outline, in: record)
            }
            if topOnly { break }
        }
        return nil
    }

    /// Whether `pattern` names the frame `name` whose class ends at `classEnd`.
    static func names(_ name: UnsafeRawBufferPointer, classEnd: Int, _ pattern: [UInt8]) -> Bool {
        guard pattern.count <= name.count else { return false }
        for offset in 0..<pattern.count where name[offset] != pattern[offset] { return false }
        if pattern.count < classEnd { return name[pattern.count] == 0x24 }   // an enclosing class: `Outer` of `Outer$Inner`
        if pattern.count == classEnd { return true }                          // the class itself
        return classEnd < name.count                                          // `class.method` prefix
    }

    /// Exceptions named in the record's text outside any stack trace, in the record last
    /// parsed (its lines' kinds come from the outline).
    /// `skipping`: input line numbers already read as a trace's exception headers (their names
    /// are thrown, not mentioned, and making them strings only to drop them cost time).
    public func mentions(in record: LogRecordView, skipping headerLines: [Int] = []) -> [ThrownException] {
        var found: [ThrownException] = []
        let headerStart = record.header?.messageStart ?? 0
        let kinds = outline.lineKinds
        for index in 0..<min(record.lineCount, kinds.count) where kinds[index] == .text {
            if !headerLines.isEmpty, headerLines.contains(record.lineNumber(index)) { continue }
            let full = record.line(index)
            var position = index == 0 ? min(headerStart, full.count) : 0
            while let mention = ExceptionNameScanner.firstMention(in: full, from: position) {
                let messageEnd = nextMentionStart(full, after: mention.messageStart) ?? full.count
                found.append(ThrownException(
                    relation: .mentioned, className: full.string(mention.name),
                    message: full.string(mention.messageStart..<messageEnd), line: record.lineNumber(index)))
                position = max(mention.name.upperBound, mention.messageStart)
                if found.count >= 16 { return found }
            }
        }
        return found
    }

    private func nextMentionStart(_ line: UnsafeRawBufferPointer, after index: Int) -> Int? {
        ExceptionNameScanner.firstMention(in: line, from: index).map(\.name.lowerBound)
    }
}

/// A record line's `TraceLineKind`, without its positions: what later passes over the record ask.
enum LineKind: UInt8 {
    case frame, text, other

    init(_ kind: TraceLineKind) {
        switch kind {
        case .frame: self = .frame
        case .text: self = .text
        default: self = .other
        }
    }
}

/// The per-record state of `ExceptionChainParser.parse`, a value so that its many small
/// mutations are checked for exclusivity when compiled, not at run time.
struct TraceOutliner {
    typealias ExceptionOutline = ExceptionChainParser.ExceptionOutline
    typealias FrameOutline = ExceptionChainParser.FrameOutline
    typealias TraceOutline = ExceptionChainParser.TraceOutline

    var exceptions: [ExceptionOutline] = []
    var frames: [FrameOutline] = []
    var traces: [TraceOutline] = []
    /// What each line of the record is, so the record's text lines are found without
    /// classifying its lines again (the header line as read after its timestamp and level).
    var lineKinds: [LineKind] = []
    /// Counts of `Caused by:` links across the traces of the last record.
    var causeCount = 0
    private var pending: [Int] = []
    private var current: Int?
    private var traceStart = 0
    /// An Axis 1 fault prints its detail (the original trace, as text) and then its own stack,
    /// headed by its faultString and followed by the real `Caused by`. Both parts are one trace:
    /// these remember the fault and its detail so the second part is attached, not counted anew.
    private var axisFault: Int?
    private var axisDetail: Int?

    /// Outlines every stack trace in `record`.
    mutating func parse(_ record: LogRecordView) {
        exceptions.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        traces.removeAll(keepingCapacity: true)
        lineKinds.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        causeCount = 0
        current = nil
        traceStart = 0
        axisFault = nil
        axisDetail = nil
        let headerStart = record.header?.messageStart ?? 0
        for index in 0..<record.lineCount {
            let full = record.line(index)
            let offset = index == 0 ? min(headerStart, full.count) : 0
            let line = UnsafeRawBufferPointer(rebasing: full[offset...])
            let kind = TraceLineKind.classify(line)
            lineKinds.append(LineKind(kind))
            switch kind {
            case .frame(let nameStart):
                if let fault = axisFault, let current, current != fault, frameCount(current) > 0,
                   !pending.isEmpty, frameCount(fault) == 0 {
                    // The fault's own stack, after its detail: it belongs to the fault.
                    self.current = fault
                } else if current == nil || (frameCount(current!) > 0 && !pending.isEmpty) {
                    closeTrace()
                    startThrown(record, firstFrameLine: index)
                } else if let current, !pending.isEmpty {
                    exceptions[current].continuation = pending.first!..<(pending.last! + 1)
                }
                if !pending.isEmpty { pending.removeAll(keepingCapacity: true) }   // most frames follow a frame
                frames.append(FrameOutline(line: full, lineIndex: index, from: offset + nameStart))
                extendFrames(of: current!)
            case .causedBy(let start):
                causeCount += 1
                defer { inlineTrace(record, index, from: offset + start) }
                if let detail = axisDetail, let fault = axisFault, current == fault,
                   let found = ExceptionNameScanner.header(in: line, at: start, requireThrowableSuffix: false),
                   exceptionName(record, detail) == Array(UnsafeRawBufferPointer(rebasing: line[found.name])) {
                    // The real cause repeats the detail with its frames: keep one of the two.
                    pending.removeAll(keepingCapacity: true)
                    exceptions[detail].lineIndex = index
                    exceptions[detail].name = (offset + found.name.lowerBound)..<(offset + found.name.upperBound)
                    exceptions[detail].messageStart = offset + found.messageStart
                    exceptions[detail].continuation = (index + 1)..<(index + 1)
                    exceptions[detail].frames = frames.count..<frames.count
                    current = detail
                    axisDetail = nil
                    continue
                }
                addLinked(.causedBy, record, index, offset + start)
            case .suppressed(let start):
                addLinked(.suppressed, record, index, offset + start)
                inlineTrace(record, index, from: offset + start)
            case .axisStackTrace(let start):
                // The fault detail of an AxisFault: the original exception, as text. The fault
                // itself (`AxisFault`, a line above, without frames) is the thrown one.
                if current == nil, let fault = pendingHeader(record) {
                    startAxisFault(record, fault)
                }
                let faultIndex = current
                addLinked(current == nil ? .thrown : .causedBy, record, index, offset + start)
                if let faultIndex {
                    axisFault = faultIndex
                    axisDetail = exceptions.count - 1
                }
            case .omitted(let count):
                if let current, let count { exceptions[current].omittedFrames += count }
                pending.removeAll(keepingCapacity: true)
            case .text:
                if pending.count == 64 { pending.removeFirst() }
                pending.append(index)
            }
        }
        closeTrace()
        // A whole trace flattened onto one line (copied from a web page) is a text line no frame
        // line followed: only those are looked at, so a trace as the JVM prints it costs nothing.
        for index in pending where index < record.lineCount {
            let full = record.line(index)
            let offset = index == 0 ? min(headerStart, full.count) : 0
            let line = UnsafeRawBufferPointer(rebasing: full[offset...])
            guard TraceOutliner.hasParenthesis(line), ExceptionNameScanner.header(in: line, at: 0, requireThrowableSuffix: true) != nil,
                  TraceOutliner.inlineMarker(in: line, from: 0) != nil else { continue }
            addLinked(.thrown, record, index, offset + line.skippingBlanks(from: 0))
            inlineTrace(record, index, from: offset)
            closeTrace()
        }
    }

    private func frameCount(_ exception: Int) -> Int { exceptions[exception].frames.count }

    /// What ends a flattened line's message: ` at a.b.C.m(…)` (a frame) or ` Caused by: `.
    enum InlineMarker {
        case frame(nameStart: Int)
        case causedBy(headerStart: Int)
    }

    /// The first marker at or after `start`, and where it begins (its space).
    static func inlineMarker(in line: UnsafeRawBufferPointer, from start: Int) -> (position: Int, marker: InlineMarker)? {
        var position = start
        while position + 4 < line.count, let space = line.firstIndex(of: 0x20, from: position) {
            position = space + 1
            if line.matches("at ", at: space + 1) {
                let name = space + 4
                // `pkg.Class.method(`: identifier bytes with a dot, no blank, then `(`.
                var end = name
                var dots = 0
                while end < line.count, line[end].isJavaIdentifierByte || line[end] == 0x2E || line[end] == 0x2F || line[end] == 0x24 || line[end] == 0x40 {
                    if line[end] == 0x2E { dots += 1 }
                    end += 1
                }
                if dots > 0, end > name, end < line.count, line[end] == 0x28 { return (space, .frame(nameStart: name)) }
            } else if line.matches("Caused by: ", at: space + 1) {
                return (space, .causedBy(headerStart: space + 12))
            }
        }
        return nil
    }

    static func hasParenthesis(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let base = line.baseAddress else { return false }
        return memchr(base, 0x28, line.count) != nil
    }

    /// The frames and causes that follow an exception's header on its own line.
    private mutating func inlineTrace(_ record: LogRecordView, _ index: Int, from start: Int) {
        let line = record.line(index)
        guard TraceOutliner.hasParenthesis(line) else { return }
        var position = start
        var found = 0
        while found < 512, let (at, marker) = TraceOutliner.inlineMarker(in: line, from: position) {
            found += 1
            if let current, exceptions[current].messageEnd == nil, at >= exceptions[current].messageStart {
                exceptions[current].messageEnd = at
            }
            switch marker {
            case .frame(let nameStart):
                guard current != nil else { return }
                let frame = FrameOutline(line: line, lineIndex: index, from: nameStart)
                frames.append(frame)
                extendFrames(of: current!)
                position = line.firstIndex(of: 0x29, from: frame.paren).map { $0 + 1 } ?? line.count
            case .causedBy(let headerStart):
                causeCount += 1
                addLinked(.causedBy, record, index, headerStart)
                position = headerStart
            }
        }
    }

    private mutating func extendFrames(of exception: Int) {
        let frames = exceptions[exception].frames
        exceptions[exception].frames = (frames.isEmpty ? self.frames.count - 1 : frames.lowerBound)..<self.frames.count
    }

    /// A new trace starts at a frame: its header is the nearest line above naming a class.
    private mutating func startThrown(_ record: LogRecordView, firstFrameLine: Int) {
        let headerStart = record.header?.messageStart ?? 0
        var chosen: (line: Int, name: Range<Int>, messageStart: Int)?
        for candidate in pending.reversed() {
            let offset = candidate == 0 ? min(headerStart, record.line(0).count) : 0
            if let found = ExceptionNameScanner.header(in: record.line(candidate), at: offset, requireThrowableSuffix: false),
               isTerminated(record.line(candidate), found.name.upperBound) {
                chosen = (candidate, found.name, found.messageStart)
                break
            }
        }
        if chosen == nil {
            for candidate in pending.reversed() {
                let offset = candidate == 0 ? min(headerStart, record.line(0).count) : 0
                if let found = ExceptionNameScanner.firstMention(in: record.line(candidate), from: offset) {
                    chosen = (candidate, found.name, found.messageStart)
                    break
                }
            }
        }
        let headerLine = chosen?.line ?? pending.last ?? firstFrameLine
        let continuationStart = headerLine + 1
        let continuationEnd = pending.last.map { max($0 + 1, continuationStart) } ?? continuationStart
        exceptions.append(ExceptionOutline(
            relation: .thrown, lineIndex: headerLine, name: chosen?.name ?? 0..<0,
            messageStart: chosen?.messageStart ?? 0,
            // A trace whose first line is a frame (a file cut mid-trace) has no header above it.
            continuation: continuationStart..<max(continuationStart, min(continuationEnd, firstFrameLine)),
            frames: frames.count..<frames.count, omittedFrames: 0))
        traceStart = exceptions.count - 1
        current = exceptions.count - 1
    }

    /// The nearest pending line that is an exception header (`AxisFault` included).
    private func pendingHeader(_ record: LogRecordView) -> (line: Int, name: Range<Int>, messageStart: Int)? {
        let headerStart = record.header?.messageStart ?? 0
        for candidate in pending.reversed() {
            let offset = candidate == 0 ? min(headerStart, record.line(0).count) : 0
            if let found = ExceptionNameScanner.header(in: record.line(candidate), at: offset) {
                return (candidate, found.name, found.messageStart)
            }
        }
        return nil
    }

    private mutating func startAxisFault(_ record: LogRecordView, _ fault: (line: Int, name: Range<Int>, messageStart: Int)) {
        traceStart = exceptions.count
        // The fault's fields (faultCode, faultString…) are the lines between it and its detail.
        let fieldsEnd = max(fault.line + 1, (pending.last ?? fault.line) + 1)
        exceptions.append(ExceptionOutline(
            relation: .thrown, lineIndex: fault.line, name: fault.name, messageStart: fault.messageStart,
            continuation: (fault.line + 1)..<fieldsEnd, frames: frames.count..<frames.count, omittedFrames: 0))
        current = exceptions.count - 1
    }

    private func isTerminated(_ line: UnsafeRawBufferPointer, _ end: Int) -> Bool {
        end == line.count || line[end] == 0x3A || line[end] == 0x3B
    }

    private mutating func addLinked(_ relation: ThrownException.Relation, _ record: LogRecordView, _ index: Int, _ start: Int) {
        pending.removeAll(keepingCapacity: true)
        let line = record.line(index)
        let found = ExceptionNameScanner.header(in: line, at: start, requireThrowableSuffix: false)
        if current == nil { traceStart = exceptions.count }
        exceptions.append(ExceptionOutline(
            relation: relation, lineIndex: index, name: found?.name ?? start..<start,
            messageStart: found?.messageStart ?? start, continuation: (index + 1)..<(index + 1),
            frames: frames.count..<frames.count, omittedFrames: 0))
        current = exceptions.count - 1
    }

    private func exceptionName(_ record: LogRecordView, _ exception: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: record.line(exceptions[exception].lineIndex)[exceptions[exception].name]))
    }

    private mutating func closeTrace() {
        axisFault = nil
        axisDetail = nil
        guard current != nil, traceStart < exceptions.count else { return }
        traces.append(TraceOutline(exceptions: traceStart..<exceptions.count, fingerprint: ExceptionFingerprint(),
                                   firstLineIndex: exceptions[traceStart].lineIndex))
        current = nil
        traceStart = exceptions.count
    }

}
