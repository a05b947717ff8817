/// Occurrences of the same stack trace, grouped by fingerprint.
public struct ExceptionGroup: Codable, Sendable, Equatable {
    public var fingerprint: String
    public var count: Int
    /// The thrown exception's headline, from the first occurrence.
    public var exception: String
    /// The deepest cause's headline (equal to `exception` without causes).
    public var rootCause: String
    /// Exception classes of the chain, thrown first.
    public var chain: [String]
    /// The first frames of the thrown exception (or of the root cause when it has none).
    public var frames: [String]
    public var firstSeen: LogTimestamp?
    public var lastSeen: LogTimestamp?
    /// Where the first occurrences are (capped).
    public var samples: [SourceLocation]

    /// One more occurrence.
    mutating func count(time: LogTimestamp?, at location: SourceLocation) {
        count += 1
        if let time {
            if firstSeen.map({ time < $0 }) ?? true { firstSeen = time }
            if lastSeen.map({ $0 < time }) ?? true { lastSeen = time }
        }
        if samples.count < ExceptionGroupTable.samplesPerGroup { samples.append(location) }
    }
}

/// Groups traces by fingerprint in bounded memory: at most `capacity` groups, the rest counted
/// in `overflowCount`, and a few sample locations per group.
public struct ExceptionGroupTable: Sendable {
    public static let samplesPerGroup = 3
    public static let framesPerGroup = 5
    public let capacity: Int
    public private(set) var groups: [ExceptionFingerprint: ExceptionGroup] = [:]
    public private(set) var overflowCount = 0
    /// Traces seen in total (all groups plus overflow).
    public private(set) var traceCount = 0

    public init(capacity: Int = 5_000) {
        self.capacity = capacity
    }

    /// Counts one occurrence; `makeChain` runs only for a fingerprint not seen before.
    public mutating func add(_ fingerprint: ExceptionFingerprint, at location: SourceLocation,
                             time: LogTimestamp?, makeChain: () -> ExceptionChain) {
        traceCount += 1
        if let index = groups.index(forKey: fingerprint) {
            // A mutating call goes through the dictionary's in-place accessor; reading a field
            // through `values[index]` would copy the whole group (a retain per field) first.
            groups.values[index].count(time: time, at: location)
            return
        }
        guard groups.count < capacity else {
            overflowCount += 1
            return
        }
        groups[fingerprint] = ExceptionGroupTable.group(makeChain(), fingerprint, location, time)
    }

    static func group(_ chain: ExceptionChain, _ fingerprint: ExceptionFingerprint,
                      _ location: SourceLocation, _ time: LogTimestamp?) -> ExceptionGroup {
        let linked = chain.exceptions.filter { $0.relation != .suppressed }
        let thrown = linked.first
        let root = chain.rootCause ?? thrown
        let framesFrom = (thrown?.frames.isEmpty ?? true) ? root : thrown
        return ExceptionGroup(
            fingerprint: fingerprint.description, count: 1,
            exception: EvidenceTally.clip(thrown?.headline ?? "?"),
            rootCause: EvidenceTally.clip(root?.headline ?? "?"),
            chain: linked.map(\.className),
            frames: (framesFrom?.frames ?? []).prefix(framesPerGroup).map(\.description),
            firstSeen: time, lastSeen: time, samples: [location])
    }

    /// Adds another table's groups (inputs analysed apart); earlier inputs' samples come first.
    public mutating func merge(_ other: ExceptionGroupTable) {
        traceCount += other.traceCount
        overflowCount += other.overflowCount
        for (fingerprint, incoming) in other.groups.sorted(by: { $0.key < $1.key }) {
            if var group = groups[fingerprint] {
                group.count += incoming.count
                group.firstSeen = [group.firstSeen, incoming.firstSeen].compactMap { $0 }.min()
                group.lastSeen = [group.lastSeen, incoming.lastSeen].compactMap { $0 }.max()
                group.samples = Array((group.samples + incoming.samples).prefix(ExceptionGroupTable.samplesPerGroup))
                groups[fingerprint] = group
            } else if groups.count < capacity {
                groups[fingerprint] = incoming
            } else {
                overflowCount += incoming.count
            }
        }
    }

    /// Groups by count, then first occurrence: the order reports use.
    public var sorted: [ExceptionGroup] {
        groups.values.sorted { lhs, rhs in
            if lhs.count != rhs.count { return lhs.count > rhs.count }
            let left = lhs.samples.first, right = rhs.samples.first
            if left != right, let left, let right { return left < right }
            return lhs.fingerprint < rhs.fingerprint
        }
    }
}
