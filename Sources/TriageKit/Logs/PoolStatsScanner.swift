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

    /// The pool figures one line states, or nil. Searched as ASCII-lower-cased bytes: this runs
    /// on every line of the records the prefilter flags (up to 10,000 per input), and String
    /// searches made it a third of reading a log with HikariCP's stats lines.
    public static func stats(in text: String, source: String, line: Int) -> PoolStats? {
        var lower = Array(text.utf8)
        for index in lower.indices where lower[index] >= 0x41 && lower[index] <= 0x5A { lower[index] |= 0x20 }
        return lower.withUnsafeBytes { bytes -> PoolStats? in
            guard bytes.range(of: "(total=") != nil || bytes.range(of: "route allocated: ") != nil
                || bytes.range(of: "maxactive ") != nil || bytes.range(of: "inuse=") != nil else { return nil }
            func number(after key: StaticString, from: Int = 0) -> Int? {
                guard let range = bytes.range(of: key, from: from) else { return nil }
                var start = range.upperBound
                while start < bytes.count, bytes[start] == 0x20 { start += 1 }
                var end = start
                while end < bytes.count, bytes[end].isASCIIDigit { end += 1 }
                return InputNumber.decimal(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), in: InputNumber.count)
            }
            func figures(from marker: StaticString, orFrom other: StaticString? = nil) -> String {
                let start = bytes.range(of: marker)?.lowerBound ?? other.flatMap { bytes.range(of: $0)?.lowerBound } ?? 0
                let kept = Array(text.utf8)[start..<min(bytes.count, start + 160)]
                return String(decoding: kept, as: UTF8.self).trimmingWhitespace()
            }
            // HikariCP: total is the pool's current size, not its maximum.
            if let total = number(after: "(total="), let active = number(after: "active=") {
                return PoolStats(pool: hikariPool(bytes), active: active, maximum: nil, idle: number(after: "idle="),
                                 waiting: number(after: "waiting="), statement: figures(from: "(total="), source: source, line: line)
                    .withMaximumIfFull(total)
            }
            // HttpClient 4/5: `route allocated: A of M`, `total available: N` (idle, kept alive).
            if let allocated = bytes.range(of: "route allocated: "),
               let active = number(after: "route allocated: "), let maximum = number(after: " of ", from: allocated.upperBound) {
                return PoolStats(pool: PoolLimitScanner.route(in: text), active: active, maximum: maximum,
                                 idle: number(after: "total available:"), waiting: nil,
                                 statement: figures(from: "[total available:", orFrom: "route allocated:"), source: source, line: line)
            }
            // Druid: `wait millis 60000, active 50, maxActive 50, creating 0`.
            if let maximum = number(after: "maxactive "), let active = number(after: ", active ") ?? number(after: "active ") {
                return PoolStats(pool: nil, active: active, maximum: maximum, idle: nil, waiting: nil,
                                 statement: figures(from: "active ", orFrom: "maxactive"), source: source, line: line)
            }
            if let active = number(after: "inuse=") {
                return PoolStats(pool: nil, active: active, maximum: number(after: "max="), idle: number(after: "avail="),
                                 waiting: number(after: "waiting="), statement: figures(from: "inuse="), source: source, line: line)
            }
            return nil
        }
    }

    /// `HikariPool-1` from `HikariPool-1 - Pool stats (…)`, from bytes (lower-cased or not): on
    /// every stats line, where a `String` search cost a sixth of scanning an archive of small logs.
    static func hikariPool(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let range = bytes.range(of: "hikaripool-") ?? bytes.range(of: "HikariPool-") else { return nil }
        var end = range.upperBound
        while end < bytes.count, bytes[end].isASCIIDigit { end += 1 }
        return end == range.upperBound ? nil : "HikariPool-" + String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range.upperBound..<end]), as: UTF8.self)
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
