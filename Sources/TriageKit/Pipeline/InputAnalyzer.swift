/// Runs one input through the pipeline: lines → sections → records or dumps → signals and
/// facts → tallies.
///
/// Order matters per line: the section detector sees the line first (a dump inside a log must
/// not be read as log records); the prefilter's hits for the line are attached after the
/// assembler has decided whether the line starts a new record, so they land in the right one.
public final class InputAnalyzer: LineSink, LogRecordSink {
    public let source: String
    private let matcher: SignalMatcher
    private let window: TimeWindow?
    private var detector = SectionDetector()
    private var grepPrefix = GrepPrefix()
    private var envelope = ContainerEnvelope()
    private var colours = ColourEscapes()
    private var jsonEvent = JSONLogEvent()
    /// The prefilter's hits in a line that is not in the block (decoded, joined).
    private var copyHits: [LiteralMatcher.Hit] = []
    private var currentKind: SectionKind?
    private var hits: [LiteralMatcher.Hit] = []
    /// The prefilter's hits in the record being assembled.
    private let recordLiterals = UncheckedBox([Int]())
    private var assembler: LogRecordAssembler<InputAnalyzer>!
    /// The records that need a deep look go here: inline, or through `pipeline` on a thread
    /// of its own once the input proves large (see `consume`).
    private var records: RecordAnalyzer
    private var pipeline: RecordPipeline?
    private let mayPipeline: Bool
    private var bytesSeen = 0
    /// Inputs smaller than this are not worth a thread.
    private let pipelineThreshold: Int
    private var hotspot: HotSpotDumpParser!
    private var javacore: JavacoreParser!
    private var jsonDump: ThreadDumpJSONParser!
    private var top: TopThreadsParser!
    private var sockets: SocketTableParser!
    private var settingsParser: KernelSettingsParser
    /// The input's file name, when it is a /proc/sys value copied as a file (`ip_local_port_range`).
    private let procSysName: String?
    /// The last `date` output line (`Tue Nov  5 22:40:42 UTC 2019`), which collection scripts
    /// print before a socket table.
    private var dateLine: (time: LogTimestamp, line: Int)?
    /// The last bare timestamp line (`2024-12-21 13:26:03`), which jstack prints before a dump.
    private var bareTimestamp: (time: LogTimestamp, line: Int)?
    /// The last `ls /proc/PID/fd | wc -l` line: the next line is the count.
    private var descriptorCommand: (process: Int?, line: Int)?
    /// The last `4242:` line, which jcmd prints before the timestamp of its dump.
    private var processLine: (id: Int, line: Int)?
    /// A runtime version alone on a line (`21.0.2+13-58`), as `Thread.dump_to_file` prints it.
    private var versionLine: (text: String, line: Int)?

    /// Valid once `finish()` has run.
    public var groups: ExceptionGroupTable { records.groups }
    public var tallies: [EvidenceTally] { records.tallies }
    public var dumpSeries: DumpSeries { records.dumpSeries }
    /// Records per minute, once `finish()` has run.
    public var timeline: RecordTimeline? { counts.value.timeline.timeline }
    public private(set) var summary: InputSummary
    /// `top -H -b` left running for hours prints thousands of screens.
    public private(set) var topSeries = ThinnedSeries<TopSnapshot>(capacity: 64)
    public private(set) var socketSeries = SocketSeries()
    public var socketSnapshots: [SocketSnapshot] { socketSeries.snapshots }
    public var kernelSettings: KernelSettings { settingsParser.settings }
    public var poolLimits: PoolLimitTable { records.poolLimits }
    private let counts = UncheckedBox(RecordCounts())
    /// Called with the size of each block read, for progress on long inputs.
    private let onBlock: ((Int) -> Void)?

