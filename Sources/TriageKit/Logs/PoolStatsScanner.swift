/// A pool's figures as a log line states them: HikariCP's `Pool stats (total=10, active=10,
/// idle=0, waiting=190)` (and the same tail on its timeout), HttpClient's `[total available: 0;
/// route allocated: 2 of 2; total allocated: 20 of 20]`, Druid's `active 50, maxActive 50`,
/// `inUse=…, avail=…, waiting=…`. Every connection in use with callers waiting says the pool is
/// exhausted; only a thread dump says whether by a leak or by a slow backend.
public struct PoolStats: Codable, Sendable, Equatable {
    /// `HikariPool-1`, the route, or nil when the line does not say.
    public var pool: String?
    public var active: Int
    /// The most connections the pool may have, where the line says (`of 2`, `maxActive 50`).
    public var maximum: Int?
    public var idle: Int?
    public var waiting: Int?
    /// The figures as written.
    public var statement: String
    public var source: String
    public var line: Int

    /// Every connection leased: none idle and callers waiting, or as many active as allowed.
    public var exhausted: Bool {
        if let maximum, active >= maximum, active > 0 { return idle ?? 0 == 0 }
        return active > 0 && idle == 0 && (waiting ?? 0) > 0
    }

    public var location: SourceLocation { SourceLocation(source: source, line: line) }
}

public enum PoolStatsScanner {
    /// Texts the prefilter looks for (lower-case); a record holding one is scanned.
    public static let literals = ["(total=", "maxactive", "inuse=", "total available:"]

    /// The pool figures one line states, or nil.
    public static func stats(in text: String, source: String, line: Int) -> PoolStats? {
        let lower = text.lowercased()
        func number(after key: String, in part: Substring? = nil) -> Int? {
            let haystack = part ?? lower[...]
            guard let range = haystack.firstRange(of: key) else { return nil }
            let digits = haystack[range.upperBound...].drop { $0 == " " }.prefix(while: \.isNumber)
            return InputNumber.decimal(digits, in: InputNumber.count)
        }
        // HikariCP: total is the pool's current size, not its maximum.
        if let total = number(after: "(total="), let active = number(after: "active=") {
            return PoolStats(pool: hikariPool(text), active: active, maximum: nil, idle: number(after: "idle="),
                             waiting: number(after: "waiting="), statement: figures(text, from: "(total="), source: source, line: line)
                .withMaximumIfFull(total)
        }
        // HttpClient 4/5: `route allocated: A of M`, `total available: N` (idle, kept alive).
        if let allocated = lower.firstRange(of: "route allocated: "),
           let active = number(after: "route allocated: "), let maximum = number(after: " of ", in: lower[allocated.upperBound...]) {
            return PoolStats(pool: PoolLimitScanner.route(in: text), active: active, maximum: maximum,
                             idle: number(after: "total available:"), waiting: nil,
                             statement: figures(text, from: "[total available:", orFrom: "route allocated:"), source: source, line: line)
        }
        // Druid: `wait millis 60000, active 50, maxActive 50, creating 0`.
        if let maximum = number(after: "maxactive "), let active = number(after: ", active ") ?? number(after: "active ") {
            return PoolStats(pool: nil, active: active, maximum: maximum, idle: nil, waiting: nil,
                             statement: figures(text, from: "active ", orFrom: "maxActive"), source: source, line: line)
        }
        if let active = number(after: "inuse=") {
            return PoolStats(pool: nil, active: active, maximum: number(after: "max="), idle: number(after: "avail="),
                             waiting: number(after: "waiting="), statement: figures(text, from: "inUse="), source: source, line: line)
        }
        return nil
    }

    /// `HikariPool-1` from `HikariPool-1 - Pool stats (…)` or a timeout's message.
    static func hikariPool(_ text: String) -> String? {
        guard let range = text.firstRange(of: "HikariPool-") else { return nil }
        let digits = text[range.upperBound...].prefix(while: \.isNumber)
        return digits.isEmpty ? nil : "HikariPool-" + digits
    }

    /// The figures part of the line, from `marker` (case-insensitive) on, at most 160 characters.
    static func figures(_ text: String, from marker: String, orFrom other: String? = nil) -> String {
        let lower = text.lowercased()
        let start = lower.firstRange(of: marker.lowercased()) ?? other.flatMap { lower.firstRange(of: $0.lowercased()) }
        let part = start.map { text[$0.lowerBound...] } ?? text[...]
        return String(part.prefix(160)).trimmingWhitespace()
    }
}

extension PoolStats {
    /// HikariCP says its size, not its maximum: a pool with every connection active and none
    /// idle is at its maximum for what the line shows.
    fileprivate func withMaximumIfFull(_ total: Int) -> PoolStats {
        var stats = self
        if active == total && idle == 0 { stats.maximum = total }
        return stats
    }
}

/// The pool figures an incident's logs state, in bounded memory: per pool, how often it was
/// seen exhausted and its worst line (the most callers waiting).
public struct PoolStatsTable: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public var worst: PoolStats
        public var exhaustedCount: Int
        public var seen: Int
    }

    public private(set) var entries: [Entry] = []
    static let capacity = 64

    public init() {}

    public mutating func add(_ stats: PoolStats) {
        if let index = entries.firstIndex(where: { $0.worst.pool == stats.pool }) {
            entries[index].seen += 1
            if stats.exhausted { entries[index].exhaustedCount += 1 }
            if Self.worse(stats, than: entries[index].worst) { entries[index].worst = stats }
        } else if entries.count < Self.capacity {
            entries.append(Entry(worst: stats, exhaustedCount: stats.exhausted ? 1 : 0, seen: 1))
        }
    }

    static func worse(_ stats: PoolStats, than other: PoolStats) -> Bool {
        if stats.exhausted != other.exhausted { return stats.exhausted }
        return (stats.waiting ?? 0) > (other.waiting ?? 0)
    }

    public mutating func merge(_ other: PoolStatsTable) {
        for entry in other.entries {
            if let index = entries.firstIndex(where: { $0.worst.pool == entry.worst.pool }) {
                entries[index].seen += entry.seen
                entries[index].exhaustedCount += entry.exhaustedCount
                if Self.worse(entry.worst, than: entries[index].worst) { entries[index].worst = entry.worst }
            } else if entries.count < Self.capacity {
                entries.append(entry)
            }
        }
    }

    /// `pool-stats-at-maximum`: a pool the logs show with every connection in use.
    public var facts: [IncidentFact] {
        entries.filter { $0.exhaustedCount > 0 }.map { entry in
            let stats = entry.worst
            let name = stats.pool.map { "\($0): " } ?? ""
            let waiting = stats.waiting.map { $0 > 0 ? ", \(NumberFormatting.count($0)) callers waiting" : "" } ?? ""
            let times = entry.exhaustedCount == 1 ? "" : " (\(NumberFormatting.count(entry.exhaustedCount)) of \(NumberFormatting.count(entry.seen)) lines like it)"
            return IncidentFact(
                id: "pool-stats-at-maximum", count: entry.exhaustedCount, kind: "log",
                summary: "\(name)\(stats.statement): every connection in use\(waiting)\(times)",
                evidence: [EvidenceSample(source: stats.source, line: stats.line, text: stats.statement)])
        }
    }
}
