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
    private var hitCursor = 0
    private var recordLiterals: [Int] = []
    private var assembler: LogRecordAssembler!
    private let parser = ExceptionChainParser()

    public private(set) var groups = ExceptionGroupTable()
    public private(set) var tallies: [EvidenceTally]
    public private(set) var summary: InputSummary
    private var levelCounts = [Int](repeating: 0, count: LogLevel.allCases.count)
    private var span: TimeSpan?

    public init(source: String, matcher: SignalMatcher, window: TimeWindow? = nil) {
        self.source = source
        self.matcher = matcher
        self.window = window
        tallies = matcher.rules.map { EvidenceTally(signalCount: $0.signals.count) }
        summary = InputSummary(source: source, status: .analysed)
        hits.reserveCapacity(1024)
        assembler = LogRecordAssembler { [unowned self] record in self.handle(record) }
    }

    public func beginBlock(_ block: UnsafeRawBufferPointer, firstLineNumber: Int) {
        hits.removeAll(keepingCapacity: true)
        hitCursor = 0
        matcher.prefilter.scan(block, into: &hits)
    }

    public func line(_ line: UnsafeRawBufferPointer, number: Int, offset: Int) {
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
        for index in firstHit..<hitCursor where hits[index].offset >= offset {
            recordLiterals.append(hits[index].literal)
        }
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
        let chains = parser.traces.map { parser.chain($0, in: record) }
        let headerLines = Set(chains.flatMap { $0.exceptions.map(\.line) })
        let mentions = parser.mentions(in: record).filter { !headerLines.contains($0.line) }
        let facts = RecordFacts.of(record, source: source, chains: chains, mentions: mentions)
        for match in matcher.match(facts, literals: recordLiterals) {
            tallies[match.rule].add(match, facts: facts, destinations: destinations(facts))
        }
    }

    /// Endpoints named by the record's message lines and exception messages.
    private func destinations(_ facts: RecordFacts) -> [String] {
        var found: [String] = []
        for text in facts.textLines.map(\.text) + facts.exceptions.map(\.message) {
            for endpoint in EndpointScanner.endpoints(in: text) where !found.contains(endpoint) {
                found.append(endpoint)
            }
        }
        return found
    }
}
