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
    /// The first frame of the application's own code, from the root cause outwards: the line
    /// to open (nil when every frame is the JDK's or a library's).
    public var applicationFrame: ApplicationFrame?
    /// The first occurrence's whole chain, up to `ExceptionGroupTable.traceFrameLimit` frames
    /// (JSON only; the first `tracedGroups` groups).
    public var trace: [TracedException]?
    public var firstSeen: LogTimestamp?
    public var lastSeen: LogTimestamp?
    /// Where the first occurrences are (capped).
    public var samples: [SourceLocation]

    /// One exception of a group's representative trace.
    public struct TracedException: Codable, Sendable, Equatable {
        public var relation: String
        public var headline: String
        public var frames: [String]
        /// Frames not kept (the trace's limit) or printed as `... N more`.
        public var framesLeftOut: Int?
    }

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
    /// Frames kept of a group's representative trace, and how many groups keep one: bounded
    /// memory whatever the input (500 × 100 frames is a few megabytes).
    public static let traceFrameLimit = 100
    public static let tracedGroups = 500
    public let capacity: Int
    /// Which frames are the application's.
    public let applicationCode: ApplicationCode
    public private(set) var groups: [ExceptionFingerprint: ExceptionGroup] = [:]
    public private(set) var overflowCount = 0
    /// Traces seen in total (all groups plus overflow).
    public private(set) var traceCount = 0

    public init(capacity: Int = 5_000, applicationCode: ApplicationCode = .builtin) {
        self.capacity = capacity
        self.applicationCode = applicationCode
    }

    /// The application frame of the group with this fingerprint, if it has one.
    public func applicationFrame(of fingerprint: ExceptionFingerprint) -> ApplicationFrame? {
        groups[fingerprint]?.applicationFrame
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
        groups[fingerprint] = ExceptionGroupTable.group(makeChain(), fingerprint, location, time, applicationCode,
                                                        traced: groups.count < ExceptionGroupTable.tracedGroups)
    }

    static func group(_ chain: ExceptionChain, _ fingerprint: ExceptionFingerprint,
                      _ location: SourceLocation, _ time: LogTimestamp?, _ code: ApplicationCode = .builtin,
                      traced: Bool = true) -> ExceptionGroup {
        let linked = chain.exceptions.filter { $0.relation != .suppressed }
        let thrown = linked.first
        let root = chain.rootCause ?? thrown
        let framesFrom = (thrown?.frames.isEmpty ?? true) ? root : thrown
        // Innermost first: the application line closest to the failure. A cause's `... N more`
        // frames are its wrapper's, so the search goes on outwards.
        let ownFrame = linked.reversed().lazy.compactMap { code.firstApplicationFrame($0.frames) }.first
        return ExceptionGroup(
            fingerprint: fingerprint.description, count: 1,
            exception: EvidenceTally.clip(thrown?.headline ?? "?"),
            rootCause: EvidenceTally.clip(root?.headline ?? "?"),
            chain: linked.map(\.className),
            frames: (framesFrom?.frames ?? []).prefix(framesPerGroup).map(\.description),
            applicationFrame: ownFrame.map { frame in
                ApplicationFrame(frame: EvidenceTally.clip(frame.qualifiedMethod + "(" + (frame.location ?? "") + ")"),
                                 source: location.source, line: frame.line > 0 ? frame.line : location.line)
            },
            trace: traced ? representativeTrace(chain) : nil,
            firstSeen: time, lastSeen: time, samples: [location])
    }

    /// The chain as printed, cut at `traceFrameLimit` frames in all.
    static func representativeTrace(_ chain: ExceptionChain) -> [ExceptionGroup.TracedException] {
        var budget = traceFrameLimit
        return chain.exceptions.filter { $0.relation != .mentioned }.map { exception in
            let kept = exception.frames.prefix(budget).map(\.description)
            budget -= kept.count
            let leftOut = exception.frames.count - kept.count + exception.omittedFrames
            return ExceptionGroup.TracedException(relation: exception.relation.rawValue,
                                                  headline: EvidenceTally.clip(exception.headline),
                                                  frames: kept, framesLeftOut: leftOut > 0 ? leftOut : nil)
        }
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
