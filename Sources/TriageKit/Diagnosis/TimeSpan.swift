/// First and last time something was seen.
public struct TimeSpan: Codable, Sendable, Equatable {
    public var first: LogTimestamp
    public var last: LogTimestamp

    public init(_ time: LogTimestamp) {
        first = time
        last = time
    }

    mutating func add(_ time: LogTimestamp) {
        if time < first { first = time }
        if last < time { last = time }
    }

    static func merged(_ lhs: TimeSpan?, _ rhs: TimeSpan?) -> TimeSpan? {
        guard var result = lhs else { return rhs }
        if let rhs {
            result.add(rhs.first)
            result.add(rhs.last)
        }
        return result
    }

    static func adding(_ time: LogTimestamp?, to span: TimeSpan?) -> TimeSpan? {
        guard let time else { return span }
        guard var span else { return TimeSpan(time) }
        span.add(time)
        return span
    }

    /// How far apart two spans lie (0 when they overlap); nil unless both are dated.
    func gap(to other: TimeSpan) -> Int64? {
        guard first.hasDate, last.hasDate, other.first.hasDate, other.last.hasDate else { return nil }
        if other.first.milliseconds > last.milliseconds { return other.first.milliseconds - last.milliseconds }
        if first.milliseconds > other.last.milliseconds { return first.milliseconds - other.last.milliseconds }
        return 0
    }

    /// `3h 05m`, `631d 02h`: a length of time in milliseconds, as `duration` writes it.
    static func length(_ milliseconds: Int64) -> String {
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(pad2(seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(pad2(seconds / 60 % 60))m" }
        return "\(seconds / 86_400)d \(pad2(seconds / 3600 % 24))h"
    }

    private static func pad2(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// `36m 08s`; nil when the ends are not comparable (a time without a date).
    public var duration: String? {
        guard first.hasDate == last.hasDate else { return nil }
        return TimeSpan.length(last.milliseconds - first.milliseconds)
    }
}
