/// Runs one input through the pipeline: lines → sections → records → signals → tallies.
///
/// Order matters per line: the section detector sees the line first (a dump inside a log must
/// not be read as log records); the prefilter's hits for the line are attached after the
/// assembler has decided whether the line starts a new record, so they land in the right one.
public final class InputAnalyzer: LineSink {
    public let source: String
    private let matcher: SignalMatcher
    private let window: TimeWindow?
    private var detector = SectionDetector()
    private var currentKind: SectionKind?
    private var hits: [LiteralMatcher.Hit] = []
    private var recordLiterals: [Int] = []
    private var assembler: LogRecordAssembler!
    private let parser = ExceptionChainParser()

    public private(set) var groups = ExceptionGroupTable()
    public private(set) var tallies: [EvidenceTally]
    public private(set) var summary: InputSummary
    private var levelCounts = [Int](repeating: 0, count: LogLevel.allCases.count)
    private var span: TimeSpan?

    /// Called with the size of each block read, for progress on long inputs.
    private let onBlock: ((Int) -> Void)?

    public init(source: String, matcher: SignalMatcher, window: TimeWindow? = nil, onBlock: ((Int) -> Void)? = nil) {
        self.source = source
        self.onBlock = onBlock
        self.matcher = matcher
        self.window = window
        tallies = matcher.rules.map { EvidenceTally(signalCount: $0.signals.count) }
        summary = InputSummary(source: source, status: .analysed)
        hits.reserveCapacity(1024)
        assembler = LogRecordAssembler { [unowned self] record in self.handle(record) }
    }

    public func consume(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) -> Int {
        hits.removeAll(keepingCapacity: true)
        matcher.prefilter.scan(block, into: &hits)
        // The per-line state lives in locals for the length of the block: stored properties of
        // a class cost an exclusivity check on every access.
        var detector = self.detector
        var currentKind = self.currentKind
        var hitCursor = 0
        let assembler = self.assembler!
        let count = hits.withUnsafeBufferPointer { hits in
            LineBlock.forEachLine(block, firstLineNumber: firstLineNumber) { line, number, offset in
                let kind = detector.classify(line)
                if kind != currentKind {
                    if currentKind == .log { assembler.finish() }
                    summary.sections[kind.rawValue, default: 0] += 1
                    currentKind = kind
                }
                let firstHit = hitCursor
                let lineEnd = offset + line.count
                while hitCursor < hits.count, hits[hitCursor].offset < lineEnd { hitCursor += 1 }
                guard kind == .log else { return }
                if assembler.line(line, number: number) { recordLiterals.removeAll(keepingCapacity: true) }
                if firstHit < hitCursor {
                    for index in firstHit..<hitCursor where hits[index].offset >= offset {
                        recordLiterals.append(hits[index].literal)
                    }
                }
            }
        }
        self.detector = detector
        self.currentKind = currentKind
        onBlock?(block.count)
        return count
    }

    /// Flushes the last record and completes the summary.
    public func finish() {
        assembler.finish()
        for level in LogLevel.allCases where levelCounts[level.rawValue] > 0 {
            summary.levels[level.name] = levelCounts[level.rawValue]
        }
        summary.firstSeen = span?.first
        summary.lastSeen = span?.last
        summary.traces = groups.traceCount
    }

    private func handle(_ record: LogRecordView) {
        summary.records += 1
        summary.droppedLines += record.droppedLines
        if let level = record.level { levelCounts[level.rawValue] += 1 }
        if let time = record.timestamp, time.hasDate { span = TimeSpan.adding(time, to: span) }
        if let window, !window.contains(record.timestamp) {
            summary.recordsOutsideWindow += 1
            return
        }
        let candidate = !recordLiterals.isEmpty
        guard record.frameLineCount > 0 || candidate else { return }
        parser.parse(record)
        if !parser.traces.isEmpty {
            parser.fingerprint(record)
            summary.causes += parser.causeCount
            for trace in parser.traces {
                let location = SourceLocation(source: source, line: record.lineNumber(trace.firstLineIndex))
                groups.add(trace.fingerprint, at: location, time: record.timestamp) { parser.chain(trace, in: record) }
            }
        }
        guard candidate else { return }
        let facts = RecordFacts.of(record, source: source, parser: parser)
        for match in matcher.match(facts, literals: recordLiterals) {
            tallies[match.rule].add(match, facts: facts)
        }
    }
}