    /// `mayPipeline`: a core would otherwise be idle (one large input), so the deep analysis of
    /// records may move to a thread of its own.
    public init(source: String, matcher: SignalMatcher, window: TimeWindow? = nil, pattern: LogPattern? = nil, mayPipeline: Bool = false,
                pipelineThreshold: Int = 8 << 20, onBlock: ((Int) -> Void)? = nil) {
        self.source = source
        self.mayPipeline = mayPipeline
        self.pipelineThreshold = pipelineThreshold
        records = RecordAnalyzer(source: source, matcher: matcher)
        self.onBlock = onBlock
        self.matcher = matcher
        self.window = window
        settingsParser = KernelSettingsParser(source: source)
        let fileName = source.split(separator: "/").last.map(String.init) ?? source
        procSysName = KernelSettings.linuxNames.contains(fileName) ? fileName : nil
        summary = InputSummary(source: source, status: .analysed)
        hits.reserveCapacity(1024)
        // Records are read in the line reader's block; `consume` ends each block (`endOfBlock`).
        assembler = LogRecordAssembler(borrowsLines: true, sink: self)
        assembler.pattern = pattern
        // `unowned(unsafe)`: the analyzer owns these parsers, so they cannot outlive it, and a
        // checked `unowned` costs an atomic retain and release on every record.
        hotspot = HotSpotDumpParser(source: source) { [unowned(unsafe) self] dump in self.handle(dump) }
        javacore = JavacoreParser(source: source) { [unowned(unsafe) self] dump in self.handle(dump) }
        jsonDump = ThreadDumpJSONParser(source: source) { [unowned(unsafe) self] dump in self.handle(dump) }
        top = TopThreadsParser(source: source) { [unowned(unsafe) self] snapshot in self.topSeries.append(snapshot) }
        sockets = SocketTableParser(source: source) { [unowned(unsafe) self] snapshot in
            if !snapshot.isEmpty && self.inWindow(snapshot.time, tables: true) { self.socketSeries.append(snapshot) }
        }
    }

