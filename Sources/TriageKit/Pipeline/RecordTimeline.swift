/// Records per minute (and errors among them), for the HTML report's timeline: where things
/// broke. Bounded: past `capacity` buckets the width grows to the next of `widths`, each a
/// multiple of the one before, so buckets merge exactly; a week of logs is 30-minute buckets.
public struct RecordTimeline: Codable, Sendable, Equatable {
    /// Bucket widths in minutes, each dividing the next.
    static let widths = [1, 2, 10, 30, 60, 120, 360, 720, 1440, 10_080]
    static let capacity = 720

    /// Minutes per bucket.
    public private(set) var minutes = 1
    /// Buckets holding records, in time order.
    public private(set) var buckets: [Bucket] = []

    public struct Bucket: Codable, Sendable, Equatable {
        /// The bucket's first minute.
        public var time: LogTimestamp
        public var records: Int
        /// Records at ERROR or FATAL.
        public var errors: Int
    }

    public init() {}

    /// Every bucket is `minutes` wide and the count is at most `capacity`.
    init(counting counts: [Int64: (records: Int, errors: Int)], minutes: Int) {
        self.minutes = minutes
        buckets = counts.keys.sorted().map { key in
            let count = counts[key]!
            return Bucket(time: LogTimestamp(milliseconds: key * Int64(minutes) * 60_000, hasDate: true),
                          records: count.records, errors: count.errors)
        }
    }

    /// All inputs' timelines as one, at the widest of their widths (and wider when needed).
    static func merged(_ timelines: [RecordTimeline]) -> RecordTimeline? {
        var counter = RecordTimelineCounter()
        counter.widthIndex = widths.firstIndex(of: timelines.map(\.minutes).max() ?? 1) ?? 0
        for timeline in timelines {
            for bucket in timeline.buckets {
                counter.add(minute: bucket.time.milliseconds / 60_000, records: bucket.records, errors: bucket.errors)
            }
        }
        return counter.timeline
    }
}

/// Counts records into minute buckets as they are read: the last bucket is kept aside, so the
/// dictionary is touched once per minute of log, not once per record.
struct RecordTimelineCounter {
    var widthIndex = 0
    private var counts: [Int64: (records: Int, errors: Int)] = [:]
    private var currentKey = Int64.min
    private var current = (records: 0, errors: 0)

    private var width: Int64 { Int64(RecordTimeline.widths[widthIndex]) }

    /// The current bucket's milliseconds, so a record inside it costs two comparisons, no division.
    private var currentRange: Range<Int64> = 0..<0

    mutating func add(_ time: LogTimestamp, error: Bool) {
        guard time.hasDate else { return }
        if currentRange.contains(time.milliseconds) {
            current.records += 1
            if error { current.errors += 1 }
            return
        }
        add(minute: floorDivide(time.milliseconds, 60_000), records: 1, errors: error ? 1 : 0)
    }

    mutating func add(minute: Int64, records: Int, errors: Int) {
        let key = floorDivide(minute, width)
        if key == currentKey {
            current.records += records
            current.errors += errors
            return
        }
        flush()
        // Flushing may have widened the buckets.
        currentKey = floorDivide(minute, width)
        current = (records, errors)
        let low = currentKey.multipliedReportingOverflow(by: width * 60_000)
        let high = (currentKey + 1).multipliedReportingOverflow(by: width * 60_000)
        currentRange = low.overflow || high.overflow ? 0..<0 : low.partialValue..<high.partialValue
    }

    private mutating func flush() {
        guard currentKey != Int64.min else { return }
        counts[currentKey, default: (0, 0)].records += current.records
        counts[currentKey, default: (0, 0)].errors += current.errors
        current = (0, 0)
        currentKey = Int64.min
        currentRange = 0..<0
        while counts.count > RecordTimeline.capacity && widthIndex + 1 < RecordTimeline.widths.count { widen() }
    }

    /// The next width: buckets merged into the wider ones they fall in.
    private mutating func widen() {
        let ratio = Int64(RecordTimeline.widths[widthIndex + 1] / RecordTimeline.widths[widthIndex])
        widthIndex += 1
        var wider: [Int64: (records: Int, errors: Int)] = [:]
        for (key, count) in counts {
            wider[floorDivide(key, ratio), default: (0, 0)].records += count.records
            wider[floorDivide(key, ratio), default: (0, 0)].errors += count.errors
        }
        counts = wider
    }

    /// The buckets counted; nil when no record had a dated time.
    var timeline: RecordTimeline? {
        var copy = self
        copy.flush()
        guard !copy.counts.isEmpty else { return nil }
        return RecordTimeline(counting: copy.counts, minutes: RecordTimeline.widths[copy.widthIndex])
    }

    private func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
