/// The whole answer: ranked findings, exception groups, and what was read.
///
/// This is also the JSON schema (`schema` is bumped on any incompatible change); keys are
/// written sorted, so output is byte-for-byte stable for the same input.
public struct Report: Codable, Sendable {
    /// `"$triage": "report"`, the first key (keys are sorted): how a report is recognised, so
    /// one saved among the inputs is skipped rather than read back as evidence.
    public var marker = "report"
    public var schema = 1
    public var tool = "triage"
    public var version = TriageVersion.current
    public var findings: [Finding]
    public var exceptions: [ExceptionGroup]
    /// Traces beyond the group limit, counted but not grouped.
    public var exceptionsNotGrouped: Int
    /// Thread dumps read, in input order.
    public var dumps: [DumpSummary] = []
    /// Dumps read but thinned out of the series (`DumpSeries`); absent when none were.
    public var dumpsThinned: Int?
    /// Socket snapshots and kernel settings read, with the port range in force.
    public var sockets: SocketReport?
    /// Connection-pool limits the logs state (`maxPerRoute=400`).
    public var poolLimits: [PoolLimit] = []
    /// What the dump (and socket) analysers established, whether or not a rule used it.
    public var facts: [IncidentFact] = []
    /// What the reader must know to trust the report: several JVMs among the dumps, inputs whose
    /// times do not overlap, the time window in force.
    public var notes: [String] = []
    public var inputs: [InputSummary]

    enum CodingKeys: String, CodingKey {
        case marker = "$triage"
        case schema, tool, version, findings, exceptions, exceptionsNotGrouped, dumps, dumpsThinned, sockets, poolLimits, facts
        case inputs, notes
    }

    public init(findings: [Finding], exceptions: [ExceptionGroup], exceptionsNotGrouped: Int, inputs: [InputSummary]) {
        self.findings = findings
        self.exceptions = exceptions
        self.exceptionsNotGrouped = exceptionsNotGrouped
        self.inputs = inputs
    }

    /// `, 1 skipped, 2 unreadable` for a headline: inputs given but not analysed.
    var notReadText: String {
        let skipped = inputs.filter { $0.status == .skipped }.count
        let unreadable = inputs.filter { $0.status == .unreadable }.count
        var parts: [String] = []
        if skipped > 0 { parts.append("\(skipped) skipped") }
        if unreadable > 0 { parts.append("\(unreadable) unreadable") }
        return parts.isEmpty ? "" : "; " + parts.joined(separator: ", ")
    }

    /// The most severe finding, for `--fail-on`.
    public var highestSeverity: Severity? { findings.map(\.severity).max() }
}

/// The version printed by `--version` and written into reports.
public enum TriageVersion {
    public static let current = "0.1.0"
}
