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

    public init(signalCount: Int) {
        signals = Array(repeating: SignalCount(), count: signalCount)
    }

    public var isEmpty: Bool { records == 0 }

    /// Adds one record's match; a record that raises the finding counts as an occurrence,
    /// incident-wide context only adds to its signals.
    public mutating func add(_ match: SignalMatcher.RuleMatch, facts: RecordFacts) {
        if match.raisesFinding {
            records += 1
            span = TimeSpan.adding(facts.timestamp, to: span)
            sources.add(facts.source)
            for destination in facts.destinations { destinations.add(destination) }
        }
        // By index: iterating copies each hit, its evidence's string or frame with it.
        for hitIndex in match.hits.indices {
            let hit = match.hits[hitIndex].signal
            signals[hit].count += 1
            signals[hit].span = TimeSpan.adding(facts.timestamp, to: signals[hit].span)
            // Which code calls where, from the records that raise the finding (their
            // destinations are found anyway); incident-wide context is not worth a scan.
            if match.raisesFinding { for destination in facts.destinations { signals[hit].destinations.add(destination) } }
            if !signals[hit].samples.isFull {
                signals[hit].samples.add(EvidenceSample(
                    source: facts.source, line: match.hits[hitIndex].line, text: EvidenceTally.clip(match.hits[hitIndex].text(in: facts)),
                    time: facts.timestamp))
            }
        }
    }

    public mutating func merge(_ other: EvidenceTally) {
        records += other.records
        span = TimeSpan.merged(span, other.span)
        destinations.merge(other.destinations)
        sources.merge(other.sources)
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
