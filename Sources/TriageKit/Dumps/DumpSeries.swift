/// The dumps of one input, or of the whole incident: a log with a `kill -3` every minute for a
/// week must not hold every dump. Thinned past 64, keeping the dump with a deadlock, the
/// longest lock queue, the most pool waiters and the most threads, so the series facts
/// (stuck threads, growth) and the worst single dump survive.
public typealias DumpSeries = ThinnedSeries<DumpSeriesEntry>

public struct DumpSeriesEntry: Sendable {
    public var summary: DumpSummary
    public var snapshot: DumpSnapshot
    /// What this dump alone establishes; dropped with it.
    public var facts: [IncidentFact]
}

extension ThinnedSeries where Element == DumpSeriesEntry {
    public init(capacity: Int = 64) {
        self.init(capacity: capacity, peaks: [
            { $0.summary.deadlocks.count },
            { $0.summary.contendedLocks.first?.waiters ?? 0 },
            { $0.summary.poolWaits.map(\.waiters).max() ?? 0 },
            { $0.summary.threads },
        ])
    }

    public var summaries: [DumpSummary] { elements.map(\.summary) }
    public var snapshots: [DumpSnapshot] { elements.map(\.snapshot) }
    public var facts: [IncidentFact] { elements.flatMap(\.facts) }

    public mutating func append(_ analysis: DumpAnalysis) {
        append(DumpSeriesEntry(summary: analysis.summary, snapshot: analysis.snapshot, facts: analysis.facts))
    }
}