    public func consume(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) -> Int {
        hits.removeAll(keepingCapacity: true)
        matcher.prefilter.scan(block, into: &hits)
        // The per-line state lives in locals for the length of the block: stored properties of
        // a class cost an exclusivity check on every access.
        var detector = self.detector
        var grepPrefix = self.grepPrefix
        var envelope = self.envelope
        var colours = self.colours
        // Swapped out, not copied: a copy would share its buffers and copy them on first write.
        var jsonEvent = JSONLogEvent()
        swap(&jsonEvent, &self.jsonEvent)
        var currentKind = self.currentKind
        var hitCursor = 0
        let assembler = self.assembler!
        let anchor = matcher.dumpAnchorLiteral

        /// One line as the application wrote it. `lineHits` are the prefilter's hits at or after
        /// `hitsFrom` (the line's offset in whatever `lineHits` was scanned from).
        @inline(__always)
        func process(_ line: UnsafeRawBufferPointer, _ number: Int, _ lineHits: UnsafeBufferPointer<LiteralMatcher.Hit>,
                     _ hitsFrom: Int, anchored: Bool, inBlock: Bool) {
            let kind = detector.classify(line, dumpAnchor: anchored,
                                         claimedByDump: currentKind == .hotspotThreadDump && hotspot.claims(line))
            if kind != currentKind {
                enterSection(kind, from: currentKind, number: number)
                currentKind = kind
            }
            switch kind {
            case .log:
                if number == 1, let name = procSysName, settingsParser.bareValue(line, number: number, fileName: name) { return }
                if let command = descriptorCommand, descriptorCount(line, number: number, after: command) { return }
                if line.count < 160, line.first == 0x24 || line.first == 0x23 || line.first == 0x2B || line.first == 0x6C,
                   let command = InputAnalyzer.descriptorCountCommand(line) {
                    descriptorCommand = (command, number)
                }
                if assembler.line(line, number: number, borrowed: inBlock), !recordLiterals.value.isEmpty {
                    recordLiterals.value.removeAll(keepingCapacity: true)
                }
                for hit in lineHits where hit.offset >= hitsFrom && hit.literal != anchor {
                    recordLiterals.value.append(hit.literal)
                }
                noteBareTimestamp(line, number)
            case .socketTable:
                sockets.line(line, number: number)
            case .kernelSettings:
                // Collection scripts print the descriptor count among the limits.
                if let command = descriptorCommand, descriptorCount(line, number: number, after: command) { return }
                if line.count < 160, let command = InputAnalyzer.descriptorCountCommand(line) {
                    descriptorCommand = (command, number)
                    return
                }
                settingsParser.line(line, number: number)
            case .hotspotThreadDump:
                if let stamp = bareTimestampOf(line) {
                    hotspot.pendingTimestamp = stamp
                } else {
                    hotspot.line(line, number: number)
                }
            case .javacore:
                javacore.line(line, number: number)
            case .threadDumpJSON:
                if jsonDump.line(line, number: number) {
                    detector.endSection()
                    currentKind = .log
                }
            case .topThreads:
                top.line(line, number: number)
            }
        }

        /// A JSON log event, or a line that is not in the block (decoded or joined), with
        /// prefilter hits of its own. An event becomes the record its fields describe.
        func processOutOfBlock(_ line: UnsafeRawBufferPointer, _ number: Int, inBlock: Bool, rawHits: Int? = nil) {
            var copyHits = self.copyHits
            defer { self.copyHits = copyHits }
            if line.count > 1, line[0] == 0x7B, line[1] == 0x22, currentKind != .threadDumpJSON {
                if jsonEvent.decode(line) {
                    counts.value.jsonEvents += 1
                    // No literal in the line as written, and no `\u` escape to hide one: none in its text.
                    event(number, &copyHits, scan: rawHits != 0 || line.range(of: "\\u") != nil)
                    return
                }
                // A JSON line among JSON events that is not one is read as text, and counted.
                if counts.value.jsonEvents > 0 { counts.value.unreadableJSON += 1 }
            }
            copyHits.removeAll(keepingCapacity: true)
            matcher.prefilter.scan(line, into: &copyHits)
            copyHits.withUnsafeBufferPointer { found in
                process(line, number, found, 0, anchored: found.contains { $0.literal == anchor }, inBlock: inBlock)
            }
        }

        /// The decoded event's lines go to the log assembler as one record.
        func event(_ number: Int, _ copyHits: inout [LiteralMatcher.Hit], scan: Bool) {
            if currentKind != .log {
                detector.endSection()
                enterSection(.log, from: currentKind, number: number)
                currentKind = .log
            }
            var first = true
            jsonEvent.forEachLine { line in
                if first {
                    assembler.event(line, number: number, header: jsonEvent.header)
                    if !recordLiterals.value.isEmpty { recordLiterals.value.removeAll(keepingCapacity: true) }
                    first = false
                } else {
                    assembler.continuation(line, number: number)
                }
            }
            // The event is one record: its text is scanned once, whole.
            guard scan else { return }
            copyHits.removeAll(keepingCapacity: true)
            jsonEvent.text.withUnsafeBytes { matcher.prefilter.scan($0, into: &copyHits) }
            for hit in copyHits where hit.literal != anchor { recordLiterals.value.append(hit.literal) }
        }

        let count = hits.withUnsafeBufferPointer { hits in
            LineBlock.forEachLine(block, firstLineNumber: firstLineNumber) { whole, number, offset in
                let firstHit = hitCursor
                let lineEnd = offset + whole.count
                var anchored = false
                while hitCursor < hits.count, hits[hitCursor].offset < lineEnd {
                    if hits[hitCursor].literal == anchor { anchored = true }
                    hitCursor += 1
                }
                let lineHits = UnsafeBufferPointer(rebasing: hits[firstHit..<hitCursor])
                // A coloured line is read as a copy without its escapes (hits found again in it).
                if colours.mode != .off, colours.strip(whole) {
                    colours.stripped.withUnsafeBytes { plain in
                        envelope.unwrap(plain, number: number) { inner, number, _ in
                            let json = inner.count > 1 && inner[0] == 0x7B && inner[1] == 0x22
                            processOutOfBlock(json || grepPrefix.mode == .off ? inner : grepPrefix.apply(inner), number, inBlock: false)
                        }
                    }
                    return
                }
                // Most inputs: no wrapper, no JSON.
                if envelope.kind == .none, whole.count < 2 || whole[0] != 0x7B || whole[1] != 0x22 {
                    // A `grep -n` excerpt: the line without its `1234:` (hits after it stay in the line).
                    let line = grepPrefix.mode == .off ? whole : grepPrefix.apply(whole)
                    process(line, number, lineHits, offset + (whole.count - line.count), anchored: anchored, inBlock: true)
                    return
                }
                envelope.unwrap(whole, number: number) { inner, number, inBlock in
                    if inner.count > 1, inner[0] == 0x7B, inner[1] == 0x22 {
                        processOutOfBlock(inner, number, inBlock: inBlock, rawHits: inBlock ? lineHits.count : nil)
                    } else if inBlock {
                        let line = grepPrefix.mode == .off ? inner : grepPrefix.apply(inner)
                        process(line, number, lineHits, offset + (whole.count - line.count), anchored: anchored, inBlock: true)
                    } else {
                        processOutOfBlock(inner, number, inBlock: false)
                    }
                }
            }
        }
        assembler.endOfBlock()
        self.detector = detector
        self.grepPrefix = grepPrefix
        self.envelope = envelope
        self.colours = colours
        swap(&jsonEvent, &self.jsonEvent)
        self.currentKind = currentKind
        onBlock?(block.count)
        bytesSeen += block.count
        if mayPipeline, pipeline == nil, bytesSeen >= pipelineThreshold {
            // From here on the records' deep analysis runs beside the scanning, with rules of
            // its own (shared ones would bounce reference counts between the two cores).
            records.matcher = matcher.privateCopy()
            pipeline = RecordPipeline(analyzer: records)
        }
        return count
    }

