/// `triage diff`: what changed between two captures (or two windows of one): root causes new,
/// gone and changed; exception groups new, gone, or at another rate; client sockets per state
/// per destination; thread states per pool; kernel settings that differ.
public struct ReportDiff: Codable, Sendable {
    /// `"$triage": "diff"`, the first key: how a saved diff is recognised among inputs.
    public var marker = "diff"
    public var schema = 1
    public var before: Side
    public var after: Side
    public var findings: [FindingChange] = []
    public var exceptions: [ExceptionChange] = []
    public var sockets: [SocketChange] = []
    public var pools: [PoolChange] = []
    public var settings: [SettingChange] = []

    enum CodingKeys: String, CodingKey {
        case marker = "$triage"
        case schema, before, after, findings, exceptions, sockets, pools, settings
    }

    /// One side: what it was read from and how much.
    public struct Side: Codable, Sendable {
        public var inputs: [String]
        public var window: String?
        public var records: Int
        public var firstSeen: LogTimestamp?
        public var lastSeen: LogTimestamp?
    }

    public enum Change: String, Codable, Sendable {
        case new, gone, changed, same
    }

    public struct FindingChange: Codable, Sendable {
        public var rule: String
        public var title: String
        public var destination: String?
        public var change: Change
        public var severity: Severity
        public var confidenceBefore: Double?
        public var confidenceAfter: Double?
        public var occurrencesBefore: Int
        public var occurrencesAfter: Int
    }

    public struct ExceptionChange: Codable, Sendable {
        public var fingerprint: String
        public var exception: String
        public var change: Change
        public var countBefore: Int
        public var countAfter: Int
        /// Occurrences per minute over the side's logged span (absent without dated records).
        public var perMinuteBefore: Double?
        public var perMinuteAfter: Double?
    }

    public struct SocketChange: Codable, Sendable {
        public var state: String
        public var destination: String
        public var before: Int
        public var after: Int
    }

    public struct PoolChange: Codable, Sendable {
        public var pool: String
        public var before: [String: Int]
        public var after: [String: Int]
    }

    public struct SettingChange: Codable, Sendable {
        public var name: String
        public var before: String?
        public var after: String?
    }

    /// A rate counts as changed past this factor either way.
    static let rateFactor = 2.0

    public init(before: Report, after: Report, beforeSide: Side, afterSide: Side) {
        self.before = beforeSide
        self.after = afterSide
        findings = ReportDiff.findings(before.findings, after.findings)
        exceptions = ReportDiff.exceptions(before, after, beforeSide, afterSide)
        sockets = ReportDiff.sockets(before.sockets, after.sockets)
        pools = ReportDiff.pools(before.dumps.last, after.dumps.last)
        settings = ReportDiff.settings(before.sockets, after.sockets)
    }

    /// A report has one finding per rule: the rule is the key (its destination may move).
    private static func key(_ finding: Finding) -> String { finding.rule }

