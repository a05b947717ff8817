/// Everything seen for one rule across records, in bounded memory: per signal a count, a
/// time span and a few samples; per rule the destinations and inputs involved.
public struct EvidenceTally: Sendable, Equatable {
    public struct SignalCount: Sendable, Equatable {
        public var count = 0
        public var span: TimeSpan?
        var samples = SampleList(capacity: EvidenceTally.samplesPerSignal)
        /// Endpoints the signal's records name: which code calls where.
        public var destinations = BoundedCounter(capacity: 16)
    }

    public static let samplesPerSignal = 5

    public private(set) var records = 0
    public private(set) var signals: [SignalCount]
    public private(set) var span: TimeSpan?
    public private(set) var destinations = BoundedCounter(capacity: 256)
    public private(set) var sources = BoundedCounter(capacity: 1024)
    /// Records that reported a failure already counted (its summary line, or its trace).
    public private(set) var repeatedRecords = 0
    /// The traces (exception-group fingerprints) of the records that raised the finding, with
    /// their counts: their groups name the application's frame. Bounded like the groups.
    public private(set) var traces: [ExceptionFingerprint: Int] = [:]
    static let tracesKept = 256

    /// A thread's last counted occurrence: one failure is often logged twice by one thread, a
    /// message-only line and a stack trace within moments (Hibernate's `SqlExceptionHelper`
    /// logs the error, then the caller logs the exception), and is counted once.
    struct Occurrence: Sendable, Equatable {
        var time: LogTimestamp
        var traced: Bool
        /// The signals it counted, one bit each (signal index mod 64: a rule has far fewer).
        var signals: UInt64
        var paired = false
    }
    private var lastByThread: [UInt64: Occurrence] = [:]
    /// Two records are one failure only this close together (milliseconds).
    static let sameFailureWindow: Int64 = 2_000

    public init(signalCount: Int) {
        signals = Array(repeating: SignalCount(), count: signalCount)
    }

    public var isEmpty: Bool { records == 0 }

    /// Adds one record's match; a record that raises the finding counts as an occurrence,
    /// incident-wide context only adds to its signals.
    public mutating func add(_ match: SignalMatcher.RuleMatch, facts: RecordFacts, trace: ExceptionFingerprint? = nil) {
        if match.raisesFinding, let time = facts.timestamp, time.hasDate, let thread = facts.threadKey {
            if var last = lastByThread[thread], !last.paired, last.traced != facts.traced,
               abs(time.milliseconds - last.time.milliseconds) <= EvidenceTally.sameFailureWindow {
                // The same failure, reported by its other half: its signals count once.
                last.paired = true
                lastByThread[thread] = last
                repeatedRecords += 1
                // Its trace (the traced half's) still says which code failed.
                if let trace { count(trace, 1) }
                for hitIndex in match.hits.indices where last.signals & EvidenceTally.bit(match.hits[hitIndex].signal) == 0 {
                    count(match, hitIndex, facts: facts)
                }
                return
            }
            if lastByThread.count >= 4096 { lastByThread.removeAll(keepingCapacity: true) }
            var signals: UInt64 = 0
            for hitIndex in match.hits.indices { signals |= EvidenceTally.bit(match.hits[hitIndex].signal) }
            lastByThread[thread] = Occurrence(time: time, traced: facts.traced, signals: signals)
        }
        if match.raisesFinding {
            records += 1
            if let trace { count(trace, 1) }
            span = TimeSpan.adding(facts.timestamp, to: span)
            sources.add(facts.source)
            for destination in facts.destinations { destinations.add(destination) }
        }
        // By index: iterating copies each hit, its evidence's string or frame with it.
        for hitIndex in match.hits.indices { count(match, hitIndex, facts: facts) }
    }

    private mutating func count(_ trace: ExceptionFingerprint, _ count: Int) {
        if let index = traces.index(forKey: trace) {
            traces.values[index] += count
        } else if traces.count < EvidenceTally.tracesKept {
            traces[trace] = count
        }
    }

    @inline(__always)
    private static func bit(_ signal: Int) -> UInt64 { 1 << UInt64(signal & 63) }

    /// Counts the match's hit at `hitIndex`, read in place (a copy retains its evidence).
    @inline(__always)
    private mutating func count(_ match: SignalMatcher.RuleMatch, _ hitIndex: Int, facts: RecordFacts) {
        let signal = match.hits[hitIndex].signal
        signals[signal].count += 1
        signals[signal].span = TimeSpan.adding(facts.timestamp, to: signals[signal].span)
        // Which code calls where, from the records that raise the finding (their
        // destinations are found anyway); incident-wide context is not worth a scan.
        if match.raisesFinding { for destination in facts.destinations { signals[signal].destinations.add(destination) } }
        if !signals[signal].samples.isFull {
            signals[signal].samples.add(EvidenceSample(
                source: facts.source, line: match.hits[hitIndex].line, text: EvidenceTally.clip(match.hits[hitIndex].text(in: facts)),
                time: facts.timestamp))
        }
    }

    public mutating func merge(_ other: EvidenceTally) {
        records += other.records
        repeatedRecords += other.repeatedRecords
        span = TimeSpan.merged(span, other.span)
        destinations.merge(other.destinations)
        sources.merge(other.sources)
        for (trace, count) in other.traces.sorted(by: { $0.key < $1.key }) { self.count(trace, count) }
        for index in signals.indices where index < other.signals.count {
            signals[index].count += other.signals[index].count
            signals[index].span = TimeSpan.merged(signals[index].span, other.signals[index].span)
            signals[index].samples.merge(other.signals[index].samples)
            signals[index].destinations.merge(other.signals[index].destinations)
        }
    }

    /// Evidence text is one line, short enough to read in a terminal or a ticket.
    static func clip(_ text: String) -> String {
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let trimmed = line.trimmingWhitespace()
        guard trimmed.count > 240 else { return trimmed }
        return String(trimmed.prefix(239)) + "…"
    }
}