    /// The line at `number` starts a section of another kind.
    private func enterSection(_ kind: SectionKind, from current: SectionKind?, number: Int) {
        finishSection(current)
        summary.sections[kind.rawValue, default: 0] += 1
        // jstack prints a timestamp before its dump; jcmd its pid and a timestamp;
        // Thread.dump_to_file its pid, a timestamp and the runtime's version.
        if kind == .hotspotThreadDump, let stamp = bareTimestamp, number - stamp.line <= 3 {
            hotspot.pendingTimestamp = stamp.time
        }
        if kind == .hotspotThreadDump, let process = processLine, number - process.line <= 4 {
            hotspot.pendingProcessId = process.id
        }
        if kind == .hotspotThreadDump, let version = versionLine, number - version.line <= 2 {
            hotspot.pendingJVM = version.text
        }
        // Collection scripts print `date` (and netstat's stderr notes) before the table.
        if kind == .socketTable, let stamp = [dateLine, bareTimestamp].compactMap({ $0 }).max(by: { $0.line < $1.line }),
           number - stamp.line <= 4 {
            sockets.pendingTime = stamp.time
        }
    }

    /// Ends the section being read, so its parser emits what it holds.
    private func finishSection(_ kind: SectionKind?) {
        switch kind {
        case .log: assembler.finish()
        case .hotspotThreadDump: hotspot.finish()
        case .javacore: javacore.finish()
        case .threadDumpJSON: jsonDump.finish()
        case .topThreads: top.finish()
        case .socketTable: sockets.finish()
        case .kernelSettings, nil: break
        }
    }

    /// `ls /proc/4242/fd | wc -l` (after a prompt, `$ `, `# `, `+ `): the process it counts the
    /// descriptors of (nil for `$(pgrep java)`), when the line is that command.
    static func descriptorCountCommand(_ line: UnsafeRawBufferPointer) -> Int?? {
        guard let proc = line.range(of: "/proc/"), line.range(of: "wc -l", from: proc.upperBound) != nil,
              let fd = line.range(of: "/fd", from: proc.upperBound) else { return nil }
        let pid = InputNumber.decimal(UnsafeRawBufferPointer(rebasing: line[proc.upperBound..<fd.lowerBound]), in: 1...InputNumber.threadId.upperBound)
        return .some(pid)
    }

    /// The count printed under such a command.
    private func descriptorCount(_ line: UnsafeRawBufferPointer, number: Int, after command: (process: Int?, line: Int)) -> Bool {
        guard number == command.line + 1 else {
            descriptorCommand = nil
            return false
        }
        descriptorCommand = nil
        let digits = UnsafeRawBufferPointer(rebasing: line[line.skippingBlanks(from: 0)...])
        guard let count = InputNumber.decimal(digits, in: 0...Int(Int32.max)) else { return false }
        settingsParser.descriptorCount(count, process: command.process, number: number)
        return true
    }

