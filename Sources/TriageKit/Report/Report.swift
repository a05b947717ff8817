import Foundation

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
    /// The `--since`/`--until` window in force and what it left out; absent without one.
    public var window: WindowSummary?
    /// What the reader must know to trust the report: several JVMs among the dumps, inputs whose
    /// times do not overlap, the time window in force.
    public var notes: [String] = []
    /// Secrets masked in this report, by kind (absent when none, or with `--no-redact`).
    public var redactions: [String: Int]?
    /// Records (and errors) per minute across the logs, for the HTML timeline; absent without
    /// dated records.
    public var timeline: RecordTimeline?
    public var inputs: [InputSummary]

    enum CodingKeys: String, CodingKey {
        case marker = "$triage"
        case schema, tool, version, findings, exceptions, exceptionsNotGrouped, dumps, dumpsThinned, sockets, poolLimits, facts
        case inputs, notes, window, redactions, timeline
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

/// The time window in force: its ends (bare times given their date), how they were read, and
/// what falls outside.
public struct WindowSummary: Codable, Sendable, Equatable {
    public var since: LogTimestamp?
    public var until: LogTimestamp?
    /// How a bare time was given a date, and why a reader might want another.
    public var readings: [String]
    public var recordsLeftOut: Int
    public var dumpsLeftOut: Int
    public var tablesLeftOut: Int
    /// Dumps and tables without a dated time, kept because when they were taken is unknown.
    public var keptWithoutTime: Int

    /// `window 2024-12-21 13:30:00.000 → the end: left out 312 records, 1 dump, 2 socket tables`.
    public var text: String {
        var left: [String] = []
        if recordsLeftOut > 0 { left.append("\(NumberFormatting.count(recordsLeftOut)) record\(recordsLeftOut == 1 ? "" : "s")") }
        if dumpsLeftOut > 0 { left.append("\(dumpsLeftOut) dump\(dumpsLeftOut == 1 ? "" : "s")") }
        if tablesLeftOut > 0 { left.append("\(tablesLeftOut) socket table\(tablesLeftOut == 1 ? "" : "s")") }
        var out = "window \(TimeWindow(since: since, until: until).text): "
        out += left.isEmpty ? "nothing left out" : "left out " + left.joined(separator: ", ")
        if keptWithoutTime > 0 { out += "; kept \(keptWithoutTime) dump(s) or table(s) without a dated time" }
        return out
    }
}

/// The version printed by `--version` and written into reports.
public enum TriageVersion {
    public static let current = "0.1.0"
}

/// Redaction and `--anonymize` rewrite every string of a report this way, before any renderer.
extension Report {
    /// The report with `transform` applied to every string it holds (not to keys), through its
    /// JSON form; strings under a key in `skipping` stay. Nil when it cannot be rebuilt.
    func mappingStrings(skipping: Set<String> = [], _ transform: (String) -> String) -> Report? {
        guard let data = try? JSONEncoder().encode(self), let tree = try? JSONSerialization.jsonObject(with: data) else { return nil }
        func walk(_ value: Any) -> Any {
            switch value {
            case let text as String: return transform(text)
            case let array as [Any]: return array.map(walk)
            case let object as [String: Any]:
                return Dictionary(uniqueKeysWithValues: object.map { key, value in (key, skipping.contains(key) ? value : walk(value)) })
            default: return value
            }
        }
        guard let rebuilt = try? JSONSerialization.data(withJSONObject: walk(tree)) else { return nil }
        return try? JSONDecoder().decode(Report.self, from: rebuilt)
    }
}
