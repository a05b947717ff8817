/// The dumps of one input, or of the whole incident, in order, bounded: a log with a `kill -3`
/// every minute for a week must not hold every dump. Past `capacity` the series is thinned —
/// every other dump goes, but never the first, the last, or the one that shows the most (a
/// deadlock, the longest lock queue, the most pool waiters, the most threads) — so the
/// series facts (stuck threads, growth) and the worst single dump survive.
public struct DumpSeries: Sendable {
    public struct Entry: Sendable {
        public var summary: DumpSummary
        public var snapshot: DumpSnapshot
        /// What this dump alone establishes; dropped with it.
        public var facts: [IncidentFact]
    }

    public private(set) var entries: [Entry] = []
    /// Dumps read but dropped from the series.
    public private(set) var thinned = 0
    public let capacity: Int

    public init(capacity: Int = 64) {
        self.capacity = max(4, capacity)
    }

    public var summaries: [DumpSummary] { entries.map(\.summary) }
    public var snapshots: [DumpSnapshot] { entries.map(\.snapshot) }
    public var facts: [IncidentFact] { entries.flatMap(\.facts) }

    public mutating func append(_ analysis: DumpAnalysis) {
        append(Entry(summary: analysis.summary, snapshot: analysis.snapshot, facts: analysis.facts))
    }

    public mutating func append(contentsOf other: DumpSeries) {
        thinned += other.thinned
        for entry in other.entries { append(entry) }
    }

    private mutating func append(_ entry: Entry) {
        entries.append(entry)
        if entries.count > capacity { thin() }
    }

    private mutating func thin() {
        let measures: [(DumpSummary) -> Int] = [
            { $0.deadlocks.count },
            { $0.contendedLocks.first?.waiters ?? 0 },
            { $0.poolWaits.map(\.waiters).max() ?? 0 },
            \.threads,
        ]
        // The earliest dump with the highest figure, for each measure that is not zero.
        let peaks = measures.compactMap { measure -> Int? in
            guard let index = entries.indices.max(by: { (measure(entries[$0].summary), -$0) < (measure(entries[$1].summary), -$1) }),
                  measure(entries[index].summary) > 0 else { return nil }
            return index
        }
        let before = entries.count
        entries = entries.enumerated().filter { index, _ in
            index == 0 || index == before - 1 || index % 2 == 0 || peaks.contains(index)
        }.map(\.element)
        thinned += before - entries.count
    }
}