    /// A line that is only a timestamp: remembered in case a dump follows.
    @inline(__always)
    private func noteBareTimestamp(_ line: UnsafeRawBufferPointer, _ number: Int) {
        // `4242:` (jcmd) or `4242` (Thread.dump_to_file): a process id alone on its line.
        if line.count >= 1, line.count <= 11, line[0].isASCIIDigit {
            let digits = line[line.count - 1] == 0x3A ? line.count - 1 : line.count
            if let id = InputNumber.decimal(UnsafeRawBufferPointer(rebasing: line[..<digits]), in: 1...InputNumber.threadId.upperBound) {
                processLine = (id, number)
                return
            }
        }
        if line.count >= 3, line.count <= 40, line[0].isASCIIDigit, line.firstIndex(of: 0x2B, from: 0) != nil,
           line.firstIndex(of: 0x20, from: 0) == nil, line.firstIndex(of: 0x3A, from: 0) == nil {
            versionLine = (line.string(0..<line.count), number)
            return
        }
        if line.count >= 24, line.count <= 32, line[0].isASCIIUppercase,
           let time = LogTimestamp.dateCommand(String(decoding: line, as: UTF8.self).trimmingWhitespace()) {
            dateLine = (time, number)
            return
        }
        // SAP JVM: `Thread dump triggered at 2026-01-27 20:45:13` above its dump.
        if line.count > 25, line.count <= 64, line[0] == UInt8(ascii: "T"), line.matches("Thread dump triggered at ", at: 0),
           let stamp = bareTimestampOf(UnsafeRawBufferPointer(rebasing: line[25...])) {
            bareTimestamp = (stamp, number)
            return
        }
        guard line.count <= 32, let stamp = bareTimestampOf(line) else { return }
        bareTimestamp = (stamp, number)
    }

    /// A timestamp alone on its line (`2024-12-21 13:26:03`, `2023-10-04T10:20:41.124457Z`).
    private func bareTimestampOf(_ line: UnsafeRawBufferPointer) -> LogTimestamp? {
        // Past 24 bytes only the ISO form with a `T` and fractions (`2023-10-04T10:20:41.124457Z`).
        guard line.count <= 32, line.count >= 8, line[0].isASCIIDigit, line.count <= 24 || line.byte(10) == UInt8(ascii: "T"),
              let header = LogHeaderParser.parse(line), header.messageStart >= line.count else { return nil }
        return header.timestamp
    }

    /// An analyzer dropped without `finish()` must not leave its thread waiting forever.
    deinit { _ = pipeline?.finish() }

    /// Flushes the last record or dump and completes the summary.
    public func finish() {
        // A line the container runtime split, cut off by the end of the input.
        envelope.finish { line, number, _ in
            if currentKind == .log { assembler.line(line, number: number, borrowed: false) }
        }
        finishSection(currentKind)
        if let pipeline {
            records = pipeline.finish()
            self.pipeline = nil
        }
        summary.records = counts.value.records
        summary.droppedLines = counts.value.droppedLines
        if counts.value.jsonEvents > 0 { summary.jsonEvents = counts.value.jsonEvents }
        if counts.value.unreadableJSON > 0 {
            summary.unreadableJSONLines = counts.value.unreadableJSON
            summary.notes = (summary.notes ?? []) + ["\(NumberFormatting.count(counts.value.unreadableJSON)) JSON line(s) are not log events this reader knows: read as plain text"]
        }
        if sockets.unknownStateRows > 0, let first = sockets.firstUnknownState {
            summary.notes = (summary.notes ?? []) + ["\(NumberFormatting.count(sockets.unknownStateRows)) socket row(s) have a state "
                + "triage does not know (first `\(first.word)`, line \(first.line)): left out of the socket counts"]
        }
        if sockets.statelessRows > 0, let line = sockets.firstStatelessTable {
            summary.notes = (summary.notes ?? []) + ["\(NumberFormatting.count(sockets.statelessRows)) socket row(s) under the header "
                + "at line \(line) have no State column (`ss … state FILTER` drops it): not read; capture `ss -tanp` without a filter"]
        }
        if let wrapper = envelope.kind.name { summary.wrapper = wrapper }
        summary.recordsOutsideWindow = counts.value.outsideWindow
        if window != nil {
            summary.dumpsOutsideWindow = windowCounts.dumps
            summary.tablesOutsideWindow = windowCounts.tables
            summary.untimedKeptInWindow = windowCounts.untimed
        }
        for level in LogLevel.allCases where counts.value.levels[level.rawValue] > 0 {
            summary.levels[level.name] = counts.value.levels[level.rawValue]
        }
        summary.firstSeen = counts.value.span?.first
        summary.lastSeen = counts.value.span?.last
        summary.traces = records.groups.traceCount
        summary.causes = records.causes
    }

