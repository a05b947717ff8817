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

    /// `36m 08s`; nil when the ends are not comparable (a time without a date).
    public var duration: String? {
        guard first.hasDate == last.hasDate else { return nil }
        let seconds = (last.milliseconds - first.milliseconds) / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(pad(seconds % 60))s" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(pad(seconds / 60 % 60))m" }
        return "\(seconds / 86_400)d \(pad(seconds / 3600 % 24))h"
    }

    private func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