    static func findings(_ before: [Finding], _ after: [Finding]) -> [FindingChange] {
        let old = Dictionary(before.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [FindingChange] = []
        // In the after side's ranking, then what is gone in the before side's.
        for finding in after {
            let previous = old[key(finding)]
            let change: Change = previous == nil ? .new
                : previous!.severity != finding.severity || abs(previous!.confidence - finding.confidence) >= 0.05
                    || previous!.facts.occurrences != finding.facts.occurrences ? .changed : .same
            changes.append(FindingChange(rule: finding.rule, title: finding.title, destination: finding.facts.destinations.first?.key,
                                         change: change, severity: finding.severity, confidenceBefore: previous?.confidence,
                                         confidenceAfter: finding.confidence, occurrencesBefore: previous?.facts.occurrences ?? 0,
                                         occurrencesAfter: finding.facts.occurrences))
        }
        for finding in before where new[key(finding)] == nil {
            changes.append(FindingChange(rule: finding.rule, title: finding.title, destination: finding.facts.destinations.first?.key,
                                         change: .gone, severity: finding.severity, confidenceBefore: finding.confidence,
                                         confidenceAfter: nil, occurrencesBefore: finding.facts.occurrences, occurrencesAfter: 0))
        }
        return changes
    }

    static func minutes(_ side: Side) -> Double? {
        guard let first = side.firstSeen, let last = side.lastSeen, first.hasDate, last.hasDate else { return nil }
        return max(1, Double(last.milliseconds - first.milliseconds) / 60_000)
    }

    static func exceptions(_ before: Report, _ after: Report, _ beforeSide: Side, _ afterSide: Side) -> [ExceptionChange] {
        let old = Dictionary(before.exceptions.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.exceptions.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
        let (beforeMinutes, afterMinutes) = (minutes(beforeSide), minutes(afterSide))
        var changes: [ExceptionChange] = []
        for group in after.exceptions.prefix(50) {
            let previous = old[group.fingerprint]
            let rateBefore = beforeMinutes.map { Double(previous?.count ?? 0) / $0 }
            let rateAfter = afterMinutes.map { Double(group.count) / $0 }
            var change: Change = previous == nil ? .new : .same
            if let previous {
                // Rates where both sides have dated records, counts otherwise.
                let (a, b) = rateBefore != nil && rateAfter != nil ? (rateBefore!, rateAfter!) : (Double(previous.count), Double(group.count))
                if b >= a * rateFactor || b * rateFactor <= a { change = .changed }
            }
            changes.append(ExceptionChange(fingerprint: group.fingerprint, exception: group.exception, change: change,
                                           countBefore: previous?.count ?? 0, countAfter: group.count,
                                           perMinuteBefore: rateBefore, perMinuteAfter: rateAfter))
        }
        for group in before.exceptions.prefix(50) where new[group.fingerprint] == nil {
            changes.append(ExceptionChange(fingerprint: group.fingerprint, exception: group.exception, change: .gone,
                                           countBefore: group.count, countAfter: 0,
                                           perMinuteBefore: beforeMinutes.map { Double(group.count) / $0 },
                                           perMinuteAfter: afterMinutes.map { _ in 0 }))
        }
        return changes
    }

    /// The last table of each side: client sockets per state toward each destination.
    static func sockets(_ before: SocketReport?, _ after: SocketReport?) -> [SocketChange] {
        func counts(_ report: SocketReport?) -> [String: Int] {
            guard let snapshot = report?.snapshots.last else { return [:] }
            var counts: [String: Int] = [:]
            for (state, figures) in [("TIME_WAIT", snapshot.timeWaitToward), ("CLOSE_WAIT", snapshot.closeWaitToward),
                                     ("ESTABLISHED", snapshot.establishedToward)] {
                for figure in figures { counts[state + "\u{1}" + figure.destination, default: 0] += figure.count }
            }
            return counts
        }
        let (old, new) = (counts(before), counts(after))
        return Set(old.keys).union(new.keys).compactMap { key -> SocketChange? in
            let parts = key.split(separator: "\u{1}", maxSplits: 1).map(String.init)
            let (a, b) = (old[key] ?? 0, new[key] ?? 0)
            return a == b ? nil : SocketChange(state: parts[0], destination: parts.count > 1 ? parts[1] : "", before: a, after: b)
        }.sorted { abs($0.after - $0.before) != abs($1.after - $1.before) ? abs($0.after - $0.before) > abs($1.after - $1.before)
            : ($0.state, $0.destination) < ($1.state, $1.destination) }
    }

    /// The last dump of each side: thread states in each pool, where they differ.
    static func pools(_ before: DumpSummary?, _ after: DumpSummary?) -> [PoolChange] {
        let old = before?.poolStates ?? [:], new = after?.poolStates ?? [:]
        return Set(old.keys).union(new.keys).sorted().compactMap { pool in
            old[pool] == new[pool] ? nil : PoolChange(pool: pool, before: old[pool] ?? [:], after: new[pool] ?? [:])
        }
    }

    static func settings(_ before: SocketReport?, _ after: SocketReport?) -> [SettingChange] {
        func values(_ report: SocketReport?) -> [String: String] {
            var values = Dictionary((report?.settings ?? []).map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
            if let headroom = report?.headroom { values["ephemeral port range"] = "\(headroom.low)–\(headroom.high)" }
            return values
        }
        let (old, new) = (values(before), values(after))
        return Set(old.keys).union(new.keys).sorted().compactMap { name in
            old[name] == new[name] ? nil : SettingChange(name: name, before: old[name], after: new[name])
        }
    }
}