    /// Whether a dump or a table taken at `time` is inside the window; counts what it leaves out
    /// and what it keeps without a date.
    private func inWindow(_ time: LogTimestamp?, tables: Bool) -> Bool {
        guard let window else { return true }
        guard let time, time.hasDate else {
            windowCounts.untimed += 1
            return true
        }
        if window.contains(time) { return true }
        if tables { windowCounts.tables += 1 } else { windowCounts.dumps += 1 }
        return false
    }
    private var windowCounts = (dumps: 0, tables: 0, untimed: 0)

    private func handle(_ dump: ThreadDump) {
        guard inWindow(dump.timestamp, tables: false) else { return }
        if let pipeline { pipeline.send(dump) } else { records.handle(dump) }
        if let time = dump.timestamp, time.hasDate { counts.value.span = TimeSpan.adding(time, to: counts.value.span) }
    }

    /// Each record the assembler completes (`LogRecordSink`), while its view is valid.
    public func record(_ record: LogRecordView) {
        guard counts.value.count(record, window: window) else { return }
        // Most records: no literal, no trace.
        if record.frameLineCount == 0 && recordLiterals.value.isEmpty { return }
        // HttpClient's DEBUG log states the pool limit on every lease: the first thousands say it all.
        let statesPoolLimit = counts.value.poolLimitRecords < 10_000 && recordLiterals.value.contains(where: matcher.poolLimitLiterals.contains)
        if statesPoolLimit { counts.value.poolLimitRecords += 1 }
        let candidate = statesPoolLimit || recordLiterals.value.contains(where: matcher.gates)
        guard record.frameLineCount > 0 || candidate else { return }
        if let pipeline {
            pipeline.send(record, literals: recordLiterals.value, candidate: candidate, statesPoolLimit: statesPoolLimit)
        } else {
            records.handle(record, literals: recordLiterals.value, candidate: candidate, statesPoolLimit: statesPoolLimit)
        }
    }
}

/// What every record adds to the summary, kept in one value so counting a record costs one
/// exclusivity check rather than one per counter.
private struct RecordCounts {
    var records = 0
    var droppedLines = 0
    var outsideWindow = 0
    /// By `LogLevel.rawValue`; inline, so counting is not an array's uniqueness check.
    var levels = InlineArray<6, Int>(repeating: 0)
    var span: TimeSpan?
    var poolLimitRecords = 0
    /// JSON log events decoded, and JSON lines among them that were not events (read as text).
    var jsonEvents = 0
    var unreadableJSON = 0
    var timeline = RecordTimelineCounter()

    init() {
        assert(LogLevel.allCases.count == levels.count, "a slot per log level")
    }

    /// Counts the record; false when it falls outside the time window (counted, not analysed).
    mutating func count(_ record: LogRecordView, window: TimeWindow?) -> Bool {
        records += 1
        droppedLines += record.droppedLines
        if let level = record.level { levels[level.rawValue] += 1 }
        if let time = record.timestamp, time.hasDate { span = TimeSpan.adding(time, to: span) }
        if let window, !window.contains(record.timestamp) {
            outsideWindow += 1
            return false
        }
        if let time = record.timestamp { timeline.add(time, error: (record.level?.rawValue ?? 0) >= LogLevel.error.rawValue) }
        return true
    }
}
