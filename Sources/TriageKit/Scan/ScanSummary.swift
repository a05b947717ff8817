/// What a scan found across its files, computed from the rows alone (so `triage merge` of
/// shards computes the same): the root causes gathered by rule and destination with their
/// files, hosts and time span; findings per day; the noisiest exception groups.
public struct ScanSummary: Codable, Sendable, Equatable {
    /// `"$triage": "scan-summary"`, the first key.
    public var kind = "scan-summary"
    public var roots: [String]
    public var since: LogTimestamp?
    public var until: LogTimestamp?
    public var files = 0
    public var analysed = 0
    public var unreadable = 0
    public var skipped = 0
    /// Files left unopened because their name's date or modification time lies outside the window.
    public var outsideWindow = 0
    public var bytes = 0
    public var lines = 0
    public var records = 0
    public var causes: [ScanCause] = []
    public var days: [ScanDay] = []
    public var exceptions: [ScanExceptionTotal] = []

    public struct ScanCause: Codable, Sendable, Equatable {
        public var rule: String
        public var title: String
        public var severity: Severity
        public var destination: String?
        public var files: Int
        public var hosts: [String]
        public var occurrences: Int
        public var highestConfidence: Double
        public var firstSeen: LogTimestamp?
        public var lastSeen: LogTimestamp?
        /// Where to look first: the file with the most occurrences, and its evidence line.
        public var example: String
    }

    public struct ScanDay: Codable, Sendable, Equatable {
        /// `2026-03-01`
        public var day: String
        /// Files with each rule's finding that day, by rule id.
        public var findings: [Tally]
    }

    public struct ScanExceptionTotal: Codable, Sendable, Equatable {
        public var fingerprint: String
        public var exception: String
        public var rootCause: String
        public var count: Int
        public var files: Int
        public var firstSeen: LogTimestamp?
        public var lastSeen: LogTimestamp?
        public var example: String
    }

    enum CodingKeys: String, CodingKey {
        case kind = "$triage"
        case roots, since, until, files, analysed, unreadable, skipped, outsideWindow, bytes, lines, records, causes, days, exceptions
    }

    static let causesKept = 50
    static let exceptionsKept = 20
    /// A finding spanning more days than this counts on its first and last day only.
    static let daysPerFinding = 31

    public init(rows: [ScanFileRow], roots: [String], since: LogTimestamp?, until: LogTimestamp?) {
        self.roots = roots
        self.since = since
        self.until = until
        var causes: [String: ScanCause] = [:]
        var causeBest: [String: Int] = [:]
        var days: [String: [String: Int]] = [:]
        var groups: [String: ScanExceptionTotal] = [:]
        var groupBest: [String: Int] = [:]
        for row in rows {
            files += 1
            switch row.status {
            case .analysed, .partial: analysed += 1
            case .unreadable: unreadable += 1
            case .skipped: if row.reason?.hasPrefix(ScanSummary.outsideWindowReason) == true { outsideWindow += 1 } else { skipped += 1 }
            }
            if row.status == .partial { unreadable += 1 }
            bytes += row.bytes
            lines += row.lines
            records += row.records
            for finding in row.findings {
                let key = finding.rule + "\u{1}" + (finding.destination ?? "")
                var cause = causes[key] ?? ScanCause(
                    rule: finding.rule, title: finding.title, severity: finding.severity, destination: finding.destination, files: 0,
                    hosts: [], occurrences: 0, highestConfidence: 0, firstSeen: nil, lastSeen: nil, example: "")
                cause.files += 1
                if !cause.hosts.contains(row.host) { cause.hosts.append(row.host) }
                cause.occurrences += finding.occurrences
                cause.highestConfidence = max(cause.highestConfidence, finding.confidence)
                // Dated times only: a dump's bare clock cannot be placed among dates.
                cause.firstSeen = [cause.firstSeen, finding.firstSeen].compactMap { $0 }.filter(\.hasDate).min()
                cause.lastSeen = [cause.lastSeen, finding.lastSeen].compactMap { $0 }.filter(\.hasDate).max()
                if finding.occurrences > causeBest[key, default: -1] {
                    causeBest[key] = finding.occurrences
                    cause.example = row.path + (finding.line.map { ":\($0)" } ?? "")
                }
                causes[key] = cause
                for day in ScanSummary.days(finding.firstSeen, finding.lastSeen) { days[day, default: [:]][finding.rule, default: 0] += 1 }
            }
            for group in row.exceptions {
                var total = groups[group.fingerprint] ?? ScanExceptionTotal(
                    fingerprint: group.fingerprint, exception: group.exception, rootCause: group.rootCause, count: 0, files: 0,
                    firstSeen: nil, lastSeen: nil, example: "")
                total.count += group.count
                total.files += 1
                total.firstSeen = [total.firstSeen, group.firstSeen].compactMap { $0 }.filter(\.hasDate).min()
                total.lastSeen = [total.lastSeen, group.lastSeen].compactMap { $0 }.filter(\.hasDate).max()
                if group.count > groupBest[group.fingerprint, default: -1] {
                    groupBest[group.fingerprint] = group.count
                    total.example = row.path + (group.line.map { ":\($0)" } ?? "")
                }
                groups[group.fingerprint] = total
            }
        }
        for key in causes.keys { causes[key]!.hosts.sort() }
        // Most severe first, then the most files, then the most occurrences; names break ties.
        self.causes = causes.values.sorted { lhs, rhs in
            if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
            if lhs.files != rhs.files { return lhs.files > rhs.files }
            if lhs.occurrences != rhs.occurrences { return lhs.occurrences > rhs.occurrences }
            return (lhs.rule, lhs.destination ?? "") < (rhs.rule, rhs.destination ?? "")
        }.prefix(ScanSummary.causesKept).map { $0 }
        self.days = days.keys.sorted().map { day in
            ScanDay(day: day, findings: days[day]!.map { Tally(key: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.key < $1.key })
        }
        self.exceptions = groups.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.fingerprint < $1.fingerprint }
            .prefix(ScanSummary.exceptionsKept).map { $0 }
    }

    static let outsideWindowReason = "outside --since/--until"

    /// The days from `first` to `last` (`2026-03-01`), only the two ends past a month.
    static func days(_ first: LogTimestamp?, _ last: LogTimestamp?) -> [String] {
        guard let first, first.hasDate else { return [] }
        let last = last.flatMap { $0.hasDate ? $0 : nil } ?? first
        let day: Int64 = 86_400_000
        let start = first.milliseconds - LogTimestamp.floorModulo(first.milliseconds, day)
        let count = (last.milliseconds - start) / day + 1
        guard count > 0 else { return [String(first.text.prefix(10))] }
        if count > Int64(daysPerFinding) { return [String(first.text.prefix(10)), String(last.text.prefix(10))] }
        return (0..<count).map { String(LogTimestamp(milliseconds: start + $0 * day, hasDate: true).text.prefix(10)) }
    }
}
